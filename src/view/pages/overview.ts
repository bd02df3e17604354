// The overview: what was loaded, then counts and distributions of the (filtered) rollouts — by task, repository,
// language and difficulty, success and reward, steps, tokens, cost, exit reasons, violations — and the trajectory
// analysis (components per teacher and task, loop rate, failed edits, failure causes).

import { FAILURE_CAUSES, type GroupStats } from "../../analyze/types.js";
import type { AnalysisState } from "../analysis-state.js";
import type { Catalog, RolloutRow } from "../catalog.js";
import { barChart, bins, histogram } from "../charts.js";
import { countBy, html, layout, ms, num, pct, usd, type Html } from "../html.js";
import { queryString, type Query } from "../query.js";
import { filterForm } from "./filter-form.js";

interface Group {
  key: string;
  rollouts: number;
  success: number;
  reward: number;
  instances: number; // from instance files
}

function groups(rows: RolloutRow[], key: (r: RolloutRow) => string, instanceKeys: string[] = []): Group[] {
  const m = new Map<string, Group>();
  const get = (k: string) => {
    let g = m.get(k);
    if (!g) m.set(k, (g = { key: k, rollouts: 0, success: 0, reward: 0, instances: 0 }));
    return g;
  };
  for (const r of rows) {
    const g = get(key(r));
    g.rollouts++;
    if (r.e.success) g.success++;
    g.reward += r.e.score ?? 0;
  }
  for (const k of instanceKeys) get(k).instances++;
  return [...m.values()].sort((a, b) => b.rollouts - a.rollouts || b.instances - a.instances || a.key.localeCompare(b.key));
}

function groupTable(title: string, gs: Group[], q: Query, field: keyof Query | null, withInstances: boolean): Html {
  const top = gs.slice(0, 25);
  return html`<div class="card"><h3>${title}</h3>
<table><thead><tr><th>${title.replace(/^by /, "")}</th>${withInstances ? html`<th class="num">instances</th>` : ""}<th class="num">rollouts</th><th class="num">success</th><th class="num">mean reward</th></tr></thead>
<tbody>${top.map(
    (g) => html`<tr><td>${field ? html`<a href="/rollouts${queryString(q, { [field]: g.key, page: 1 })}">${g.key}</a>` : g.key}</td>
${withInstances ? html`<td class="num">${num(g.instances)}</td>` : ""}<td class="num">${num(g.rollouts)}</td><td class="num">${pct(g.success, g.rollouts)}</td><td class="num">${g.rollouts ? (g.reward / g.rollouts).toFixed(3) : "–"}</td></tr>`,
  )}</tbody></table>${gs.length > top.length ? html`<p class="muted">and ${gs.length - top.length} more</p>` : ""}</div>`;
}

function sourcesSection(catalog: Catalog): Html {
  return html`<h2>Loaded</h2>
<table><thead><tr><th>run</th><th>teacher</th><th class="num">records</th><th class="num">rollouts</th><th class="num">success</th><th>state</th><th>directory</th></tr></thead><tbody>
${catalog.runs.map((r) => {
  const current = r.index.entries.filter((e) => e.current);
  const succ = current.filter((e) => e.success).length;
  const state = r.manifest ? (r.manifest.finished_at ? "finished" : "running or interrupted") : "no run.json";
  return html`<tr><td><a href="/rollouts?run=${encodeURIComponent(r.name)}">${r.name}</a></td><td>${catalog.teacher(r)}</td>
<td class="num">${num(r.index.entries.length)}</td><td class="num">${num(current.length)}</td><td class="num">${pct(succ, current.length)}</td><td>${state}</td><td class="muted">${r.dir}</td></tr>
${r.index.badLineCount > 0 ? html`<tr><td></td><td colspan="6" class="warn">${r.index.badLineCount} malformed line(s) skipped, e.g. line ${r.index.badLines[0]?.line}: ${r.index.badLines[0]?.message}</td></tr>` : ""}
${r.manifestError ? html`<tr><td></td><td colspan="6" class="warn">${r.manifestError}</td></tr>` : ""}`;
})}
</tbody></table>
${catalog.instanceFiles.length > 0 ? html`<table><thead><tr><th>instance file</th><th class="num">instances</th><th>path</th></tr></thead><tbody>
${catalog.instanceFiles.map((f) => html`<tr><td><a href="/instances?file=${encodeURIComponent(f.name)}">${f.name}</a>${f.given ? "" : html` <span class="muted">(named by a run)</span>`}</td><td class="num">${num(f.index.entries.length)}</td><td class="muted">${f.path}</td></tr>
${f.index.badLineCount > 0 ? html`<tr><td></td><td colspan="2" class="warn">${f.index.badLineCount} malformed line(s) skipped, e.g. line ${f.index.badLines[0]?.line}: ${f.index.badLines[0]?.message}</td></tr>` : ""}`)}
</tbody></table>` : ""}
${catalog.exports.length > 0 ? html`<table><thead><tr><th>export</th><th>format</th><th class="num">rows</th></tr></thead><tbody>
${catalog.exports.map((x) => html`<tr><td><a href="/export/${encodeURIComponent(x.name)}">${x.name}</a></td><td>${x.index.manifest?.format ?? "?"}</td><td class="num">${num(x.index.manifest?.counts.rows_out ?? x.index.rows.length)}</td></tr>`)}
</tbody></table>` : ""}`;
}

function analysisSection(state: AnalysisState, q: Query): Html {
  if (state.status === "running" || state.status === "idle") {
    return html`<h2>Trajectory analysis</h2><p class="notice">The analysis is being computed (it reads every record once); reload in a moment.</p>`;
  }
  if (state.status === "failed") return html`<h2>Trajectory analysis</h2><p class="warn">The analysis failed: ${state.error}</p>`;
  const a = state.analysis;
  if (!a) return html`<h2>Trajectory analysis</h2><p class="muted">No run with a run.json to analyse.</p>`;
  const failures = a.by_outcome.find((g) => g.key === "failure");
  const causeBars = FAILURE_CAUSES.map((c) => ({ label: c, value: failures?.failure_causes[c] ?? 0 })).filter((b) => b.value > 0);
  const row = (g: GroupStats) =>
    html`<tr><td>${g.key.replace("|", " · ")}</td><td class="num">${num(g.rollouts)}</td><td class="num">${pct(g.successes, g.rollouts)}</td><td class="num">${g.avg_steps.toFixed(1)}</td>
<td class="num">${(g.non_loop_rate * 100).toFixed(1)}%</td><td class="num">${(g.edit_failure_rate * 100).toFixed(1)}%</td><td class="num">${usd(g.avg_cost)}</td><td class="num">${num(g.instances)}</td><td class="num">${num(g.repos)}</td></tr>`;
  return html`<h2>Trajectory analysis</h2>
<p class="muted">Every action classified by a fixed rule table (docs/ANALYSIS.md); one rollout per (instance, sample); computed in ${ms(state.ms)} over all loaded runs (filters above do not apply here).</p>
<div class="grid">
<div class="card wide"><h3>Share of actions per component, by task family</h3><img class="chart" src="/analysis/overview.svg" alt="action components per task family"></div>
<div class="card"><h3>Actions per rollout by component, per teacher</h3><img class="chart" src="/analysis/components-by-teacher.svg" alt="actions per rollout by component, per teacher"></div>
<div class="card"><h3>Actions per rollout by component, per task</h3><img class="chart" src="/analysis/components-by-task.svg" alt="actions per rollout by component, per task"></div>
<div class="card"><h3>Failure causes (unsuccessful rollouts)</h3>${barChart(causeBars)}
${causeBars.map((b) => html`<a href="/rollouts${queryString(q, { cause: b.label, success: "no", page: 1 })}">${b.label}</a> `)}</div>
</div>
<table><thead><tr><th>task · teacher</th><th class="num">rollouts</th><th class="num">success</th><th class="num">avg steps</th><th class="num">non-loop</th><th class="num">failed edits</th><th class="num">cost / rollout</th><th class="num">instances</th><th class="num">repos</th></tr></thead>
<tbody>${row(a.overall)}${a.by_teacher.map(row)}${a.by_task_teacher.map(row)}</tbody></table>`;
}

export function overviewPage(catalog: Catalog, q: Query, rows: RolloutRow[], analysis: AnalysisState): Html {
  const difficultyOf = (id: string) => {
    const found = catalog.findInstance(id);
    return found ? found.entry.difficulty : "(no instance file)";
  };
  const instances = catalog.instanceFiles.flatMap((f) => f.index.entries);
  const success = rows.filter((r) => r.e.success).length;
  const cost = rows.reduce((n, r) => n + r.e.cost, 0);
  const tokens = rows.map((r) => r.e.prompt_tokens + r.e.completion_tokens);
  const scored = rows.filter((r) => r.e.score !== null);
  const byRun = groups(rows, (r) => r.run.name);
  const violations = countBy(
    rows.flatMap((r) => r.e.violations),
    (v) => v,
  );
  return layout(
    "Overview",
    html`<h1>Overview</h1>
${sourcesSection(catalog)}
<h2>Rollouts</h2>
${filterForm(catalog, q, "/")}
<div class="stats">
<div><b>${num(rows.length)}</b>rollouts</div>
<div><b>${pct(success, rows.length)}</b>success (${num(success)})</div>
<div><b>${scored.length ? (scored.reduce((n, r) => n + (r.e.score ?? 0), 0) / scored.length).toFixed(3) : "–"}</b>mean reward</div>
<div><b>${num(new Set(rows.map((r) => r.e.instance_id)).size)}</b>instances</div>
<div><b>${num(new Set(rows.map((r) => r.e.repo)).size)}</b>repositories</div>
<div><b>${usd(cost)}</b>cost (${rows.length ? usd(cost / rows.length) : "–"} per rollout)</div>
<div><b>${num(tokens.reduce((a, b) => a + b, 0))}</b>tokens</div>
<div><a href="/rollouts${queryString(q)}">list these rollouts →</a></div>
</div>
<div class="grid">
${groupTable("by task", groups(rows, (r) => r.e.task, q.run.length === 0 ? instances.map((i) => i.task) : []), q, "task", instances.length > 0)}
${groupTable("by repository", groups(rows, (r) => r.e.repo, q.run.length === 0 ? instances.map((i) => i.repo) : []), q, "repo", instances.length > 0)}
${groupTable("by language", groups(rows, (r) => r.e.language, q.run.length === 0 ? instances.map((i) => i.language) : []), q, "language", instances.length > 0)}
${groupTable("by difficulty", groups(rows, (r) => difficultyOf(r.e.instance_id), q.run.length === 0 ? instances.map((i) => i.difficulty) : []), q, null, instances.length > 0)}
<div class="card"><h3>Success rate by run</h3>${barChart(
      byRun.map((g) => ({ label: g.key, value: g.rollouts ? g.success / g.rollouts : 0, note: `${g.success} of ${g.rollouts}` })),
      { format: (v) => `${(v * 100).toFixed(1)}%`, max: 1 },
    )}</div>
<div class="card"><h3>Reward distribution</h3>${histogram(bins(scored.map((r) => r.e.score ?? 0), 10))}</div>
<div class="card"><h3>Steps per rollout</h3>${histogram(bins(rows.map((r) => r.e.steps)))}</div>
<div class="card"><h3>Tokens per rollout</h3>${histogram(bins(tokens))}</div>
<div class="card"><h3>Cost per rollout (USD)</h3>${histogram(bins(rows.map((r) => r.e.cost)), { format: (v) => `$${v.toFixed(3)}` })}</div>
<div class="card"><h3>Exit reasons</h3>${barChart(countBy(rows, (r) => r.e.exit_reason).map(([label, value]) => ({ label, value })))}</div>
<div class="card"><h3>Violations</h3>${barChart(violations.map(([label, value]) => ({ label, value })))}</div>
</div>
${analysisSection(analysis, q)}`,
  );
}
