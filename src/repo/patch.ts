// Git-style unified diffs: writing them (makeFilePatch/makePatch), reading them (parsePatch, which also reads
// what `git diff` writes: renames, copies, mode changes, binary markers, quoted paths), and applying them in
// memory to a RepoView (applyPatch/changesFromPatch). Every task's setup patch, gold patch and hack patch, and the
// verifier's view of an agent's diff, go through this file, so it is exact to the byte: CR characters, missing
// final newlines and empty files all round-trip.

import { diffArrays } from "diff";
import type { FileChange, RepoView } from "../tasks/types.js";
import { UserError } from "./types.js";

const CONTEXT_LINES = 3;

export interface HunkLine {
  op: " " | "-" | "+";
  text: string; // the line without its "\n" (a "\r" of a CRLF line stays)
  noEol: boolean; // the line is the last of its side and has no newline
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  section: string; // text after the second "@@" (git puts the enclosing function there)
  lines: HunkLine[];
}

export type PatchStatus = "modified" | "added" | "deleted" | "renamed" | "copied";

export interface ParsedFilePatch {
  oldPath: string | null; // null for an added file
  newPath: string | null; // null for a deleted file
  status: PatchStatus;
  oldMode: string | null;
  newMode: string | null;
  binary: boolean;
  similarity: number | null; // percent, for renames and copies
  hunks: Hunk[];
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

// Splits text into lines that keep their "\n"; the last one lacks it when the text does not end in a newline.
export function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", start)) {
    out.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

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

// ---------------------------------------------------------------------------------------------------------------
// Reading

function unquotePath(raw: string): string {
  if (!raw.startsWith('"')) return raw;
  const bytes: number[] = [];
  const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };
  for (let i = 1; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '"') break;
    if (c === "\\") {
      const next = raw[i + 1] ?? "";
      if (/[0-7]/.test(next)) {
        bytes.push(parseInt(raw.slice(i + 1, i + 4), 8));
        i += 3;
      } else {
        bytes.push(escapes[next] ?? next.charCodeAt(0));
        i += 1;
      }
      continue;
    }
    for (const b of Buffer.from(c, "utf8")) bytes.push(b);
  }
  return Buffer.from(bytes).toString("utf8");
}

// Reads one path token (quoted or not) from the start of `s`; returns it and the rest.
function takeQuoted(s: string): { token: string; rest: string } {
  let i = 1;
  while (i < s.length && s[i] !== '"') i += s[i] === "\\" ? 2 : 1;
  return { token: s.slice(0, i + 1), rest: s.slice(i + 1).replace(/^ /, "") };
}

function stripPrefix(path: string, prefix: string): string {
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

// Path from a "---"/"+++" line: /dev/null -> null; the a/ or b/ prefix removed; a trailing tab (and timestamp) cut.
function headerPath(raw: string, prefix: string): string | null {
  let value = raw;
  if (value.startsWith('"')) value = unquotePath(takeQuoted(value).token);
  else if (value.includes("\t")) value = value.slice(0, value.indexOf("\t"));
  if (value === "/dev/null") return null;
  return stripPrefix(value, prefix);
}

// Names from "diff --git a/X b/Y" (used when no ---/+++ lines follow: binary, mode-only, empty files).
function gitHeaderNames(rest: string): { a: string; b: string } | null {
  if (rest.startsWith('"')) {
    const first = takeQuoted(rest);
    const second = rest.slice(first.token.length + 1);
    const b = second.startsWith('"') ? unquotePath(takeQuoted(second).token) : second;
    return { a: stripPrefix(unquotePath(first.token), "a/"), b: stripPrefix(b, "b/") };
  }
  // Unquoted: when both names are the same the split point is in the middle.
  if ((rest.length - 1) % 2 === 0) {
    const half = (rest.length - 1) / 2;
    const a = rest.slice(0, half);
    const b = rest.slice(half + 1);
    if (a.startsWith("a/") && b.startsWith("b/") && a.slice(2) === b.slice(2)) return { a: a.slice(2), b: b.slice(2) };
  }
  const split = rest.indexOf(" b/");
  if (split === -1) return null;
  const b = rest.slice(split + 1);
  return { a: stripPrefix(rest.slice(0, split), "a/"), b: b.startsWith('"') ? unquotePath(b).slice(2) : b.slice(2) };
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

interface Draft {
  fp: ParsedFilePatch;
  headerA: string | null;
  headerB: string | null;
  sawMinus: boolean;
  sawPlus: boolean;
}

export function parsePatch(text: string): ParsedFilePatch[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const out: ParsedFilePatch[] = [];
  let draft: Draft | null = null;

  const finish = (): void => {
    if (!draft) return;
    const { fp } = draft;
    if (!draft.sawMinus && fp.oldPath === null && fp.status !== "added") fp.oldPath = draft.headerA;
    if (!draft.sawPlus && fp.newPath === null && fp.status !== "deleted") fp.newPath = draft.headerB;
    if (fp.status === "added") fp.oldPath = null;
    if (fp.status === "deleted") fp.newPath = null;
    if (fp.status === "modified" && fp.oldPath === null && fp.newPath !== null) fp.status = "added";
    if (fp.status === "modified" && fp.newPath === null && fp.oldPath !== null) fp.status = "deleted";
    if (fp.oldPath === null && fp.newPath === null) throw new UserError(`patch has a file section without file names: ${JSON.stringify(text.slice(0, 200))}`);
    out.push(fp);
    draft = null;
  };
  const start = (headerA: string | null, headerB: string | null): Draft => ({
    fp: { oldPath: null, newPath: null, status: "modified", oldMode: null, newMode: null, binary: false, similarity: null, hunks: [] },
    headerA,
    headerB,
    sawMinus: false,
    sawPlus: false,
  });

  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.startsWith("diff --git ")) {
      finish();
      const names = gitHeaderNames(line.slice("diff --git ".length));
      draft = start(names?.a ?? null, names?.b ?? null);
      i++;
      continue;
    }
    if (line.startsWith("--- ") && (lines[i + 1] ?? "").startsWith("+++ ")) {
      // A plain unified diff has no "diff --git" line: "---" starts the file. In a git diff it follows the header.
      if (!draft || draft.sawMinus) {
        finish();
        draft = start(null, null);
      }
      const d: Draft = draft;
      d.sawMinus = true;
      d.sawPlus = true;
      d.fp.oldPath = headerPath(line.slice(4), "a/");
      d.fp.newPath = headerPath((lines[i + 1] as string).slice(4), "b/");
      if (d.fp.oldPath === null) d.fp.status = "added";
      else if (d.fp.newPath === null) d.fp.status = "deleted";
      i += 2;
      continue;
    }
    const hunkMatch = HUNK_HEADER.exec(line);
    if (hunkMatch && draft) {
      const hunk: Hunk = {
        oldStart: Number(hunkMatch[1]),
        oldLines: hunkMatch[2] === undefined ? 1 : Number(hunkMatch[2]),
        newStart: Number(hunkMatch[3]),
        newLines: hunkMatch[4] === undefined ? 1 : Number(hunkMatch[4]),
        section: hunkMatch[5] ?? "",
        lines: [],
      };
      i++;
      let oldLeft = hunk.oldLines;
      let newLeft = hunk.newLines;
      // Counts decide where the hunk ends, so a content line such as "--- x" is never taken for a header.
      while (oldLeft > 0 || newLeft > 0) {
        if (i >= lines.length) throw new UserError(`patch is truncated: a hunk (${line}) of ${draft.fp.newPath ?? draft.fp.oldPath} ends early`);
        const l = lines[i] as string;
        if (l.startsWith("\\")) {
          const prev = hunk.lines[hunk.lines.length - 1];
          if (prev) prev.noEol = true;
          i++;
          continue;
        }
        const op = l === "" ? " " : l[0];
        if (op !== " " && op !== "-" && op !== "+") {
          throw new UserError(`patch is malformed: unexpected line ${JSON.stringify(l)} inside hunk ${line} of ${draft.fp.newPath ?? draft.fp.oldPath}`);
        }
        hunk.lines.push({ op, text: l.slice(1), noEol: false });
        if (op !== "+") oldLeft--;
        if (op !== "-") newLeft--;
        i++;
      }
      if ((lines[i] ?? "").startsWith("\\")) {
        const prev = hunk.lines[hunk.lines.length - 1];
        if (prev) prev.noEol = true;
        i++;
      }
      draft.fp.hunks.push(hunk);
      continue;
    }
    if (draft) {
      const fp = draft.fp;
      if (line.startsWith("new file mode ")) {
        fp.status = "added";
        fp.newMode = line.slice(14).trim();
      } else if (line.startsWith("deleted file mode ")) {
        fp.status = "deleted";
        fp.oldMode = line.slice(18).trim();
      } else if (line.startsWith("old mode ")) fp.oldMode = line.slice(9).trim();
      else if (line.startsWith("new mode ")) fp.newMode = line.slice(9).trim();
      else if (line.startsWith("rename from ")) {
        fp.status = "renamed";
        fp.oldPath = unquotePath(line.slice(12));
      } else if (line.startsWith("rename to ")) {
        fp.status = "renamed";
        fp.newPath = unquotePath(line.slice(10));
      } else if (line.startsWith("copy from ")) {
        fp.status = "copied";
        fp.oldPath = unquotePath(line.slice(10));
      } else if (line.startsWith("copy to ")) {
        fp.status = "copied";
        fp.newPath = unquotePath(line.slice(8));
      } else if (line.startsWith("similarity index ")) fp.similarity = parseInt(line.slice(17), 10);
      else if (line.startsWith("Binary files ") || line === "GIT binary patch") fp.binary = true;
      // Anything else (index lines, base85 data of a binary patch, text between files) is skipped.
    }
    i++;
  }
  finish();
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Applying

export interface AppliedPatch extends RepoView {
  changed: string[]; // every path the patch touched (old and new names of renames), sorted
  // True when the patch left a binary file at `path` (its content is not available as text).
  isBinary(path: string): boolean;
}

const BINARY = Symbol("binary");
type Slot = string | null | typeof BINARY;

// Applies `patch` to `view` in memory. Strict like `git apply`: every hunk's context and removed lines must match
// exactly (a hunk may sit at a different line, as when earlier hunks of other patches moved it); a hunk that does
// not match anywhere is an error naming the file and the hunk.
export function applyPatch(view: RepoView, patch: string): AppliedPatch {
  const overlay = new Map<string, Slot>();
  const current = (path: string): Slot => (overlay.has(path) ? (overlay.get(path) as Slot) : view.read(path));
  const changed = new Set<string>();

  for (const fp of parsePatch(patch)) {
    const label = fp.newPath ?? fp.oldPath ?? "?";
    if (fp.binary) {
      // Binary content is not part of a RepoView: record only that the file changed.
      if (fp.oldPath !== null && (fp.status === "renamed" || fp.status === "deleted")) overlay.set(fp.oldPath, null);
      if (fp.newPath !== null) overlay.set(fp.newPath, BINARY);
      for (const p of [fp.oldPath, fp.newPath]) if (p !== null) changed.add(p);
      continue;
    }
    let base: string;
    if (fp.status === "added") {
      if (fp.newPath !== null && typeof current(fp.newPath) === "string") {
        throw new UserError(`patch does not apply: ${fp.newPath} is created by the patch but already exists`);
      }
      base = "";
    } else {
      const existing = fp.oldPath === null ? null : current(fp.oldPath);
      if (typeof existing !== "string") {
        throw new UserError(`patch does not apply: ${fp.oldPath ?? label} is ${fp.status} by the patch but does not exist in the repository`);
      }
      base = existing;
    }
    const result = applyHunks(base, fp.hunks, label);
    if (fp.status === "deleted") {
      if (result !== "") throw new UserError(`patch does not apply: deleting ${label} would leave content behind (the file differs from the patch's copy)`);
      overlay.set(fp.oldPath as string, null);
    } else {
      if (fp.status === "renamed" && fp.oldPath !== null) overlay.set(fp.oldPath, null);
      overlay.set(fp.newPath as string, result);
    }
    for (const p of [fp.oldPath, fp.newPath]) if (p !== null) changed.add(p);
  }

  const paths = (): string[] => {
    const set = new Set(view.paths());
    for (const [p, slot] of overlay) {
      if (typeof slot === "string") set.add(p);
      else set.delete(p);
    }
    return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  };
  return {
    paths,
    read(path: string): string | null {
      const slot = current(path);
      return typeof slot === "string" ? slot : null;
    },
    isBinary: (path: string) => overlay.get(path) === BINARY,
    changed: [...changed].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
  };
}

function hunkSide(h: Hunk, side: "old" | "new"): string[] {
  const skip = side === "old" ? "+" : "-";
  return h.lines.filter((l) => l.op !== skip).map((l) => (l.noEol ? l.text : `${l.text}\n`));
}

function matchesAt(tokens: readonly string[], want: readonly string[], at: number): boolean {
  if (at < 0 || at + want.length > tokens.length) return false;
  for (let k = 0; k < want.length; k++) if (tokens[at + k] !== want[k]) return false;
  return true;
}

export function applyHunks(content: string, hunks: readonly Hunk[], label: string): string {
  const tokens = splitLines(content);
  const out: string[] = [];
  let cursor = 0;
  hunks.forEach((h, index) => {
    const oldSide = hunkSide(h, "old");
    const newSide = hunkSide(h, "new");
    const expected = h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
    let found = -1;
    const maxOffset = Math.max(tokens.length, 1);
    for (let offset = 0; offset <= maxOffset && found === -1; offset++) {
      for (const at of offset === 0 ? [expected] : [expected + offset, expected - offset]) {
        if (at >= cursor && matchesAt(tokens, oldSide, at)) {
          found = at;
          break;
        }
      }
    }
    if (found === -1) {
      throw new UserError(
        `patch does not apply to ${label}: hunk #${index + 1} (@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@) does not match the file's content near line ${h.oldStart}`,
      );
    }
    for (let k = cursor; k < found; k++) out.push(tokens[k] as string);
    out.push(...newSide);
    cursor = found + oldSide.length;
  });
  for (let k = cursor; k < tokens.length; k++) out.push(tokens[k] as string);
  return out.join("");
}

// The FileChange records a patch makes to `view` (before from the view, after from applying the patch).
export function changesFromPatch(view: RepoView, patch: string): FileChange[] {
  const applied = applyPatch(view, patch);
  const changes: FileChange[] = [];
  for (const fp of parsePatch(patch)) {
    const binary = fp.binary;
    // Modes as the patch states them (`old mode`/`new mode`, `new file mode`, `deleted file mode`): a mode-only
    // change has no hunks but is still a change the verifiers must see.
    // Present only when the patch names a mode, so records of ordinary edits keep their shape.
    const modes = fp.oldMode !== null || fp.newMode !== null ? { oldMode: fp.oldMode, newMode: fp.newMode } : {};
    if (fp.status === "deleted") {
      const path = fp.oldPath as string;
      changes.push({ path, oldPath: null, status: "deleted", binary, before: binary ? null : view.read(path), after: null, ...modes });
    } else if (fp.status === "added" || fp.status === "copied") {
      const path = fp.newPath as string;
      changes.push({ path, oldPath: null, status: "added", binary, before: null, after: binary ? null : applied.read(path), ...modes });
    } else if (fp.status === "renamed") {
      const path = fp.newPath as string;
      changes.push({
        path,
        oldPath: fp.oldPath,
        status: "renamed",
        binary,
        before: binary ? null : view.read(fp.oldPath as string),
        after: binary ? null : applied.read(path),
        ...modes,
      });
    } else {
      const path = (fp.newPath ?? fp.oldPath) as string;
      changes.push({
        path,
        oldPath: null,
        status: "modified",
        binary,
        before: binary ? null : view.read(path),
        after: binary ? null : applied.read(path),
        ...modes,
      });
    }
  }
  return changes;
}
