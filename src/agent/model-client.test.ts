import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../core/errors.js";
import { costOf, loadPriceTable, ModelClient, resolveEndpoint, retryAfterMs } from "./model-client.js";
import { PolicyError } from "./policy.js";
import { startScriptedServer, textStep, toolCallStep, type ScriptedServer, type ScriptStep } from "./test-support/scripted-server.js";
import { toolSchemas } from "./tools.js";
import type { ChatMessage } from "./types.js";

const MESSAGES: ChatMessage[] = [
  { role: "system", content: "sys" },
  { role: "user", content: "task" },
];

let server: ScriptedServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function clientFor(script: ScriptStep[], extra: Partial<ConstructorParameters<typeof ModelClient>[0]> = {}): Promise<ModelClient> {
  server = await startScriptedServer(script);
  return new ModelClient({
    baseURL: server.baseURL,
    apiKey: "test-key",
    model: "m-1",
    retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 2000 },
    ...extra,
  });
}

describe("ModelClient against a real HTTP server", () => {
  it("sends messages, tools and sampling options; keeps the raw body with logprobs and token ids", async () => {
    const logprobs = { content: [{ token: "ok", logprob: -0.1 }] };
    const client = await clientFor(
      [{ kind: "completion", content: "ok", usage: { prompt_tokens: 1000, completion_tokens: 200 }, logprobs, extra: { prompt_token_ids: [1, 2, 3] } }],
      {
        sampling: { temperature: 0.7, top_p: 0.95, max_tokens: 512, seed: 7, stop: ["</function>"], extra_body: { logprobs: true, top_logprobs: 2 } },
        prices: { "m-1": { input_per_mtok: 2, output_per_mtok: 10 } },
      },
    );
    const r = await client.complete({ messages: MESSAGES, tools: toolSchemas() });
    const sent = server?.requests[0]?.body as Record<string, unknown>;
    expect(sent).toEqual({
      model: "m-1",
      messages: MESSAGES,
      tools: toolSchemas(),
      temperature: 0.7,
      top_p: 0.95,
      max_tokens: 512,
      seed: 7,
      stop: ["</function>"],
      logprobs: true,
      top_logprobs: 2,
    });
    expect(server?.requests[0]?.headers.authorization).toBe("Bearer test-key");
    expect(r.message).toEqual({ role: "assistant", content: "ok" });
    const raw = r.raw as { choices: { logprobs: unknown }[]; prompt_token_ids: number[] };
    expect(raw.choices[0]?.logprobs).toEqual(logprobs);
    expect(raw.prompt_token_ids).toEqual([1, 2, 3]);
    expect(r.usage).toEqual({ prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 });
    expect(r.cost).toBeCloseTo((1000 * 2 + 200 * 10) / 1e6, 12);
    expect(r.attempts).toBe(1);
  });

  it("records reasoning_content but does not send it back", async () => {
    const client = await clientFor([{ kind: "completion", content: "x", reasoning_content: "hidden chain" }, textStep("next")]);
    const first = await client.complete({ messages: MESSAGES, tools: null });
    expect(first.message).toEqual({ role: "assistant", content: "x", reasoning_content: "hidden chain" });
    await client.complete({ messages: [...MESSAGES, first.message, { role: "user", content: "go on" }], tools: null });
    const sent = (server?.requests[1]?.body as { messages: ChatMessage[] }).messages;
    expect(sent[2]).toEqual({ role: "assistant", content: "x" });
  });

  it("omits tools in text mode and parses tool calls in native mode", async () => {
    const client = await clientFor([toolCallStep("think", { thought: "x" }, { id: "abc" })]);
    const r = await client.complete({ messages: MESSAGES, tools: null });
    expect(server?.requests[0]?.body).not.toHaveProperty("tools");
    expect(r.message.tool_calls).toEqual([{ id: "abc", type: "function", function: { name: "think", arguments: '{"thought":"x"}' } }]);
  });

  it("retries 429 honouring Retry-After, then succeeds; the failures are recorded", async () => {
    const client = await clientFor([{ kind: "error", status: 429, retryAfter: 1 }, textStep("fine")]);
    const r = await client.complete({ messages: MESSAGES, tools: null });
    expect(r.message.content).toBe("fine");
    expect(r.attempts).toBe(2);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]?.status).toBe(429);
    expect(r.failures[0]?.wait_ms).toBeGreaterThanOrEqual(1000); // the server asked for 1 s
    expect(server?.requests).toHaveLength(2);
  });

  it("retries 500 and 503 then succeeds", async () => {
    const client = await clientFor([{ kind: "error", status: 500 }, { kind: "error", status: 503 }, textStep("fine")]);
    const r = await client.complete({ messages: MESSAGES, tools: null });
    expect(r.attempts).toBe(3);
    expect(r.failures.map((f) => f.status)).toEqual([500, 503]);
  });

  it("times out a slow response and retries", async () => {
    const client = await clientFor([{ kind: "delay", ms: 10_000, then: textStep("late") }, textStep("fast")], { timeoutMs: 1000 });
    const r = await client.complete({ messages: MESSAGES, tools: null });
    expect(r.message.content).toBe("fast");
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]?.status).toBeNull();
    expect(r.failures[0]?.error).toContain("timed out");
  });

  it("retries after a connection reset", async () => {
    const client = await clientFor([{ kind: "reset" }, textStep("after reset")]);
    const r = await client.complete({ messages: MESSAGES, tools: null });
    expect(r.message.content).toBe("after reset");
    expect(r.failures[0]?.error).toContain("connection");
  });

  it("gives up after the retries as an infra error when the endpoint is down", async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const client = new ModelClient({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "k", model: "m", retry: { maxRetries: 2, baseDelayMs: 5 } });
    const err = await client.complete({ messages: MESSAGES, tools: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).kind).toBe("infra");
    expect((err as PolicyError).failures).toHaveLength(3);
  });

  it("does not retry 400/401/404: model or configuration errors; context errors are recognised", async () => {
    for (const status of [400, 401, 404]) {
      const client = await clientFor([{ kind: "error", status }, textStep("never")]);
      const err = (await client.complete({ messages: MESSAGES, tools: null }).catch((e: unknown) => e)) as PolicyError;
      expect(err.kind).toBe("model");
      expect(err.status).toBe(status);
      expect(server?.requests).toHaveLength(1);
      await server?.close();
      server = null;
    }
    const client = await clientFor([{ kind: "error", status: 400, message: "This model's maximum context length is 8192 tokens" }]);
    const err = (await client.complete({ messages: MESSAGES, tools: null }).catch((e: unknown) => e)) as PolicyError;
    expect(err.kind).toBe("context");
  });
});

describe("endpoint and price configuration", () => {
  it("resolves the endpoint from options first, then the environment", () => {
    expect(resolveEndpoint({}, {})).toBeNull();
    expect(resolveEndpoint({}, { OPENAI_API_KEY: "sk" })).toBeNull(); // a key alone configures nothing
    expect(resolveEndpoint({ model: "o" }, {})).toBeNull();
    expect(() => resolveEndpoint({ apiKey: "sk" }, {})).toThrow(/HGYM_MODEL/);
    expect(resolveEndpoint({}, { OPENAI_BASE_URL: "http://h/v1", HGYM_MODEL: "q" })).toEqual({ baseURL: "http://h/v1", apiKey: "EMPTY", model: "q" });
    expect(resolveEndpoint({ model: "o" }, { OPENAI_API_KEY: "sk", HGYM_MODEL: "q" })).toEqual({ baseURL: "https://api.openai.com/v1", apiKey: "sk", model: "o" });
    expect(() => resolveEndpoint({ baseURL: "http://h/v1" }, {})).toThrow(UserError);
  });

  it("loads a price table and prices unknown models at 0", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "hgym-prices-"));
    try {
      const file = path.join(dir, "prices.json");
      writeFileSync(file, JSON.stringify({ a: { input_per_mtok: 1, output_per_mtok: 4 } }));
      const table = loadPriceTable(file);
      expect(costOf("a", { prompt_tokens: 1e6, completion_tokens: 5e5, total_tokens: 1.5e6 }, table)).toBe(3);
      expect(costOf("b", { prompt_tokens: 1e6, completion_tokens: 1e6, total_tokens: 2e6 }, table)).toBe(0);
      writeFileSync(file, JSON.stringify({ a: { input: 1 } }));
      expect(() => loadPriceTable(file)).toThrow(/input_per_mtok/);
      expect(() => loadPriceTable(path.join(dir, "missing.json"))).toThrow(UserError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads Retry-After in seconds, as a date, and retry-after-ms", () => {
    expect(retryAfterMs(new Headers({ "retry-after": "3" }))).toBe(3000);
    expect(retryAfterMs(new Headers({ "retry-after-ms": "250", "retry-after": "3" }))).toBe(250);
    expect(retryAfterMs(new Headers({ "retry-after": new Date(10_000).toUTCString() }), 4000)).toBe(6000);
    expect(retryAfterMs(new Headers({}))).toBeNull();
  });
});
