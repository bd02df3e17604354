// Writing git-style unified diffs (makeFilePatch/makePatch). Every task's setup patch, gold patch and hack patch
// is written here, exact to the byte: CR characters, missing final newlines and empty files all round-trip
// through parse.ts and apply.ts.

import { diffArrays } from "diff";
import { splitLines } from "./lines.js";
import type { Hunk, HunkLine } from "./types.js";

const CONTEXT_LINES = 3;

export interface FilePatchOptions {
  oldPath?: string; // write a rename from oldPath to path
  mode?: string; // file mode for new/deleted files (default 100644)
}

// One file's git-style diff from `before` to `after` (null = the file does not exist on that side), with three
// lines of context. "" when nothing changed.
export function makeFilePatch(path: string, before: string | null, after: string | null, opts: FilePatchOptions = {}): string {
  const oldName = opts.oldPath ?? path;
  const renamed = opts.oldPath !== undefined && opts.oldPath !== path;
  if (before === null && after === null) return "";
  if (before === after && !renamed) return "";
  const mode = opts.mode ?? "100644";
  let out = `diff --git ${quotePath(`a/${oldName}`)} ${quotePath(`b/${path}`)}\n`;
  if (before === null) out += `new file mode ${mode}\n`;
  else if (after === null) out += `deleted file mode ${mode}\n`;
  if (renamed && before !== null && after !== null) {
    out += `rename from ${quotePath(oldName)}\nrename to ${quotePath(path)}\n`;
  }
  if (before === after) return out; // a pure rename
  // Git writes no ---/+++ lines and no hunk for an empty file being added or deleted.
  if ((before === null && after === "") || (after === null && before === "")) return out;
  out += `--- ${before === null ? "/dev/null" : quotePath(`a/${oldName}`)}\n`;
  out += `+++ ${after === null ? "/dev/null" : quotePath(`b/${path}`)}\n`;
  for (const hunk of diffHunks(before ?? "", after ?? "")) out += formatHunk(hunk);
  return out;
}

export interface PatchChange {
  path: string;
  before: string | null;
  after: string | null;
  oldPath?: string; // for a rename
}

// A patch for many files, sorted by path so the same changes always give the same bytes.
export function makePatch(changes: readonly PatchChange[]): string {
  const sorted = [...changes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let out = "";
  for (const c of sorted) out += makeFilePatch(c.path, c.before, c.after, c.oldPath !== undefined ? { oldPath: c.oldPath } : {});
  return out;
}

type Op = { op: " " | "-" | "+"; line: string };

function diffHunks(before: string, after: string): Hunk[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // Trim the common prefix and suffix: the diff algorithm then only sees the changed middle.
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  const ops: Op[] = [];
  for (let i = 0; i < prefix; i++) ops.push({ op: " ", line: a[i] as string });
  const middle = diffArrays(a.slice(prefix, a.length - suffix), b.slice(prefix, b.length - suffix));
  for (const part of middle) {
    const op = part.added ? "+" : part.removed ? "-" : " ";
    for (const line of part.value) ops.push({ op, line });
  }
  for (let i = a.length - suffix; i < a.length; i++) ops.push({ op: " ", line: a[i] as string });
  return groupHunks(ops);
}

function groupHunks(ops: Op[]): Hunk[] {
  const hunks: Hunk[] = [];
  // Old/new line index (0-based) before each op.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 0;
  let n = 0;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.op !== "+") o++;
    if (op.op !== "-") n++;
  }
  let i = 0;
  while (i < ops.length) {
    if ((ops[i] as Op).op === " ") {
      i++;
      continue;
    }
    const start = Math.max(0, i - CONTEXT_LINES);
    let lastChange = i;
    let j = i + 1;
    while (j < ops.length) {
      if ((ops[j] as Op).op !== " ") {
        lastChange = j;
      } else if (j - lastChange > 2 * CONTEXT_LINES) {
        break;
      }
      j++;
    }
    const end = Math.min(ops.length, lastChange + 1 + CONTEXT_LINES);
    const slice = ops.slice(start, end);
    const lines: HunkLine[] = slice.map((s) => ({
      op: s.op,
      text: s.line.endsWith("\n") ? s.line.slice(0, -1) : s.line,
      noEol: !s.line.endsWith("\n"),
    }));
    const oldLines = slice.filter((s) => s.op !== "+").length;
    const newLines = slice.filter((s) => s.op !== "-").length;
    const oldFirst = oldAt[start] as number;
    const newFirst = newAt[start] as number;
    hunks.push({
      oldStart: oldLines === 0 ? oldFirst : oldFirst + 1,
      oldLines,
      newStart: newLines === 0 ? newFirst : newFirst + 1,
      newLines,
      section: "",
      lines,
    });
    i = end;
  }
  return hunks;
}

function formatRange(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

function formatHunk(h: Hunk): string {
  let out = `@@ -${formatRange(h.oldStart, h.oldLines)} +${formatRange(h.newStart, h.newLines)} @@${h.section ? ` ${h.section}` : ""}\n`;
  for (const line of h.lines) {
    out += `${line.op}${line.text}\n`;
    if (line.noEol) out += "\\ No newline at end of file\n";
  }
  return out;
}

function needsQuoting(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x22 || code === 0x5c) return true;
  }
  return false;
}

// Git's C-style quoting, used when a path holds characters that would make the header ambiguous.
function quotePath(path: string): string {
  if (!needsQuoting(path)) return path;
  let out = '"';
  for (const byte of Buffer.from(path, "utf8")) {
    const c = String.fromCharCode(byte);
    if (c === '"' || c === "\\") out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (c === "\t") out += "\\t";
    else if (byte < 0x20 || byte === 0x7f) out += `\\${byte.toString(8).padStart(3, "0")}`;
    else if (byte >= 0x80) out += `\\${byte.toString(8)}`;
    else out += c;
  }
  return `${out}"`;
}
