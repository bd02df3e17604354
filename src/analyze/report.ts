// The printed form of an analysis: three tables, each with a row per task, per teacher and per outcome (and one
// for all): the outcomes (success, steps, Non-Loop %, edit failures, cost), the share of actions in each
// component, and the failure causes. Percentages are rounded for reading; --json keeps the exact numbers.

import { formatTable } from "../util/table.js";
import { COMPONENTS, FAILURE_CAUSES, type Analysis, type GroupStats } from "./types.js";

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

// Short column names, so each table fits a terminal.
const SHORT: Record<string, string> = {
  exploration: "explore",
  implementation: "implement",
  verification: "verify",
  reasoning: "reason",
  navigation: "navigate",
  submission: "submit",
  other: "other",
  infrastructure: "infra",
  limit: "limit",
  stuck_loop: "loop",
  failed_editing: "edits",
  insufficient_exploration: "explore",
  insufficient_reasoning: "reason",
};

// Every group of the analysis, labelled by what it groups.
function sections(a: Analysis, withOutcome: boolean): [string, GroupStats][] {
  return [
    ...a.by_task.map((g): [string, GroupStats] => ["task", g]),
    ["all", a.overall],
    ...a.by_teacher.map((g): [string, GroupStats] => ["teacher", g]),
    ...(withOutcome ? a.by_outcome.map((g): [string, GroupStats] => ["outcome", g]) : []),
  ];
}

function outcomeTable(a: Analysis): string[] {
  const header = ["by", "group", "rollouts", "success", "avg steps", "non-loop", "edit fail", "cost/inst"];
  const rows = sections(a, true).map(([by, g]) => [
    by,
    g.key,
    g.rollouts,
    pct(g.success_rate),
    g.avg_steps.toFixed(1),
    pct(g.non_loop_rate),
    g.edit_attempts === 0 ? "-" : `${pct(g.edit_failure_rate)} (${g.edit_failures}/${g.edit_attempts})`,
    `$${(g.instances === 0 ? 0 : g.cost / g.instances).toFixed(4)}`,
  ]);
  return formatTable([header, ...rows], { rule: true });
}

function componentTable(a: Analysis): string[] {
  const header = ["by", "group", "actions", ...COMPONENTS.map((c) => SHORT[c] ?? c)];
  const rows = sections(a, true).map(([by, g]) => [by, g.key, g.actions, ...COMPONENTS.map((c) => pct(g.component_share[c]))]);
  return formatTable([header, ...rows], { rule: true });
}

function causeTable(a: Analysis): string[] {
  const header = ["by", "group", "failures", ...FAILURE_CAUSES.map((c) => SHORT[c] ?? c)];
  const rows = sections(a, false).map(([by, g]) => [by, g.key, g.rollouts - g.successes, ...FAILURE_CAUSES.map((c) => g.failure_causes[c])]);
  return formatTable([header, ...rows], { rule: true });
}

export function formatAnalysis(a: Analysis): string {
  const lines: string[] = [];
  for (const r of a.runs) lines.push(`run ${r.dir}: ${r.teacher}, ${r.rollouts} rollouts from ${r.records} records${r.bad_lines ? `, ${r.bad_lines} bad line(s) skipped` : ""}`);
  lines.push("", ...outcomeTable(a));
  lines.push("", "share of actions by component:", ...componentTable(a));
  lines.push("", "failure causes (first matching rule, in this order; docs/ANALYSIS.md):", ...causeTable(a));
  for (const r of a.runs) for (const bad of r.skipped_lines) lines.push(`warning: ${bad.message}`);
  return lines.join("\n") + "\n";
}
