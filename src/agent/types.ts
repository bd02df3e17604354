// Agent and rollout record shapes. Messages follow the OpenAI chat-completions format exactly (they are what was
// sent), so exports to TRL/axolotl need no reshaping and the OpenHands text format can be derived from them.

import type { Reward, TaskName } from "../core/reward.js";

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string }; // arguments: JSON text as the model produced it
}

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string }
  | { role: "assistant"; content: string | null; tool_calls?: ToolCall[]; reasoning_content?: string }
  | { role: "tool"; tool_call_id: string; name?: string; content: string };

// JSON schema of one tool as sent in the `tools` field of the request.
export interface ToolSchema {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export type ToolFormat = "native" | "text"; // native tool calls, or the <function=...> text format

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

// One call to the model endpoint.
export interface ModelCall {
  request_messages: number; // how many messages of `messages` were sent (after any context truncation)
  truncated: boolean; // the history was cut in the middle to fit the context
  raw_response: unknown; // the response body as returned by the server (token ids / logprobs kept if present)
  usage: Usage | null;
  cost: number; // USD, from the price table; 0 when unknown
  latency_ms: number;
  attempts: number; // 1 + retries
  // Optional detail (added by the agent layer):
  started_at?: string;
  retries?: { attempt: number; status: number | null; error: string; wait_ms: number }[]; // failed tries, in order
  dropped?: { from: number; to: number } | null; // messages[from, to) left out of this request (context budget)
  error?: string; // set when the call failed for good (the rollout then ended)
}

// One action the agent took and what it observed.
export interface Step {
  index: number;
  tool: string; // tool name, or "(none)" when the model answered without a tool call
  arguments: Record<string, unknown> | null; // parsed arguments, null if unparsable
  observation: string; // exactly what was returned to the model
  error: boolean; // the action failed (bad arguments, unknown tool, command error reported as observation)
  started_at: string;
  duration_ms: number;
}

export type ExitReason =
  | "finished" // the model called finish
  | "max_steps"
  | "max_cost"
  | "wall_time"
  | "stuck" // repeated action/observation loop
  | "context_overflow" // could not fit even system + task
  | "no_tool_calls" // kept answering without tools after the continuation messages
  | "model_error" // endpoint error that is not infrastructure (e.g. 400 on our request)
  | "infra_error"; // sandbox failure, endpoint unreachable after retries

export type FailureKind = "none" | "model" | "infra";

export interface RolloutRecord {
  schema: "hgym.rollout/1";
  instance_id: string;
  task: TaskName;
  repo: string;
  language: string;
  sample: number; // sample index, 0..K-1
  attempt: number; // infra retry number that produced this record (1-based)
  model: string; // model name, or "oracle"
  oracle: boolean;
  tool_format: ToolFormat;
  messages: ChatMessage[]; // the full conversation as sent, final state
  tools: ToolSchema[]; // tool schemas sent (empty in text format: they are in the system prompt)
  model_calls: ModelCall[];
  steps: Step[];
  final_diff: string; // unified diff of the workspace against its starting commit
  reward: Reward | null; // null when verification could not run (infra failure)
  exit_reason: ExitReason;
  failure: FailureKind;
  error: string | null; // message for model/infra failures
  usage: Usage;
  cost: number;
  wall_ms: number;
  started_at: string;
  finished_at: string;
  prompt_hash: string; // sha256 of the system prompt + tool schemas, to group runs by prompt version
}
