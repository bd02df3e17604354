// `hgym rollout --queue`: the same batch as the local mode (same plan, same run directory, same records, same
// resume), but each (instance, sample) is a BullMQ job that any `hgym worker` may take, and the records come back
// as the job's return value. Only this process writes the run directory.
//
// Exactly once into rollouts.jsonl: a job's records are appended, then the job is removed from Redis. A producer
// killed between the two finds the job again on restart; a job run twice (a worker lost its lock, BullMQ's stalled
// check gave the job to another worker, and both finished) returns records the run directory already holds. In
// both cases a record is appended only if its (instance, sample) has no final record yet and its attempt number
// is past the infra-failure attempts already recorded.

import { hostname } from "node:os";
import { resolve } from "node:path";
import { Queue, QueueEvents, type Job } from "bullmq";
import type { RolloutRecord } from "../agent/types.js";
import { INSTANCE_SCHEMA_TAG } from "../core/schemas/instance.js";
import type { BatchOptions, BatchResult } from "../runner/batch.js";
import { selectRunInstances } from "../runner/instances.js";
import { RunDir, type PairKey } from "../runner/run-dir.js";
import { summarizeByTask } from "../runner/summary.js";
import { toolVersions } from "../runner/versions.js";
import { sha256 } from "../util/hash.js";
import { startProgress } from "../util/progress.js";
import { checkRedisReachable, ROLLOUT_QUEUE, redactRedisUrl, type RedisConnection } from "./connection.js";
import { ROLLOUT_JOB_TAG, rolloutJobResultSchema, type RolloutJobInput, type RolloutSettings } from "./rollout-job.js";

export interface QueueTarget {
  url: string; // as the user wrote it (shown redacted)
  connection: RedisConnection;
  prefix: string;
}

export interface QueuedBatchOptions extends Omit<BatchOptions, "env" | "concurrency" | "onPool" | "infraRetryDelayMs" | "graceMs"> {
  queue: QueueTarget;
  settings: RolloutSettings;
  pollMs?: number; // how often finished jobs are collected (default 200 ms)
  auditMs?: number; // how often this run's jobs are checked to still exist in Redis (default 30 s)
  jobAttempts?: number; // tries of a job whose worker threw (not a rollout failure: e.g. the repository could not be fetched); default 3
  onStopper?: (stopper: BatchStopper) => void; // lets the caller stop the batch (Ctrl-C)
}

// stop(): queued jobs of this run are withdrawn, running ones are waited for. abort(): return now; running jobs
// finish on their workers and their records are collected by the next session (the rerun).
export interface BatchStopper {
  stop(): void;
  abort(): void;
}

// A run's id: stable across sessions of one run directory (so a rerun finds its own jobs), different for another.
export function queueRunId(outDir: string, instancesSha256: string): string {
  return sha256(`${hostname()}\n${resolve(outDir)}\n${instancesSha256}`).slice(0, 16);
}

// BullMQ's custom ids may not contain ":" and instance ids may; a hash keeps ids short and safe.
export function rolloutJobId(runId: string, pair: PairKey, firstAttempt: number): string {
  return `${runId}-${sha256(pair.instance_id).slice(0, 24)}-${pair.sample}-${firstAttempt}`;
}

export async function runQueuedBatch(opts: QueuedBatchOptions): Promise<BatchResult> {
  const log = opts.log ?? (() => undefined);
  // Refused before a run directory is made or a sandbox started when there is nothing to run.
  const { loaded, instances } = selectRunInstances(opts.instancesPath, opts.identity.task_filter, opts.limit, log);
  const byId = new Map(instances.map((i) => [i.instance_id, i]));

  // Checked before the run directory is touched: a wrong URL or password leaves nothing behind.
  await checkRedisReachable(opts.queue.connection, opts.queue.url, opts.queue.prefix);
  const queue = new Queue(ROLLOUT_QUEUE, { connection: opts.queue.connection, prefix: opts.queue.prefix });
  const where = `${redactRedisUrl(opts.queue.url)} (prefix ${opts.queue.prefix})`;
  let run: RunDir;
  try {
    run = RunDir.open(opts.outDir, {
    identity: { ...opts.identity, instances_sha256: loaded.sha256 },
    options: opts.options,
    versions: toolVersions(),
    instances: { path: opts.instancesPath, sha256: loaded.sha256, count: loaded.instances.length },
      force: opts.force,
    });
  } catch (err) {
    await queue.close();
    throw err;
  }
  for (const e of run.readErrors) log(`${run.rolloutsPath}:${e.line}: ignored: ${e.message}`);
  const runId = queueRunId(opts.outDir, loaded.sha256);
  try {

    const live = { done: 0, ran: 0, success: 0, duplicates: 0 };
    let manifestDue = 0;
    const settled = new Set<string>(); // job ids whose result is in the run directory (or that failed for good)
    const appendNew = (records: readonly RolloutRecord[]): RolloutRecord | null => {
      let last: RolloutRecord | null = null;
      for (const rec of records) {
        const state = run.state(rec.instance_id, rec.sample);
        if (state.final || rec.attempt <= state.infraAttempts) {
          live.duplicates++;
          continue;
        }
        run.append(rec);
        last = rec;
        if (++manifestDue >= 50) {
          manifestDue = 0;
          run.writeManifest();
        }
      }
      return last;
    };
    // Moves this run's finished jobs from Redis into the run directory. Returns how many jobs it settled.
    const collect = async (onSettled?: (jobId: string, rec: RolloutRecord | null) => void): Promise<number> => {
      let n = 0;
      for (const state of ["completed", "failed"] as const) {
        for (let start = 0; ; start += 500) {
          const jobs = (await queue.getJobs([state], start, start + 499, true)) as Job[];
          if (jobs.length === 0) break;
          let removed = 0;
          for (const job of jobs) {
            if (!job?.id || (job.data as { run_id?: unknown } | undefined)?.run_id !== runId) continue;
            let rec: RolloutRecord | null = null;
            if (state === "completed") {
              const parsed = rolloutJobResultSchema.safeParse(job.returnvalue);
              if (!parsed.success) {
                log(`queue job ${job.id}: its result is not a rollout result (${parsed.error.issues[0]?.message ?? "invalid"}); the pair runs again on resume`);
              } else {
                rec = appendNew(parsed.data.records as RolloutRecord[]);
              }
            } else {
              const data = job.data as { instance?: { instance_id?: string }; sample?: number };
              log(`rollout ${data.instance?.instance_id ?? job.id} #${data.sample ?? "?"} failed on its worker after ${job.attemptsMade} tries: ${job.failedReason}`);
            }
            await job.remove();
            removed++;
            settled.add(job.id);
            onSettled?.(job.id, rec);
            n++;
          }
          // Removing shifts the list: read the same page again.
          if (removed > 0) start -= 500;
        }
      }
      return n;
    };

    // Results of an earlier session that finished after its producer stopped count before planning.
    const early = await collect();
    if (early > 0) log(`collected ${early} finished jobs of an earlier session from the queue`);

    const pairs: PairKey[] = [];
    for (const inst of instances) for (let s = 0; s < opts.samples; s++) pairs.push({ instance_id: inst.instance_id, sample: s });
    const { todo, skipped } = run.plan(pairs, opts.maxInfraRetries);
    if (skipped > 0) log(`resuming: ${skipped} of ${pairs.length} rollouts already done, ${todo.length} to run`);
    run.writeManifest();

    const outstanding = new Map<string, PairKey>();
    const jobs = todo.map((pair) => {
      const instance = byId.get(pair.instance_id);
      if (!instance) throw new Error(`instance ${pair.instance_id} vanished from the plan`); // unreachable
      const data: RolloutJobInput = {
        schema: ROLLOUT_JOB_TAG,
        run_id: runId,
        instance: { schema: INSTANCE_SCHEMA_TAG, ...instance },
        sample: pair.sample,
        first_attempt: pair.firstAttempt,
        settings: opts.settings,
      };
      const jobId = rolloutJobId(runId, pair, pair.firstAttempt);
      outstanding.set(jobId, pair);
      return {
        name: "rollout",
        data,
        opts: { jobId, attempts: opts.jobAttempts ?? 3, backoff: { type: "fixed", delay: 2000 }, removeOnComplete: false, removeOnFail: false },
      };
    });
    // An id still queued from an earlier session is not added twice (BullMQ keeps the existing job).
    for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
    const jobById = new Map(jobs.map((j) => [j.opts.jobId, j]));
    if (todo.length > 0) log(`queued ${todo.length} rollouts on ${where}; workers: hgym worker --queue <url> --prefix ${opts.queue.prefix}`);

    const progress = startProgress({
      label: "rollout",
      total: todo.length,
      stream: opts.progressStream,
      extra: () => `success ${live.done ? ((100 * live.success) / live.done).toFixed(0) : "-"}%`,
    });
    let stopping = false;
    let aborted = false;
    let notStarted = 0;
    let wake: (() => void) | null = null;
    opts.onStopper?.({
      stop: () => {
        stopping = true;
        wake?.();
      },
      abort: () => {
        stopping = true;
        aborted = true;
        wake?.();
      },
    });
    const onSettled = (jobId: string, rec: RolloutRecord | null): void => {
      if (!outstanding.delete(jobId)) return;
      live.done++;
      if (rec) live.ran++;
      if (rec && rec.failure === "none" && rec.reward?.success) live.success++;
      progress.tick();
    };
    let withdrawn = false;
    let lastAudit = Date.now();
    // A finished job wakes the collector at once (the poll is only the fallback), so a short run has no 200 ms tail.
    const events = new QueueEvents(ROLLOUT_QUEUE, { connection: opts.queue.connection, prefix: opts.queue.prefix });
    events.on("completed", () => wake?.());
    events.on("failed", () => wake?.());
    try {
      while (outstanding.size > 0 && !aborted) {
        await collect(onSettled);
        if (!stopping && Date.now() - lastAudit > (opts.auditMs ?? 30_000)) {
          lastAudit = Date.now();
          // A job Redis no longer has (restarted without persistence, flushed by hand) would be waited for forever.
          let requeued = 0;
          for (const id of outstanding.keys()) {
            const job = jobById.get(id);
            if (job && (await queue.getJobState(id)) === "unknown") {
              await queue.add(job.name, job.data, job.opts);
              requeued++;
            }
          }
          if (requeued > 0) log(`${requeued} queued rollouts had vanished from Redis (restarted without persistence?): queued again`);
          continue;
        }
        if (stopping && !withdrawn) {
          withdrawn = true;
          // Jobs no worker has taken yet are taken back; they run on the rerun.
          for (const state of ["waiting", "prioritized", "delayed"] as const) {
            for (const job of (await queue.getJobs([state], 0, -1)) as Job[]) {
              if (job?.id && outstanding.has(job.id) && (await queue.remove(job.id)) === 1) {
                outstanding.delete(job.id);
                notStarted++;
              }
            }
          }
          continue;
        }
        if (outstanding.size === 0) break;
        await new Promise<void>((res) => {
          const t = setTimeout(res, opts.pollMs ?? 200);
          wake = () => {
            clearTimeout(t);
            res();
          };
        });
        wake = null;
      }
    } finally {
      progress.stop();
      await events.close();
    }
    if (live.duplicates > 0) log(`${live.duplicates} duplicate records from jobs that ran twice were not written again`);
    const interrupted = stopping && (notStarted > 0 || outstanding.size > 0);
    run.writeManifest({ interrupted });
    const counts = run.counts();
    const summary = summarizeByTask(run.records());
    return {
      runDir: opts.outDir,
      planned: pairs.length,
      skipped,
      ran: live.ran,
      notStarted,
      aborted: aborted ? outstanding.size : 0,
      interrupted,
      instanceProblems: loaded.problems,
      counts,
      summary,
    };
  } finally {
    run.close();
    await queue.close();
  }
}
