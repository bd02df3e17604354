// `hgym serve` load test: `npm run bench:serve [-- --episodes 64 --steps 20]`.
//
// The server runs in this process (startServe: the tiny task's real store and workspaces, the bwrap sandbox, the
// runner's rollout and verifier, hono on loopback); the client is fetch over real HTTP. Two phases:
// 1. One episode alone, N steps of `execute_bash true <k>`: the per-step overhead without contention.
// 2. M episodes (default 64) created at once and held open together (the server's slot count is checked at the
//    peak), each taking N steps, then the edit and finish (verification).
// Per-step overhead = the HTTP round trip seen by the client minus the time the tool itself took (the step's
// duration in the record: the sandbox shell round trip). Peak RSS: this process (server + client) and the
// sandbox processes below it.

import { treeRssKb } from "./process-tree.js";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setupTinyTask, tinyFamily } from "../src/runner/test-support/tiny-task.js";
import { createSandbox } from "../src/sandbox/index.js";
import { startServe, type ServeHandle } from "../src/serve/server.js";
import { createVerifyContext } from "../src/tasks/verify-context.js";

function flag(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  return Number.isFinite(v) && v > 0 ? v : dflt;
}

const EPISODES = flag("--episodes", 64);
const STEPS = flag("--steps", 20);
const TOKEN = "bench";

async function post(h: ServeHandle, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(h.url + path, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

interface StepTiming {
  roundTripMs: number;
  toolMs: number;
}

interface EpisodeRun {
  createMs: number;
  steps: StepTiming[];
  finishMs: number;
  success: boolean;
}

async function episode(h: ServeHandle, instanceId: string, beforeSteps: () => Promise<void>): Promise<EpisodeRun> {
  let t = performance.now();
  const created = await post(h, "/v1/episodes", { instance_id: instanceId });
  const createMs = performance.now() - t;
  const id = created.episode_id as string;
  const ws = (created.observation as { workspace_path: string }).workspace_path;
  await beforeSteps();
  const steps: StepTiming[] = [];
  for (let k = 0; k < STEPS; k++) {
    t = performance.now();
    const r = await post(h, `/v1/episodes/${id}/step`, { tool_calls: [{ id: `c${k}`, type: "function", function: { name: "execute_bash", arguments: JSON.stringify({ command: `true ${k}` }) } }] });
    steps.push({ roundTripMs: performance.now() - t, toolMs: r.tool_ms as number });
  }
  await post(h, `/v1/episodes/${id}/step`, {
    tool_calls: [{ id: "edit", type: "function", function: { name: "str_replace_editor", arguments: { command: "str_replace", path: `${ws}/greet.py`, old_str: "def greet(name):\n", new_str: 'def greet(name):\n    """Say hello."""\n' } } }],
  });
  t = performance.now();
  const fin = await post(h, `/v1/episodes/${id}/step`, { tool_calls: [{ id: "fin", type: "function", function: { name: "finish", arguments: "{\"message\": \"done\"}" } }] });
  return { createMs, steps, finishMs: performance.now() - t, success: (fin.reward as { success: boolean } | null)?.success === true };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

const f = (x: number): string => x.toFixed(2);

function report(label: string, runs: EpisodeRun[]): void {
  const steps = runs.flatMap((r) => r.steps);
  const rt = steps.map((s) => s.roundTripMs);
  const tool = steps.map((s) => s.toolMs);
  const over = steps.map((s) => s.roundTripMs - s.toolMs);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`${label}: ${runs.length} episodes × ${STEPS} steps, ${runs.filter((r) => r.success).length} solved`);
  console.log(`  step round trip   p50 ${f(pct(rt, 50))} ms  p95 ${f(pct(rt, 95))} ms  mean ${f(mean(rt))} ms`);
  console.log(`  tool's own time   p50 ${f(pct(tool, 50))} ms  p95 ${f(pct(tool, 95))} ms`);
  console.log(`  per-step overhead p50 ${f(pct(over, 50))} ms  p95 ${f(pct(over, 95))} ms  mean ${f(mean(over))} ms  (round trip − tool time)`);
  console.log(`  create (workspace + sandbox)  p50 ${f(pct(runs.map((r) => r.createMs), 50))} ms  p95 ${f(pct(runs.map((r) => r.createMs), 95))} ms`);
  console.log(`  finish (collect + verify)     p50 ${f(pct(runs.map((r) => r.finishMs), 50))} ms  p95 ${f(pct(runs.map((r) => r.finishMs), 95))} ms`);
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "hgym-bench-serve-"));
  const tiny = await setupTinyTask(root, 8);
  const sandbox = createSandbox("auto");
  const h = await startServe({
    instancesPath: tiny.instancesPath,
    outDir: join(root, "run"),
    host: "127.0.0.1",
    port: 0,
    token: TOKEN,
    maxEpisodes: EPISODES,
    maxQueue: EPISODES,
    idleTimeoutMs: 600_000,
    maxBodyBytes: 1 << 20,
    maxSteps: STEPS + 5,
    model: "bench",
    store: tiny.store,
    sandbox,
    verify: createVerifyContext({ store: tiny.store, sandbox }),
    taskFamily: () => tinyFamily,
    log: (l) => console.error(l),
  });
  let peakSelf = 0;
  let peakSandbox = 0;
  const sampler = setInterval(() => {
    peakSelf = Math.max(peakSelf, process.memoryUsage().rss / 1024);
    peakSandbox = Math.max(peakSandbox, treeRssKb(process.pid, { includeRoot: false }));
  }, 250);
  try {
    console.log(`hgym serve bench: sandbox ${(await sandbox.available()).ok ? "bwrap/auto" : "?"}, ${cpus().length} CPUs, node ${process.version}`);
    const health: number[] = [];
    for (let k = 0; k < 50; k++) {
      const t = performance.now();
      await (await fetch(`${h.url}/health`)).json();
      health.push(performance.now() - t);
    }
    console.log(`bare HTTP round trip (GET /health): p50 ${f(pct(health, 50))} ms  p95 ${f(pct(health, 95))} ms  (load average ${loadavg()[0]?.toFixed(1)})`);
    report("alone", [await episode(h, "tiny/0", async () => undefined)]);

    // Every episode waits after creation until all are open, so the server holds them together.
    let opened = 0;
    let releaseAll: () => void = () => undefined;
    const allOpen = new Promise<void>((r) => (releaseAll = r));
    let peakInUse = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const runs = await Promise.all(
      Array.from({ length: EPISODES }, (_, i) =>
        episode(h, `tiny/${i % 8}`, async () => {
          if (++opened === EPISODES) {
            peakInUse = h.manager.slots.inUse;
            releaseAll();
          }
          await allOpen;
        }),
      ),
    );
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    report(`${EPISODES} concurrent`, runs);
    console.log(`  held open at once: ${peakInUse} episodes (slot limit ${EPISODES}); wall ${f(wall / 1000)} s; ${f((EPISODES * (STEPS + 2)) / (wall / 1000))} steps/s`);
    // CPU of this process (HTTP server, episodes, verifier calls, and the client) per step: the overhead figure a
    // loaded machine does not inflate. Sandbox processes are not counted.
    const totalSteps = EPISODES * (STEPS + 2);
    console.log(`  CPU of the server+client process: ${f((cpu.user + cpu.system) / 1000 / totalSteps)} ms per step over the whole phase (creation, steps, verification included)`);
    console.log(`  peak RSS: server+client process ${f(peakSelf / 1024)} MiB, sandbox processes ${f(peakSandbox / 1024)} MiB (${f(peakSandbox / 1024 / EPISODES)} MiB per episode)`);
  } finally {
    clearInterval(sampler);
    await h.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
