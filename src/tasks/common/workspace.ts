// Workspace states as data: a RepoView with file changes laid over it, and the WorkspaceResult a verifier gets
// from a patch against a starting state. Verification, the validity gate and `hgym verify` all build the agent's
// final state this way, in memory, without materializing a directory.

import type { FileChange, RepoView, WorkspaceResult } from "../../core/repo-view.js";
import { changesFromPatch } from "../../patch/apply.js";
import { makePatch as makeRepoPatch } from "../../patch/make.js";

// A git-style patch for FileChanges (added, modified, deleted, renamed), sorted by path.
export function makePatch(changes: readonly FileChange[]): string {
  return makeRepoPatch(
    changes.map((c) => ({ path: c.path, before: c.before, after: c.after, ...(c.oldPath !== null ? { oldPath: c.oldPath } : {}) })),
  );
}

// A view of `base` with `changes` applied (added/modified files show their new text, deleted ones vanish).
export function overlayView(base: RepoView, changes: readonly FileChange[]): RepoView {
  const replaced = new Map<string, string | null>();
  for (const c of changes) {
    if (c.status === "renamed" && c.oldPath) replaced.set(c.oldPath, null);
    replaced.set(c.path, c.status === "deleted" ? null : c.after);
  }
  const paths = new Set(base.paths());
  for (const [p, text] of replaced) {
    if (text === null) paths.delete(p);
    else paths.add(p);
  }
  const sorted = [...paths].sort();
  return {
    paths: () => sorted.slice(),
    read: (p) => (replaced.has(p) ? (replaced.get(p) ?? null) : base.read(p)),
  };
}

// The WorkspaceResult for "the agent applied `patch` to `start`". Throws when the patch does not apply.
export function resultFromPatch(start: RepoView, patch: string): WorkspaceResult {
  const changes = patch.trim() === "" ? [] : changesFromPatch(start, patch);
  return { changes, readBefore: (p) => start.read(p) };
}

export function untouchedResult(start: RepoView): WorkspaceResult {
  return { changes: [], readBefore: (p) => start.read(p) };
}

// One text-file modification as a FileChange (what patches are built from).
export function modification(path: string, before: string, after: string): FileChange {
  return { path, oldPath: null, status: "modified", binary: false, before, after };
}

// A unified diff turning each `path -> before` into `path -> after`; unchanged entries are left out.
export function patchFromTexts(edits: { path: string; before: string; after: string }[]): string {
  const changes = edits.filter((e) => e.before !== e.after).map((e) => modification(e.path, e.before, e.after));
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return changes.length === 0 ? "" : makePatch(changes);
}

// The starting state of an instance: the repository view with the setup patch applied.
export function startView(repoView: RepoView, setupPatch: string): RepoView {
  return overlayView(repoView, setupPatch.trim() === "" ? [] : changesFromPatch(repoView, setupPatch));
}
