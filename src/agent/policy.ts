// What the agent loop needs from "the model": given the conversation (and the tool schemas in native mode),
// produce the next assistant message. The OpenAI-compatible model client and the oracle both implement it, so the
// loop records an oracle run exactly like a model run.

import type { ChatMessage, ToolSchema, Usage } from "./types.js";

export type AssistantMessage = Extract<ChatMessage, { role: "assistant" }>;

// One try of a model request that did not succeed, kept so a rollout shows why it was slow or failed.
export interface AttemptFailure {
  attempt: number; // 1-based
  status: number | null; // HTTP status, null for timeouts / connection errors
  error: string;
  wait_ms: number; // back-off before the next try (0 when it was the last)
}

export interface PolicyRequest {
  messages: ChatMessage[];
  tools: ToolSchema[] | null; // null in text format (the tools are described in the system prompt)
}

export interface PolicyResponse {
  message: AssistantMessage;
  raw: unknown; // the response body as the server returned it
  usage: Usage | null;
  cost: number;
  latencyMs: number;
  attempts: number; // 1 + retries
  failures: AttemptFailure[];
}

export interface Policy {
  readonly name: string; // model name, or "oracle"
  complete(request: PolicyRequest, signal?: AbortSignal): Promise<PolicyResponse>;
}

// A model request that failed for good. `kind` decides the rollout's exit:
//   infra   — endpoint unreachable / overloaded after every retry (the runner may retry the rollout)
//   model   — the endpoint rejected the request (400/401/404...): a model or configuration problem
//   context — the request is longer than the model's context window
export class PolicyError extends Error {
  constructor(
    message: string,
    readonly kind: "infra" | "model" | "context",
    readonly status: number | null,
    readonly failures: AttemptFailure[],
  ) {
    super(message);
    this.name = "PolicyError";
  }
}
