// One rollout: its outcome and costs, the reward with its metrics and each violation explained, the instance
// (instruction, setup patch, gold) side by side, the final diff, and the whole conversation — every message, tool
// call and observation, with the model call's latency and tokens and the step's start and duration, and the
// component the analysis put each action in.

import type { ChatMessage, ModelCall, RolloutRecord, Step } from "../../agent/types.js";
import type { RolloutAnalysis } from "../../analyze/types.js";
import type { Instance } from "../../tasks/types.js";
import type { RolloutRow } from "../catalog.js";
import { diffFiles, diffHtml } from "../diff-html.js";
import { html, layout, ms, num, outcome, usd, type Html } from "../html.js";
import { explainViolation } from "../violations.js";

export interface TrajectoryContext {
  row: RolloutRow;
  rec: RolloutRecord;
  instance: { value: Instance; file: string; line: number } | null;
  goldPatch: string | null; // the family's gold patch, when it could be made
  analysis: RolloutAnalysis | null;
  prev: string | null; // hrefs of the neighbouring records in the run
  next: string | null;
}

const OPEN_LINES = 40; // observations longer than this start folded

export function trajectoryPage(t: TrajectoryContext): Html {
  const { rec, row } = t;
  const r = rec.reward;
  return layout(
    rec.instance_id,
    html`<p class="muted"><a href="/rollouts?run=${encodeURIComponent(row.run.name)}">${row.run.name}</a> · line ${row.e.line}
${t.prev ? html` · <a rel="prev" href="${t.prev}">← previous</a>` : ""}${t.next ? html` · <a rel="next" href="${t.next}">next →</a>` : ""}
· <a href="/rollouts?q=${encodeURIComponent(rec.instance_id)}">all rollouts of this instance</a></p>
<h1>${rec.instance_id}</h1>
<div class="stats">
<div><b>${outcome(r?.success ?? false, r?.score ?? null)}</b>outcome</div>
<div><b>${r ? r.score.toFixed(3) : "–"}</b>reward</div>
<div><b>${rec.exit_reason}</b>exit reason</div>
<div><b>${rec.steps.length}</b>steps</div>
<div><b>${num(rec.usage.prompt_tokens)} / ${num(rec.usage.completion_tokens)}</b>prompt / completion tokens</div>
<div><b>${usd(rec.cost)}</b>cost</div>
<div><b>${ms(rec.wall_ms)}</b>wall time</div>
</div>
<table>
<tr><th>task</th><td>${rec.task}</td><th>repository</th><td>${rec.repo}</td><th>language</th><td>${rec.language}</td></tr>
<tr><th>model</th><td>${rec.model}${rec.oracle ? " (oracle)" : ""}</td><th>tool format</th><td>${rec.tool_format}</td><th>sample / attempt</th><td>${rec.sample} / ${rec.attempt}</td></tr>
<tr><th>started</th><td>${rec.started_at}</td><th>finished</th><td>${rec.finished_at}</td><th>failure</th><td>${rec.failure}</td></tr>
</table>
${rec.error ? html`<p class="warn">error: ${rec.error}</p>` : ""}
${rewardSection(rec)}
${analysisSection(t.analysis)}
${instanceSection(t)}
<h2>Final diff</h2>
<p class="muted">${diffFiles(rec.final_diff).join(", ")}</p>
${diffHtml(rec.final_diff, "The rollout left the workspace unchanged.")}
<h2>Conversation</h2>
<p><button type="button" data-expand="open">expand all</button> <button type="button" data-expand="close">fold all</button>
<span class="muted">${rec.messages.length} messages · ${rec.model_calls.length} model calls · ${rec.steps.length} steps</span></p>
${conversation(rec, t.analysis)}`,
  );
}

function rewardSection(rec: RolloutRecord): Html {
  const r = rec.reward;
  if (!r) return html`<h2>Reward</h2><p class="muted">No reward: verification did not run (${rec.failure} failure).</p>`;
  const metrics = Object.entries(r.metrics);
  return html`<h2>Reward</h2>
<div class="cols2">
<div class="card"><h3>Metrics${r.mode ? html` <span class="muted">(${r.mode} mode)</span>` : ""}</h3>
${metrics.length === 0 ? html`<p class="muted">none</p>` : html`<table>${metrics.map(([k, v]) => html`<tr><th>${k}</th><td>${typeof v === "string" && v.includes("\n") ? html`<pre>${v}</pre>` : String(v)}</td></tr>`)}</table>`}
</div>
<div class="card"><h3>Violations</h3>
${r.violations.length === 0 ? html`<p class="muted">none</p>` : html`<ul class="violations">${r.violations.map((v) => {
  const why = explainViolation(v.code);
  return html`<li><b>${v.code}</b>${v.file ? html` <span class="muted">${v.file}${v.line ? `:${v.line}` : ""}</span>` : ""}: ${v.message}
${why ? html`<br><span class="muted">${why}</span>` : ""}</li>`;
})}</ul>`}
</div>
</div>`;
}

function analysisSection(a: RolloutAnalysis | null): Html {
  if (!a) return html``;
  const comps = Object.entries(a.components).filter(([, n]) => n > 0);
  return html`<h2>Analysis</h2>
<table>
<tr><th>components</th><td>${comps.map(([c, n]) => html`<span class="tag ${c}">${c} ${n}</span> `)}</td></tr>
<tr><th>edits</th><td>${a.edits.attempted} attempted, ${a.edits.failed} did not apply</td></tr>
<tr><th>exploration before the first edit</th><td>${a.exploration_before_first_edit} action(s)${a.viewed_gold_file === null ? "" : a.viewed_gold_file ? "; viewed a file the gold changes" : "; never viewed a file the gold changes"}</td></tr>
<tr><th>loop</th><td>${a.loop ? `${a.loop.kind} from step ${a.loop.start} (${a.loop.length} actions): ${a.loop.description}` : "none"}</td></tr>
${a.failure ? html`<tr><th>failure cause</th><td><b>${a.failure.cause}</b> <span class="muted">(${a.failure.rule})</span>: ${a.failure.detail}</td></tr>` : ""}
</table>`;
}

function instanceSection(t: TrajectoryContext): Html {
  if (!t.instance) {
    return html`<h2>Instance</h2><p class="notice">The instance ${t.rec.instance_id} is in none of the loaded instance files; pass its instance file to <code>hgym view</code> to see its instruction, setup patch and gold.</p>`;
  }
  const inst = t.instance.value;
  return html`<h2>Instance</h2>
<p class="muted"><a href="/instance/${encodeURIComponent(t.instance.file)}/${t.instance.line}">${t.instance.file} line ${t.instance.line}</a> · ${inst.repo.name}@${inst.repo.commit.slice(0, 12)}</p>
<div class="cols3">
<div class="card"><h3>Instruction</h3><pre>${inst.instruction}</pre></div>
<div class="card"><h3>Setup patch</h3>${diffHtml(inst.setup_patch, "No setup patch: the agent starts from the commit.")}</div>
<div class="card"><h3>Gold</h3>${t.goldPatch !== null ? diffHtml(t.goldPatch) : ""}
<details${t.goldPatch === null ? html` open` : ""}><summary>gold record</summary><pre>${JSON.stringify(inst.gold, null, 2)}</pre></details></div>
</div>`;
}

// Pairs messages with the steps and model calls that produced them. Each assistant message is the answer of the
// next model call; each observation message (a tool message, or a user message in the text format or after a
// reply without a tool call) carries the next step's observation, which is how a step is found (calls that were
// never run, e.g. after finish, have a message but no step).
function conversation(rec: RolloutRecord, a: RolloutAnalysis | null): Html {
  const start = Date.parse(rec.started_at);
  const callOk = rec.model_calls.filter((c) => !c.error);
  let callIdx = 0;
  let stepIdx = 0;
  const componentOf = new Map((a?.actions ?? []).map((x) => [x.index, x]));
  const out: Html[] = [];
  rec.messages.forEach((m, i) => {
    let step: Step | null = null;
    let call: ModelCall | null = null;
    if (m.role === "assistant") call = callOk[callIdx++] ?? null;
    else if ((m.role === "tool" || (m.role === "user" && i > 1)) && stepIdx < rec.steps.length) {
      const s = rec.steps[stepIdx] as Step;
      if (m.content === s.observation || (s.observation !== "" && m.content.includes(s.observation))) {
        step = s;
        stepIdx++;
      }
    }
    out.push(messageHtml(m, i, step, call, start, step ? (componentOf.get(step.index) ?? null) : null));
  });
  return html`${out}`;
}

function messageHtml(m: ChatMessage, i: number, step: Step | null, call: ModelCall | null, start: number, cls: { component: string; rule: string; edit: string | null } | null): Html {
  const when = (iso: string | undefined) => {
    const t = iso ? Date.parse(iso) : NaN;
    return Number.isFinite(t) && Number.isFinite(start) ? `+${((t - start) / 1000).toFixed(1)} s` : "";
  };
  const head = html`<div class="head"><b>#${i} ${m.role}</b>
${call ? html`<span>model call ${when(call.started_at)} · ${ms(call.latency_ms)}${call.usage ? ` · ${num(call.usage.prompt_tokens)} prompt / ${num(call.usage.completion_tokens)} completion tokens` : ""}${call.cost ? ` · ${usd(call.cost)}` : ""}${call.attempts > 1 ? ` · ${call.attempts} attempts` : ""}${call.truncated ? " · history truncated" : ""}</span>` : ""}
${step ? html`<span>step ${step.index} · ${step.tool} · started ${when(step.started_at)} · took ${ms(step.duration_ms)}${step.error ? html` · <span class="bad">error</span>` : ""}</span>` : ""}
${cls ? html`<span class="tag ${cls.component}" title="${cls.rule}">${cls.component}</span>${cls.edit === "failed" ? html` <span class="bad">edit did not apply</span>` : ""}` : ""}
</div>`;
  const isObservation = m.role === "tool" || (m.role === "user" && i > 1);
  const cssClass = `msg ${m.role}${step?.error ? " error" : ""}`;
  if (m.role === "assistant") {
    return html`<div class="${cssClass}" id="m${i}">${head}
${m.reasoning_content ? html`<details><summary>reasoning (${num(m.reasoning_content.length)} chars)</summary><pre>${m.reasoning_content}</pre></details>` : ""}
${m.content ? html`<pre>${m.content}</pre>` : ""}
${(m.tool_calls ?? []).map((tc) => html`<div class="call"><b>${tc.function.name}</b> <span class="muted">${tc.id}</span>${argumentsHtml(tc.function.arguments)}</div>`)}
</div>`;
  }
  const text = m.content;
  const lines = text.split("\n").length;
  const body = isObservation || m.role === "system"
    ? html`<details class="obs"${lines <= OPEN_LINES && m.role !== "system" ? html` open` : ""}><summary>${m.role === "system" ? "system prompt" : "observation"} (${num(lines)} lines, ${num(text.length)} chars)</summary><pre>${text}</pre></details>`
    : html`<pre>${text}</pre>`;
  return html`<div class="${cssClass}" id="m${i}">${head}${body}</div>`;
}

// A call's arguments, each on its own line; long or multi-line values (file contents, old/new strings) as blocks.
function argumentsHtml(text: string): Html {
  let args: unknown;
  try {
    args = JSON.parse(text);
  } catch {
    return html`<pre>${text}</pre><span class="bad">arguments are not valid JSON</span>`;
  }
  if (!args || typeof args !== "object" || Array.isArray(args)) return html`<pre>${text}</pre>`;
  return html`<table class="args">${Object.entries(args as Record<string, unknown>).map(([k, v]) => {
    const s = typeof v === "string" ? v : JSON.stringify(v, null, 2);
    return html`<tr><th>${k}</th><td>${s.includes("\n") || s.length > 120 ? html`<pre>${s}</pre>` : html`<code>${s}</code>`}</td></tr>`;
  })}</table>`;
}
