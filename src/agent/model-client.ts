// Client for any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, SGLang, llama.cpp...). Retries are
// ours, not the SDK's (maxRetries: 0), so every failed try is recorded in the rollout. The response body is kept
// exactly as the server sent it: vLLM puts token ids and logprobs there, and RL trainers need them.

import { readFileSync } from "node:fs";
import OpenAI from "openai";
import { UserError } from "../core/errors.js";
import { PolicyError, type AssistantMessage, type AttemptFailure, type Policy, type PolicyRequest, type PolicyResponse } from "./policy.js";
import type { ToolCall, Usage } from "./types.js";

export interface SamplingOptions {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  stop?: string[];
  extra_body?: Record<string, unknown>; // merged into the request body as is, e.g. { logprobs: true }
}

export interface ModelPrice {
  input_per_mtok: number; // USD per million prompt tokens
  output_per_mtok: number; // USD per million completion tokens
}

export type PriceTable = Record<string, ModelPrice>;

export interface Endpoint {
  baseURL: string;
  apiKey: string;
  model: string;
}

export interface RetryOptions {
  maxRetries: number; // retries after the first try (default 5)
  baseDelayMs: number; // first back-off (default 1000), doubled each retry, with jitter
  maxDelayMs: number; // cap on one back-off, Retry-After included (default 60000)
}

export interface ModelClientOptions extends Endpoint {
  timeoutMs?: number; // per try (default 600000)
  retry?: Partial<RetryOptions>;
  sampling?: SamplingOptions;
  prices?: PriceTable;
  random?: () => number; // jitter source; injectable so back-off is reproducible
}

const DEFAULT_BASE_URL = "https://api.openai.com/v1";

// Where the model endpoint comes from: explicit options first, then OPENAI_BASE_URL / OPENAI_API_KEY /
// HGYM_MODEL. An endpoint is configured by a base URL, or by an API key together with a model name (then the
// OpenAI API is meant). Returns null when nothing configures one, so callers can fall back (e.g. func-localize
// descriptions derived from docstrings); a stray OPENAI_API_KEY in the environment alone does not count. Shared
// by the CLI and the description writer.
export function resolveEndpoint(
  opts: { baseURL?: string; apiKey?: string; model?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): Endpoint | null {
  const baseURL = opts.baseURL || env.OPENAI_BASE_URL || "";
  const apiKey = opts.apiKey || env.OPENAI_API_KEY || "";
  const model = opts.model || env.HGYM_MODEL || "";
  const configured = baseURL !== "" || (apiKey !== "" && model !== "") || Boolean(opts.apiKey);
  if (!configured) return null;
  if (!model) {
    throw new UserError(
      `A model endpoint is configured (${baseURL || DEFAULT_BASE_URL}) but no model name: pass --model or set HGYM_MODEL.`,
    );
  }
  // Local servers (vLLM, llama.cpp) accept any key; the SDK insists on a non-empty one.
  return { baseURL: baseURL || DEFAULT_BASE_URL, apiKey: apiKey || "EMPTY", model };
}

function isPrice(v: unknown): v is ModelPrice {
  if (v === null || typeof v !== "object") return false;
  const p = v as Record<string, unknown>;
  return typeof p.input_per_mtok === "number" && typeof p.output_per_mtok === "number";
}

// Read a price table from JSON: { "<model>": { "input_per_mtok": 0.15, "output_per_mtok": 0.6 }, ... }.
export function loadPriceTable(file: string): PriceTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UserError(`Could not read the price table ${file}: ${(e as Error).message}. It must be a JSON object of model -> { input_per_mtok, output_per_mtok }.`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UserError(`The price table ${file} must be a JSON object of model -> { input_per_mtok, output_per_mtok }.`);
  }
  const table: PriceTable = {};
  for (const [model, price] of Object.entries(parsed as Record<string, unknown>)) {
    if (!isPrice(price)) {
      throw new UserError(`The price of "${model}" in ${file} must be { "input_per_mtok": number, "output_per_mtok": number }.`);
    }
    table[model] = { input_per_mtok: price.input_per_mtok, output_per_mtok: price.output_per_mtok };
  }
  return table;
}

export function costOf(model: string, usage: Usage | null, prices: PriceTable | undefined): number {
  const price = prices?.[model];
  if (!price || !usage) return 0;
  return (usage.prompt_tokens * price.input_per_mtok + usage.completion_tokens * price.output_per_mtok) / 1_000_000;
}

// Retry-After as seconds or an HTTP date; retry-after-ms (sent by some OpenAI-compatible servers) wins.
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | null {
  if (!headers) return null;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headers.get("retry-after");
  if (ra === null || ra.trim() === "") return null;
  if (Number.isFinite(Number(ra))) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

const CONTEXT_ERROR = /context length|context window|maximum context|too many tokens|prompt is too long|input is too long/i;

interface Classified {
  retryable: boolean;
  kind: "infra" | "model" | "context";
  status: number | null;
  message: string;
  retryAfter: number | null;
}

function classify(e: unknown): Classified {
  if (e instanceof OpenAI.APIConnectionTimeoutError) {
    return { retryable: true, kind: "infra", status: null, message: "request timed out", retryAfter: null };
  }
  if (e instanceof OpenAI.APIConnectionError) {
    const cause = (e as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `: ${cause.message}` : "";
    return { retryable: true, kind: "infra", status: null, message: `connection error${detail}`, retryAfter: null };
  }
  if (e instanceof OpenAI.APIError) {
    const status = e.status ?? null;
    const message = `HTTP ${status ?? "?"}: ${e.message}`;
    const retryAfter = retryAfterMs(e.headers);
    if (status === 408 || status === 409 || status === 429 || (status !== null && status >= 500)) {
      return { retryable: true, kind: "infra", status, message, retryAfter };
    }
    const kind = status === 400 && CONTEXT_ERROR.test(e.message) ? "context" : "model";
    return { retryable: false, kind, status, message, retryAfter };
  }
  // Our own parsing of a 200 response failed (not JSON, no choices): the server is misbehaving.
  return { retryable: true, kind: "infra", status: null, message: (e as Error).message ?? String(e), retryAfter: null };
}

function toUsage(raw: unknown): Usage | null {
  if (raw === null || typeof raw !== "object") return null;
  const u = raw as Record<string, unknown>;
  const p = typeof u.prompt_tokens === "number" ? u.prompt_tokens : 0;
  const c = typeof u.completion_tokens === "number" ? u.completion_tokens : 0;
  const t = typeof u.total_tokens === "number" ? u.total_tokens : p + c;
  return { prompt_tokens: p, completion_tokens: c, total_tokens: t };
}

// The assistant message from a response body, in our ChatMessage shape. Tool calls without an id get a stable
// one so tool results can refer to them.
export function assistantFromResponse(body: unknown, callIndex: number): AssistantMessage {
  const choices = (body as { choices?: unknown } | null)?.choices;
  const first = Array.isArray(choices) ? (choices[0] as Record<string, unknown> | undefined) : undefined;
  const msg = first?.message as Record<string, unknown> | undefined;
  if (!msg) throw new Error("the response has no choices[0].message");
  const content = typeof msg.content === "string" ? msg.content : null;
  const out: AssistantMessage = { role: "assistant", content };
  const reasoning = typeof msg.reasoning_content === "string" ? msg.reasoning_content : typeof msg.reasoning === "string" ? msg.reasoning : null;
  if (reasoning) out.reasoning_content = reasoning;
  if (Array.isArray(msg.tool_calls) && msg.tool_calls.length > 0) {
    out.tool_calls = msg.tool_calls.map((tc: unknown, i: number): ToolCall => {
      const t = (tc ?? {}) as { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
      const args = t.function?.arguments;
      return {
        id: typeof t.id === "string" && t.id !== "" ? t.id : `call_${callIndex}_${i}`,
        type: "function",
        function: {
          name: typeof t.function?.name === "string" ? t.function.name : "",
          arguments: typeof args === "string" ? args : args === undefined ? "" : JSON.stringify(args),
        },
      };
    });
  }
  return out;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export class ModelClient implements Policy {
  readonly name: string;
  private readonly client: OpenAI;
  private readonly retry: RetryOptions;
  private readonly sampling: SamplingOptions;
  private readonly prices: PriceTable | undefined;
  private readonly random: () => number;
  private calls = 0;

  constructor(opts: ModelClientOptions) {
    this.name = opts.model;
    this.client = new OpenAI({ baseURL: opts.baseURL, apiKey: opts.apiKey, maxRetries: 0, timeout: opts.timeoutMs ?? 600_000 });
    this.retry = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 60_000, ...opts.retry };
    this.sampling = opts.sampling ?? {};
    this.prices = opts.prices;
    this.random = opts.random ?? Math.random;
  }

  // The exact request body for a conversation: what the server receives (and what tests assert on).
  requestBody(request: PolicyRequest): Record<string, unknown> {
    const { extra_body, ...sampling } = this.sampling;
    // reasoning_content is kept in the record but not sent back: several servers reject it in requests, and the
    // reasoning of earlier turns is not meant to be part of the prompt.
    const messages = request.messages.map((m) => {
      if (m.role !== "assistant" || m.reasoning_content === undefined) return m;
      const { reasoning_content: _omit, ...rest } = m;
      return rest;
    });
    const body: Record<string, unknown> = { model: this.name, messages };
    if (request.tools && request.tools.length > 0) body.tools = request.tools;
    for (const [k, v] of Object.entries(sampling)) if (v !== undefined) body[k] = v;
    return { ...body, ...extra_body };
  }

  private backoff(retryIndex: number, retryAfter: number | null): number {
    // Full jitter on an exponential ceiling; a server's Retry-After is a floor we respect.
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** retryIndex);
    const jittered = ceiling / 2 + (this.random() * ceiling) / 2;
    return Math.min(this.retry.maxDelayMs, Math.max(jittered, retryAfter ?? 0));
  }

  async complete(request: PolicyRequest, signal?: AbortSignal): Promise<PolicyResponse> {
    const callIndex = this.calls++;
    const body = this.requestBody(request);
    const failures: AttemptFailure[] = [];
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        // The body type is wider than the SDK's params (extra_body keys), which the SDK sends through unchanged.
        const params = body as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
        const response = await this.client.chat.completions.create(params, { signal }).asResponse();
        const text = await response.text();
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch {
          throw new Error(`the server answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
        }
        const message = assistantFromResponse(raw, callIndex);
        const usage = toUsage((raw as { usage?: unknown }).usage);
        return {
          message,
          raw,
          usage,
          cost: costOf(this.name, usage, this.prices),
          latencyMs: Date.now() - started,
          attempts: attempt,
          failures,
        };
      } catch (e) {
        if (signal?.aborted) throw e;
        const c = classify(e);
        const last = !c.retryable || attempt > this.retry.maxRetries;
        const wait = last ? 0 : this.backoff(attempt - 1, c.retryAfter);
        failures.push({ attempt, status: c.status, error: c.message, wait_ms: Math.round(wait) });
        if (last) {
          const why = c.retryable ? `after ${attempt} tries` : "(not retryable)";
          throw new PolicyError(`model request to ${this.client.baseURL} failed ${why}: ${c.message}`, c.kind, c.status, failures);
        }
        await sleep(wait, signal);
      }
    }
  }
}
