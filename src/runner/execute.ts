// One rollout of one (instance, sample): fresh workspace → sandbox episode → agent loop → final diff → verify →
// RolloutRecord. Failures are classified so that only the infrastructure's are retried (each retry on a new
// workspace: a half-used one is never reused), and the model's are final. The episode is always closed and the
// workspace always deleted, whatever happened.

import type { EpisodeOutcome } from "../agent/loop.js";
import type { RolloutRecord } from "../agent/types.js";
import type { Episode } from "../sandbox/types.js";
import type { VerifyContext } from "../tasks/verify-context.js";
import type { Instance, TaskFamily } from "../tasks/types.js";
import type { Reward } from "../core/reward.js";
import type { WorkspaceResult } from "../core/repo-view.js";

// A materialized workspace on the host. dispose() deletes it; it is called exactly once per workspace.
export interface PreparedWorkspace {
  hostDir: string;
  workspacePath: string; // where the agent sees it inside the sandbox
  dispose(): Promise<void>;
}

// What the agent loop reports about an episode (the agent's part of a RolloutRecord, including whether an ending
// is the model's failure: stuck, no tool calls, context overflow, endpoint rejection).
export type AgentOutcome = EpisodeOutcome;

export interface AgentRunArgs {
  instance: Instance;
  sample: number;
  episode: Episode;
  workspace: PreparedWorkspace;
  oracle: boolean; // play the instance's gold patch instead of calling the model
  family: TaskFamily;
  signal: AbortSignal;
}

// The parts a rollout is made of. The real implementation (src/runner/environment.ts) wires the snapshot store,
// the sandbox, the agent loop and the task registry; tests can wrap it to inject faults.
export interface RolloutEnvironment {
  readonly model: string; // model name for the record, or "oracle"
  readonly oracle: boolean;
  readonly verifyContext: VerifyContext; // passed to the family's verify
  materialize(instance: Instance): Promise<PreparedWorkspace>;
  startEpisode(workspace: PreparedWorkspace): Promise<Episode>;
  runAgent(args: AgentRunArgs): Promise<AgentOutcome>;
  collect(instance: Instance, workspace: PreparedWorkspace): Promise<{ diff: string; result: WorkspaceResult }>;
  family(instance: Instance): TaskFamily;
}

// Thrown when a rollout was aborted (Ctrl-C past the grace period): nothing is recorded for it.
export class RolloutAborted extends Error {
  constructor() {
    super("rollout aborted");
    this.name = "RolloutAborted";
  }
}

export interface ExecuteOptions {
  env: RolloutEnvironment;
  sample: number;
  firstAttempt: number; // 1 + infra failures already recorded for this pair (resume)
  maxInfraRetries: number; // attempts allowed in total: 1 + maxInfraRetries
  signal: AbortSignal;
  onRecord: (rec: RolloutRecord) => void; // called for every attempt's record, as soon as it exists
  retryDelayMs?: number; // pause before retry k: k × this (default 0); a sandbox or disk hiccup gets time to pass
}

// Runs attempts until one is not an infra failure or the retry budget is used up. Each attempt's record goes to
// onRecord at once, so a kill between attempts keeps the count of infra failures for the resume.
export async function executeRollout(instance: Instance, opts: ExecuteOptions): Promise<RolloutRecord> {
  const lastAttempt = 1 + opts.maxInfraRetries;
  let record: RolloutRecord | null = null;
  const first = Math.max(1, opts.firstAttempt);
  for (let attempt = first; attempt <= Math.max(lastAttempt, first); attempt++) {
    if (attempt > first && opts.retryDelayMs) await pause((attempt - first) * opts.retryDelayMs, opts.signal);
    record = await attemptRollout(instance, opts.env, opts.sample, attempt, opts.signal);
    opts.onRecord(record);
    if (record.failure !== "infra") break;
  }
  if (!record) throw new Error("executeRollout: no attempt ran"); // unreachable: the loop runs at least once
  return record;
}

// Resolves after `ms`, or at once when the run is aborted (the next attempt then stops before it starts).
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

function errorText(stage: string, err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return `${stage}: ${msg}`;
}

// One attempt. Never throws for a failing rollout (the failure is the record); throws RolloutAborted only when the
// run is being stopped, so that no half-done rollout is written.
export async function attemptRollout(instance: Instance, env: RolloutEnvironment, sample: number, attempt: number, signal: AbortSignal): Promise<RolloutRecord> {
  const startedAt = new Date();
  const base = (): RolloutRecord => ({
    schema: "hgym.rollout/1",
    instance_id: instance.instance_id,
    task: instance.task,
    repo: instance.repo.name,
    language: instance.language,
    sample,
    attempt,
    model: env.model,
    oracle: env.oracle,
    tool_format: "native",
    messages: [],
    tools: [],
    model_calls: [],
    steps: [],
    final_diff: "",
    reward: null,
    exit_reason: "infra_error",
    failure: "infra",
    error: null,
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    cost: 0,
    wall_ms: 0,
    started_at: startedAt.toISOString(),
    finished_at: startedAt.toISOString(),
    prompt_hash: "",
  });
  const finish = (rec: RolloutRecord): RolloutRecord => {
    const end = new Date();
    rec.finished_at = end.toISOString();
    rec.wall_ms = end.getTime() - startedAt.getTime();
    return rec;
  };
  const infra = (rec: RolloutRecord, stage: string, err: unknown): RolloutRecord => {
    if (signal.aborted) throw new RolloutAborted();
    rec.failure = "infra";
    rec.exit_reason = "infra_error";
    rec.reward = null;
    rec.error = errorText(stage, err);
    return finish(rec);
  };

  if (signal.aborted) throw new RolloutAborted();
  const rec = base();
  let family: TaskFamily;
  try {
    family = env.family(instance);
  } catch (e) {
    return infra(rec, "task family", e);
  }
  let workspace: PreparedWorkspace | null = null;
  let episode: Episode | null = null;
  try {
    try {
      workspace = await env.materialize(instance);
    } catch (e) {
      return infra(rec, "workspace", e);
    }
    try {
      episode = await env.startEpisode(workspace);
    } catch (e) {
      return infra(rec, "sandbox", e);
    }
    let outcome: AgentOutcome;
    try {
      outcome = await env.runAgent({ instance, sample, episode, workspace, oracle: env.oracle, family, signal });
    } catch (e) {
      return infra(rec, "agent", e);
    }
    if (signal.aborted) throw new RolloutAborted();
    Object.assign(rec, {
      messages: outcome.messages,
      tools: outcome.tools,
      model_calls: outcome.model_calls,
      steps: outcome.steps,
      exit_reason: outcome.exit_reason,
      error: outcome.error,
      usage: outcome.usage,
      cost: outcome.cost,
      prompt_hash: outcome.prompt_hash,
      tool_format: outcome.tool_format,
    });
    rec.failure = outcome.failure;
    if (rec.failure === "infra") return finish(rec);
    // The episode's processes must be gone before the final state is read: a background job could still write.
    await episode.close();
    let collected: { diff: string; result: WorkspaceResult };
    try {
      collected = await env.collect(instance, workspace);
    } catch (e) {
      return infra(rec, "collect result", e);
    }
    rec.final_diff = collected.diff;
    let reward: Reward;
    try {
      reward = await family.verify(instance, collected.result, env.verifyContext);
    } catch (e) {
      // A verifier that throws is our bug, not the model's; keep the trajectory out of the data and retry-able.
      return infra(rec, "verify", e);
    }
    rec.reward = reward;
    return finish(rec);
  } finally {
    await episode?.close().catch(() => undefined);
    await workspace?.dispose().catch(() => undefined);
  }
}
