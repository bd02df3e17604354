// Applying unified diffs in memory to a RepoView (applyPatch), and the FileChange records a patch makes
// (changesFromPatch): the verifier's view of an agent's diff. Strict like `git apply`.

import type { FileChange, RepoView } from "../core/repo-view.js";
import { PatchError } from "../core/errors.js";
import { splitLines } from "./lines.js";
import { parsePatch } from "./parse.js";
import type { Hunk } from "./types.js";

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
        throw new PatchError(`patch does not apply: ${fp.newPath} is created by the patch but already exists`);
      }
      base = "";
    } else {
      const existing = fp.oldPath === null ? null : current(fp.oldPath);
      if (typeof existing !== "string") {
        throw new PatchError(`patch does not apply: ${fp.oldPath ?? label} is ${fp.status} by the patch but does not exist in the repository`);
      }
      base = existing;
    }
    const result = applyHunks(base, fp.hunks, label);
    if (fp.status === "deleted") {
      if (result !== "") throw new PatchError(`patch does not apply: deleting ${label} would leave content behind (the file differs from the patch's copy)`);
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
      throw new PatchError(
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
