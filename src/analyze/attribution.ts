// One cause per unsuccessful rollout: the first rule below that holds, in this order (docs/ANALYSIS.md):
//   1 infrastructure        the rollout failed for the infrastructure (failure kind `infra`)
//   2 stuck_loop            a loop was found (analyze/loops.ts), or the stuck detector ended the run
//   3 limit                 the run hit its step, cost, wall-time or context limit
//   4 failed_editing        >= failedEdits failed edits, or the last edit failed
//   5 insufficient_exploration  fewer than minExploration exploration actions before the first edit (in the
//                           whole rollout when it made none), or the
//                           instance's gold file was never looked at
//   6 insufficient_reasoning    no think call and under minReasoningChars characters of reasoning text
//   7 other                 none of these: the agent finished, and its answer was wrong (or the model errored)
// Causes outside the agent's control come first, then the ones that cut the attempt short, then behaviour, so a
// rollout is never blamed on its reasoning when the sandbox broke under it.

import type { AnalysisThresholds, FailureCause, RolloutAnalysis } from "./types.js";

export const DEFAULT_THRESHOLDS: AnalysisThresholds = {
  loopRepeat: 3,
  failedEdits: 3,
  minExploration: 2,
  minReasoningChars: 200,
};

const LIMIT_REASONS = new Set(["max_steps", "max_cost", "wall_time", "context_overflow"]);

type Facts = Pick<
  RolloutAnalysis,
  "outcome" | "failure_kind" | "exit_reason" | "loop" | "edits" | "exploration_before_first_edit" | "viewed_gold_file" | "reasoning_chars"
> & { think_calls: number };

export function attributeFailure(r: Facts, t: AnalysisThresholds): { cause: FailureCause; rule: string; detail: string } | null {
  if (r.outcome === "success") return null;
  if (r.failure_kind === "infra" || r.exit_reason === "infra_error") return { cause: "infrastructure", rule: "infra.failure", detail: `infrastructure failure (exit ${r.exit_reason})` };
  if (r.loop) return { cause: "stuck_loop", rule: r.loop.kind === "stuck" ? "loop.stuck-exit" : `loop.${r.loop.kind}`, detail: r.loop.description };
  if (LIMIT_REASONS.has(r.exit_reason)) return { cause: "limit", rule: `limit.${r.exit_reason}`, detail: `the run stopped at its ${r.exit_reason.replace("_", " ")} limit` };
  if (r.edits.failed >= t.failedEdits) return { cause: "failed_editing", rule: "editing.many-failed", detail: `${r.edits.failed} of ${r.edits.attempted} edits failed` };
  if (r.edits.last_failed) return { cause: "failed_editing", rule: "editing.last-failed", detail: "the last edit did not apply" };
  if (r.exploration_before_first_edit < t.minExploration) {
    return { cause: "insufficient_exploration", rule: "exploration.few-before-edit", detail: `${r.exploration_before_first_edit} exploration action(s) before the first edit (threshold ${t.minExploration})` };
  }
  if (r.viewed_gold_file === false) return { cause: "insufficient_exploration", rule: "exploration.gold-file-unseen", detail: "never looked at a file the gold answer changes" };
  if (r.think_calls === 0 && r.reasoning_chars < t.minReasoningChars) {
    return { cause: "insufficient_reasoning", rule: "reasoning.short", detail: `no think call and ${r.reasoning_chars} characters of reasoning (threshold ${t.minReasoningChars})` };
  }
  if (r.exit_reason === "model_error" || r.exit_reason === "no_tool_calls") return { cause: "other", rule: `other.${r.exit_reason}`, detail: `the run ended with ${r.exit_reason}` };
  return { cause: "other", rule: "other.wrong-answer", detail: "finished with an answer the verifier rejected" };
}
