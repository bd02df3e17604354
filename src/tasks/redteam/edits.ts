// Text surgery the red-team cases share: finding a definition, its docstring and its lines in real code, and
// rewriting lines. Everything works on whatever the real files contain (no hard-coded line numbers), so the cases
// keep working when the standard library or a package changes between versions; a case returns null when a file
// lacks what it needs and the runner moves on to the next instance.

import type { Definition, LanguageId } from "../../lang/types.js";
import { findByKey, indexText } from "../common/code.js";

export function splitKeep(text: string): string[] {
  return text.split("\n");
}

export function defAt(path: string, text: string, key: string): Definition | null {
  const index = indexText(path, text);
  return index ? findByKey(index, key) : null;
}

export function definitions(path: string, text: string): Definition[] {
  return indexText(path, text)?.definitions ?? [];
}

// 1-based line of `text` (without its newline).
export function line(text: string, n: number): string {
  return text.split("\n")[n - 1] ?? "";
}

export function indentOf(s: string): string {
  return /^[ \t]*/.exec(s)?.[0] ?? "";
}

// Replaces 1-based line n with `replacement` lines.
export function replaceLine(text: string, n: number, replacement: string[]): string {
  const lines = text.split("\n");
  lines.splice(n - 1, 1, ...replacement);
  return lines.join("\n");
}

// Inserts `inserted` lines before 1-based line n (n = lines + 1 appends before the final newline's empty tail).
export function insertBefore(text: string, n: number, inserted: string[]): string {
  const lines = text.split("\n");
  lines.splice(n - 1, 0, ...inserted);
  return lines.join("\n");
}

export function appendLines(text: string, appended: string[]): string {
  const body = text.endsWith("\n") ? text : text + "\n";
  return body + appended.join("\n") + "\n";
}

export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, "\r\n");
}

export function marker(language: LanguageId): string {
  return language === "python" ? "#" : "//";
}

// Lines of a definition's body (1-based, inclusive) that hold a simple statement worth tampering with: not blank,
// not a comment, not inside a multi-line string (the line starts a statement we recognise).
export function bodyStatementLines(text: string, def: Definition, language: LanguageId, pattern?: RegExp): number[] {
  if (!def.bodySpan) return [];
  const out: number[] = [];
  const first = def.docstring && language === "python" ? def.docstring.span.end.line + 1 : def.bodySpan.start.line + (language === "python" ? 0 : 1);
  const last = language === "python" ? def.bodySpan.end.line : def.bodySpan.end.line - 1;
  const statement = pattern ?? (language === "python" ? /^\s+(return\b|[A-Za-z_][\w.]*\s*(\[[^\]]*\])?\s*[+\-*/|&]?=[^=]|[A-Za-z_][\w.]*\(.*\)\s*$)/ : /^\s+(return\b|const |let |var |this\.[\w.]+\s*=|[A-Za-z_$][\w$.]*\(.*\);?\s*$)/);
  for (let n = first; n <= last; n++) {
    const l = line(text, n);
    if (statement.test(l) && !/["'`]{3}|\\$|`/.test(l) && !/[([{,]\s*$/.test(l)) out.push(n);
  }
  return out;
}

// The first definition of `path`'s text that satisfies `ok`, in source order.
export function firstDef(path: string, text: string, ok: (d: Definition) => boolean): Definition | null {
  return definitions(path, text).find(ok) ?? null;
}

// Does any line of the text contain a non-ASCII character inside a string literal (rough: a quote on the line)?
export function hasNonAsciiString(text: string): boolean {
  return text.split("\n").some((l) => /[^\x00-\x7f]/.test(l) && /["']/.test(l) && !/^\s*#/.test(l));
}
