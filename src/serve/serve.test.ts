// `hgym serve` in process, end to end with real parts: the tiny task's real snapshot store and workspaces, the
// bwrap sandbox (local when bwrap is missing), the runner's rollout and the family's verifier, over real HTTP on
// loopback. The Python client's own tests (python-client.test.ts) run the quickstart families through a
// separate `hgym serve` process.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rolloutSchema } from "../core/schemas/rollout.js";
import { UserError } from "../core/errors.js";
import { main } from "../cli/main.js";
import { setupTinyTask, tinyFamily, type TinySetup } from "../runner/test-support/tiny-task.js";
import { createSandbox } from "../sandbox/index.js";
import type { Sandbox } from "../sandbox/types.js";
import { createVerifyContext } from "../tasks/verify-context.js";
import { readJsonlSync } from "../util/jsonl.js";
import { journalLineSchema, JOURNAL_FILE } from "./journal.js";
import { startServe, type ServeHandle, type ServeOptions } from "./server.js";

const TOKEN = "test-token";

let root: string;
let tiny: TinySetup;
let sandbox: Sandbox;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "hgym-serve-"));
  tiny = await setupTinyTask(root, 3);
  sandbox = createSandbox("auto");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function options(out: string, over: Partial<ServeOptions> = {}): ServeOptions {
  return {
    instancesPath: tiny.instancesPath,
    outDir: join(root, out),
    host: "127.0.0.1",
    port: 0,
    token: TOKEN,
    maxEpisodes: 8,
    maxQueue: 100,
    idleTimeoutMs: 60_000,
    maxBodyBytes: 1 << 20,
    maxSteps: 30,
    model: "served-test",
    store: tiny.store,
    sandbox,
    verify: createVerifyContext({ store: tiny.store, sandbox }),
    taskFamily: () => tinyFamily,
    log: () => undefined,
    ...over,
  };
}

async function call(h: ServeHandle, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(h.url + path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const restoreDocstring = (ws: string) => ({
  id: "edit",
  type: "function",
  function: { name: "str_replace_editor", arguments: { command: "str_replace", path: `${ws}/greet.py`, old_str: "def greet(name):\n", new_str: 'def greet(name):\n    """Say hello."""\n' } },
});
const finishCall = { id: "fin", type: "function", function: { name: "finish", arguments: JSON.stringify({ message: "done" }) } };

async function create(h: ServeHandle, id = "tiny/0"): Promise<{ id: string; ws: string }> {
  const r = await call(h, "POST", "/v1/episodes", { instance_id: id });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  const obs = r.json.observation as { workspace_path: string };
  return { id: r.json.episode_id as string, ws: obs.workspace_path };
}

describe("hgym serve", () => {
  it("runs an episode to the verifier's reward and records it as hgym rollout does; hgym export reads the run", async () => {
    const h = await startServe(options("solve"));
    try {
      const created = await call(h, "POST", "/v1/episodes", { instance_id: "tiny/0" });
      expect(created.status).toBe(201);
      const obs = created.json.observation as { messages: { role: string; content: string }[]; tools: { function: { name: string } }[]; workspace_path: string };
      expect(obs.messages.map((m) => m.role)).toEqual(["system", "user"]);
      expect(obs.messages[1]?.content).toBe(tiny.instances[0]?.instruction);
      expect(obs.tools.map((t) => t.function.name)).toEqual(["execute_bash", "str_replace_editor", "think", "finish"]);
      const id = created.json.episode_id as string;
      const edit = await call(h, "POST", `/v1/episodes/${id}/step`, { content: "fixing", tool_calls: [restoreDocstring(obs.workspace_path)] });
      expect(edit.status).toBe(200);
      expect(edit.json).toMatchObject({ done: false, reward: null });
      expect((edit.json.messages as { role: string; tool_call_id: string }[])[0]).toMatchObject({ role: "tool", tool_call_id: "edit" });
      const fin = await call(h, "POST", `/v1/episodes/${id}/step`, { tool_calls: [finishCall] });
      expect(fin.json).toMatchObject({ done: true, terminated: true, truncated: false, exit_reason: "finished" });
      expect((fin.json.reward as { success: boolean; score: number }).score).toBe(1);
      const again = await call(h, "POST", `/v1/episodes/${id}/step`, { tool_calls: [finishCall] });
      expect(again.status).toBe(409);
      expect(again.json.error).toMatch(/has ended/);
    } finally {
      await h.stop();
    }
    const records = [...readJsonlSync(join(root, "solve", "rollouts.jsonl"), rolloutSchema, { badLines: "fail" })].map((r) => r.value);
    expect(records).toHaveLength(1);
    const rec = records[0]!;
    expect(rec).toMatchObject({ instance_id: "tiny/0", sample: 0, attempt: 1, model: "served-test", oracle: false, exit_reason: "finished", failure: "none" });
    expect(rec.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool", "assistant", "tool"]);
    expect(rec.messages[2]).toMatchObject({ role: "assistant", content: "fixing" });
    expect(rec.final_diff).toContain('+    """Say hello."""');
    const run = JSON.parse(readFileSync(join(root, "solve", "run.json"), "utf8")) as { sessions: { finished_at: string | null }[]; counts: { success: number } };
    expect(run.counts.success).toBe(1);
    expect(run.sessions[0]?.finished_at).not.toBeNull();
    const out = join(root, "solve-export.jsonl");
    expect(await main(["node", "hgym", "export", join(root, "solve"), "--format", "openai", "--only-success", "--out", out])).toBe(0);
    const rows = readFileSync(out, "utf8").trim().split("\n");
    expect(rows).toHaveLength(1);
  }, 60_000);

  it("refuses bad requests with 4xx and a message, and the episode survives them", async () => {
    const h = await startServe(options("bad", { maxBodyBytes: 4096 }));
    try {
      expect((await call(h, "GET", "/v1/status", undefined, { authorization: "Bearer nope" })).status).toBe(401);
      expect((await fetch(h.url + "/v1/episodes")).status).toBe(401);
      expect((await fetch(h.url + "/health")).status).toBe(200);
      const unknown = await call(h, "POST", "/v1/episodes", { instance_id: "tiny/99" });
      expect(unknown.status).toBe(404);
      expect(unknown.json.error).toMatch(/unknown instance "tiny\/99"/);
      expect((await call(h, "POST", "/v1/episodes", "{not json")).status).toBe(400);
      expect((await call(h, "POST", "/v1/episodes", { instance_id: "tiny/0", extra: 1 })).status).toBe(400);
      expect((await call(h, "GET", "/v1/episodes/nope")).status).toBe(404);
      const { id, ws } = await create(h);
      const malformed = await call(h, "POST", `/v1/episodes/${id}/step`, { tool_calls: [{ function: { name: "execute_bash" } }] });
      expect(malformed.status).toBe(400);
      expect(malformed.json.error).toMatch(/tool_calls\.0\.function\.arguments/);
      const dup = await call(h, "POST", `/v1/episodes/${id}/step`, { tool_calls: [finishCall, finishCall] });
      expect(dup.status).toBe(400);
      const big = await call(h, "POST", `/v1/episodes/${id}/step`, { tool_calls: [{ function: { name: "think", arguments: { thought: "x".repeat(10_000) } } }] });
      expect(big.status).toBe(413);
      const ok = await call(h, "POST", `/v1/episodes/${id}/step`, { tool_calls: [restoreDocstring(ws)] });
      expect(ok.status).toBe(200);
      const fin = await call(h, "POST", `/v1/episodes/${id}/finish`, {});
      expect(fin.json).toMatchObject({ done: true, exit_reason: "finished" });
      expect((fin.json.reward as { success: boolean }).success).toBe(true);
    } finally {
      await h.stop();
    }
  }, 60_000);

  it("queues creations past --max-episodes and starts them as slots free", async () => {
    const h = await startServe(options("queue", { maxEpisodes: 1, maxQueue: 1 }));
    try {
      const first = await create(h, "tiny/0");
      let secondDone = false;
      const second = call(h, "POST", "/v1/episodes", { instance_id: "tiny/1" }).then((r) => ((secondDone = true), r));
      await new Promise((r) => setTimeout(r, 300));
      expect(secondDone).toBe(false);
      const status = await call(h, "GET", "/v1/status");
      expect(status.json.slots).toEqual({ limit: 1, in_use: 1, queued: 1 });
      const third = await call(h, "POST", "/v1/episodes", { instance_id: "tiny/2" });
      expect(third.status).toBe(429);
      expect(third.json.error).toMatch(/all 1 episode slots are busy/);
      expect((await call(h, "DELETE", `/v1/episodes/${first.id}`)).json.status).toBe("closed");
      const r = await second;
      expect(r.status).toBe(201);
      expect(r.json.instance_id).toBe("tiny/1");
      // A creation whose client hangs up while queued leaves the queue.
      const abandon = new AbortController();
      const gaveUp = fetch(h.url + "/v1/episodes", {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ instance_id: "tiny/2" }),
        signal: abandon.signal,
      }).catch(() => "aborted");
      let queued = 0;
      for (let waited = 0; queued === 0 && waited < 5000; waited += 50) {
        await new Promise((res) => setTimeout(res, 50));
        queued = ((await call(h, "GET", "/v1/status")).json.slots as { queued: number }).queued;
      }
      expect(queued).toBe(1);
      abandon.abort();
      expect(await gaveUp).toBe("aborted");
      for (let waited = 0; queued === 1 && waited < 5000; waited += 50) {
        await new Promise((res) => setTimeout(res, 50));
        queued = ((await call(h, "GET", "/v1/status")).json.slots as { queued: number }).queued;
      }
      expect(queued).toBe(0);
    } finally {
      await h.stop();
    }
    // A closed episode is not a rollout: nothing recorded.
    expect(readFileSync(join(root, "queue", "rollouts.jsonl"), "utf8")).toBe("");
  }, 60_000);

  it("closes idle episodes after --idle-timeout", async () => {
    const h = await startServe(options("idle", { idleTimeoutMs: 300 }));
    try {
      const { id } = await create(h);
      expect((await call(h, "GET", `/v1/episodes/${id}`)).status).toBe(200);
      // Polled rather than one fixed sleep: the sweep runs every 200 ms, but a loaded machine may run it late.
      let status = 200;
      for (let waited = 0; status === 200 && waited < 10_000; waited += 250) {
        await new Promise((r) => setTimeout(r, 250));
        status = (await call(h, "GET", `/v1/episodes/${id}`, undefined)).status;
      }
      expect(status).toBe(404);
      expect((await call(h, "GET", "/v1/status")).json.since_start).toMatchObject({ created: 1, expired: 1 });
    } finally {
      await h.stop();
    }
    const lines = [...readJsonlSync(join(root, "idle", JOURNAL_FILE), journalLineSchema, { badLines: "fail" })].map((l) => l.value);
    expect(lines.map((l) => `${l.event}:${l.status ?? ""}`)).toEqual(["open:", "end:expired"]);
  }, 30_000);

  it("runs many episodes at once, each to its own reward", async () => {
    const h = await startServe(options("many", { maxEpisodes: 12 }));
    try {
      const results = await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const { id, ws } = await create(h, `tiny/${i % 3}`);
          if (i % 2 === 0) await call(h, "POST", `/v1/episodes/${id}/step`, { tool_calls: [restoreDocstring(ws)] });
          return (await call(h, "POST", `/v1/episodes/${id}/finish`, {})).json;
        }),
      );
      expect(results.map((r) => (r.reward as { success: boolean }).success)).toEqual(Array.from({ length: 12 }, (_, i) => i % 2 === 0));
    } finally {
      await h.stop();
    }
    const records = [...readJsonlSync(join(root, "many", "rollouts.jsonl"), rolloutSchema, { badLines: "fail" })].map((r) => r.value);
    expect(records).toHaveLength(12);
    // (instance, sample) stays unique, as in a rollout run.
    expect(new Set(records.map((r) => `${r.instance_id}#${r.sample}`)).size).toBe(12);
  }, 120_000);

  it("serves an OpenAPI document naming every route it answers", async () => {
    const h = await startServe(options("openapi"));
    try {
      const res = await fetch(h.url + "/openapi.json");
      const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(doc.openapi).toBe("3.1.0");
      const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).filter((k) => k !== "parameters").map((m) => `${m.toUpperCase()} ${p}`));
      expect(documented.sort()).toEqual(
        [
          "GET /health",
          "GET /openapi.json",
          "GET /v1/status",
          "GET /v1/instances",
          "GET /v1/episodes",
          "POST /v1/episodes",
          "GET /v1/episodes/{id}",
          "DELETE /v1/episodes/{id}",
          "POST /v1/episodes/{id}/step",
          "POST /v1/episodes/{id}/finish",
        ].sort(),
      );
      expect((await call(h, "GET", "/v1/nothing-here")).status).toBe(404);
    } finally {
      await h.stop();
    }
  });

  it("refuses to listen off loopback without a token", async () => {
    await expect(startServe(options("open", { host: "0.0.0.0", token: null }))).rejects.toThrow(UserError);
  });
});
