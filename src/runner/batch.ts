// A rollout batch: instance file → (instance, sample) pairs in a fixed order → the ones not already settled in the
// run directory → a worker pool running them → one record per attempt appended → run.json and a summary.

import type { RolloutRecord } from "../agent/types.js";
import { OutputFileError } from "../util/output-file.js";
import { startProgress } from "../util/progress.js";
import { executeRollout, RolloutAborted, type RolloutEnvironment } from "./execute.js";
import { selectRunInstances, type InstanceProblem } from "./instances.js";
import { WorkerPool } from "./pool.js";
import { RunDir, type RunCounts, type RunIdentity, type PairKey } from "./run-dir.js";
import { summarizeByTask, type TaskSummary } from "./summary.js";
import { toolVersions } from "./versions.js";

export interface BatchOptions {
  instancesPath: string;
  outDir: string;
  env: RolloutEnvironment;
  identity: Omit<RunIdentity, "instances_sha256">;
  options: Record<string, unknown>; // every CLI option, recorded in run.json
  samples: number;
  concurrency: number;
  limit: number | null; // first N instances (after the task filter)
  maxInfraRetries: number;
  force: boolean;
  graceMs?: number; // after a stop request, abort in-flight rollouts after this long (default 60 s)
  infraRetryDelayMs?: number; // pause before infra retry k: k × this (default 2000)
  progressStream?: NodeJS.WriteStream;
  log?: (message: string) => void;
  onPool?: (pool: WorkerPool<unknown>) => void; // lets the caller stop the pool (Ctrl-C)
}

export interface BatchResult {
  runDir: string;
  planned: number; // pairs in the plan
  skipped: number; // pairs already settled by earlier records
  ran: number; // pairs run in this session (completed)
  notStarted: number; // pairs left for a later resume because the run was stopped
  aborted: number; // pairs aborted mid-rollout (nothing recorded for them)
  interrupted: boolean;
  instanceProblems: InstanceProblem[];
  counts: RunCounts;
  summary: Record<string, TaskSummary>;
}

export async function runBatch(opts: BatchOptions): Promise<BatchResult> {
  const log = opts.log ?? (() => undefined);
  // Refused before a run directory is made or a sandbox started when there is nothing to run.
  const { loaded, instances } = selectRunInstances(opts.instancesPath, opts.identity.task_filter, opts.limit, log);
  const byId = new Map(instances.map((i) => [i.instance_id, i]));

  const run = RunDir.open(opts.outDir, {
    identity: { ...opts.identity, instances_sha256: loaded.sha256 },
    options: opts.options,
    versions: toolVersions(),
    instances: { path: opts.instancesPath, sha256: loaded.sha256, count: loaded.instances.length },
    force: opts.force,
  });
  for (const e of run.readErrors) log(`${run.rolloutsPath}:${e.line}: ignored: ${e.message}`);

  const pairs: PairKey[] = [];
  for (const inst of instances) for (let s = 0; s < opts.samples; s++) pairs.push({ instance_id: inst.instance_id, sample: s });
  const { todo, skipped } = run.plan(pairs, opts.maxInfraRetries);
  if (skipped > 0) log(`resuming: ${skipped} of ${pairs.length} rollouts already done, ${todo.length} to run`);
  run.writeManifest();

  // Live figures for the progress line, over pairs settled in this session.
  const live = { done: 0, success: 0, tokens: 0, cost: 0 };
  const progress = startProgress({
    label: "rollout",
    total: todo.length,
    stream: opts.progressStream,
    extra: () =>
      `success ${live.done ? ((100 * live.success) / live.done).toFixed(0) : "-"}% · ${formatTokens(live.tokens)} tok · $${live.cost.toFixed(2)}`,
  });
  const pool = new WorkerPool<(typeof todo)[number]>({ concurrency: opts.concurrency, graceMs: opts.graceMs ?? 60_000 });
  opts.onPool?.(pool as WorkerPool<unknown>);
  let manifestDue = 0;
  let writeFailure: OutputFileError | null = null;
  const result = await pool.run(
    todo,
    async (pair, ctx) => {
      const instance = byId.get(pair.instance_id);
      if (!instance) throw new Error(`instance ${pair.instance_id} vanished from the plan`); // unreachable
      const rec = await executeRollout(instance, {
        env: opts.env,
        sample: pair.sample,
        firstAttempt: pair.firstAttempt,
        maxInfraRetries: opts.maxInfraRetries,
        retryDelayMs: opts.infraRetryDelayMs ?? 2000,
        signal: ctx.signal,
        onRecord: (r: RolloutRecord) => {
          run.append(r);
          live.tokens += r.usage.total_tokens;
          live.cost += r.cost;
          // Keep run.json's counts roughly current for anyone watching a long run, without rewriting it per record.
          if (++manifestDue >= 50) {
            manifestDue = 0;
            run.writeManifest();
          }
        },
      });
      live.done++;
      if (rec.failure === "none" && rec.reward?.success) live.success++;
      progress.tick();
    },
    (pair, err) => {
      // A record that cannot be written (disk full, read-only) fails every later rollout the same way: stop.
      if (err instanceof OutputFileError) {
        writeFailure ??= err;
        pool.stop();
        return;
      }
      if (!(err instanceof RolloutAborted)) log(`rollout ${pair.instance_id} #${pair.sample} failed unexpectedly: ${(err as Error).message}`);
    },
  );
  progress.stop();
  if (writeFailure) throw writeFailure;
  const interrupted = result.stopped && (result.notStarted > 0 || result.aborted > 0);
  run.writeManifest({ interrupted });
  const counts = run.counts();
  const summary = summarizeByTask(run.records());
  run.close();
  return {
    runDir: opts.outDir,
    planned: pairs.length,
    skipped,
    ran: result.completed,
    notStarted: result.notStarted,
    aborted: result.aborted,
    interrupted,
    instanceProblems: loaded.problems,
    counts,
    summary,
  };
}

function formatTokens(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}
