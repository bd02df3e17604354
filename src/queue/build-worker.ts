// A worker's side of one build job: run src/build's per-repository job on this machine (its own snapshot store;
// the repository is ingested from its URL or path here) and hand the shards back through Redis. The producer
// writes them, so a shard file is only ever written by the machine that owns the build's output folder.

import { runBuildJob, type BuildJob, type BuildJobDeps } from "../build/job.js";
import { BUILD_SHARD_SCHEMA_TAG } from "../core/schemas/build-shard.js";
import { describeIssues } from "../core/schemas/check.js";
import { INSTANCE_SCHEMA_TAG } from "../core/schemas/instance.js";
import { BUILD_JOB_TAG, queuedBuildJobSchema } from "./build-job.js";
import { BadJobError, workerName } from "./rollout-worker.js";

export { BUILD_JOB_TAG };

export interface BuildJobResultOut {
  schema: "hgym.queue-build-result/1";
  worker: string;
  shards: Record<string, unknown>[];
  elapsed_ms: number;
}

// `depsFor(sandbox)`: the job's dependencies on this machine (store, verify context with that sandbox, log).
export async function runQueuedBuildJob(data: unknown, depsFor: (sandbox: "bwrap" | "docker" | "local" | "auto") => Omit<BuildJobDeps, "done">): Promise<BuildJobResultOut> {
  const parsed = queuedBuildJobSchema.safeParse(data);
  if (!parsed.success) throw new BadJobError(`not a build job this hgym can run: ${describeIssues(parsed.error.issues, data)}`);
  const q = parsed.data;
  // The issue records are the family's to check (it reads them as SWE-bench records).
  const job: BuildJob = { ...q.job, issues: q.job.issues as unknown as BuildJob["issues"] };
  const result = await runBuildJob(job, { ...depsFor(q.sandbox), done: new Set(q.done) });
  return {
    schema: "hgym.queue-build-result/1",
    worker: workerName(),
    // The shard record exactly as writeShard would write it (instances tagged), so the producer checks it in full.
    shards: result.shards.map((s) => ({ schema: BUILD_SHARD_SCHEMA_TAG, ...s, instances: s.instances.map((i) => ({ schema: INSTANCE_SCHEMA_TAG, ...i })) })),
    elapsed_ms: result.elapsed_ms,
  };
}
