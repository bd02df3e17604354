// Two runs (two teachers) on the instances both attempted: how often each solved them, where only one did, and
// the steps and cost each took, per instance with links to both trajectories.

import type { Catalog, RolloutRow, RunView } from "../catalog.js";
import { html, layout, num, options, pct, usd, type Html } from "../html.js";
import { PAGE_SIZE } from "../query.js";
import { trajectoryHref } from "./rollouts.js";

export const OUTCOMES = ["both", "only-a", "only-b", "neither"] as const;
export type PairOutcome = (typeof OUTCOMES)[number];

export interface CompareQuery {
  a: string;
  b: string;
  task: string;
  repo: string;
  outcome: string;
  page: number;
}

export function parseCompareQuery(p: URLSearchParams, catalog: Catalog): CompareQuery {
  const page = Number.parseInt(p.get("page") ?? "", 10);
  return {
    a: p.get("a") ?? catalog.runs[0]?.name ?? "",
    b: p.get("b") ?? catalog.runs[1]?.name ?? "",
    task: p.get("task") ?? "",
    repo: p.get("repo") ?? "",
    outcome: OUTCOMES.includes(p.get("outcome") as PairOutcome) ? (p.get("outcome") as string) : "",
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

function compareHref(q: CompareQuery, change: Partial<CompareQuery>): string {
  const v = { ...q, ...change };
  const p = new URLSearchParams({ a: v.a, b: v.b });
  if (v.task) p.set("task", v.task);
  if (v.repo) p.set("repo", v.repo);
  if (v.outcome) p.set("outcome", v.outcome);
  if (v.page !== 1) p.set("page", String(v.page));
  return `/compare?${p.toString()}`;
}

interface Side {
  rows: RolloutRow[]; // the settling record of each sample
  successes: number;
  steps: number;
  cost: number;
}

export interface ComparedInstance {
  instance_id: string;
  task: string;
  repo: string;
  a: Side;
  b: Side;
  outcome: PairOutcome; // by majority of samples: solved = more than half of its samples succeeded
}

function side(rows: RolloutRow[]): Side {
  return {
    rows,
    successes: rows.filter((r) => r.e.success).length,
    steps: rows.reduce((n, r) => n + r.e.steps, 0) / Math.max(1, rows.length),
    cost: rows.reduce((n, r) => n + r.e.cost, 0),
  };
}

export function compareRuns(a: RunView, b: RunView): ComparedInstance[] {
  const group = (run: RunView) => {
    const m = new Map<string, RolloutRow[]>();
    for (const e of run.index.entries) {
      if (!e.current) continue;
      const list = m.get(e.instance_id) ?? [];
      list.push({ run, e });
      m.set(e.instance_id, list);
    }
    return m;
  };
  const ga = group(a);
  const gb = group(b);
  const out: ComparedInstance[] = [];
  for (const [id, rowsA] of ga) {
    const rowsB = gb.get(id);
    if (!rowsB) continue;
    const sa = side(rowsA);
    const sb = side(rowsB);
    const solvedA = sa.successes * 2 > rowsA.length;
    const solvedB = sb.successes * 2 > rowsB.length;
    const first = rowsA[0] as RolloutRow;
    out.push({
      instance_id: id,
      task: first.e.task,
      repo: first.e.repo,
      a: sa,
      b: sb,
      outcome: solvedA && solvedB ? "both" : solvedA ? "only-a" : solvedB ? "only-b" : "neither",
    });
  }
  return out.sort((x, y) => x.instance_id.localeCompare(y.instance_id));
}

export function comparePage(catalog: Catalog, q: CompareQuery): Html {
  const names = catalog.runs.map((r) => r.name);
  const form = html`<form class="filters" method="get" action="/compare">
<label>run A<select name="a">${options(names, q.a)}</select></label>
<label>run B<select name="b">${options(names, q.b)}</select></label>
<label>outcome<select name="outcome">${options(["", ...OUTCOMES], q.outcome, { "": "any", "only-a": "only A solved", "only-b": "only B solved", both: "both solved", neither: "neither solved" })}</select></label>
<input type="hidden" name="task" value="${q.task}"><input type="hidden" name="repo" value="${q.repo}">
<button type="submit">Compare</button></form>`;
  const a = catalog.run(q.a);
  const b = catalog.run(q.b);
  if (!a || !b || a === b) {
    return layout("Compare", html`<h1>Compare two runs</h1>${form}<p class="muted">${catalog.runs.length < 2 ? "Load two runs to compare them (e.g. two teachers on the same instances)." : "Pick two different runs."}</p>`);
  }
  const all = compareRuns(a, b).filter((c) => (!q.task || c.task === q.task) && (!q.repo || c.repo === q.repo));
  const count = (o: PairOutcome) => all.filter((c) => c.outcome === o).length;
  const shown = q.outcome ? all.filter((c) => c.outcome === q.outcome) : all;
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const page = Math.min(q.page, pages);
  const rowsA = all.flatMap((c) => c.a.rows);
  const rowsB = all.flatMap((c) => c.b.rows);
  const rate = (rows: RolloutRow[]) => pct(rows.filter((r) => r.e.success).length, rows.length);
  const mean = (rows: RolloutRow[], f: (r: RolloutRow) => number) => (rows.length ? rows.reduce((n, r) => n + f(r), 0) / rows.length : 0);
  const tasks = [...new Set(all.map((c) => c.task))].sort();
  const cell = (s: Side) =>
    html`<td class="num">${s.successes}/${s.rows.length}</td><td class="num">${s.steps.toFixed(1)}</td><td>${s.rows.map((r) => html`<a href="${trajectoryHref(r)}" class="${r.e.success ? "ok" : "bad"}">#${r.e.sample}</a> `)}</td>`;
  return layout(
    "Compare",
    html`<h1>Compare <span class="muted">A</span> ${a.name} <span class="muted">vs B</span> ${b.name}</h1>
${form}
<p>${num(all.length)} shared instances${q.task ? ` of task ${q.task}` : ""}${q.repo ? ` in ${q.repo}` : ""} (an instance counts as solved when more than half of its samples succeeded)</p>
<table class="summary">
<tr><th></th><th>A: ${a.name} (${catalog.teacher(a)})</th><th>B: ${b.name} (${catalog.teacher(b)})</th></tr>
<tr><th>success rate on shared instances</th><td class="num">${rate(rowsA)}</td><td class="num">${rate(rowsB)}</td></tr>
<tr><th>mean steps</th><td class="num">${mean(rowsA, (r) => r.e.steps).toFixed(1)}</td><td class="num">${mean(rowsB, (r) => r.e.steps).toFixed(1)}</td></tr>
<tr><th>mean tokens</th><td class="num">${num(mean(rowsA, (r) => r.e.prompt_tokens + r.e.completion_tokens))}</td><td class="num">${num(mean(rowsB, (r) => r.e.prompt_tokens + r.e.completion_tokens))}</td></tr>
<tr><th>cost</th><td class="num">${usd(mean(rowsA, (r) => r.e.cost) * rowsA.length)}</td><td class="num">${usd(mean(rowsB, (r) => r.e.cost) * rowsB.length)}</td></tr>
</table>
<p class="outcomes">
<a href="${compareHref(q, { outcome: "both", page: 1 })}">both solved: ${count("both")}</a> ·
<a href="${compareHref(q, { outcome: "only-a", page: 1 })}">only A: ${count("only-a")}</a> ·
<a href="${compareHref(q, { outcome: "only-b", page: 1 })}">only B: ${count("only-b")}</a> ·
<a href="${compareHref(q, { outcome: "neither", page: 1 })}">neither: ${count("neither")}</a>
${q.outcome ? html` · <a href="${compareHref(q, { outcome: "", page: 1 })}">show all</a>` : ""}
</p>
${tasks.length > 1 ? html`<p>by task: ${tasks.map((t) => html`<a href="${compareHref(q, { task: t, page: 1 })}">${t}</a> `)}</p>` : ""}
<div class="pager">${page > 1 ? html`<a href="${compareHref(q, { page: page - 1 })}">← previous</a>` : ""}<span>page ${page} of ${pages} · ${num(shown.length)} instances</span>${page < pages ? html`<a href="${compareHref(q, { page: page + 1 })}">next →</a>` : ""}</div>
<table class="compare">
<thead><tr><th>instance</th><th>task</th><th>outcome</th><th class="num">A solved</th><th class="num">A steps</th><th>A rollouts</th><th class="num">B solved</th><th class="num">B steps</th><th>B rollouts</th></tr></thead>
<tbody>${shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(
      (c) => html`<tr><td>${c.instance_id}</td><td>${c.task}</td><td>${c.outcome}</td>${cell(c.a)}${cell(c.b)}</tr>`,
    )}</tbody>
</table>`,
  );
}
