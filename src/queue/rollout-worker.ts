// A worker's side of one rollout job: check the job, make sure the repository is in this machine's snapshot store,
// run the rollout exactly as the local batch does (executeRollout, infra retries included) and hand back every
// attempt's record. Nothing is written to disk here: the producer owns the run directory.

import { hostname } from "node:os";
import type { RolloutRecord } from "../agent/types.js";
import { describeIssues } from "../core/schemas/check.js";
import { executeRollout, type RolloutEnvironment } from "../runner/execute.js";
import type { Instance } from "../tasks/types.js";
import { rolloutJobSchema, type RolloutJobResult, type RolloutSettings } from "./rollout-job.js";
import type { SnapshotCache } from "./snapshot-cache.js";

export interface RolloutJobDeps {
  cache: SnapshotCache;
  // Builds (once per distinct settings) the environment the local `hgym rollout` would build from them.
  environmentFor: (settings: RolloutSettings) => Promise<RolloutEnvironment>;
}

// Thrown for a job whose data is not a rollout job (another hgym version, a hand-made job): never retried usefully.
export class BadJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadJobError";
  }
}

export function workerName(): string {
  return `${hostname()}:${process.pid}`;
}

export async function runRolloutJob(data: unknown, deps: RolloutJobDeps, signal: AbortSignal): Promise<RolloutJobResult> {
  const parsed = rolloutJobSchema.safeParse(data);
  if (!parsed.success) throw new BadJobError(`not a rollout job this hgym can run: ${describeIssues(parsed.error.issues, data)}`);
  const job = parsed.data;
  await deps.cache.ensure(job.instance.repo);
  const env = await deps.environmentFor(job.settings);
  const records: RolloutRecord[] = [];
  await executeRollout(job.instance as Instance, {
    env,
    sample: job.sample,
    firstAttempt: job.first_attempt,
    maxInfraRetries: job.settings.max_infra_retries,
    retryDelayMs: job.settings.infra_retry_delay_ms,
    signal,
    onRecord: (r) => records.push(r),
  });
  return { schema: "hgym.queue-rollout-result/1", worker: workerName(), records };
}
