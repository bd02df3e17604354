// Rollout harness benchmark: `node --import tsx bench/rollout.ts [--steps N] [--episodes M]`.
//
// 1. Per-step harness overhead. The scripted OpenAI-compatible server answers instantly with N `execute_bash true <k>`
//    calls and then finish; the real model client, agent loop and sandbox run them. The command itself (`true`, a
//    shell builtin) costs ~nothing, so the time per step is what the harness adds: HTTP round trip to the model
//    endpoint + request/response JSON, tool dispatch, the sandbox shell round trip, bookkeeping. Episode start and
//    close are timed separately. Target: ≤ 5 ms per step.
// 2. M concurrent episodes (default 64) through the same path, as the worker pool runs them: wall time, peak RSS of
//    this process and peak total RSS of the sandbox processes.

import { treeRssKb } from "./process-tree.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { runEpisode } from "../src/agent/loop.js";
import { ModelClient } from "../src/agent/model-client.js";
import { startScriptedServer, toolCallStep } from "../src/agent/test-support/scripted-server.js";
import { createSandbox } from "../src/sandbox/index.js";
import type { SandboxBackend } from "../src/sandbox/types.js";

function flag(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  return Number.isFinite(v) && v > 0 ? v : dflt;
}

const STEPS = flag("--steps", 50);
const EPISODES = flag("--episodes", 64);

interface EpisodeTiming {
  startMs: number;
  loopMs: number;
  closeMs: number;
  steps: number;
  modelMs: number; // sum of model call latencies (client side, incl. HTTP)
  toolMs: number; // sum of step durations (tool dispatch + sandbox round trip)
  ok: boolean;
}

async function main(): Promise<void> {
  // Stateless script: decide from the conversation length, so any number of episodes can share the server.
  const server = await startScriptedServer((_i, body) => {
    const n = (body as { messages: unknown[] }).messages.length;
    const done = (n - 2) / 2; // system + user, then (assistant, tool) per step
    // Each command differs (`true 0`, `true 1`...): identical repeated actions would trip the stuck detector.
    return done < STEPS ? toolCallStep("execute_bash", { command: `true ${done}` }) : toolCallStep("finish", { message: "done" });
  });
  const root = mkdtempSync(join(tmpdir(), "hgym-bench-rollout-"));
  const runOne = async (backend: SandboxBackend, k: number): Promise<EpisodeTiming> => {
    const dir = mkdtempSync(join(root, `ws-${k}-`));
    writeFileSync(join(dir, "README"), "bench\n");
    const sandbox = createSandbox(backend);
    const t0 = performance.now();
    const episode = await sandbox.start({ hostWorkspace: dir, workspacePath: "/workspace/bench" });
    const t1 = performance.now();
    const policy = new ModelClient({ baseURL: server.baseURL, apiKey: "x", model: "bench", retry: { maxRetries: 0 } });
    const out = await runEpisode({ episode, instruction: "run true", policy, toolFormat: "native", limits: { maxSteps: STEPS + 5 } });
    const t2 = performance.now();
    await episode.close();
    const t3 = performance.now();
    rmSync(dir, { recursive: true, force: true });
    return {
      startMs: t1 - t0,
      loopMs: t2 - t1,
      closeMs: t3 - t2,
      steps: out.steps.length,
      modelMs: out.model_calls.reduce((a, c) => a + c.latency_ms, 0),
      toolMs: out.steps.reduce((a, s) => a + s.duration_ms, 0),
      ok: out.exit_reason === "finished",
    };
  };

  const backends: SandboxBackend[] = ["local"];
  const bw = await createSandbox("bwrap").available();
  if (bw.ok) backends.push("bwrap");
  else console.log(`bwrap not available: ${bw.reason}`);

  // Silence the local backend's (correct, loud) no-isolation warning for the benchmark's many episodes.
  const origWrite = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
    typeof chunk === "string" && chunk.startsWith("local sandbox: NO ISOLATION") ? true : origWrite(chunk, ...(rest as []))) as typeof process.stderr.write;

  console.log(`node ${process.version}, ${cpus().length} CPUs, ${STEPS} steps per episode`);
  console.log("\n1. sequential episodes (3 per backend, first is warm-up)");
  for (const backend of backends) {
    const runs: EpisodeTiming[] = [];
    for (let i = 0; i < 3; i++) runs.push(await runOne(backend, i));
    const measured = runs.slice(1);
    const steps = measured.reduce((a, r) => a + r.steps, 0);
    const perStep = measured.reduce((a, r) => a + r.loopMs, 0) / steps;
    const model = measured.reduce((a, r) => a + r.modelMs, 0) / steps;
    const tool = measured.reduce((a, r) => a + r.toolMs, 0) / steps;
    const start = measured.reduce((a, r) => a + r.startMs, 0) / measured.length;
    const close = measured.reduce((a, r) => a + r.closeMs, 0) / measured.length;
    console.log(
      `  ${backend.padEnd(6)} per step ${perStep.toFixed(2)} ms (model call ${model.toFixed(2)} ms, tool+sandbox ${tool.toFixed(2)} ms, loop ${(perStep - model - tool).toFixed(2)} ms)` +
        ` · episode start ${start.toFixed(1)} ms · close ${close.toFixed(1)} ms · ${measured.every((r) => r.ok) ? "ok" : "NOT FINISHED"}`,
    );
  }

  const concurrentBackend = backends.includes("bwrap") ? "bwrap" : "local";
  console.log(`\n2. ${EPISODES} concurrent episodes on ${concurrentBackend}`);
  let peakRss = process.memoryUsage().rss;
  let peakChildrenKb = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    peakChildrenKb = Math.max(peakChildrenKb, treeRssKb(process.pid, { includeRoot: false }));
  }, 500); // a /proc scan costs CPU itself; sample sparsely
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: EPISODES }, (_, k) => runOne(concurrentBackend, 100 + k)));
  const wall = performance.now() - t0;
  clearInterval(sampler);
  const totalSteps = results.reduce((a, r) => a + r.steps, 0);
  console.log(
    `  wall ${(wall / 1000).toFixed(2)} s for ${EPISODES} × ${STEPS} steps (${(totalSteps / (wall / 1000)).toFixed(0)} steps/s), ` +
      `${results.filter((r) => r.ok).length}/${EPISODES} finished`,
  );
  const meanModel = results.reduce((a, r) => a + r.modelMs, 0) / totalSteps;
  const meanTool = results.reduce((a, r) => a + r.toolMs, 0) / totalSteps;
  const meanStart = results.reduce((a, r) => a + r.startMs, 0) / results.length;
  console.log(`  per step under load: model call ${meanModel.toFixed(1)} ms, tool+sandbox ${meanTool.toFixed(1)} ms; episode start ${meanStart.toFixed(0)} ms`);
  const cpu = process.cpuUsage();
  console.log(`  CPU of this process (server + client + loop): ${((cpu.user + cpu.system) / 1000 / totalSteps).toFixed(2)} ms per step over the whole bench`);
  console.log(
    `  peak RSS: node ${(peakRss / 1024 ** 2).toFixed(0)} MiB (maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB), ` +
      `sandbox processes ${(peakChildrenKb / 1024).toFixed(0)} MiB total`,
  );
  process.stderr.write = origWrite;
  await server.close();
  rmSync(root, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
