// The TaskFamily contract (DESIGN.md §2). Adding a task means adding one folder in src/tasks/ that exports an
// object implementing TaskFamily; generation, the validity gate, verification, rollouts and export only go
// through this interface.

import type { FileIndex, LanguageId } from "../lang/types.js";

export type TaskName = "func-localize" | "issue-localize" | "dep-search" | "func-gen";

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

// One file changed between the agent's starting state and its final state.
export interface FileChange {
  path: string; // path after the change (for deletions: the deleted path)
  oldPath: string | null; // set for renames
  status: "modified" | "added" | "deleted" | "renamed";
  binary: boolean;
  before: string | null; // text at the start (null for added or binary)
  after: string | null; // text at the end (null for deleted or binary)
  // Git file modes ("100644", "100755", "120000") when known: from a patch's `old mode`/`new mode`, `new file
  // mode`, `deleted file mode` lines, or from the workspace's diff. Absent/null means "unchanged or unknown";
  // a modified file whose oldMode differs from its newMode had its mode changed.
  oldMode?: string | null;
  newMode?: string | null;
}

export interface WorkspaceResult {
  changes: FileChange[];
  // Read any file of the starting state (for verifiers that need unchanged context); null if absent.
  readBefore(path: string): string | null;
}

export interface Violation {
  code: string; // machine-readable: "code-changed", "file-created", "parse-error", ...
  message: string; // human-readable reason
  file?: string;
  line?: number;
}

export interface Reward {
  success: boolean;
  score: number; // 0..1 dense score
  metrics: Record<string, number | string | boolean | null>;
  violations: Violation[];
  mode?: string; // e.g. func-gen's "static" | "exec" | "judge"
}

export interface Hack {
  name: string; // "docstring-every-definition", ...
  patch: string; // unified diff against the agent's starting state
}

export interface DropCounts {
  [reason: string]: number;
}

// Read access to one repository state (the snapshot at its commit, possibly with a patch applied).
export interface RepoView {
  paths(): string[]; // every text file, sorted
  read(path: string): string | null;
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
  // Pure: everything it needs is in the instance and the result. Async only for modes that run things (exec/judge).
  verify(instance: Instance<G>, result: WorkspaceResult): Reward | Promise<Reward>;
  goldPatch(instance: Instance<G>): string;
  // Standard ways to game the reward, as patches against the starting state; each must score failure.
  hacks(instance: Instance<G>, start: RepoView): Hack[];
  // Optional, run by the validity gate before anything is scored: record what verification needs from a run of
  // the gold (func-gen exec: which tests ran and passed). Returns why the instance cannot be used, or null.
  prepare?(instance: Instance<G>, start: RepoView): Promise<string | null>;
}
