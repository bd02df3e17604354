// What travels through Redis for one repository of a dataset build: the job src/build/job.ts defines (plain
// JSON: the repository's ingest input, the recipe's families, seed ...) plus the shard keys already done, and its
// result, the finished shards as the shard files hold them. Each side checks what it reads.

import { z } from "zod";
import { buildShardSchema } from "../core/schemas/build-shard.js";
import { LANGUAGE_IDS, TASK_NAMES } from "../core/schemas/instance.js";
import type { BuildJob } from "../build/job.js";

export const BUILD_JOB_TAG = "hgym.queue-build/1";

const familyPlanSchema = z.object({
  family: z.enum(TASK_NAMES),
  values: z.record(z.string(), z.unknown()),
  perRepo: z.number().int().nullable(),
  target: z.number().int().nullable(),
});

export const buildJobSchema = z.object({
  input: z.string().min(1),
  commit: z.string().nullable(),
  families: z.array(familyPlanSchema).min(1),
  seed: z.number().int(),
  includeTests: z.boolean(),
  language: z.enum(LANGUAGE_IDS).nullable(),
  // SWE-bench-style issue records: checked by the issue-localize family when it reads them.
  issues: z.array(z.looseObject({})),
});

export const queuedBuildJobSchema = z.object({
  schema: z.literal(BUILD_JOB_TAG),
  run_id: z.string().min(1),
  job: buildJobSchema,
  done: z.array(z.string()), // shard keys already written: those families are not run again
  sandbox: z.enum(["bwrap", "docker", "local", "auto"]), // where func-gen's exec checks run on the worker
});
export type QueuedBuildJob = Omit<z.output<typeof queuedBuildJobSchema>, "job"> & { job: BuildJob };

export const buildJobResultSchema = z.object({
  schema: z.literal("hgym.queue-build-result/1"),
  worker: z.string(),
  shards: z.array(buildShardSchema),
  elapsed_ms: z.number().nonnegative(),
});
