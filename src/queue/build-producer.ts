// `hgym build --queue`: the build's pending per-repository jobs go to Redis instead of local child processes
// (src/build/build.ts's `runJobs` hook); any `hgym worker` runs them, and the shards come back as the job's return
// value. Only this process writes the shard folder, so the merge reads the same files as after a local build.
//
// Exactly once: a shard whose key is already on disk is never written again (a job that ran twice, or whose
// result was collected by an earlier session of a producer killed before it removed the job from Redis).

import { existsSync } from "node:fs";
import { Queue, type Job } from "bullmq";
import type { BuildJob } from "../build/job.js";
import type { JobOutcome, PoolJob } from "../build/pool.js";
import { shardPath, writeShard } from "../build/shard.js";
import { summarizeShard, type ShardSummary } from "../build/summary.js";
import type { Instance } from "../tasks/types.js";
import { sha256 } from "../util/hash.js";
import { BUILD_QUEUE, checkRedisReachable, redactRedisUrl } from "./connection.js";
import { BUILD_JOB_TAG, buildJobResultSchema, type QueuedBuildJob } from "./build-job.js";
import type { QueueTarget } from "./rollout-producer.js";

export interface QueuedBuildOptions {
  queue: QueueTarget;
  runId: string; // stable for one build output folder (src/queue/rollout-producer.ts queueRunId)
  shardDir: string;
  sandbox: "bwrap" | "docker" | "local" | "auto"; // where the workers run func-gen's exec checks
  log: (message: string) => void;
  pollMs?: number;
  jobAttempts?: number;
}

export function buildJobId(runId: string, job: PoolJob): string {
  return `${runId}-${sha256(JSON.stringify([job.job.input, job.job.commit, [...job.done].sort()])).slice(0, 32)}`;
}

// The function src/build/build.ts runs the pending jobs with.
export function queueJobRunner(opts: QueuedBuildOptions): (jobs: PoolJob[], onOutcome: (job: BuildJob, outcome: JobOutcome) => void) => Promise<void> {
  return async (jobs, onOutcome) => {
    await checkRedisReachable(opts.queue.connection, opts.queue.url, opts.queue.prefix);
    const queue = new Queue(BUILD_QUEUE, { connection: opts.queue.connection, prefix: opts.queue.prefix });
    try {
      const outstanding = new Map(jobs.map((j) => [buildJobId(opts.runId, j), j]));
      let duplicates = 0;
      const collect = async (): Promise<number> => {
        let n = 0;
        for (const state of ["completed", "failed"] as const) {
          for (let start = 0; ; start += 200) {
            const page = (await queue.getJobs([state], start, start + 199, true)) as Job[];
            if (page.length === 0) break;
            let removed = 0;
            for (const job of page) {
              if (!job?.id || (job.data as { run_id?: unknown } | undefined)?.run_id !== opts.runId) continue;
              let outcome: JobOutcome;
              if (state === "completed") {
                const parsed = buildJobResultSchema.safeParse(job.returnvalue);
                if (!parsed.success) {
                  outcome = { ok: false, error: `its worker's result is not a build result (${parsed.error.issues[0]?.message ?? "invalid"}); rerun to redo it` };
                } else {
                  const summaries: ShardSummary[] = [];
                  for (const record of parsed.data.shards) {
                    const { schema: _tag, ...shard } = record;
                    const family = { ...shard, instances: shard.instances as Instance[] };
                    if (existsSync(shardPath(opts.shardDir, shard.key))) duplicates++;
                    else writeShard(opts.shardDir, family);
                    summaries.push(summarizeShard(family));
                  }
                  outcome = { ok: true, shards: summaries, elapsedMs: parsed.data.elapsed_ms };
                }
              } else {
                outcome = { ok: false, error: `failed on its worker after ${job.attemptsMade} tries: ${job.failedReason}` };
              }
              await job.remove();
              removed++;
              n++;
              const mine = outstanding.get(job.id);
              if (mine) {
                outstanding.delete(job.id);
                onOutcome(mine.job, outcome);
              }
            }
            if (removed > 0) start -= 200;
          }
        }
        return n;
      };
      // Results of an earlier session that finished after its producer stopped.
      const early = await collect();
      if (early > 0) opts.log(`collected ${early} finished build jobs of an earlier session from the queue`);
      const toAdd = [...outstanding].map(([jobId, j]) => {
        const data: QueuedBuildJob = { schema: BUILD_JOB_TAG, run_id: opts.runId, job: j.job, done: j.done, sandbox: opts.sandbox };
        return { name: "build", data, opts: { jobId, attempts: opts.jobAttempts ?? 2, backoff: { type: "fixed", delay: 2000 }, removeOnComplete: false, removeOnFail: false } };
      });
      for (let i = 0; i < toAdd.length; i += 500) await queue.addBulk(toAdd.slice(i, i + 500));
      if (toAdd.length > 0) {
        opts.log(`queued ${toAdd.length} repositories on ${redactRedisUrl(opts.queue.url)} (prefix ${opts.queue.prefix}); workers: hgym worker --queue <url> --prefix ${opts.queue.prefix}`);
      }
      while (outstanding.size > 0) {
        await collect();
        if (outstanding.size > 0) await new Promise((r) => setTimeout(r, opts.pollMs ?? 200));
      }
      if (duplicates > 0) opts.log(`${duplicates} shards from jobs that ran twice were already written and were not written again`);
    } finally {
      await queue.close();
    }
  };
}
