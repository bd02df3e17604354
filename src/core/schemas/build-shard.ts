// One shard of a dataset build (`hgym build`, src/build/): what one repository gave for one task family — the
// per-repository report(s) of the generation pipeline and the kept instances — keyed by (repository, commit,
// family, options, seed, generator version). Written atomically when the repository is done; read back by the
// merge and by resume, so a build killed at any moment restarts with only unfinished shards to do.

import { z } from "zod";
import { schemaTag, versioned, type VersionRule } from "./check.js";
import { instanceSchema, TASK_NAMES } from "./instance.js";

export const BUILD_SHARD_VERSION = 1;
export const BUILD_SHARD_SCHEMA_TAG = schemaTag("build-shard", BUILD_SHARD_VERSION);

const countsSchema = z.record(z.string(), z.number().int().nonnegative());

// The generation pipeline's per-repository report (src/tasks/common/pipeline.ts RepoReport).
export const repoReportSchema = z.object({
  input: z.string(),
  name: z.string().nullable(),
  commit: z.string().nullable(),
  status: z.enum(["ok", "failed"]),
  error: z.string().optional(),
  candidates: z.number().int().nonnegative(),
  proposed: z.number().int().nonnegative(),
  gated: z.number().int().nonnegative(),
  kept: z.number().int().nonnegative(),
  dropped: countsSchema,
});

export const buildShardRecordSchema = z.object({
  schema: z.literal(BUILD_SHARD_SCHEMA_TAG),
  key: z.string().regex(/^[0-9a-f]{64}$/),
  input: z.string().min(1), // the repository as the recipe names it
  family: z.enum(TASK_NAMES),
  generator_version: z.string(),
  // One report per repository state the family generated from (issue-localize mined from history: one per fix).
  reports: z.array(repoReportSchema),
  // What the family's input preparation filtered or could not use (issue-localize: commits that are not fixes).
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  dropped: countsSchema,
  instances: z.array(instanceSchema),
  // How long the repository took for this family (bench and progress only; never in the build's outputs).
  elapsed_ms: z.number().nonnegative(),
});

export const buildShardVersions: VersionRule = {
  kind: "build-shard",
  current: BUILD_SHARD_VERSION,
  unversioned: null,
  migrations: {},
  refuseOlder: "delete the shard folder's stale shards (they are rebuilt)",
};

export const buildShardSchema = versioned(buildShardVersions, buildShardRecordSchema);
export type BuildShardRecord = z.output<typeof buildShardSchema>;
