// End-of-run summary by task: how many rollouts, success rate, mean reward, exit reasons, infra failures.

import type { ExitReason, FailureKind, RolloutRecord } from "../agent/types.js";

// What the runner keeps of each record in memory: enough to resume and summarize, not the conversation.
export interface RecordDigest {
  instance_id: string;
  sample: number;
  task: string;
  failure: FailureKind;
  success: boolean;
  score: number;
  exit_reason: ExitReason;
}

export function digestOf(r: RolloutRecord): RecordDigest {
  return {
    instance_id: r.instance_id,
    sample: r.sample,
    task: r.task,
    failure: r.failure,
    success: r.reward?.success ?? false,
    score: r.reward?.score ?? 0,
    exit_reason: r.exit_reason,
  };
}

export interface TaskSummary {
  rollouts: number; // pairs with a final outcome (success/unsuccessful/model failure/infra after all retries)
  success: number;
  success_rate: number;
  mean_reward: number;
  exit_reasons: Record<string, number>;
  model_failures: number;
  infra_failures: number; // pairs that exhausted their infra retries
  infra_attempts: number; // infra-failure records, retried or not
}

// Summarizes the latest record of each (instance, sample) pair.
export function summarizeByTask(records: Iterable<RecordDigest>): Record<string, TaskSummary> {
  const latest = new Map<string, RecordDigest>();
  const infraAttempts = new Map<string, number>();
  for (const r of records) {
    const key = `${r.instance_id}\u0000${r.sample}`;
    const prev = latest.get(key);
    // A success or model failure settles a pair; an infra record only counts if nothing settled it.
    if (!prev || prev.failure === "infra") latest.set(key, r);
    if (r.failure === "infra") infraAttempts.set(r.task, (infraAttempts.get(r.task) ?? 0) + 1);
  }
  const out: Record<string, TaskSummary> = {};
  const rewardSums: Record<string, number> = {};
  for (const r of latest.values()) {
    const s = (out[r.task] ??= {
      rollouts: 0,
      success: 0,
      success_rate: 0,
      mean_reward: 0,
      exit_reasons: {},
      model_failures: 0,
      infra_failures: 0,
      infra_attempts: 0,
    });
    s.rollouts++;
    s.exit_reasons[r.exit_reason] = (s.exit_reasons[r.exit_reason] ?? 0) + 1;
    if (r.failure === "infra") s.infra_failures++;
    else if (r.failure === "model") s.model_failures++;
    else if (r.success) s.success++;
    rewardSums[r.task] = (rewardSums[r.task] ?? 0) + r.score;
  }
  for (const [task, s] of Object.entries(out)) {
    s.success_rate = s.rollouts ? s.success / s.rollouts : 0;
    s.mean_reward = s.rollouts ? (rewardSums[task] ?? 0) / s.rollouts : 0;
    s.infra_attempts = infraAttempts.get(task) ?? 0;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function formatSummary(summary: Record<string, TaskSummary>): string {
  const rows = Object.entries(summary);
  if (rows.length === 0) return "no rollouts";
  const lines = ["task              rollouts  success  mean reward  model-fail  infra-fail  exit reasons"];
  for (const [task, s] of rows) {
    const exits = Object.entries(s.exit_reasons)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, n]) => `${k}=${n}`)
      .join(" ");
    lines.push(
      `${task.padEnd(16)}  ${String(s.rollouts).padStart(8)}  ${(100 * s.success_rate).toFixed(1).padStart(6)}%  ${s.mean_reward.toFixed(3).padStart(11)}  ${String(s.model_failures).padStart(10)}  ${String(s.infra_failures).padStart(10)}  ${exits}`,
    );
  }
  return lines.join("\n");
}
