// A .gitignore matcher that follows gitignore(5): comments, escapes, trailing-space trimming, `!` negation,
// directory-only patterns (trailing `/`), anchoring (a `/` at the start or in the middle), `*`, `?`, `[...]`
// and the three special forms of `**`. Each .gitignore applies to paths relative to its own directory; within a
// file the last matching pattern wins, and a deeper file wins over a shallower one.

interface CompiledPattern {
  regex: RegExp;
  negated: boolean;
  dirOnly: boolean;
}

export class IgnoreRules {
  private readonly patterns: CompiledPattern[];

  // `text` is the content of a .gitignore file.
  constructor(text: string) {
    this.patterns = [];
    for (const rawLine of text.split(/\r?\n/)) {
      const compiled = compileLine(rawLine);
      if (compiled) this.patterns.push(compiled);
    }
  }

  get size(): number {
    return this.patterns.length;
  }

  // `relPath` is relative to the directory holding the .gitignore, with forward slashes.
  // Returns true (ignored), false (explicitly re-included by `!`) or null (no pattern matched).
  match(relPath: string, isDir: boolean): boolean | null {
    for (let i = this.patterns.length - 1; i >= 0; i--) {
      const p = this.patterns[i] as CompiledPattern;
      if (p.dirOnly && !isDir) continue;
      if (p.regex.test(relPath)) return !p.negated;
    }
    return null;
  }
}

// The rules in force for one directory: the chain of .gitignore files from the root down to it.
export interface IgnoreScope {
  base: string; // directory of the .gitignore, relative to the root ("" for the root)
  rules: IgnoreRules;
}

export function isIgnored(scopes: readonly IgnoreScope[], path: string, isDir: boolean): boolean {
  // Deepest scope first: a nested .gitignore overrides its parents.
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i] as IgnoreScope;
    const rel = scope.base === "" ? path : path.slice(scope.base.length + 1);
    const verdict = scope.rules.match(rel, isDir);
    if (verdict !== null) return verdict;
  }
  return false;
}

function compileLine(rawLine: string): CompiledPattern | null {
  let line = rawLine;
  if (line === "" || line.startsWith("#")) return null;
  line = trimTrailingSpaces(line);
  if (line === "") return null;

  let negated = false;
  if (line.startsWith("!")) {
    negated = true;
    line = line.slice(1);
  } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
    line = line.slice(1);
  }

  let dirOnly = false;
  if (line.endsWith("/") && !line.endsWith("\\/")) {
    dirOnly = true;
    line = line.replace(/\/+$/, "");
  }
  if (line === "") return null;

  // A slash at the start or in the middle anchors the pattern to the .gitignore's directory; otherwise it
  // matches at any depth, which is the same as a leading `**/`.
  const anchored = line.includes("/");
  if (line.startsWith("/")) line = line.slice(1);

  const body = globToRegex(line);
  const source = anchored ? `^${body}$` : `^(?:.*/)?${body}$`;
  return { regex: new RegExp(source, "s"), negated, dirOnly };
}

// Trailing spaces are ignored unless escaped with a backslash.
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === " ") {
    let backslashes = 0;
    for (let i = end - 2; i >= 0 && line[i] === "\\"; i--) backslashes++;
    if (backslashes % 2 === 1) break;
    end--;
  }
  return line.slice(0, end);
}

function globToRegex(glob: string): string {
  let out = "";
  let i = 0;
  while (i < glob.length) {
    const c = glob[i] as string;
    if (c === "*") {
      let j = i;
      while (glob[j] === "*") j++;
      const run = j - i;
      const atSegmentStart = i === 0 || glob[i - 1] === "/";
      const atSegmentEnd = j === glob.length || glob[j] === "/";
      if (run >= 2 && atSegmentStart && atSegmentEnd) {
        if (j === glob.length) {
          // `foo/**` matches everything inside foo; a bare `**` matches everything.
          out += i === 0 ? ".*" : ".+";
          i = j;
        } else {
          // `**/` (leading or in the middle) matches zero or more directories.
          out += "(?:.*/)?";
          i = j + 1;
        }
      } else {
        // Other runs of asterisks are ordinary `*`.
        out += "[^/]*";
        i = j;
      }
      continue;
    }
    if (c === "?") {
      out += "[^/]";
      i++;
      continue;
    }
    if (c === "[") {
      const cls = readCharClass(glob, i);
      if (cls) {
        out += cls.regex;
        i = cls.end;
        continue;
      }
      out += "\\[";
      i++;
      continue;
    }
    if (c === "\\" && i + 1 < glob.length) {
      out += escapeRegex(glob[i + 1] as string);
      i += 2;
      continue;
    }
    out += escapeRegex(c);
    i++;
  }
  return out;
}

// Translates a bracket expression starting at `start` ("[...]"); null when it is not closed (then `[` is literal).
function readCharClass(glob: string, start: number): { regex: string; end: number } | null {
  let i = start + 1;
  let negate = false;
  if (glob[i] === "!" || glob[i] === "^") {
    negate = true;
    i++;
  }
  let body = "";
  let first = true;
  while (i < glob.length) {
    const c = glob[i] as string;
    if (c === "]" && !first) {
      // A class never matches "/", as in git's wildmatch with WM_PATHNAME.
      return { regex: negate ? `(?!/)[^${body}]` : `(?!/)[${body}]`, end: i + 1 };
    }
    first = false;
    if (c === "[" && glob[i + 1] === ":") {
      const close = glob.indexOf(":]", i + 2);
      if (close !== -1) {
        const name = glob.slice(i + 2, close);
        const posix = POSIX_CLASSES[name];
        if (posix === undefined) return null;
        body += posix;
        i = close + 2;
        continue;
      }
    }
    if (c === "\\" && i + 1 < glob.length) {
      body += escapeClassChar(glob[i + 1] as string);
      i += 2;
      continue;
    }
    body += c === "-" ? "-" : escapeClassChar(c);
    i++;
  }
  return null;
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: "a-zA-Z0-9",
  alpha: "a-zA-Z",
  blank: " \\t",
  digit: "0-9",
  lower: "a-z",
  upper: "A-Z",
  space: " \\t\\n\\r\\f\\v",
  xdigit: "0-9a-fA-F",
  punct: "!-\\/:-@\\[-`{-~",
};

function escapeRegex(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

function escapeClassChar(c: string): string {
  return /[\]\\^[]/.test(c) ? `\\${c}` : c;
}
