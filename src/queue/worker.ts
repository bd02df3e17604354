// `hgym worker`: a BullMQ worker on the rollout and build queues of one key prefix. Any number of them, on any
// machines, share a run. A worker that dies mid-job holds its job's lock only until `lockDurationMs` passes; the
// stalled check of any live worker then puts the job back in the queue, and another worker runs it again from the
// start (the producer drops records it already holds, so the output sees the job once).

import { UnrecoverableError, Worker, type Job } from "bullmq";
import { BUILD_QUEUE, ROLLOUT_QUEUE, type RedisConnection } from "./connection.js";
import { BadJobError, runRolloutJob, type RolloutJobDeps } from "./rollout-worker.js";

export interface QueueWorkerOptions {
  connection: RedisConnection;
  prefix: string;
  concurrency: number; // jobs this process runs at once (per queue)
  lockDurationMs?: number; // a job whose worker stops renewing its lock this long is stalled (default 30 s)
  stalledIntervalMs?: number; // how often this worker looks for stalled jobs (default 30 s)
  maxStalledCount?: number; // a job stalled more often than this fails (default 3: a kill or two must not lose it)
  rollout: RolloutJobDeps;
  // The build queue's job function (src/build's per-repository job), or null when this worker takes no builds.
  build: ((data: unknown, signal: AbortSignal) => Promise<unknown>) | null;
  log: (message: string) => void;
}

export interface RunningWorker {
  ready: Promise<void>;
  // Stops taking jobs and waits for the running ones; force: give them up now (they become stalled and rerun).
  close(force?: boolean): Promise<void>;
}

export function startQueueWorker(opts: QueueWorkerOptions): RunningWorker {
  const common = {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: opts.concurrency,
    lockDuration: opts.lockDurationMs ?? 30_000,
    stalledInterval: opts.stalledIntervalMs ?? 30_000,
    maxStalledCount: opts.maxStalledCount ?? 3,
  };
  const unrecoverable = (err: unknown): never => {
    // A job this hgym cannot read fails at once instead of being retried by every worker.
    if (err instanceof BadJobError) throw new UnrecoverableError(err.message);
    throw err;
  };
  const workers: Worker[] = [];
  const rollout = new Worker(
    ROLLOUT_QUEUE,
    async (job: Job, _token?: string, signal?: AbortSignal) => runRolloutJob(job.data, opts.rollout, signal ?? new AbortController().signal).catch(unrecoverable),
    common,
  );
  workers.push(rollout);
  if (opts.build) {
    const build = opts.build;
    workers.push(
      new Worker(BUILD_QUEUE, async (job: Job, _token?: string, signal?: AbortSignal) => build(job.data, signal ?? new AbortController().signal).catch(unrecoverable), common),
    );
  }
  for (const w of workers) {
    w.on("active", (job) => opts.log(`${w.name} job ${job.id ?? "?"} started${describeJob(job.data)}`));
    w.on("failed", (job, err) => opts.log(`${w.name} job ${job?.id ?? "?"} failed (try ${job?.attemptsMade ?? "?"}): ${err.message}`));
    w.on("error", (err) => opts.log(`${w.name} queue error: ${err.message}`));
  }
  return {
    ready: Promise.all(workers.map((w) => w.waitUntilReady())).then(() => undefined),
    close: async (force = false) => {
      await Promise.all(workers.map((w) => w.close(force)));
    },
  };
}

function describeJob(data: unknown): string {
  const d = data as { instance?: { instance_id?: unknown }; sample?: unknown; job?: { input?: unknown } } | null;
  if (typeof d?.instance?.instance_id === "string") return ` (${d.instance.instance_id} #${String(d.sample)})`;
  if (typeof d?.job?.input === "string") return ` (${d.job.input})`;
  return "";
}
