// Exports: each dataset's manifest (sources, filters, counts, statistics) and its rows, paged, shown as the
// conversations a trainer will read.

import type { Catalog, ExportView } from "../catalog.js";
import { html, layout, num, pct, type Html } from "../html.js";
import { PAGE_SIZE } from "../query.js";

export function exportsPage(catalog: Catalog): Html {
  return layout(
    "Exports",
    html`<h1>Exports</h1>
${catalog.exports.length === 0 ? html`<p class="muted">No export loaded: pass a dataset made by hgym export (the .jsonl with its .manifest.json beside it).</p>` : ""}
<table><thead><tr><th>export</th><th>format</th><th class="num">rows</th><th>created</th><th>file</th></tr></thead><tbody>
${catalog.exports.map((x) => html`<tr><td><a href="/export/${encodeURIComponent(x.name)}">${x.name}</a></td><td>${x.index.manifest?.format ?? "?"}</td>
<td class="num">${num(x.index.manifest?.counts.rows_out ?? x.index.rows.length)}</td><td>${x.index.manifest?.created_at ?? ""}</td><td class="muted">${x.index.path ?? x.index.manifestPath}</td></tr>`)}
</tbody></table>`,
  );
}

export function exportPage(x: ExportView, pageNo: number): Html {
  const m = x.index.manifest;
  const pages = Math.max(1, Math.ceil(x.index.rows.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, pageNo), pages);
  const base = `/export/${encodeURIComponent(x.name)}`;
  const groupRows = (g: Record<string, { rows: number; success: number; mean_reward: number }>) =>
    Object.entries(g).map(([k, s]) => html`<tr><td>${k}</td><td class="num">${num(s.rows)}</td><td class="num">${pct(s.success, s.rows)}</td><td class="num">${s.mean_reward.toFixed(3)}</td></tr>`);
  return layout(
    x.name,
    html`<h1>Export ${x.name}</h1>
${x.index.manifestError ? html`<p class="warn">${x.index.manifestError}</p>` : ""}
${m
  ? html`<table>
<tr><th>format</th><td>${m.format} (${m.container})</td><th>created</th><td>${m.created_at}</td></tr>
<tr><th>rows</th><td>${num(m.counts.rows_out)} of ${num(m.counts.records_in)} records</td><th>left out</th><td>${Object.entries(m.counts.dropped).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ") || "nothing"}</td></tr>
<tr><th>filters</th><td colspan="3">${JSON.stringify(m.filters)}</td></tr>
<tr><th>sources</th><td colspan="3">${m.sources.map((s) => html`${s.dir} (${s.identity.model}, ${s.records} records)<br>`)}</td></tr>
<tr><th>turns</th><td>mean ${m.stats.turns.mean.toFixed(1)}, median ${m.stats.turns.median}, p95 ${m.stats.turns.p95}</td><th>prompt tokens</th><td>mean ${num(m.stats.prompt_tokens.mean)}, p95 ${num(m.stats.prompt_tokens.p95)}</td></tr>
</table>
<div class="grid">
<div class="card"><h3>by task</h3><table>${groupRows(m.stats.by_task)}</table></div>
<div class="card"><h3>by repository</h3><table>${groupRows(m.stats.by_repo)}</table></div>
<div class="card"><h3>by model</h3><table>${groupRows(m.stats.by_model)}</table></div>
</div>`
  : ""}
<h2>Rows</h2>
${x.index.path?.endsWith(".jsonl") ? "" : html`<p class="muted">Rows of a Parquet dataset are not shown; the manifest above describes them.</p>`}
<div class="pager">${page > 1 ? html`<a href="${base}?page=${page - 1}">← previous</a>` : ""}<span>page ${page} of ${pages} · ${num(x.index.rows.length)} rows</span>${page < pages ? html`<a href="${base}?page=${page + 1}">next →</a>` : ""}</div>
<table><thead><tr><th class="num">row</th><th class="num">messages</th><th>first user message</th></tr></thead><tbody>
${x.index.rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((r) => {
  const turns = turnsOf(x.index.read(r));
  const firstUser = turns.find((t) => t.role === "user" || t.role === "human")?.text ?? "";
  return html`<tr><td class="num"><a href="${base}/${r.line}">${r.line}</a></td><td class="num">${turns.length}</td><td>${firstUser.slice(0, 160)}</td></tr>`;
})}
</tbody></table>`,
  );
}

export function exportRowPage(x: ExportView, line: number, row: unknown): Html {
  const turns = turnsOf(row);
  return layout(
    `${x.name} row ${line}`,
    html`<p class="muted"><a href="/export/${encodeURIComponent(x.name)}">${x.name}</a> · row ${line}</p>
<h1>${x.name} row ${line}</h1>
${turns.map((t, i) => html`<div class="msg ${cssRole(t.role)}"><div class="head"><b>#${i} ${t.role}</b></div><pre>${t.text}</pre></div>`)}
<details><summary>raw row</summary><pre>${typeof row === "string" ? row : JSON.stringify(row, null, 2)}</pre></details>`,
  );
}

// The turns of a row in any export format: openai/openhands `messages`, sharegpt `conversations`.
function turnsOf(row: unknown): { role: string; text: string }[] {
  if (!row || typeof row !== "object") return [];
  const r = row as { messages?: unknown; conversations?: unknown };
  if (Array.isArray(r.messages)) {
    return r.messages.map((m: { role?: unknown; content?: unknown; tool_calls?: unknown }) => ({
      role: String(m.role ?? "?"),
      text: [typeof m.content === "string" ? m.content : "", m.tool_calls ? JSON.stringify(m.tool_calls, null, 2) : ""].filter(Boolean).join("\n"),
    }));
  }
  if (Array.isArray(r.conversations)) return r.conversations.map((t: { from?: unknown; value?: unknown }) => ({ role: String(t.from ?? "?"), text: String(t.value ?? "") }));
  return [];
}

function cssRole(role: string): string {
  if (role === "human") return "user";
  if (role === "gpt" || role === "function_call") return "assistant";
  if (role === "observation") return "tool";
  return ["system", "user", "assistant", "tool"].includes(role) ? role : "";
}
