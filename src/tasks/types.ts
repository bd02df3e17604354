// The TaskFamily contract (docs/DESIGN.md §2). Adding a task means adding one folder in src/tasks/ that exports an
// object implementing TaskFamily; generation, the validity gate, verification, rollouts and export only go
// through this interface.

import type { RepoView, WorkspaceResult } from "../core/repo-view.js";
import type { Reward, TaskName } from "../core/reward.js";
import type { FileIndex, LanguageId } from "../lang/types.js";
import type { VerifyContext } from "./verify-context.js";

export interface InstanceRepo {
  name: string; // repository name, e.g. "requests"
  commit: string; // git commit, or the snapshot id when the source was a plain directory
  source: string; // the URL or local path it came from
  snapshot: string; // snapshot id in the store
}

export interface ValidityRecord {
  gold: boolean; // the gold patch scored success
  null: boolean; // the untouched workspace scored failure (true = it failed, as it must)
  hacks: Record<string, boolean>; // hack name -> true when the hack was rejected (as it must be)
}

export interface InstanceMeta {
  generator_version: string;
  seed: number;
  difficulty: Record<string, number | string>;
  validity: ValidityRecord;
  [extra: string]: unknown;
}

export interface Instance<G = unknown> {
  instance_id: string; // "<task>/<repo-slug>@<commit12>/<target-key>"
  task: TaskName;
  language: LanguageId;
  repo: InstanceRepo;
  setup_patch: string; // unified diff (git style) from the repo at commit to the agent's starting state
  instruction: string; // the exact user message the agent receives
  gold: G; // never enters the sandbox
  meta: InstanceMeta;
}

export interface Hack {
  name: string; // "docstring-every-definition", ...
  patch: string; // unified diff against the agent's starting state
}

export interface DropCounts {
  [reason: string]: number;
}

export interface GenerateContext {
  repo: InstanceRepo;
  language: LanguageId | null; // restrict to one language, or null for all the repo has
  files: RepoView; // the repository at `repo.commit`
  seed: number;
  includeTests: boolean;
  log: (message: string) => void;
  // The code index of `files` (filtered to `language`), when the caller already built it; families index the
  // view themselves when it is absent.
  index?: FileIndex[];
  // At most how many instances the caller will keep from this repository (null: no cap). Families whose
  // per-instance work is expensive (LLM calls) may stop after this many times a small safety factor.
  quota?: number | null;
}

export interface GenerateOutput<G> {
  instances: Instance<G>[]; // candidates that passed selection; the validity gate runs after this
  candidates: number; // targets considered
  dropped: DropCounts; // reason -> count, for candidates not turned into instances
}

export interface TaskFamily<G = unknown, O = Record<string, unknown>> {
  name: TaskName;
  generate(ctx: GenerateContext, opts: O): Promise<GenerateOutput<G>>;
  // Scores the agent's final state. The verdict depends only on the instance, the result and what `ctx` holds
  // (the snapshot store, the sandbox that runs tests, the judge model's endpoint); nothing is read from the
  // environment and neither argument is changed. Static modes ignore `ctx`; func-gen exec runs the instance's
  // tests in a fresh episode of `ctx.sandbox` on a workspace rebuilt from `ctx.store`, func-gen judge asks the
  // model `ctx.modelEndpoint` names. Throws only on a bug or an unusable context (a missing snapshot).
  verify(instance: Instance<G>, result: WorkspaceResult, ctx: VerifyContext): Reward | Promise<Reward>;
  goldPatch(instance: Instance<G>): string;
  // Standard ways to game the reward, as patches against the starting state; each must score failure.
  hacks(instance: Instance<G>, start: RepoView): Hack[];
  // Optional, run by the validity gate before anything is scored: record what verification needs from a run of
  // the gold (func-gen exec: which tests ran and passed). Returns why the instance cannot be used, or null.
  prepare?(instance: Instance<G>, start: RepoView, ctx: VerifyContext): Promise<string | null>;
}
