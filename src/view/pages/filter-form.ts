// The filter bar shared by the overview and the rollout list: a plain GET form, so the URL is the state and a link
// reproduces the view. Menus list the values present in the data.

import { FAILURE_CAUSES } from "../../analyze/types.js";
import type { Catalog } from "../catalog.js";
import { html, options, type Html } from "../html.js";
import { queryString, SORTS, type Query } from "../query.js";

export function filterForm(catalog: Catalog, q: Query, action: string, opts: { sort?: boolean; causes?: boolean } = {}): Html {
  const entries = catalog.rows().map((r) => r.e);
  const distinct = (f: (e: (typeof entries)[number]) => string | string[]) => {
    const s = new Set<string>();
    for (const e of entries) {
      const v = f(e);
      for (const x of Array.isArray(v) ? v : [v]) s.add(x);
    }
    return ["", ...[...s].sort()];
  };
  const runs = catalog.runs.map((r) => r.name);
  const selectedRun = q.run.length === 1 ? (q.run[0] as string) : "";
  return html`<form class="filters" method="get" action="${action}">
<label>run<select name="run">${options(["", ...runs], selectedRun)}</select></label>
<label>task<select name="task">${options(distinct((e) => e.task), q.task)}</select></label>
<label>repository<select name="repo">${options(distinct((e) => e.repo), q.repo)}</select></label>
<label>language<select name="language">${options(distinct((e) => e.language), q.language)}</select></label>
<label>success<select name="success">${options(["", "yes", "no"], q.success)}</select></label>
<label>exit reason<select name="exit">${options(distinct((e) => e.exit_reason), q.exit)}</select></label>
<label>violation<select name="violation">${options(["", "any", "none", ...distinct((e) => e.violations).slice(1)], q.violation, { any: "any violation", none: "no violation" })}</select></label>
${opts.causes !== false ? html`<label>failure cause<select name="cause">${options(["", ...FAILURE_CAUSES], q.cause)}</select></label>` : ""}
<label>search<input type="search" name="q" value="${q.q}" placeholder="id, repo, model, error"></label>
<label>full text<input type="search" name="text" value="${q.text}" placeholder="in messages and outputs"></label>
${opts.sort ? html`<label>sort<select name="sort">${options(SORTS, q.sort, { file: "file order", "-score": "score ↓", score: "score ↑", "-steps": "steps ↓", steps: "steps ↑", "-cost": "cost ↓", cost: "cost ↑", "-tokens": "tokens ↓", tokens: "tokens ↑", "-wall": "time ↓", wall: "time ↑" })}</select></label>` : ""}
<label>attempts<select name="attempts">${options(["current", "all"], q.attempts, { current: "settling only", all: "all (incl. retried infra)" })}</select></label>
<button type="submit">Apply</button>
<a href="${action}">reset</a>
</form>`;
}

export function pager(q: Query, total: number, pageSize: number, path: string): Html {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(q.page, pages);
  return html`<div class="pager">
${page > 1 ? html`<a rel="prev" href="${path}${queryString(q, { page: page - 1 })}">← previous</a>` : html`<span class="muted">← previous</span>`}
<span>page ${page} of ${pages} · ${total.toLocaleString("en-US")} rollouts</span>
${page < pages ? html`<a rel="next" href="${path}${queryString(q, { page: page + 1 })}">next →</a>` : html`<span class="muted">next →</span>`}
</div>`;
}
