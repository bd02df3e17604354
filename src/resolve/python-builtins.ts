// Calls that cannot land in the repository, decided soundly without asking pyright: a bare-name call (`len(x)`)
// to a name that only Python's builtins module provides, in a file that never binds that name. By Python's scoping
// rules such a name is looked up in the builtins scope, so pyright's answer is always typeshed's builtins.pyi —
// outside the repository — and asking it costs the most expensive kind of request (pyright tries to map the stub
// declaration back to an implementation file through the whole import graph).
//
// Only bare names are ever skipped: `self.filter()` or `obj.format()` may be repository methods and always go to
// pyright (the paper's code wrongly dropped builtin-named repo methods). A file "binds" a name when any occurrence
// of it could be a binding: the scan treats every occurrence as binding except the two shapes that cannot bind,
// `.name` (an attribute) and `name(` not preceded by `def`/`class` (a call). A star import (`from m import *`) may
// bind anything, so it disables skipping for the whole file. Strings are skipped except f-strings, whose
// replacement fields are code (a walrus there binds); their literal text is scanned too, which only makes the
// check more conservative.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export interface BuiltinDefinition {
  file: string; // absolute path of typeshed's builtins.pyi
  line: number; // 1-based
  column: number; // 0-based UTF-16 column of the name
}

// Top-level `def name` / `class name` of typeshed's builtins.pyi shipped inside the pyright package (the stub pyright
// itself resolves builtins to). Names the stub declares otherwise (plain assignments) are not included, so they
// always go to pyright.
export function loadBuiltinDefinitions(): Map<string, BuiltinDefinition> {
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve("pyright/package.json")), "dist", "typeshed-fallback", "stdlib", "builtins.pyi");
  const defs = new Map<string, BuiltinDefinition>();
  const lines = readFileSync(file, "utf8").split(/\r\n|\r|\n/);
  lines.forEach((text, i) => {
    const m = /^(def|class)\s+([A-Za-z_]\w*)/.exec(text);
    if (m && !defs.has(m[2]!)) defs.set(m[2]!, { file, line: i + 1, column: text.indexOf(m[2]!, m[1]!.length) });
  });
  return defs;
}

// A repository can extend pyright's builtins scope with a `__builtins__.pyi` at its root; then builtin names may
// resolve into the repository and nothing may be skipped. A root `builtins.py(i)` is refused too, to be safe.
export function repoOverridesBuiltins(rootDir: string): boolean {
  return ["__builtins__.pyi", "builtins.pyi", "builtins.py"].some((name) => existsSync(path.join(rootDir, name)));
}

const IDENT = /[\p{ID_Start}_][\p{ID_Continue}]*/uy;
const STRING_START = /([rRbBuUfF]{0,2})('''|"""|'|")/y;
const STAR_IMPORT = /\bimport\s*\(?\s*\*/;

// The builtin names that this file's text never binds (see the header); `null` when a star import makes every name
// potentially bound.
export function unboundBuiltinNames(text: string, builtins: ReadonlySet<string>): Set<string> | null {
  const bound = new Set<string>();
  const seen = new Set<string>();
  let i = 0;
  let prevSignificant = ""; // last non-space character before the current token (across lines)
  let prevWord = ""; // last identifier-like token
  let starImport = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "#") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
      continue;
    }
    if (/\s/.test(ch) || ch === "\\") {
      i++;
      continue;
    }
    STRING_START.lastIndex = i;
    const str = STRING_START.exec(text);
    if (str && (str[1] === "" || /^[rRbBuUfF]+$/.test(str[1]!))) {
      const prefix = str[1]!;
      const quote = str[2]!;
      const bodyStart = i + str[0].length;
      const end = findStringEnd(text, bodyStart, quote, /[rR]/.test(prefix));
      if (/[fF]/.test(prefix)) {
        // f-string: its replacement fields are code, so scan the body as code (conservative for the literal parts).
        const inner = unboundBuiltinNames(text.slice(bodyStart, end), builtins);
        if (inner === null) starImport = true;
        else for (const name of builtins) if (text.includes(name, bodyStart) && !inner.has(name) && text.slice(bodyStart, end).includes(name)) bound.add(name);
      }
      i = end + quote.length;
      prevSignificant = quote;
      prevWord = "";
      continue;
    }
    IDENT.lastIndex = i;
    const id = IDENT.exec(text);
    if (id) {
      const name = id[0];
      const after = i + name.length;
      if (builtins.has(name)) {
        seen.add(name);
        const isAttribute = prevSignificant === ".";
        const isCall = /^[ \t]*\(/.test(text.slice(after, after + 64)) && prevWord !== "def" && prevWord !== "class";
        if (!isAttribute && !isCall) bound.add(name);
      }
      prevWord = name;
      prevSignificant = name[name.length - 1]!;
      i = after;
      continue;
    }
    prevSignificant = ch;
    prevWord = "";
    i++;
  }
  if (starImport || STAR_IMPORT.test(stripForStarCheck(text))) return null;
  const unbound = new Set<string>();
  for (const name of seen) if (!bound.has(name)) unbound.add(name);
  return unbound;
}

// Index just past the string body that starts at `from` (the index of its closing quote, or the text's end).
function findStringEnd(text: string, from: number, quote: string, raw: boolean): number {
  let j = from;
  while (j < text.length) {
    const c = text[j]!;
    if (c === "\\" && !raw) {
      j += 2;
      continue;
    }
    if (c === "\\" && raw) {
      j += 2; // a raw string still cannot end on an escaped quote
      continue;
    }
    if (quote.length === 1 && c === "\n") return j; // unterminated single-line string: stop at the line end
    if (text.startsWith(quote, j)) return j;
    j++;
  }
  return text.length;
}

// Comments removed line by line, for the star-import test (a `# from x import *` comment binds nothing). Strings are
// left in place: a string containing "import *" only makes the check more conservative.
function stripForStarCheck(text: string): string {
  return text.replace(/#[^\n]*/g, "");
}
