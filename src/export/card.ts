// Dataset statistics and the README dataset card that goes beside every export, so a dataset found on disk months
// later still says what is in it and how it was made.

import type { RunIdentity } from "../runner/run-dir.js";
import type { ExportDigest } from "./select.js";

export interface Distribution {
  mean: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

export interface GroupStats {
  rows: number;
  success: number;
  success_rate: number;
  mean_reward: number;
}

export interface DatasetStats {
  rows: number;
  by_task: Record<string, GroupStats>;
  by_repo: Record<string, GroupStats>;
  by_language: Record<string, GroupStats>;
  by_model: Record<string, GroupStats>;
  prompt_tokens: Distribution;
  completion_tokens: Distribution;
  turns: Distribution; // assistant messages per conversation
}

// Nearest-rank percentile on a sorted copy (deterministic; no interpolation surprises on small sets).
export function distribution(values: number[]): Distribution {
  if (values.length === 0) return { mean: 0, median: 0, p95: 0, min: 0, max: 0 };
  const s = values.slice().sort((a, b) => a - b);
  const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] as number;
  return {
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    median: rank(0.5),
    p95: rank(0.95),
    min: s[0] as number,
    max: s[s.length - 1] as number,
  };
}

function group(records: ExportDigest[], keyOf: (r: ExportDigest) => string): Record<string, GroupStats> {
  const out: Record<string, GroupStats> = {};
  const sums: Record<string, number> = {};
  for (const r of records) {
    const k = keyOf(r);
    const g = (out[k] ??= { rows: 0, success: 0, success_rate: 0, mean_reward: 0 });
    g.rows++;
    if (r.success) g.success++;
    sums[k] = (sums[k] ?? 0) + r.score;
  }
  for (const [k, g] of Object.entries(out)) {
    g.success_rate = g.success / g.rows;
    g.mean_reward = (sums[k] ?? 0) / g.rows;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function datasetStats(records: ExportDigest[]): DatasetStats {
  return {
    rows: records.length,
    by_task: group(records, (r) => r.task),
    by_repo: group(records, (r) => r.repo),
    by_language: group(records, (r) => r.language),
    by_model: group(records, (r) => r.model),
    prompt_tokens: distribution(records.map((r) => r.prompt_tokens)),
    completion_tokens: distribution(records.map((r) => r.completion_tokens)),
    turns: distribution(records.map((r) => r.turns)),
  };
}

// The paper's dataset table, one row per task family and one for all: trajectories, repositories, average steps
// (actions per trajectory, counted as `hgym analyze` counts them) and cost per instance (USD over distinct
// instances).
export interface DatasetOverviewRow {
  task: string; // a task family, or "all"
  trajectories: number;
  repos: number;
  avg_steps: number;
  cost_per_instance: number;
}

export function datasetOverview(records: ExportDigest[]): DatasetOverviewRow[] {
  const row = (task: string, rs: ExportDigest[]): DatasetOverviewRow => {
    const instances = new Set(rs.map((r) => r.instance_id)).size;
    const cost = rs.reduce((a, r) => a + r.cost, 0);
    return {
      task,
      trajectories: rs.length,
      repos: new Set(rs.map((r) => r.repo)).size,
      avg_steps: rs.length === 0 ? 0 : rs.reduce((a, r) => a + r.steps, 0) / rs.length,
      cost_per_instance: instances === 0 ? 0 : cost / instances,
    };
  };
  const tasks = [...new Set(records.map((r) => r.task))].sort();
  return [...tasks.map((t) => row(t, records.filter((r) => r.task === t))), row("all", records)];
}

function overviewTable(rows: DatasetOverviewRow[]): string {
  const lines = ["| task | trajectories | repos | avg steps | cost per instance |", "|---|---:|---:|---:|---:|"];
  for (const r of rows) lines.push(`| ${r.task} | ${r.trajectories} | ${r.repos} | ${r.avg_steps.toFixed(1)} | $${r.cost_per_instance.toFixed(4)} |`);
  return lines.join("\n");
}

export interface CardInput {
  title: string;
  format: string;
  parquet: boolean;
  command: string;
  packageVersion: string;
  createdAt: string;
  filters: Record<string, unknown>;
  recordsIn: number;
  dropped: Record<string, number>;
  sources: { dir: string; manifest_sha256: string; identity: RunIdentity }[];
  promptHashes: string[];
  stats: DatasetStats;
  overview?: DatasetOverviewRow[]; // the dataset table (datasetOverview)
}

const FORMAT_NOTES: Record<string, string> = {
  openai: 'One JSON object per row: `{"messages": [...], "tools": [...]}` in the OpenAI chat format, tool calls kept as sent (TRL `SFTTrainer`, axolotl `chat_template`).',
  openhands:
    'One JSON object per row: `{"messages": [...]}` in the OpenHands text format (function descriptions in the system prompt, `<function=NAME>` calls, `EXECUTION RESULT of [NAME]:` user turns), as used to train the Hybrid-Gym models.',
  sharegpt:
    'One JSON object per row: `{"conversations": [{"from", "value"}], "tools": "<json>"}` as LLaMA-Factory reads ShareGPT data with `function_call`/`observation` turns (set `formatting: sharegpt`, `columns: {messages: conversations, tools: tools}`). Free text an assistant wrote alongside a tool call is not representable there and is dropped; a trailing tool result is dropped so the conversation ends on a model turn.',
};

function describeRun(id: RunIdentity): string {
  const parts = [`model ${id.model}`, `${id.tool_format} tool calls`, `max ${id.max_steps} steps`];
  if (id.temperature !== null) parts.push(`temperature ${id.temperature}`);
  if (id.top_p !== null) parts.push(`top_p ${id.top_p}`);
  if (id.max_tokens !== null) parts.push(`max_tokens ${id.max_tokens}`);
  if (id.seed !== null) parts.push(`seed ${id.seed}`);
  if (id.max_cost !== null) parts.push(`max cost $${id.max_cost}`);
  if (id.wall_time_sec !== null) parts.push(`wall time ${id.wall_time_sec}s`);
  if (id.task_filter) parts.push(`tasks ${id.task_filter.join(",")}`);
  return parts.join(", ");
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function groupTable(title: string, g: Record<string, GroupStats>): string {
  const lines = [`### By ${title}`, "", `| ${title} | rows | success rate | mean reward |`, "|---|---:|---:|---:|"];
  for (const [k, s] of Object.entries(g)) lines.push(`| ${k} | ${s.rows} | ${pct(s.success_rate)} | ${s.mean_reward.toFixed(3)} |`);
  return lines.join("\n");
}

function distRow(name: string, d: Distribution): string {
  return `| ${name} | ${d.mean.toFixed(1)} | ${d.median} | ${d.p95} | ${d.min} | ${d.max} |`;
}

export function renderCard(c: CardInput): string {
  const s = c.stats;
  const droppedLines = Object.entries(c.dropped)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `- ${reason}: ${n}`);
  return [
    `# ${c.title}`,
    "",
    `Agent trajectories exported by hybrid-gym ${c.packageVersion} on ${c.createdAt}.`,
    "",
    "## Format",
    "",
    FORMAT_NOTES[c.format] ?? c.format,
    ...(c.parquet
      ? ["", "Stored as Parquet with the same columns as the JSONL rows: the conversation is a nested list-of-structs column (tool-call arguments inside it and the `tools` column are JSON text); instance_id, sample, task, repo, language, teacher, reward, success and exit_reason are scalar columns."]
      : []),
    "",
    "## Contents",
    "",
    `${s.rows} rows from ${c.recordsIn} rollout records.`,
    "",
    ...(c.overview ? [overviewTable(c.overview), "", "Per-action components, loops and failure causes of the source runs: `hgym analyze <runs>` (docs/ANALYSIS.md).", ""] : []),
    groupTable("task", s.by_task),
    "",
    groupTable("repo", s.by_repo),
    "",
    groupTable("language", s.by_language),
    "",
    groupTable("model", s.by_model),
    "",
    "### Tokens and turns per conversation",
    "",
    "| | mean | median | p95 | min | max |",
    "|---|---:|---:|---:|---:|---:|",
    distRow("prompt tokens (all calls)", s.prompt_tokens),
    distRow("completion tokens", s.completion_tokens),
    distRow("assistant turns", s.turns),
    "",
    "## How it was made",
    "",
    "Each row is one rollout of an agent on a hybrid-gym task instance, run in a sandbox with no network; the reward was computed from the final workspace by the task's verifier. Rollouts that failed because of the infrastructure or the model endpoint are never exported.",
    "",
    `Command: \`${c.command}\``,
    "",
    `Filters: ${"`"}${JSON.stringify(c.filters)}${"`"}`,
    "",
    "Records left out:",
    "",
    ...(droppedLines.length ? droppedLines : ["- none"]),
    "",
    "Source runs:",
    "",
    ...c.sources.map((src) => `- ${src.dir} (run.json sha256 ${src.manifest_sha256.slice(0, 16)}…): ${describeRun(src.identity)}`),
    "",
    `Prompt versions (sha256 of system prompt + tool schemas): ${c.promptHashes.length ? c.promptHashes.map((h) => h.slice(0, 16)).join(", ") : "none"}`,
    "",
  ].join("\n");
}
