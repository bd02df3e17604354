// Viewer benchmark: `npm run bench:view` (HGYM_BENCH_VIEW_FULL=1 for the issue's size: 10,000 rollouts, ~1 GB).
//
// Writes a synthetic run — 10,000 schema-valid rollout records over 2,500 instances × 4 samples, four task
// families, 40 repositories, 10–40 steps each with long observations (shell output, file views), final diffs,
// rewards with metrics and violations — plus its run.json and instance file. Then measures what `hgym view` does:
// index build time, peak RSS of this process (which also serves), and page latency over real HTTP requests
// (overview, one trajectory, a filtered list page, a full-text search), first request and median of the next ones,
// and the background trajectory analysis.
//
// Default: 10,000 records of ~10 KB (~100 MB). HGYM_BENCH_VIEW_FULL=1: ~100 KB each (~1 GB).
// HGYM_BENCH_VIEW_RECORDS=n changes the record count.

import { rng } from "../src/util/hash.js";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ROLLOUT_SCHEMA_TAG } from "../src/core/schemas/rollout.js";
import { RUN_SCHEMA_TAG } from "../src/core/schemas/run-manifest.js";
import { INSTANCE_SCHEMA_TAG } from "../src/core/schemas/instance.js";
import { Catalog } from "../src/view/catalog.js";
import { startViewer } from "../src/view/server.js";
import { findSources } from "../src/view/sources.js";

const FULL = process.env.HGYM_BENCH_VIEW_FULL === "1";
const RECORDS = Number(process.env.HGYM_BENCH_VIEW_RECORDS ?? 10_000);
const TARGET_BYTES = FULL ? 100_000 : 10_000; // per record, roughly
const SAMPLES = 4;
const TASKS = ["func-localize", "issue-localize", "dep-search", "func-gen"] as const;
const EXITS = ["finished", "finished", "finished", "finished", "max_steps", "stuck", "wall_time", "no_tool_calls"] as const;

// Deterministic, so every run of the bench writes the same data.
const rand = rng(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const WORDS = "def class return import self value result node index path file error test assert raise yield lambda config parser token buffer stream cache handler request response".split(" ");
// Text that looks like code and shell output, cut from one pre-made pool (making fresh text per record made the
// generator the slowest part of the bench).
const POOL = (() => {
  const lines: string[] = [];
  for (let n = 0; n < 4 << 20; ) {
    const indent = "    ".repeat(Math.floor(rand() * 3));
    const line = `${indent}${Array.from({ length: 3 + Math.floor(rand() * 8) }, () => pick(WORDS)).join(" ")}${rand() < 0.05 ? ' "quoted" \\ path' : ""}`;
    lines.push(line);
    n += line.length + 1;
  }
  return lines.join("\n");
})();
function codeText(chars: number): string {
  const start = Math.floor(rand() * (POOL.length - chars - 1));
  return POOL.slice(start, start + chars);
}

function instanceId(i: number): string {
  const task = TASKS[i % TASKS.length] as string;
  return `${task}/repo${i % 40}@${(0x1000000000 + i).toString(16)}/mod${i % 17}.func_${i}`;
}

function rolloutLine(n: number): string {
  const inst = Math.floor(n / SAMPLES);
  const id = instanceId(inst);
  const task = TASKS[inst % TASKS.length] as (typeof TASKS)[number];
  const repo = `repo${inst % 40}`;
  const steps = 10 + Math.floor(rand() * 31);
  // Each observation is stored twice (the step and the tool message); ~600 bytes per step are other fields.
  const obsChars = Math.max(100, Math.floor((TARGET_BYTES / steps - 600) / 2));
  const exit = pick(EXITS);
  const success = exit === "finished" && rand() < 0.6;
  const t0 = Date.UTC(2026, 10, 1) + n * 60_000;
  const messages: unknown[] = [
    { role: "system", content: `You are a coding agent working at /workspace/${repo}; use the tools.` },
    { role: "user", content: `Task ${id}: ${codeText(400)}` },
  ];
  const stepList: unknown[] = [];
  const calls: unknown[] = [];
  for (let s = 0; s < steps; s++) {
    const kind = s === steps - 1 && exit === "finished" ? "finish" : pick(["execute_bash", "str_replace_editor", "str_replace_editor", "think"]);
    const args =
      kind === "execute_bash"
        ? { command: pick(["grep -rn value .", "python -m pytest -x tests", "ls -la src", "cat setup.py"]) }
        : kind === "str_replace_editor"
          ? { command: pick(["view", "view", "str_replace"]), path: `/workspace/${repo}/mod${s % 7}.py`, old_str: "a", new_str: "b" }
          : kind === "think"
            ? { thought: codeText(300) }
            : { message: "done" };
    const observation = kind === "finish" ? "The task has been marked as finished." : codeText(obsChars);
    const callId = `call_${n}_${s}`;
    messages.push({ role: "assistant", content: rand() < 0.3 ? codeText(200) : null, tool_calls: [{ id: callId, type: "function", function: { name: kind, arguments: JSON.stringify(args) } }] });
    messages.push({ role: "tool", tool_call_id: callId, name: kind, content: observation });
    stepList.push({ index: s, tool: kind, arguments: args, observation, error: rand() < 0.05, started_at: new Date(t0 + s * 4000 + 1500).toISOString(), duration_ms: Math.floor(rand() * 3000) });
    calls.push({
      request_messages: messages.length - 2,
      truncated: false,
      raw_response: null,
      usage: { prompt_tokens: 2000 + s * 900, completion_tokens: 80 + Math.floor(rand() * 200), total_tokens: 2080 + s * 900 },
      cost: 0.002 + s * 0.0009,
      latency_ms: 300 + Math.floor(rand() * 2000),
      attempts: 1,
      started_at: new Date(t0 + s * 4000).toISOString(),
    });
  }
  const prompt = calls.reduce<number>((a, c) => a + (c as { usage: { prompt_tokens: number } }).usage.prompt_tokens, 0);
  const completion = calls.reduce<number>((a, c) => a + (c as { usage: { completion_tokens: number } }).usage.completion_tokens, 0);
  const violations = success ? [] : rand() < 0.4 ? [{ code: pick(["code-changed", "file-created", "parse-error", "tests-not-passed"]), message: "synthetic violation", file: "mod1.py", line: 3 }] : [];
  const rec = {
    schema: ROLLOUT_SCHEMA_TAG,
    instance_id: id,
    task,
    repo,
    language: "python",
    sample: n % SAMPLES,
    attempt: 1,
    model: "bench-teacher",
    oracle: false,
    tool_format: "native",
    messages,
    tools: [],
    model_calls: calls,
    steps: stepList,
    final_diff: `diff --git a/mod1.py b/mod1.py\n--- a/mod1.py\n+++ b/mod1.py\n@@ -1,3 +1,3 @@\n-${codeText(60)}\n+${codeText(60)}\n`,
    reward: { success, score: success ? 1 : Math.round(rand() * 100) / 100, metrics: { precision: rand(), recall: rand() }, violations },
    exit_reason: exit,
    failure: "none",
    error: null,
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    cost: calls.reduce<number>((a, c) => a + (c as { cost: number }).cost, 0),
    wall_ms: steps * 4000,
    started_at: new Date(t0).toISOString(),
    finished_at: new Date(t0 + steps * 4000).toISOString(),
    prompt_hash: "bench",
  };
  return JSON.stringify(rec) + "\n";
}

// A gold record of the shape each family's schema requires (src/core/schemas/gold.ts), patch included.
function goldFor(task: (typeof TASKS)[number]): Record<string, unknown> {
  const patch = `diff --git a/mod1.py b/mod1.py\n--- a/mod1.py\n+++ b/mod1.py\n@@ -1 +1 @@\n-${codeText(60)}\n+${codeText(60)}\n`;
  const def = { file: "mod1.py", key: "f", qualifiedName: "f", name: "f", kind: "function" };
  switch (task) {
    case "func-localize":
      return { ...def, docstring: "Do f.", docstring_raw: '"""Do f."""', distractors: [], patch };
    case "dep-search":
      return { target: { file: "mod1.py", key: "f", line: 1, name: "f", kind: "function" }, dependencies: [{ file: "mod2.py", key: "g", qualifiedName: "g" }], patch };
    case "func-gen":
      return { ...def, body: codeText(200), docstring: "Do f.", recursive: false, patch, verify: { mode: "static", similarity_threshold: 0.5, timeout_ms: 60_000 } };
    case "issue-localize":
      return { files: ["mod1.py"], entities: ["f"], hunks: [{ file: "mod1.py", start: 1, end: 3 }], criterion: { name: "default", min_file_precision: 0.5 }, line_tolerance: 3, patch, fix_patch: patch };
  }
}

function instanceLine(i: number): string {
  const task = TASKS[i % TASKS.length];
  return (
    JSON.stringify({
      schema: INSTANCE_SCHEMA_TAG,
      instance_id: instanceId(i),
      task,
      language: "python",
      repo: { name: `repo${i % 40}`, commit: (0x1000000000 + i).toString(16), source: `/src/repo${i % 40}`, snapshot: `snap${i % 40}` },
      setup_patch: `diff --git a/mod1.py b/mod1.py\n--- a/mod1.py\n+++ b/mod1.py\n@@ -1 +1 @@\n-${codeText(80)}\n+pass\n`,
      instruction: codeText(500),
      gold: goldFor(task as (typeof TASKS)[number]),
      meta: { generator_version: "bench", seed: i, difficulty: { stratum: pick(["S", "M", "L"]) }, validity: { gold: true, null: true, hacks: {} } },
    }) + "\n"
  );
}

function writeRun(dir: string): { bytes: number; ms: number } {
  const t0 = performance.now();
  const instancesPath = join(dir, "instances.jsonl");
  const instances = Math.ceil(RECORDS / SAMPLES);
  const fi = openSync(instancesPath, "w");
  for (let i = 0; i < instances; i++) writeSync(fi, instanceLine(i));
  closeSync(fi);
  const run = join(dir, "run");
  const rolloutsPath = join(run, "rollouts.jsonl");
  mkdirSync(run, { recursive: true });
  const fd = openSync(rolloutsPath, "w");
  let batch = "";
  for (let n = 0; n < RECORDS; n++) {
    batch += rolloutLine(n);
    if (batch.length > 8 << 20) {
      writeSync(fd, batch);
      batch = "";
    }
  }
  writeSync(fd, batch);
  closeSync(fd);
  const now = new Date().toISOString();
  writeFileSync(
    join(run, "run.json"),
    JSON.stringify({
      schema: RUN_SCHEMA_TAG,
      identity: { model: "bench-teacher", base_url: null, tool_format: "native", max_steps: 40, max_cost: null, wall_time_sec: null, temperature: null, top_p: null, max_tokens: null, seed: null, task_filter: null, instances_sha256: "bench" },
      options: {},
      versions: {},
      prompt_hash: "bench",
      instances: { path: instancesPath, sha256: "bench", count: instances },
      started_at: now,
      updated_at: now,
      finished_at: now,
      sessions: [],
      counts: { pairs_planned: RECORDS, records: RECORDS, final: RECORDS, success: 0, failure_model: 0, failure_infra: 0, infra_pending: 0 },
    }),
  );
  return { bytes: statSync(rolloutsPath).size, ms: performance.now() - t0 };
}

// Wall time of one request, and the CPU time this process spent meanwhile (server and client are both here; the
// client's share is small). On a shared, loaded machine the CPU time is the steadier figure.
async function timed(url: string): Promise<{ ms: number; cpuMs: number; status: number; bytes: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const res = await fetch(url);
  const body = await res.text();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, status: res.status, bytes: body.length };
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "hgym-bench-view-"));
  try {
    const w = writeRun(dir);
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
    console.log(`synthetic run: ${RECORDS.toLocaleString("en-US")} rollouts, ${mb(w.bytes)} rollouts.jsonl (written in ${(w.ms / 1000).toFixed(1)} s)`);
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const catalog = new Catalog(findSources([join(dir, "run")]));
    const buildMs = performance.now() - t0;
    const buildCpu = process.cpuUsage(c0);
    const heapAfter = process.memoryUsage().heapUsed;
    const instanceFile = catalog.instanceFiles[0];
    if (!instanceFile || instanceFile.index.badLineCount > 0 || instanceFile.index.entries.length === 0) {
      throw new Error(`the synthetic instance file did not index: ${JSON.stringify(instanceFile?.index.badLines.slice(0, 2))}`);
    }
    console.log(`index build: ${(buildMs / 1000).toFixed(2)} s wall, ${((buildCpu.user + buildCpu.system) / 1e6).toFixed(2)} s CPU (${(w.bytes / 1024 / 1024 / (buildMs / 1000)).toFixed(0)} MB/s), ${catalog.runs[0]?.index.entries.length} records, RSS ${mb(rssBefore)} -> ${mb(process.memoryUsage().rss)}, heap used ${mb(heapAfter)}`);
    const viewer = await startViewer(catalog, { host: "127.0.0.1", port: 0 });
    const tAnalysis = performance.now();
    const pages: [string, string][] = [
      ["overview", "/"],
      ["trajectory", `/run/run/${Math.floor(RECORDS / 2)}`],
      ["filtered list", "/rollouts?task=func-gen&success=no&exit=finished&page=3"],
      ["sorted list", "/rollouts?sort=-steps&page=10"],
      ["full-text search", `/rollouts?text=${encodeURIComponent("call_77_3")}`],
    ];
    let round = 0;
    const measure = async (when: string) => {
      console.log(when);
      round++;
      for (const [name, path] of pages) {
        // Each full-text request searches for another text, so none is answered from the result cache.
        const url = (i: number) => viewer.url.replace(/\/$/, "") + path.replace("call_77_3", `call_${round * 10 + i}_3`);
        const first = await timed(url(0));
        const rest: { ms: number; cpuMs: number }[] = [];
        for (let i = 1; i <= 5; i++) rest.push(await timed(url(i)));
        console.log(
          `  ${name.padEnd(17)} first ${first.ms.toFixed(0).padStart(6)} ms, median of next 5 ${median(rest.map((r) => r.ms)).toFixed(0).padStart(6)} ms wall / ` +
            `${median(rest.map((r) => r.cpuMs)).toFixed(0).padStart(5)} ms CPU (HTTP ${first.status}, ${(first.bytes / 1024).toFixed(0)} KB)`,
        );
      }
    };
    await measure("pages while the analysis runs in its worker (the first trajectory also loads the task families):");
    await viewer.analysis.settled();
    console.log(`trajectory analysis (worker thread): ${(viewer.analysis.ms / 1000).toFixed(1)} s (${viewer.analysis.status}${viewer.analysis.error ? `: ${viewer.analysis.error}` : ""}), ready ${((performance.now() - tAnalysis) / 1000).toFixed(1)} s after the server started`);
    await measure("pages after the analysis is ready:");
    console.log(`peak RSS of the process: ${mb(process.resourceUsage().maxRSS * 1024)}`);
    await viewer.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
