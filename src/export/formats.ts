// Row shapes of the chat export formats. Each turns one RolloutRecord's conversation into what a trainer reads:
//   openai    {"messages", "tools"}  — TRL / axolotl chat format, tool_calls kept as sent
//   sharegpt  {"conversations", "tools"} — LLaMA-Factory's sharegpt layout with function_call/observation turns
//   openhands {"messages"} — the text format the paper trained on (OpenHands' function-description rendering)
// Every row also carries the same metadata columns (ROW_METADATA) in JSONL and Parquet, so a dataset can be
// filtered or grouped by instance, family, repository, language, reward and teacher without the run files.

import type { ChatMessage, RolloutRecord, ToolSchema } from "../agent/types.js";
import { toOpenHandsText } from "./openhands-text.js";

// How the conversation is written, for chat templates that differ:
//   toolArguments "string": function.arguments is JSON text, as the OpenAI API sends it; "object": the parsed
//     object (Qwen2.5 / Llama-3.1 templates `tojson` the arguments, so a string would be encoded twice).
//   nullContent "null": an assistant turn that only calls tools has content null, as the API returns it; "empty":
//     "" instead (gpt-oss templates reject null).
//   inContextExample: openhands only; wraps the first user turn in OpenHands' in-context example frame.
export interface RowOptions {
  toolArguments: "string" | "object";
  nullContent: "null" | "empty";
  inContextExample: boolean;
}

export const DEFAULT_ROW_OPTIONS: RowOptions = { toolArguments: "string", nullContent: "null", inContextExample: false };

export const ROW_METADATA = ["instance_id", "sample", "task", "repo", "language", "teacher", "reward", "success", "exit_reason"] as const;

export interface RowMetadata {
  instance_id: string;
  sample: number;
  task: string;
  repo: string;
  language: string;
  teacher: string; // the model that produced the trajectory ("oracle" for gold replays)
  reward: number | null; // the verifier's score (null only for rows mixed in from an external dataset without one)
  success: boolean | null;
  exit_reason: string;
}

export function rowMetadata(rec: RolloutRecord): RowMetadata {
  return {
    instance_id: rec.instance_id,
    sample: rec.sample,
    task: rec.task,
    repo: rec.repo,
    language: rec.language,
    teacher: rec.model,
    reward: rec.reward?.score ?? 0,
    success: rec.reward?.success ?? false,
    exit_reason: rec.exit_reason,
  };
}

export type ExportFormat = "openai" | "openhands" | "sharegpt";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["openai", "openhands", "sharegpt"];

// An assistant message as exported: arguments as text or as an object (RowOptions.toolArguments).
export type ExportedMessage =
  | Exclude<ChatMessage, { role: "assistant" }>
  | {
      role: "assistant";
      content: string | null;
      tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string | Record<string, unknown> } }[];
      reasoning_content?: string;
    };

export interface OpenAIRow {
  messages: ExportedMessage[];
  tools: ToolSchema[];
}

export interface ShareGPTTurn {
  from: "system" | "human" | "gpt" | "function_call" | "observation";
  value: string;
}

export interface ShareGPTRow {
  conversations: ShareGPTTurn[];
  tools: string; // JSON text of the function definitions, as LLaMA-Factory reads the column
}

export interface OpenHandsRow {
  messages: { role: "system" | "user" | "assistant"; content: string }[]; // all content text
}

export type ExportRow = OpenAIRow | ShareGPTRow | OpenHandsRow;
export type ExportRowWithMetadata = RowMetadata & ExportRow;

function objectArguments(text: string): Record<string, unknown> {
  const v = parseArguments(text);
  // Arguments that are not a JSON object (a model's malformed call) are kept whole under one key.
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : { arguments: text };
}

// External openai-format rows (--mix) are brought to the same row options as ours: a column whose arguments are
// text in some rows and objects in others, or content null in some and "" in others, fails `datasets`' loader.
export function normalizeOpenAIMessages(messages: unknown[], opts: RowOptions): unknown[] {
  return messages.map((raw) => {
    const m = raw as { role?: unknown; content?: unknown; tool_calls?: { function?: { name?: unknown; arguments?: unknown } }[] };
    if (m.role !== "assistant") return raw;
    const content = (m.content === null || m.content === undefined) && opts.nullContent === "empty" ? "" : m.content;
    const calls = m.tool_calls?.map((c) => {
      const args = c.function?.arguments;
      const converted = opts.toolArguments === "object" ? (typeof args === "string" ? objectArguments(args) : args) : typeof args === "string" ? args : JSON.stringify(args ?? {});
      return { ...c, function: { ...c.function, arguments: converted } };
    });
    return calls ? { ...m, content, tool_calls: calls } : { ...m, content };
  });
}

export function toOpenAIRow(rec: RolloutRecord, opts: RowOptions = DEFAULT_ROW_OPTIONS): OpenAIRow {
  const messages = rec.messages.map((m): ExportedMessage => {
    if (m.role !== "assistant") return m;
    const calls = m.tool_calls;
    const content = m.content === null && opts.nullContent === "empty" ? "" : m.content;
    if (!calls || opts.toolArguments === "string") return { ...m, content };
    return { ...m, content, tool_calls: calls.map((c) => ({ ...c, function: { name: c.function.name, arguments: objectArguments(c.function.arguments) } })) };
  });
  return { messages, tools: rec.tools };
}

// A rollout run in text format already is in a text format (hgym's, tools described in its system prompt) and is
// kept as run; a native one is rendered the way OpenHands renders function calls as text.
export function toOpenHandsRow(rec: RolloutRecord, opts: RowOptions = DEFAULT_ROW_OPTIONS): OpenHandsRow {
  if (rec.tool_format === "text") return { messages: rec.messages.map((m) => ({ role: m.role === "tool" ? "user" : m.role, content: m.content ?? "" })) };
  return { messages: toOpenHandsText(rec.messages, rec.tools, { inContextExample: opts.inContextExample }) };
}

// LLaMA-Factory requires turns to alternate: (system?) then human/observation on odd positions and
// gpt/function_call on even ones, ending with a model turn. So: parallel tool calls become one function_call turn
// holding a JSON list; their results become one observation turn; a trailing observation (the finish tool's
// result) is dropped; an assistant message's free text that accompanies tool calls has no place in a
// function_call turn and is dropped too (the openai and openhands formats keep it).
export function toShareGPTRow(rec: RolloutRecord): ShareGPTRow {
  const turns: ShareGPTTurn[] = [];
  const push = (turn: ShareGPTTurn) => {
    const prev = turns[turns.length - 1];
    // Two turns of the same side in a row (e.g. two user messages) are merged so alternation holds.
    if (prev && prev.from !== "system" && side(prev.from) === side(turn.from)) {
      prev.value = `${prev.value}\n\n${turn.value}`;
      return;
    }
    turns.push({ ...turn });
  };
  const msgs = rec.messages;
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i] as ChatMessage;
    if (m.role === "system") {
      if (turns.length === 0) turns.push({ from: "system", value: m.content });
      else push({ from: "human", value: m.content });
    } else if (m.role === "user") {
      push({ from: "human", value: m.content });
    } else if (m.role === "assistant") {
      const calls = m.tool_calls ?? [];
      if (calls.length === 0) {
        push({ from: "gpt", value: m.content ?? "" });
      } else {
        const parsed = calls.map((c) => ({ name: c.function.name, arguments: parseArguments(c.function.arguments) }));
        push({ from: "function_call", value: JSON.stringify(parsed.length === 1 ? parsed[0] : parsed) });
      }
    } else {
      // Consecutive tool results answer one function_call turn: gather them into one observation.
      const results: string[] = [m.content];
      while (i + 1 < msgs.length && (msgs[i + 1] as ChatMessage).role === "tool") {
        i++;
        results.push((msgs[i] as Extract<ChatMessage, { role: "tool" }>).content);
      }
      push({ from: "observation", value: results.length === 1 ? (results[0] as string) : JSON.stringify(results) });
    }
  }
  while (turns.length > 0 && side((turns[turns.length - 1] as ShareGPTTurn).from) !== "model") turns.pop();
  return { conversations: turns, tools: JSON.stringify(rec.tools.map((t) => t.function)) };
}

function side(from: ShareGPTTurn["from"]): "prompt" | "model" | "system" {
  if (from === "system") return "system";
  return from === "gpt" || from === "function_call" ? "model" : "prompt";
}

// Arguments are kept as the object the model meant; text that is not JSON stays a string so nothing is lost.
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function toRow(format: ExportFormat, rec: RolloutRecord, opts: RowOptions = DEFAULT_ROW_OPTIONS): ExportRowWithMetadata {
  const meta = rowMetadata(rec);
  switch (format) {
    case "openai":
      return { ...meta, ...toOpenAIRow(rec, opts) };
    case "openhands":
      return { ...meta, ...toOpenHandsRow(rec, opts) };
    case "sharegpt":
      return { ...meta, ...toShareGPTRow(rec) };
  }
}
