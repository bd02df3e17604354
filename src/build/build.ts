// A whole build: the recipe's jobs whose shards are not on disk yet run on the local process pool (or, with
// the queue, wherever the caller runs them: `runJobs`), each writing its shards as it finishes, with progress;
// then the merge writes the dataset from the shards. Started again after any kill, it skips every shard already
// written and ends with the same bytes.

import type { JobProcessSettings } from "./job-process.js";
import { shardKey, type BuildJob } from "./job.js";
import { mergeBuild, type MergeResult } from "./merge.js";
import { runJobsInProcesses, type JobOutcome, type PoolJob } from "./pool.js";
import { startBuildProgress } from "./progress.js";
import type { BuildPlan } from "./recipe.js";
import { listShardKeys, prepareShardDir, removeDeadShardTemps, shardDirOf } from "./shard.js";

export interface BuildOptions {
  plan: BuildPlan;
  outDir: string;
  jobs: number; // processes
  settings: Omit<JobProcessSettings, "shardDir">;
  log: (message: string) => void; // one-line messages (start, resume, failures)
  progressStream?: NodeJS.WriteStream;
  progressIntervalMs?: number;
  // Runs the pending jobs somewhere else (the queue); default: the local process pool.
  runJobs?: (jobs: PoolJob[], onOutcome: (job: BuildJob, outcome: JobOutcome) => void) => Promise<void>;
}

export interface BuildResult extends MergeResult {
  ran: number; // jobs run in this call
  reused: number; // jobs whose every shard was already on disk
  failures: Map<string, string>; // input -> why it left no shard in this run
}

// The jobs that still have a family to do, with the shard keys of those already done.
export function pendingJobs(plan: BuildPlan, shardDir: string): PoolJob[] {
  const onDisk = listShardKeys(shardDir);
  const pending: PoolJob[] = [];
  for (const job of plan.jobs) {
    const keys = job.families.map((f) => shardKey(job, f));
    const done = keys.filter((k) => onDisk.has(k));
    if (done.length < keys.length) pending.push({ job, done });
  }
  return pending;
}

export async function runBuild(opts: BuildOptions): Promise<BuildResult> {
  const shardDir = prepareShardDir(shardDirOf(opts.outDir));
  removeDeadShardTemps(shardDir);
  const pending = pendingJobs(opts.plan, shardDir);
  const reused = opts.plan.jobs.length - pending.length;
  opts.log(`build ${opts.plan.name}: ${opts.plan.jobs.length} repositories × ${opts.plan.families.length} families (${opts.plan.families.map((f) => f.family).join(", ")}); ${reused > 0 ? `${reused} already done, ` : ""}${pending.length} to do on ${Math.min(opts.jobs, Math.max(pending.length, 1))} processes`);
  const failures = new Map<string, string>();
  if (pending.length > 0) {
    const progress = startBuildProgress({
      total: pending.length,
      alreadyDone: reused,
      ...(opts.progressStream ? { stream: opts.progressStream } : {}),
      ...(opts.progressIntervalMs !== undefined ? { intervalMs: opts.progressIntervalMs } : {}),
    });
    const onOutcome = (job: BuildJob, outcome: JobOutcome) => {
      if (!outcome.ok) {
        failures.set(job.input, outcome.error);
        opts.log(`${job.input}: job failed: ${outcome.error}`);
      }
      progress.record(outcome);
    };
    try {
      if (opts.runJobs) await opts.runJobs(pending, onOutcome);
      else await runJobsInProcesses(pending, { processes: opts.jobs, settings: { ...opts.settings, shardDir }, onOutcome, onLog: opts.log });
    } finally {
      progress.stop();
    }
  }
  const merged = await mergeBuild(opts.plan, shardDir, opts.outDir, failures);
  return { ...merged, ran: pending.length, reused, failures };
}
