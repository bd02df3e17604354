// Instance files: a filtered, paged list, and one instance with its instruction, setup patch, gold, metadata and
// the rollouts of every loaded run on it.

import type { Instance } from "../../tasks/types.js";
import type { Catalog, InstanceFileView } from "../catalog.js";
import { diffHtml } from "../diff-html.js";
import { html, layout, num, options, outcome, type Html } from "../html.js";
import { PAGE_SIZE } from "../query.js";
import { trajectoryHref } from "./rollouts.js";

export function instancesPage(catalog: Catalog, p: URLSearchParams): Html {
  const fileName = p.get("file") ?? "";
  const task = p.get("task") ?? "";
  const repo = p.get("repo") ?? "";
  const needle = (p.get("q") ?? "").toLowerCase();
  const pageNo = Math.max(1, Number.parseInt(p.get("page") ?? "1", 10) || 1);
  const files = fileName ? catalog.instanceFiles.filter((f) => f.name === fileName) : catalog.instanceFiles;
  const all = files.flatMap((f) => f.index.entries.map((e) => ({ f, e })));
  const rows = all.filter(({ e }) => (!task || e.task === task) && (!repo || e.repo === repo) && (!needle || e.instance_id.toLowerCase().includes(needle)));
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const page = Math.min(pageNo, pages);
  const link = (n: number) => {
    const q = new URLSearchParams(p);
    q.set("page", String(n));
    return `/instances?${q.toString()}`;
  };
  const rolloutCounts = new Map<string, number>();
  for (const r of catalog.rows()) if (r.e.current) rolloutCounts.set(r.e.instance_id, (rolloutCounts.get(r.e.instance_id) ?? 0) + 1);
  const distinct = (f: (e: (typeof all)[number]["e"]) => string) => ["", ...new Set(all.map(({ e }) => f(e)))].sort();
  return layout(
    "Instances",
    html`<h1>Instances</h1>
${catalog.instanceFiles.length === 0 ? html`<p class="muted">No instance file loaded: pass one (instances.jsonl) to hgym view, or a run whose run.json names one that still exists.</p>` : ""}
<form class="filters" method="get" action="/instances">
<label>file<select name="file">${options(["", ...catalog.instanceFiles.map((f) => f.name)], fileName)}</select></label>
<label>task<select name="task">${options(distinct((e) => e.task), task)}</select></label>
<label>repository<select name="repo">${options(distinct((e) => e.repo), repo)}</select></label>
<label>search<input type="search" name="q" value="${p.get("q") ?? ""}" placeholder="instance id"></label>
<button type="submit">Apply</button></form>
<div class="pager">${page > 1 ? html`<a href="${link(page - 1)}">← previous</a>` : ""}<span>page ${page} of ${pages} · ${num(rows.length)} instances</span>${page < pages ? html`<a href="${link(page + 1)}">next →</a>` : ""}</div>
<table><thead><tr><th>instance</th><th>task</th><th>repository</th><th>language</th><th>difficulty</th><th class="num">rollouts</th></tr></thead><tbody>
${rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(({ f, e }) => {
  const n = rolloutCounts.get(e.instance_id) ?? 0;
  return html`<tr><td><a href="/instance/${encodeURIComponent(f.name)}/${e.line}">${e.instance_id}</a></td><td>${e.task}</td><td>${e.repo}</td><td>${e.language}</td><td>${e.difficulty}</td><td class="num">${n}</td></tr>`;
})}
</tbody></table>`,
  );
}

export function instancePage(catalog: Catalog, file: InstanceFileView, line: number, inst: Instance, goldPatch: string | null): Html {
  const rows = catalog.rows().filter((r) => r.e.instance_id === inst.instance_id);
  return layout(
    inst.instance_id,
    html`<p class="muted">${file.name} line ${line}</p>
<h1>${inst.instance_id}</h1>
<table>
<tr><th>task</th><td>${inst.task}</td><th>language</th><td>${inst.language}</td></tr>
<tr><th>repository</th><td>${inst.repo.name} @ ${inst.repo.commit}</td><th>source</th><td>${inst.repo.source}</td></tr>
<tr><th>difficulty</th><td colspan="3">${Object.entries(inst.meta.difficulty).map(([k, v]) => `${k}=${v}`).join(", ")}</td></tr>
<tr><th>validity</th><td colspan="3">gold ${inst.meta.validity.gold ? "passes" : "FAILS"} · untouched start ${inst.meta.validity.null ? "fails (as it must)" : "PASSES"} · hacks rejected ${Object.values(inst.meta.validity.hacks).filter(Boolean).length}/${Object.keys(inst.meta.validity.hacks).length}</td></tr>
</table>
<h2>Rollouts on this instance</h2>
${rows.length === 0 ? html`<p class="muted">none in the loaded runs</p>` : html`<table><tr><th>run</th><th class="num">sample</th><th>outcome</th><th>exit</th><th class="num">steps</th></tr>
${rows.map((r) => html`<tr><td><a href="${trajectoryHref(r)}">${r.run.name}</a></td><td class="num">${r.e.sample}</td><td>${outcome(r.e.success, r.e.score)}</td><td>${r.e.exit_reason}</td><td class="num">${r.e.steps}</td></tr>`)}</table>`}
<div class="cols3">
<div class="card"><h3>Instruction</h3><pre>${inst.instruction}</pre></div>
<div class="card"><h3>Setup patch</h3>${diffHtml(inst.setup_patch, "No setup patch.")}</div>
<div class="card"><h3>Gold</h3>${goldPatch !== null ? diffHtml(goldPatch) : ""}<details${goldPatch === null ? html` open` : ""}><summary>gold record</summary><pre>${JSON.stringify(inst.gold, null, 2)}</pre></details></div>
</div>
<details><summary>meta</summary><pre>${JSON.stringify(inst.meta, null, 2)}</pre></details>`,
  );
}
