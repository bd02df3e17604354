// The rollout list: filters, search, sort and one page of rows, each linking to its trajectory.

import type { Catalog, RolloutRow } from "../catalog.js";
import { html, layout, ms, num, outcome, usd, type Html } from "../html.js";
import { PAGE_SIZE, sortRows, type Query } from "../query.js";
import { filterForm, pager } from "./filter-form.js";

export function trajectoryHref(row: RolloutRow): string {
  return `/run/${encodeURIComponent(row.run.name)}/${row.e.line}`;
}

export function rolloutsPage(catalog: Catalog, q: Query, rows: RolloutRow[], note: Html | string = ""): Html {
  const sorted = sortRows(rows, q.sort);
  const pages = Math.max(1, Math.ceil(sorted.length / PAGE_SIZE));
  const page = Math.min(q.page, pages);
  const shown = sorted.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return layout(
    "Rollouts",
    html`<h1>Rollouts</h1>
${filterForm(catalog, q, "/rollouts", { sort: true })}
${note}
${pager(q, sorted.length, PAGE_SIZE, "/rollouts")}
<table class="rollouts">
<thead><tr><th>run</th><th>instance</th><th>task</th><th>repository</th><th class="num">sample</th><th>outcome</th><th>exit</th><th class="num">steps</th><th class="num">tokens</th><th class="num">cost</th><th class="num">time</th><th>violations</th></tr></thead>
<tbody>
${shown.map(
  (r) => html`<tr>
<td>${r.run.name}</td>
<td><a href="${trajectoryHref(r)}">${r.e.instance_id}</a>${r.e.current ? "" : html` <span class="muted">(attempt ${r.e.attempt}, superseded)</span>`}</td>
<td>${r.e.task}</td><td>${r.e.repo}</td><td class="num">${r.e.sample}</td>
<td>${outcome(r.e.success, r.e.score)}</td><td>${r.e.exit_reason}</td>
<td class="num">${r.e.steps}</td><td class="num">${num(r.e.prompt_tokens + r.e.completion_tokens)}</td><td class="num">${usd(r.e.cost)}</td><td class="num">${ms(r.e.wall_ms)}</td>
<td>${r.e.violations.join(", ")}</td>
</tr>`,
)}
</tbody>
</table>
${shown.length === 0 ? html`<p class="muted">No rollout matches these filters.</p>` : ""}
${pager(q, sorted.length, PAGE_SIZE, "/rollouts")}`,
  );
}
