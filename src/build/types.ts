// The records of a build that cross a process boundary (jobs sent to a job process or a queue, shard results,
// the report): plain JSON, in one file so the build's modules share them without importing each other.

import type { TaskName } from "../core/reward.js";
import type { LanguageId } from "../lang/types.js";
import type { SnapshotStore } from "../repo/store.js";
import type { GenerationReport, RepoReport } from "../tasks/common/pipeline.js";
import type { SkippedInput } from "../tasks/common/inputs.js";
import type { IssueRecord } from "../tasks/issue-localize/types.js";
import type { DropCounts, Instance } from "../tasks/types.js";
import type { VerifyContext } from "../tasks/verify-context.js";

// A SWE-bench / SWE-Gym-Raw record used as an issue-localize issue.
export type BuildIssue = IssueRecord;

// One family of the recipe as every job sees it.
export interface FamilyPlan {
  family: TaskName;
  // The family's options by commander's camelCase names with every default filled in: what `hgym generate
  // <family> --flag …` would pass (src/build/recipe.ts normalizes the recipe's values). Part of the shard key.
  values: Record<string, unknown>;
  perRepo: number | null; // instances kept per repository at most
  target: number | null; // instances in the dataset at most (applied by the merge, spread over repositories)
}

export interface BuildJob {
  input: string; // ingest input: local path, path@rev, git URL[@rev]
  // The commit the input names when it is known before ingesting (a pinned sha, or a local rev resolved by git);
  // null for a plain folder or an unresolved remote ref (then the input string alone keys its shards).
  commit: string | null;
  families: FamilyPlan[];
  seed: number;
  includeTests: boolean;
  language: LanguageId | null;
  // SWE-bench / SWE-Gym-Raw records whose repository state this job is: issue-localize uses them as its issues
  // (instead of mining history).
  issues: BuildIssue[];
}

export interface BuildJobDeps {
  store: SnapshotStore;
  verify: VerifyContext;
  log: (message: string) => void;
  // Shard keys already on disk: those families are not run again (resume).
  done?: ReadonlySet<string>;
}

// What one (repository, family) gave: written as one shard (src/core/schemas/build-shard.ts; the instances are
// kept untagged in memory and tagged when written).
export interface FamilyShard {
  key: string;
  input: string;
  family: TaskName;
  generator_version: string;
  reports: RepoReport[];
  skipped: SkippedInput[];
  dropped: DropCounts;
  instances: Instance[];
  elapsed_ms: number;
}

export interface ShardResult {
  input: string;
  shards: FamilyShard[]; // one per family not already done, in the job's family order
  elapsed_ms: number;
}

// What the merge reports (report.json).
export interface BuildReport {
  name: string;
  seed: number;
  repositories: number;
  unfinished: string[]; // repositories with a family whose shard is missing (the run lost them; run again)
  families: GenerationReport[];
  total: number; // instances in the combined file
}

