// Reads run directories and analyses every rollout: classification, loops, edits, failure cause, then the
// aggregates. Run files are streamed and checked record by record; only the per-rollout results are kept.
// One rollout per (run, instance, sample): the pair's first final record (as resume and export see it), or, for a
// pair that only ever failed for the infrastructure, its last attempt.

import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RolloutRecord, Step } from "../agent/types.js";
import { UserError } from "../core/errors.js";
import { rolloutSchema } from "../core/schemas/rollout.js";
import { ROLLOUTS_FILE, isFinalRecord, readManifest } from "../runner/run-dir.js";
import { readJsonl } from "../util/jsonl.js";
import { groupBy, groupStats, stepHistogram } from "./aggregate.js";
import { DEFAULT_THRESHOLDS, attributeFailure } from "./attribution.js";
import { classifyAction, ruleTable } from "./classify.js";
import { editFailed, isEditAttempt } from "./edits.js";
import { readGoldFiles } from "./gold-files.js";
import { findLoop } from "./loops.js";
import { COMPONENTS, type ActionRule, type Analysis, type AnalysisThresholds, type AnalyzeOptions, type ClassifiedAction, type Component, type RolloutAnalysis, type RunSummary } from "./types.js";

export interface RecordContext {
  run: string;
  line: number;
  teacher: string;
  goldFiles: readonly string[] | null; // files the instance's gold answer changes; null when unknown
  rules?: ActionRule[];
  thresholds?: AnalysisThresholds;
  keepActions?: boolean;
}

// Text-format replies carry their call in the content; only the text around it is reasoning.
const TEXT_CALL = /<function=[\s\S]*?(?:<\/function>|$)/g;

function reasoningChars(rec: RolloutRecord): number {
  let n = 0;
  for (const m of rec.messages) {
    if (m.role !== "assistant") continue;
    n += (m.content ?? "").replace(TEXT_CALL, "").trim().length;
    n += (m.reasoning_content ?? "").trim().length;
  }
  for (const s of rec.steps) if (s.tool === "think" && typeof s.arguments?.thought === "string") n += s.arguments.thought.trim().length;
  return n;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Did an exploration action look at one of `files`? An editor view of the file (path equal or ending in
// /<file>), or a shell exploration command naming it (its repository path, or its base name as a word).
function viewedAny(steps: readonly Step[], actions: readonly ClassifiedAction[], files: readonly string[]): boolean {
  const patterns = files.map((f) => {
    const base = f.slice(f.lastIndexOf("/") + 1);
    return { path: f, base: new RegExp(`(^|[\\s/'"=])${escapeRegex(base)}($|[\\s:'"])`) };
  });
  return actions.some((a, k) => {
    if (a.component !== "exploration") return false;
    const args = steps[k]?.arguments;
    if (a.tool === "str_replace_editor") {
      const p = typeof args?.path === "string" ? args.path : "";
      return patterns.some((f) => p === f.path || p.endsWith(`/${f.path}`));
    }
    const cmd = typeof args?.command === "string" ? args.command : "";
    return patterns.some((f) => cmd.includes(f.path) || f.base.test(cmd));
  });
}

// Analyses one rollout record.
export function analyzeRecord(rec: RolloutRecord, ctx: RecordContext): RolloutAnalysis {
  const t = ctx.thresholds ?? DEFAULT_THRESHOLDS;
  const components = Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>;
  const actions: ClassifiedAction[] = [];
  let attempted = 0;
  let failed = 0;
  let lastFailed = false;
  let exploredBeforeEdit = 0;
  let edited = false;
  let thinkCalls = 0;
  for (const s of rec.steps) {
    const c = classifyAction(s, ctx.rules);
    let edit: ClassifiedAction["edit"] = null;
    if (isEditAttempt(s)) {
      attempted++;
      lastFailed = editFailed(s);
      if (lastFailed) failed++;
      edit = lastFailed ? "failed" : "applied";
    }
    components[c.component]++;
    if (c.component === "implementation") edited = true;
    else if (c.component === "exploration" && !edited) exploredBeforeEdit++;
    if (s.tool === "think") thinkCalls++;
    actions.push({ index: s.index, tool: s.tool, ...c, edit });
  }
  const loop = findLoop(rec.steps, rec.exit_reason, t.loopRepeat);
  const outcome: RolloutAnalysis["outcome"] = rec.reward?.success === true && rec.failure === "none" ? "success" : "failure";
  const base = {
    outcome,
    failure_kind: rec.failure,
    exit_reason: rec.exit_reason,
    loop,
    edits: { attempted, failed, last_failed: lastFailed },
    exploration_before_first_edit: exploredBeforeEdit,
    viewed_gold_file: ctx.goldFiles && ctx.goldFiles.length > 0 ? viewedAny(rec.steps, actions, ctx.goldFiles) : null,
    reasoning_chars: reasoningChars(rec),
  };
  return {
    run: ctx.run,
    line: ctx.line,
    instance_id: rec.instance_id,
    sample: rec.sample,
    attempt: rec.attempt,
    task: rec.task,
    repo: rec.repo,
    language: rec.language,
    teacher: ctx.teacher,
    steps: rec.steps.length,
    components,
    actions: ctx.keepActions === false ? [] : actions,
    ...base,
    failure: attributeFailure({ ...base, think_calls: thinkCalls }, t),
    cost: rec.cost,
    tokens: rec.usage.total_tokens,
    wall_ms: rec.wall_ms,
  };
}

const MAX_REPORTED_BAD_LINES = 20;

type GoldCache = Map<string, Promise<Map<string, string[]>>>;

async function analyzeRun(dir: string, opts: AnalyzeOptions, thresholds: AnalysisThresholds, goldCache: GoldCache): Promise<{ summary: RunSummary; rollouts: RolloutAnalysis[] }> {
  const abs = resolve(dir);
  const manifest = readManifest(abs);
  const rolloutsPath = join(abs, ROLLOUTS_FILE);
  if (!existsSync(rolloutsPath)) throw new UserError(`${dir} has no ${ROLLOUTS_FILE}; has a rollout run been started there?`);
  const instancesPath = opts.instancesPath ?? manifest.instances.path;
  // Runs of several teachers usually share one instances file: it is read once.
  let goldRead = instancesPath ? goldCache.get(resolve(instancesPath)) : undefined;
  if (instancesPath && !goldRead) goldCache.set(resolve(instancesPath), (goldRead = readGoldFiles(instancesPath).then((g) => g.files)));
  const gold = (await goldRead) ?? new Map<string, string[]>();
  const teacher = manifest.identity.model;
  const summary: RunSummary = { dir, teacher, records: 0, rollouts: 0, bad_lines: 0, skipped_lines: [] };
  const pairs = new Map<string, { final: boolean; analysis: RolloutAnalysis }>();
  const onSkip = (e: { line: number; message: string }): void => {
    summary.bad_lines++;
    // The message names the file and line either way (the reader's messages may or may not include them).
    const message = e.message.includes(`line ${e.line}`) ? e.message : `${rolloutsPath} line ${e.line}: ${e.message}`;
    if (summary.skipped_lines.length < MAX_REPORTED_BAD_LINES) summary.skipped_lines.push({ line: e.line, message });
  };
  for await (const { value: rec, line } of readJsonl(rolloutsPath, rolloutSchema, { badLines: "skip", onSkip })) {
    summary.records++;
    const key = `${rec.instance_id}\u0000${rec.sample}`;
    const seen = pairs.get(key);
    const final = isFinalRecord(rec);
    if (seen?.final) continue; // the pair is settled by its first final record
    const analysis = analyzeRecord(rec, {
      run: dir,
      line,
      teacher: teacher || rec.model,
      goldFiles: gold.get(rec.instance_id) ?? null,
      rules: opts.rules,
      thresholds,
      keepActions: opts.keepActions,
    });
    pairs.set(key, { final, analysis });
  }
  const rollouts = [...pairs.values()].map((p) => p.analysis);
  rollouts.sort((a, b) => (a.instance_id < b.instance_id ? -1 : a.instance_id > b.instance_id ? 1 : a.sample - b.sample));
  summary.rollouts = rollouts.length;
  return { summary, rollouts };
}

// Analyses the rollouts of one or more run directories (each made by `hgym rollout --out`).
export async function analyzeRuns(runDirs: string[], opts: AnalyzeOptions = {}): Promise<Analysis> {
  if (runDirs.length === 0) throw new UserError("no run directory given; pass one or more directories made by `hgym rollout --out`");
  const thresholds: AnalysisThresholds = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
  for (const [k, v] of Object.entries(thresholds)) {
    if (!Number.isFinite(v) || v < 0) throw new UserError(`analysis threshold ${k} must be a number >= 0 (got ${String(v)})`);
  }
  if (thresholds.loopRepeat < 2) throw new UserError(`analysis threshold loopRepeat must be at least 2 (got ${thresholds.loopRepeat}): one action alone is no loop`);
  if (opts.instancesPath && !existsSync(opts.instancesPath)) throw new UserError(`instances file ${opts.instancesPath} does not exist; pass the instances.jsonl the runs were made from`);
  const runs: RunSummary[] = [];
  const all: RolloutAnalysis[] = [];
  const goldCache: GoldCache = new Map();
  const seen = new Set<string>();
  for (const dir of runDirs) {
    if (seen.has(resolve(dir))) continue; // the same run named twice is analysed once
    seen.add(resolve(dir));
    const { summary, rollouts } = await analyzeRun(dir, opts, thresholds, goldCache);
    runs.push(summary);
    all.push(...rollouts);
  }
  return {
    schema: "hgym.analysis/1",
    generated_at: new Date().toISOString(),
    thresholds,
    runs,
    overall: groupStats("all", all),
    by_task: groupBy(all, (r) => r.task),
    by_teacher: groupBy(all, (r) => r.teacher),
    by_outcome: groupBy(all, (r) => r.outcome),
    by_task_teacher: groupBy(all, (r) => `${r.task}|${r.teacher}`),
    step_histogram: { bins: stepHistogram(all.map((r) => r.steps), opts.histogramBins ?? 10) },
    rules: ruleTable(opts.rules),
    rollouts: opts.keepRollouts === false ? [] : all,
  };
}
