// Helpers for the task-family tests: small real repositories on disk, a throwaway snapshot store, and scoring a
// patch against an instance exactly as `hgym verify` does.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SnapshotStore, snapshotView } from "../../repo/store.js";
import type { Instance, TaskFamily } from "../types.js";
import type { RepoView } from "../../core/repo-view.js";
import type { Reward } from "../../core/reward.js";
import { resultFromPatch, startView } from "./workspace.js";
import { createVerifyContext, type VerifyContext } from "../verify-context.js";

export interface TempRepo {
  dir: string;
  store: SnapshotStore;
  cleanup(): void;
}

// Writes `files` (path -> text) into a fresh directory next to a fresh snapshot store.
export function makeTempRepo(files: Record<string, string>, name = "demo"): TempRepo {
  const root = mkdtempSync(join(tmpdir(), "hgym-tasks-test-"));
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    const dest = join(dir, path);
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, text);
  }
  return { dir, store: new SnapshotStore(join(root, "store")), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

// The starting state of an instance, from the store it was generated with.
export function instanceStart(store: SnapshotStore, instance: Instance<unknown>): RepoView {
  return startView(snapshotView(store, store.get(instance.repo.snapshot)), instance.setup_patch);
}

// `ctx` defaults to a context over an empty throwaway store (the "auto" sandbox, no judge model): enough for the
// modes that never read the store; tests of func-gen exec pass a context over the store they generated into.
export async function scorePatch<G, O>(family: TaskFamily<G, O>, instance: Instance<G>, start: RepoView, patch: string, ctx?: VerifyContext): Promise<Reward> {
  return family.verify(instance, resultFromPatch(start, patch), ctx ?? throwawayContext());
}

let throwaway: VerifyContext | null = null;
// A verify context over an empty store, for families that never read the store. One directory per user, shared by
// every test process: vitest ends its forks with a signal, so a per-process directory removed "on exit" was left
// behind by every run.
export function throwawayContext(): VerifyContext {
  if (!throwaway) {
    const root = join(tmpdir(), `hgym-verify-ctx-${process.getuid?.() ?? "user"}`);
    mkdirSync(root, { recursive: true, mode: 0o700 });
    throwaway = createVerifyContext({ store: new SnapshotStore(join(root, "store")) });
  }
  return throwaway;
}

// A patch turning the starting text of `path` into `edit(text)`.
export function editPatch(start: RepoView, path: string, edit: (text: string) => string): { path: string; before: string; after: string } {
  const before = start.read(path);
  if (before === null) throw new Error(`${path} is not in the starting state`);
  return { path, before, after: edit(before) };
}
