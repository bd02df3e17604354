// The shapes `hgym analyze` produces (and `hgym view` shows): one classified action, one analysed rollout, the
// statistics of a group of rollouts, and the whole analysis. Everything here is plain JSON (written by --json).

import type { ExitReason, FailureKind } from "../agent/types.js";
import type { TaskName } from "../core/reward.js";
import type { SimpleCommand } from "./shell-parse.js";

export type { SimpleCommand, Redirect } from "./shell-parse.js";

// The components an action is classified into (docs/ANALYSIS.md has the rules and their order).
export const COMPONENTS = ["exploration", "implementation", "verification", "reasoning", "navigation", "submission", "other"] as const;
export type Component = (typeof COMPONENTS)[number];

// What the classifier looks at: one step of a trajectory (a subset of agent/types.ts `Step`).
export interface ActionInput {
  tool: string; // tool name, "(none)" for a reply without a tool call, "(unreadable)" for a text-format call that did not parse
  arguments: Record<string, unknown> | null;
  observation?: string;
  error?: boolean;
}

export interface ActionClass {
  component: Component;
  rule: string; // id of the rule that matched, e.g. "shell.test-runner" (docs/ANALYSIS.md lists them)
  command: string | null; // for shell actions: the meaningful command the rule matched (after `cd x &&`, env, bash -c)
}

// One classified step of a rollout.
export interface ClassifiedAction extends ActionClass {
  index: number; // the step's index in the rollout
  tool: string;
  edit: "applied" | "failed" | null; // for edit actions: whether the observation says the edit applied
}

// Why an unsuccessful rollout failed, first match wins in this order (docs/ANALYSIS.md).
export const FAILURE_CAUSES = ["infrastructure", "stuck_loop", "limit", "failed_editing", "insufficient_exploration", "insufficient_reasoning", "other"] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

// A loop found in a trajectory, by the agent's own stuck rules (agent/stuck.ts) applied at every step: "repeat" =
// the same action and observation `length` times in a row, "cycle" = two actions alternating for `length` actions,
// "error" = the same failing action `length` times in a row, "stuck" = the agent's stuck detector ended the run.
export interface LoopFinding {
  kind: "repeat" | "cycle" | "error" | "stuck";
  start: number; // step index where the loop starts
  length: number; // actions in the loop
  description: string;
}

export interface RolloutAnalysis {
  run: string; // the run directory, as given
  line: number; // 1-based line of the record in rollouts.jsonl (the viewer reads the record again from there)
  instance_id: string;
  sample: number;
  attempt: number;
  task: TaskName;
  repo: string;
  language: string;
  teacher: string; // model name from the run manifest (the record's model when the manifest has none)
  outcome: "success" | "failure";
  exit_reason: ExitReason;
  failure_kind: FailureKind;
  steps: number; // actions taken (every step, replies without a tool call included)
  components: Record<Component, number>; // actions per component
  actions: ClassifiedAction[];
  loop: LoopFinding | null;
  edits: { attempted: number; failed: number; last_failed: boolean };
  exploration_before_first_edit: number; // exploration actions before the first edit (all of them when no edit)
  viewed_gold_file: boolean | null; // null when the instance's gold files are unknown
  reasoning_chars: number; // think thoughts + assistant free text + reasoning_content
  failure: { cause: FailureCause; rule: string; detail: string } | null; // null for successes
  cost: number;
  tokens: number;
  wall_ms: number;
}

export interface GroupStats {
  key: string; // "all", a task name, a teacher, "success"/"failure", or "task|teacher"
  rollouts: number;
  successes: number;
  success_rate: number; // 0..1
  actions: number;
  avg_steps: number;
  component_counts: Record<Component, number>;
  component_share: Record<Component, number>; // 0..1, shares of `actions`
  loops: number; // rollouts with a loop
  non_loop_rate: number; // the paper's Non-Loop %: share of rollouts without a loop (0..1)
  edit_attempts: number;
  edit_failures: number;
  edit_failure_rate: number; // edit_failures / edit_attempts (0 when none)
  failure_causes: Record<FailureCause, number>; // over the group's unsuccessful rollouts
  cost: number; // total USD
  avg_cost: number;
  repos: number; // distinct repositories
  instances: number; // distinct instances
}

export interface AnalysisThresholds {
  loopRepeat: number; // the same action and observation this many times in a row = loop (default 3; A-B cycles: 6 actions, agent/stuck.ts)
  failedEdits: number; // this many failed edits = failed editing (default 3)
  minExploration: number; // fewer exploration actions than this before the first edit = insufficient exploration (default 2)
  minReasoningChars: number; // less reasoning text than this (and no think) = insufficient reasoning (default 200)
}

export interface RunSummary {
  dir: string;
  teacher: string;
  records: number; // lines read
  rollouts: number; // rollouts analysed (one per instance/sample pair)
  bad_lines: number; // lines skipped as malformed (not JSON, not a rollout record, torn)
  skipped_lines: { line: number; message: string }[]; // the first 20 of them
}

export interface Analysis {
  schema: "hgym.analysis/1";
  generated_at: string;
  thresholds: AnalysisThresholds;
  runs: RunSummary[];
  overall: GroupStats;
  by_task: GroupStats[];
  by_teacher: GroupStats[];
  by_outcome: GroupStats[];
  by_task_teacher: GroupStats[];
  step_histogram: { bins: { from: number; to: number; count: number }[] }; // steps per rollout
  rules: { id: string; component: Component; description: string }[]; // the rule table in use
  rollouts: RolloutAnalysis[]; // empty when opts.keepRollouts is false
}

// A classification rule: a shell-command rule sees the parsed meaningful command; a tool rule sees the step.
export interface ActionRule {
  id: string;
  component: Component;
  description: string;
  // For execute_bash steps: one simple command of the line (program after env assignments, sudo, `bash -c`
  // unwrapping; its words; its redirections with here-document bodies).
  shell?: (cmd: SimpleCommand) => boolean;
  // For any other step (and for shell steps when no shell rule matched).
  step?: (step: ActionInput) => boolean;
}

export interface AnalyzeOptions {
  rules?: ActionRule[]; // extra rules tried before the built-in ones
  thresholds?: Partial<AnalysisThresholds>;
  keepRollouts?: boolean; // keep per-rollout analyses in the result (default true)
  keepActions?: boolean; // keep the classified actions of each rollout (default true)
  instancesPath?: string | null; // instances file for gold files (default: the path in each run's manifest, if it exists)
  histogramBins?: number; // default 10
}
