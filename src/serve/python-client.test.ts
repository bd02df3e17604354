// The Python client (clients/python, standard library only) against a real `hgym serve` process, with the
// machine's python3: the quickstart's instances of all four families, and a scripted OpenAI-compatible model that
// replays each instance's oracle (gold) actions, taken from the quickstart's own oracle run. The example RL loop
// must reach reward 1 on every family. Then a restart: the server is killed with an episode open, started again
// on the same run directory, and reports that episode lost while the finished ones stay intact.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer, type ScriptStep } from "../agent/test-support/scripted-server.js";
import { quickstart } from "../cli/quickstart.js";
import { rolloutSchema } from "../core/schemas/rollout.js";
import { readJsonlSync } from "../util/jsonl.js";

const REPO = resolve(import.meta.dirname, "../..");
const CLIENT_DIR = join(REPO, "clients", "python");
const TOKEN = "py-token";

interface Served {
  proc: ChildProcess;
  url: string;
  stderr: () => string;
}

// Starts `hgym serve` as a user would (the CLI in its own process) and waits for its "listening on" line.
async function startServeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<Served> {
  const proc = spawn(process.execPath, ["--import", "tsx", join(REPO, "src/cli/main.ts"), "serve", ...args], { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  proc.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((res, rej) => {
    let out = "";
    const timer = setTimeout(() => rej(new Error(`hgym serve did not start: ${err}`)), 60_000);
    proc.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      rej(new Error(`hgym serve exited (${code}): ${err}`));
    });
  });
  return { proc, url, stderr: () => err };
}

function runProcess(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const p = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill("SIGKILL"), 240_000);
    p.once("close", (status) => {
      clearTimeout(timer);
      res({ status, stdout, stderr });
    });
  });
}

function stopProcess(p: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((res) => {
    if (p.exitCode !== null || p.signalCode !== null) return res();
    p.once("exit", () => res());
    p.kill(signal);
  });
}

// The oracle's assistant messages per instruction, replayed turn by turn (the turn is the number of assistant
// messages in the conversation the client sent) with the workspace path of the episode at hand.
function oracleReplay(runDir: string): (i: number, body: unknown) => ScriptStep {
  const byInstruction = new Map<string, { workspace: string; turns: { content: string | null; tool_calls: { id: string; function: { name: string; arguments: string } }[] }[] }>();
  for (const { value: rec } of readJsonlSync(join(runDir, "rollouts.jsonl"), rolloutSchema, { badLines: "fail" })) {
    const system = rec.messages[0]?.content ?? "";
    const instruction = rec.messages[1]?.content ?? "";
    const turns = rec.messages.flatMap((m) => (m.role === "assistant" ? [{ content: m.content, tool_calls: m.tool_calls ?? [] }] : []));
    byInstruction.set(instruction, { workspace: /at (\/workspace\/[^;\s]+)/.exec(system)?.[1] ?? "", turns });
  }
  return (_i, body) => {
    const messages = (body as { messages: { role: string; content: string | null }[] }).messages;
    const replay = byInstruction.get(messages[1]?.content ?? "");
    if (!replay) return { kind: "error", status: 400, message: "scripted oracle: unknown instruction" };
    const workspace = /at (\/workspace\/[^;\s]+)/.exec(messages[0]?.content ?? "")?.[1] ?? replay.workspace;
    const turn = replay.turns[messages.filter((m) => m.role === "assistant").length];
    if (!turn) return { kind: "error", status: 400, message: "scripted oracle: no turn left" };
    return {
      kind: "completion",
      content: turn.content,
      tool_calls: turn.tool_calls.map((tc) => ({ id: tc.id, name: tc.function.name, arguments: tc.function.arguments.split(replay.workspace).join(workspace) })),
      usage: { prompt_tokens: 100, completion_tokens: 20 },
    };
  };
}

describe("Python client against hgym serve", () => {
  const tmp = mkdtempSync(join(tmpdir(), "hgym-pyclient-"));
  const env: NodeJS.ProcessEnv = { ...process.env, HGYM_CACHE: join(tmp, "cache") };
  delete env.OPENAI_BASE_URL;
  delete env.HGYM_MODEL;
  const runDir = join(tmp, "served-run");
  const instances = join(tmp, "qs", "instances.jsonl");
  let model: ScriptedServer;
  let served: Served;

  beforeAll(async () => {
    const saved = process.env.HGYM_CACHE;
    process.env.HGYM_CACHE = env.HGYM_CACHE;
    try {
      await quickstart({ out: join(tmp, "qs"), sandbox: "auto", concurrency: 2, seed: 0, perTask: 1 }, () => undefined);
    } finally {
      if (saved === undefined) delete process.env.HGYM_CACHE;
      else process.env.HGYM_CACHE = saved;
    }
    model = await startScriptedServer(oracleReplay(join(tmp, "qs", "runs", "oracle")));
    served = await startServeProcess(["--instances", instances, "--out", runDir, "--port", "0", "--max-episodes", "4"], { ...env, HGYM_SERVE_TOKEN: TOKEN });
  }, 300_000);

  afterAll(async () => {
    if (served) await stopProcess(served.proc, "SIGTERM");
    await model?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("passes the client's unittest suite, whose example RL loop reaches reward 1 on every family", async () => {
    // Not spawnSync: the scripted model answers from this process's event loop.
    const r = await runProcess("python3", ["-m", "unittest", "discover", "-s", "tests", "-v"], {
      cwd: CLIENT_DIR,
      env: { ...env, HGYM_SERVE_URL: served.url, HGYM_SERVE_TOKEN: TOKEN, HGYM_TEST_MODEL_URL: model.baseURL, HGYM_TEST_INSTANCES: instances, PYTHONDONTWRITEBYTECODE: "1" },
    });
    expect(r.status, `${r.stdout}\n${r.stderr}\n${served.stderr()}`).toBe(0);
    expect(r.stderr).toMatch(/Ran 8 tests/);
    expect(r.stderr).not.toMatch(/skipped/);
  }, 300_000);

  it("recorded the served episodes like hgym rollout, and the oracle replays solved every family", () => {
    const records = [...readJsonlSync(join(runDir, "rollouts.jsonl"), rolloutSchema, { badLines: "fail" })].map((r) => r.value);
    const solvedTasks = new Set(records.filter((r) => r.reward?.success && r.model === "served").map((r) => r.task));
    expect([...solvedTasks].sort()).toEqual(["dep-search", "func-gen", "func-localize", "issue-localize"]);
  });

  it("reports episodes open at a restart as lost and keeps the finished ones", async () => {
    const before = readFileSync(join(runDir, "rollouts.jsonl"), "utf8");
    const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    const listed = (await (await fetch(`${served.url}/v1/instances`, { headers })).json()) as { instances: { instance_id: string }[] };
    const created = (await (await fetch(`${served.url}/v1/episodes`, { method: "POST", headers, body: JSON.stringify({ instance_id: listed.instances[0]?.instance_id }) })).json()) as { episode_id: string };
    await stopProcess(served.proc, "SIGKILL");
    served = await startServeProcess(["--instances", instances, "--out", runDir, "--port", "0"], { ...env, HGYM_SERVE_TOKEN: TOKEN });
    expect(served.stderr()).toMatch(/1 episode\(s\) were open when the previous server stopped/);
    const status = (await (await fetch(`${served.url}/v1/status`, { headers })).json()) as { lost: { episode_id: string }[] };
    expect(status.lost.map((l) => l.episode_id)).toEqual([created.episode_id]);
    const gone = await fetch(`${served.url}/v1/episodes/${created.episode_id}`, { headers });
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { error: string }).error).toMatch(/was lost/);
    expect(readFileSync(join(runDir, "rollouts.jsonl"), "utf8")).toBe(before);
  }, 120_000);
});
