// End-to-end rollout batches with real parts: snapshot store + workspaces, the bwrap/local sandbox, the agent loop
// with the real model client against the scripted OpenAI-compatible server, verification, records, resume, export.

import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startScriptedServer, textStep, toolCallStep, type ScriptedServer } from "../agent/test-support/scripted-server.js";
import { formatTextToolCall } from "../agent/text-format.js";
import type { RolloutRecord, ToolFormat } from "../agent/types.js";
import { runExport } from "../export/export.js";
import { createSandbox } from "../sandbox/index.js";
import type { SandboxBackend } from "../sandbox/types.js";
import { readJsonlRecords } from "../util/jsonl.js";
import { rolloutSchema } from "../core/schemas/rollout.js";
import { runBatch, type BatchOptions } from "./batch.js";
import { LocalRolloutEnvironment } from "./environment.js";
import type { RolloutEnvironment } from "./execute.js";
import { runIdentity, type RunIdentity } from "./run-dir.js";
import { setupTinyTask, solvingReply, tinyFamily, type TinySetup } from "./test-support/tiny-task.js";

let tmp: string;
let server: ScriptedServer;
let bwrapOk = false;

beforeAll(async () => {
  server = await startScriptedServer((_i, body) => {
    const r = solvingReply(body);
    return toolCallStep(r.name, r.args, { usage: { prompt_tokens: 50, completion_tokens: 5 } });
  });
  bwrapOk = (await createSandbox("bwrap").available()).ok;
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-batch-"));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;

function identity(model: string): Omit<RunIdentity, "instances_sha256"> {
  return runIdentity({ model, max_steps: 10 });
}

function env(setup: TinySetup, model: string, backend: SandboxBackend, baseURL = server.baseURL, toolFormat: ToolFormat = "native"): LocalRolloutEnvironment {
  return new LocalRolloutEnvironment({
    store: setup.store,
    sandbox: createSandbox(backend),
    taskFamily: () => tinyFamily as never,
    model,
    endpoint: model === "oracle" ? null : { baseURL, apiKey: "x", model },
    modelRetry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    toolFormat,
    agentLimits: { maxSteps: 10 },
    workspaceRoot: join(tmp, "ws"),
  });
}

function batch(setup: TinySetup, e: RolloutEnvironment, over: Partial<BatchOptions> = {}): Promise<ReturnType<typeof runBatch> extends Promise<infer R> ? R : never> {
  return runBatch({
    instancesPath: setup.instancesPath,
    outDir: join(tmp, "run"),
    env: e,
    identity: identity(e.model),
    options: {},
    samples: 1,
    concurrency: 2,
    limit: null,
    maxInfraRetries: 2,
    infraRetryDelayMs: 1,
    force: false,
    progressStream: quiet,
    ...over,
  });
}

function records(): RolloutRecord[] {
  return readJsonlRecords(join(tmp, "run", "rollouts.jsonl"), rolloutSchema);
}

describe("rollout batch", () => {
  it("runs a model through the bwrap sandbox, verifies, records and exports", async (ctx) => {
    if (!bwrapOk) ctx.skip();
    const setup = await setupTinyTask(tmp, 2);
    const res = await batch(setup, env(setup, "scripted", "bwrap"), { samples: 2 });
    expect(res.ran).toBe(4);
    expect(res.counts).toMatchObject({ final: 4, success: 4, failure_model: 0, failure_infra: 0 });
    const recs = records();
    expect(recs.map((r) => `${r.instance_id}#${r.sample}`).sort()).toEqual(["tiny/0#0", "tiny/0#1", "tiny/1#0", "tiny/1#1"]);
    const r = recs[0] as RolloutRecord;
    expect(r).toMatchObject({ failure: "none", exit_reason: "finished", model: "scripted", oracle: false, attempt: 1, repo: "demo" });
    expect(r.reward?.success).toBe(true);
    expect(r.final_diff).toContain('+    """Say hello."""');
    expect(r.steps.map((s) => s.tool)).toEqual(["str_replace_editor", "finish"]);
    expect(r.usage.prompt_tokens).toBe(100);
    expect(res.summary["func-localize"]).toMatchObject({ rollouts: 4, success: 4, success_rate: 1, mean_reward: 1 });
    // Workspaces are deleted after each rollout.
    expect(readdirSafe(join(tmp, "ws"))).toEqual([]);
    const out = join(tmp, "sft.jsonl");
    runExport({ runDirs: [join(tmp, "run")], format: "openai", parquet: false, out, filters: { onlySuccess: true, includeOracle: false, maxPerInstance: null, minReward: null } });
    const rows = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { messages: { role: string }[]; tools: unknown[] });
    expect(rows).toHaveLength(4);
    expect(rows[0]?.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool", "assistant", "tool"]);
    expect(rows[0]?.tools.length).toBeGreaterThan(0);
  });

  it("runs in the text tool format; the openhands export keeps those messages as they were", async () => {
    const setup = await setupTinyTask(tmp, 1);
    const textServer = await startScriptedServer((_i, body) => {
      const r = solvingReply(body);
      return textStep(`I will act.\n${formatTextToolCall(r.name, r.args)}`);
    });
    try {
      const res = await batch(setup, env(setup, "texty", "local", textServer.baseURL, "text"));
      expect(res.counts.success).toBe(1);
      const [r] = records();
      expect(r?.tool_format).toBe("text");
      expect(r?.messages.some((m) => m.role === "tool")).toBe(false);
      const out = join(tmp, "oh.jsonl");
      runExport({ runDirs: [join(tmp, "run")], format: "openhands", parquet: false, out, filters: { onlySuccess: true, includeOracle: false, maxPerInstance: null, minReward: null } });
      const row = JSON.parse(readFileSync(out, "utf8").trim()) as { messages: unknown[] };
      expect(row.messages).toEqual(r?.messages);
      expect(JSON.stringify(row)).toContain("EXECUTION RESULT of [str_replace_editor]:");
    } finally {
      await textServer.close();
    }
  });

  it("runs the oracle with the gold patch and records oracle: true", async () => {
    const setup = await setupTinyTask(tmp, 1);
    await batch(setup, env(setup, "oracle", "local"));
    const [r] = records();
    expect(r).toMatchObject({ model: "oracle", oracle: true, failure: "none" });
    expect(r?.reward?.success).toBe(true);
  });

  it("resumes after a kill: torn line repaired, no duplicates, remaining pairs run", async () => {
    const setup = await setupTinyTask(tmp, 3);
    const e = env(setup, "oracle", "local");
    await batch(setup, e, { limit: 1 });
    expect(records()).toHaveLength(1);
    // A killed writer left half a record of tiny/1.
    appendFileSync(join(tmp, "run", "rollouts.jsonl"), '{"schema":"hgym.rollout/1","instance_id":"tiny/1","sample":0,"fail');
    const logs: string[] = [];
    const res = await batch(setup, e, { log: (m) => logs.push(m) });
    expect(res.skipped).toBe(1);
    expect(res.ran).toBe(2);
    const text = readFileSync(join(tmp, "run", "rollouts.jsonl"), "utf8");
    expect(text.split("\n").filter((l) => l).every((l) => JSON.parse(l) !== null)).toBe(true);
    expect(records().map((r) => r.instance_id)).toEqual(expect.arrayContaining(["tiny/0", "tiny/1", "tiny/2"]));
    expect(records()).toHaveLength(3);
    expect(logs.some((l) => l.includes("incomplete last line"))).toBe(true);
    // A third run has nothing left to do.
    const again = await batch(setup, e);
    expect(again.ran).toBe(0);
    expect(records()).toHaveLength(3);
  });

  it("retries an infra failure on a fresh workspace, then succeeds", async () => {
    const setup = await setupTinyTask(tmp, 1);
    const real = env(setup, "oracle", "local");
    let sandboxStarts = 0;
    const hostDirs: string[] = [];
    // Fault injection around the real environment: the first sandbox start fails.
    const flaky: RolloutEnvironment = {
      model: real.model,
      oracle: real.oracle,
      verifyContext: real.verifyContext,
      family: (i) => real.family(i),
      materialize: async (i) => {
        const ws = await real.materialize(i);
        hostDirs.push(ws.hostDir);
        return ws;
      },
      startEpisode: (ws) => (++sandboxStarts === 1 ? Promise.reject(new Error("bwrap: cannot create namespace")) : real.startEpisode(ws)),
      runAgent: (a) => real.runAgent(a),
      collect: (i, ws) => real.collect(i, ws),
    };
    const res = await batch(setup, flaky);
    const recs = records();
    expect(recs.map((r) => [r.attempt, r.failure])).toEqual([
      [1, "infra"],
      [2, "none"],
    ]);
    expect(recs[0]?.error).toBe("sandbox: bwrap: cannot create namespace");
    expect(recs[0]?.reward).toBeNull();
    expect(recs[1]?.reward?.success).toBe(true);
    expect(new Set(hostDirs).size).toBe(2); // never the same workspace twice
    expect(res.summary["func-localize"]).toMatchObject({ rollouts: 1, success: 1, infra_failures: 0, infra_attempts: 1 });
  });

  it("does not retry a model failure, and a rerun does not run it again", async () => {
    const setup = await setupTinyTask(tmp, 1);
    const failing = await startScriptedServer([{ kind: "error", status: 400, message: "bad request: unknown model" }]);
    try {
      const e = env(setup, "m", "local", failing.baseURL);
      const res = await batch(setup, e);
      const recs = records();
      expect(recs).toHaveLength(1);
      expect(recs[0]).toMatchObject({ failure: "model", exit_reason: "model_error", attempt: 1 });
      expect(res.counts.failure_model).toBe(1);
      expect(failing.requests).toHaveLength(1);
      const again = await batch(setup, e);
      expect(again.ran).toBe(0);
      expect(failing.requests).toHaveLength(1);
    } finally {
      await failing.close();
    }
  });

  it("an unreachable endpoint is an infra failure, retried up to the limit, and the trajectory is kept out of exports", async () => {
    const setup = await setupTinyTask(tmp, 1);
    const gone = await startScriptedServer([]);
    await gone.close(); // nothing listens on its port any more
    const res = await batch(setup, env(setup, "m", "local", gone.baseURL), { maxInfraRetries: 1 });
    const recs = records();
    expect(recs.map((r) => [r.attempt, r.failure, r.exit_reason])).toEqual([
      [1, "infra", "infra_error"],
      [2, "infra", "infra_error"],
    ]);
    expect(recs[0]?.reward).toBeNull();
    expect(res.counts).toMatchObject({ failure_infra: 1, final: 1, infra_pending: 0 });
    const out = join(tmp, "x.jsonl");
    const ex = runExport({ runDirs: [join(tmp, "run")], format: "openai", parquet: false, out, allowEmpty: true, filters: { onlySuccess: false, includeOracle: false, maxPerInstance: null, minReward: null } });
    expect(ex.manifest.counts.rows_out).toBe(0);
    expect(ex.manifest.counts.dropped.failure_infra).toBe(2);
  });

  it("records a broken instance as an infra failure and goes on; malformed lines are reported by number", async () => {
    const setup = await setupTinyTask(tmp, 1, ["{not json", JSON.stringify({ instance_id: "x" })]);
    const broken = { ...setup.instances[0], instance_id: "tiny/missing", repo: { ...setup.instances[0]?.repo, snapshot: "f".repeat(64) } };
    appendFileSync(setup.instancesPath, JSON.stringify(broken) + "\n");
    const logs: string[] = [];
    const res = await batch(setup, env(setup, "oracle", "local"), { maxInfraRetries: 1, log: (m) => logs.push(m) });
    expect(res.instanceProblems.map((p) => p.line)).toEqual([2, 3]);
    expect(logs.some((l) => /instances\.jsonl:2: skipped: not valid JSON/.test(l))).toBe(true);
    expect(logs.some((l) => /instances\.jsonl:3: skipped: missing field\(s\) task, language, repo/.test(l))).toBe(true);
    const recs = records();
    const missing = recs.filter((r) => r.instance_id === "tiny/missing");
    expect(missing.map((r) => r.attempt)).toEqual([1, 2]);
    expect(missing[0]?.error).toMatch(/^workspace: snapshot f+ is not in the store/);
    expect(recs.find((r) => r.instance_id === "tiny/0")?.reward?.success).toBe(true);
    expect(res.counts).toMatchObject({ failure_infra: 1, success: 1 });
  });

  it("a stop request lets the running rollout finish, records the session as interrupted, and a rerun completes", async () => {
    const setup = await setupTinyTask(tmp, 3);
    const real = env(setup, "oracle", "local");
    let pool: { stop(): void } | null = null;
    let calls = 0;
    // Ctrl-C arrives while the first rollout is running (what the CLI's SIGINT handler does).
    const stopping: RolloutEnvironment = Object.assign(Object.create(real) as RolloutEnvironment, {
      runAgent: (a: Parameters<RolloutEnvironment["runAgent"]>[0]) => {
        if (++calls === 1) pool?.stop();
        return real.runAgent(a);
      },
    });
    const res = await batch(setup, stopping, { concurrency: 1, onPool: (p) => (pool = p) });
    expect(res).toMatchObject({ ran: 1, notStarted: 2, aborted: 0, interrupted: true });
    expect(records()).toHaveLength(1);
    const manifest = JSON.parse(readFileSync(join(tmp, "run", "run.json"), "utf8")) as { finished_at: string | null; sessions: { interrupted: boolean }[] };
    expect(manifest.finished_at).toBeNull();
    expect(manifest.sessions[0]?.interrupted).toBe(true);
    const rest = await batch(setup, real);
    expect(rest).toMatchObject({ ran: 2, skipped: 1, interrupted: false });
    expect(records().map((r) => r.instance_id).sort()).toEqual(["tiny/0", "tiny/1", "tiny/2"]);
  });

  it("aborting after the grace period records nothing for the aborted rollout and cleans its workspace", async () => {
    const setup = await setupTinyTask(tmp, 1);
    const real = env(setup, "oracle", "local");
    let pool: { stop(): void } | null = null;
    // An agent that hangs until aborted, like a model call that never returns.
    const hanging: RolloutEnvironment = Object.assign(Object.create(real) as RolloutEnvironment, {
      runAgent: (a: Parameters<RolloutEnvironment["runAgent"]>[0]) => {
        pool?.stop();
        return new Promise((_resolve, reject) => a.signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true }));
      },
    });
    const res = await batch(setup, hanging, { graceMs: 20, onPool: (p) => (pool = p) });
    expect(res).toMatchObject({ ran: 0, aborted: 1, interrupted: true });
    expect(records()).toHaveLength(0);
    expect(readdirSafe(join(tmp, "ws"))).toEqual([]);
  });

  it("refuses to resume with another model unless forced", async () => {
    const setup = await setupTinyTask(tmp, 1);
    await batch(setup, env(setup, "oracle", "local"));
    await expect(batch(setup, env(setup, "other", "local"))).rejects.toThrow(/model: run has "oracle", this command has "other"/);
  });
});

// What is left in a workspace root, apart from the shared bases of overlay workspaces (a cache kept across runs).
function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name !== "hgym-bases");
  } catch {
    return [];
  }
}
