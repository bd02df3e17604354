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
// itself resolves builtins to). Names the stub declares otherwise (plain assignments, version-conditional blocks) and
// private names (`_ClassInfo`, invisible outside the stub) are not included, so they always go to pyright.
export function loadBuiltinDefinitions(): Map<string, BuiltinDefinition> {
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve("pyright/package.json")), "dist", "typeshed-fallback", "stdlib", "builtins.pyi");
  const defs = new Map<string, BuiltinDefinition>();
  const lines = readFileSync(file, "utf8").split(/\r\n|\r|\n/);
  lines.forEach((text, i) => {
    const m = /^(def|class)\s+([A-Za-z]\w*)/.exec(text);
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

export interface BuiltinUses {
  unbound: Set<string>; // builtin names the text never binds
  bareCalls: Set<number>; // offsets (UTF-16, in the scanned text) of builtin names called bare: `name(`, no `.` before
}

// How a file's text uses builtin names (see the header); `null` when a star import makes every name potentially
// bound. A call may be answered as a builtin only when its offset is in `bareCalls` and its name in `unbound`; the
// offset check sees a `.` on an earlier line (`obj.\n    filter(x)`), which the call's own line does not show.
export function scanBuiltinUses(text: string, builtins: ReadonlySet<string>): BuiltinUses | null {
  if (STAR_IMPORT.test(text.replace(/#[^\n]*/g, ""))) return null; // a string containing "import *" only makes this stricter
  const bound = new Set<string>();
  const seen = new Set<string>();
  const bareCalls = new Set<number>();
  scanOccurrences(text, 0, text.length, builtins, { bound, seen, bareCalls });
  const unbound = new Set<string>();
  for (const name of seen) if (!bound.has(name)) unbound.add(name);
  return { unbound, bareCalls };
}

interface Occurrences {
  bound: Set<string>;
  seen: Set<string>;
  bareCalls: Set<number>;
}

// Records every builtin name occurring as code in text[from, to) into `seen`, and into `bound` unless that
// occurrence is an attribute (`.name`) or a call (`name(` not after `def`/`class`); bare calls into `bareCalls`.
function scanOccurrences(text: string, from: number, to: number, builtins: ReadonlySet<string>, out: Occurrences): void {
  let i = from;
  let prevSignificant = ""; // last non-space character before the current token (across lines)
  let prevWord = ""; // the previous token when it was an identifier or keyword
  while (i < to) {
    const ch = text[i]!;
    if (ch === "#") {
      const end = text.indexOf("\n", i);
      i = end < 0 || end > to ? to : end;
      continue;
    }
    if (/\s/.test(ch) || ch === "\\") {
      i++;
      continue;
    }
    STRING_START.lastIndex = i;
    const str = STRING_START.exec(text);
    if (str && i + str[0].length <= to) {
      const prefix = str[1]!;
      const quote = str[2]!;
      const bodyStart = i + str[0].length;
      const end = Math.min(findStringEnd(text, bodyStart, quote), to);
      // f-string replacement fields are code (a walrus there binds): scan the whole body as code.
      if (/[fF]/.test(prefix)) scanOccurrences(text, bodyStart, end, builtins, out);
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
        out.seen.add(name);
        const isAttribute = prevSignificant === ".";
        const isCall = /^[ \t]*\(/.test(text.slice(after, Math.min(to, after + 64))) && prevWord !== "def" && prevWord !== "class";
        if (!isAttribute && !isCall) out.bound.add(name);
        if (!isAttribute && isCall) out.bareCalls.add(i);
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
}

// Index just past the string body that starts at `from` (the index of its closing quote, or the text's end).
function findStringEnd(text: string, from: number, quote: string): number {
  let j = from;
  while (j < text.length) {
    const c = text[j]!;
    if (c === "\\") {
      j += 2; // an escaped character (even in a raw string, a backslash keeps the quote from ending it)
      continue;
    }
    if (quote.length === 1 && c === "\n") return j; // unterminated single-line string: stop at the line end
    if (text.startsWith(quote, j)) return j;
    j++;
  }
  return text.length;
}
