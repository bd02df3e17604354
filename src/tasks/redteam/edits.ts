// Text surgery the red-team cases share: finding a definition, its docstring and its lines in real code, and
// rewriting lines. Everything works on whatever the real files contain (no hard-coded line numbers), so the cases
// keep working when the standard library or a package changes between versions; a case returns null when a file
// lacks what it needs and the runner moves on to the next instance.

import type { Definition } from "../../lang/types.js";
import { findByKey, indexText } from "../common/code.js";

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
