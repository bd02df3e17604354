// A real OpenAI-compatible HTTP server for tests (node:http on 127.0.0.1, a free port). It answers
// POST /v1/chat/completions from a script and records every request body it received, so a test can run the real
// model client and agent loop and then assert exactly what was sent. Non-streaming responses only.
//
// Usage:
//   const server = await startScriptedServer([
//     toolCallStep("str_replace_editor", { command: "view", path: "a.py" }),
//     { kind: "error", status: 429, retryAfter: 1 },
//     textStep("done"),
//   ]);
//   ... new ModelClient({ baseURL: server.baseURL, apiKey: "x", model: "m" }) ...
//   server.requests[0].body.messages   // what the client sent
//   await server.close();
//
// A script is a list of steps consumed one per request, or a function (requestIndex, body) => step for endless
// or request-dependent behaviour. When a list runs out the server answers HTTP 400 "script exhausted", which the
// client treats as non-retryable, so a test that makes too many calls fails visibly.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedToolCall {
  name: string;
  arguments: string | Record<string, unknown>; // objects are JSON-encoded; strings are sent verbatim (even invalid JSON)
  id?: string;
}

export type ScriptStep =
  | {
      kind: "completion";
      content?: string | null;
      reasoning_content?: string; // as vLLM/DeepSeek reasoning parsers return it
      tool_calls?: ScriptedToolCall[];
      usage?: { prompt_tokens: number; completion_tokens: number };
      logprobs?: unknown; // placed at choices[0].logprobs
      extra?: Record<string, unknown>; // merged into the top level of the body (e.g. prompt_token_ids)
      finish_reason?: string;
    }
  | { kind: "error"; status: number; retryAfter?: number; retryAfterMs?: number; message?: string }
  | { kind: "delay"; ms: number; then: ScriptStep } // wait, then answer with `then` (if the client is still there)
  | { kind: "reset" }; // destroy the connection without answering

export type Script = ScriptStep[] | ((requestIndex: number, body: unknown) => ScriptStep);

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown; // parsed JSON (or the raw text when it was not JSON)
}

export interface ScriptedServer {
  baseURL: string; // e.g. http://127.0.0.1:43117/v1 — give it to the client as is
  requests: RecordedRequest[]; // every chat-completions request, in arrival order
  close(): Promise<void>;
}

export function textStep(content: string, usage?: { prompt_tokens: number; completion_tokens: number }): ScriptStep {
  return { kind: "completion", content, usage };
}

export function toolCallStep(
  name: string,
  args: string | Record<string, unknown>,
  opts: { content?: string | null; usage?: { prompt_tokens: number; completion_tokens: number }; id?: string } = {},
): ScriptStep {
  return { kind: "completion", content: opts.content ?? null, tool_calls: [{ name, arguments: args, id: opts.id }], usage: opts.usage };
}

function completionBody(step: Extract<ScriptStep, { kind: "completion" }>, index: number, model: string): Record<string, unknown> {
  const message: Record<string, unknown> = { role: "assistant", content: step.content ?? null };
  if (step.reasoning_content !== undefined) message.reasoning_content = step.reasoning_content;
  if (step.tool_calls && step.tool_calls.length > 0) {
    message.tool_calls = step.tool_calls.map((tc, i) => ({
      id: tc.id ?? `call_${index}_${i}`,
      type: "function",
      function: { name: tc.name, arguments: typeof tc.arguments === "string" ? tc.arguments : JSON.stringify(tc.arguments) },
    }));
  }
  const choice: Record<string, unknown> = {
    index: 0,
    message,
    finish_reason: step.finish_reason ?? (step.tool_calls?.length ? "tool_calls" : "stop"),
  };
  if (step.logprobs !== undefined) choice.logprobs = step.logprobs;
  const body: Record<string, unknown> = {
    id: `chatcmpl-scripted-${index}`,
    object: "chat.completion",
    created: 1_700_000_000,
    model,
    choices: [choice],
  };
  if (step.usage) {
    body.usage = { ...step.usage, total_tokens: step.usage.prompt_tokens + step.usage.completion_tokens };
  }
  return { ...body, ...step.extra };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  let next = 0;
  // Pending delays end early when the server closes, so a test never waits on a reply nobody will read.
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));

  const stepFor = (index: number, body: unknown): ScriptStep | undefined =>
    typeof script === "function" ? script(index, body) : script[next++];

  const answer = async (step: ScriptStep, index: number, body: unknown, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    switch (step.kind) {
      case "completion": {
        const model = (body as { model?: unknown } | null)?.model;
        sendJson(res, 200, completionBody(step, index, typeof model === "string" ? model : "scripted"));
        return;
      }
      case "error": {
        const headers: Record<string, string> = {};
        if (step.retryAfter !== undefined) headers["retry-after"] = String(step.retryAfter);
        if (step.retryAfterMs !== undefined) headers["retry-after-ms"] = String(step.retryAfterMs);
        const message = step.message ?? `scripted HTTP ${step.status}`;
        sendJson(res, step.status, { error: { message, type: "scripted_error", code: step.status } }, headers);
        return;
      }
      case "delay":
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, step.ms);
          void closed.then(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        if (req.socket.destroyed) return; // the client gave up (timeout) or the server closed: nobody to answer
        await answer(step.then, index, body, req, res);
        return;
      case "reset":
        req.socket.destroy();
        return;
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
        sendJson(res, 404, { error: { message: `scripted server: no route ${req.method} ${req.url}` } });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const index = requests.length;
      requests.push({ method: req.method, path: req.url, headers: { ...req.headers }, body });
      const step = stepFor(index, body);
      if (!step) {
        sendJson(res, 400, { error: { message: `scripted server: script exhausted (request ${index + 1})`, type: "script_exhausted" } });
        return;
      }
      await answer(step, index, body, req, res);
    })().catch((e: unknown) => sendJson(res, 500, { error: { message: `scripted server failure: ${String(e)}` } }));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        markClosed();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
