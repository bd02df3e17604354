// Row shapes of the chat export formats. Each turns one RolloutRecord's conversation into what a trainer reads:
//   openai    {"messages", "tools"}  — TRL / axolotl chat format, tool_calls kept as sent
//   sharegpt  {"conversations", "tools"} — LLaMA-Factory's sharegpt layout with function_call/observation turns
//   openhands {"messages"} — the text format the paper trained on (built by the agent's own converter)

import type { ChatMessage, RolloutRecord, ToolSchema } from "../agent/types.js";
import { toTextFormat } from "../agent/text-format.js";

export type ExportFormat = "openai" | "openhands" | "sharegpt";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["openai", "openhands", "sharegpt"];

export interface OpenAIRow {
  messages: ChatMessage[];
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
  messages: ChatMessage[]; // system / user / assistant only, all content text
}

export type ExportRow = OpenAIRow | ShareGPTRow | OpenHandsRow;

export function toOpenAIRow(rec: RolloutRecord): OpenAIRow {
  return { messages: rec.messages, tools: rec.tools };
}

// A rollout run in text format already is in this format (tools described in its system prompt); a native one is
// converted by the agent's converter, the same code that builds text-format prompts.
export function toOpenHandsRow(rec: RolloutRecord): OpenHandsRow {
  return { messages: rec.tool_format === "text" ? rec.messages : toTextFormat(rec.messages, rec.tools) };
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

export function toRow(format: ExportFormat, rec: RolloutRecord): ExportRow {
  switch (format) {
    case "openai":
      return toOpenAIRow(rec);
    case "openhands":
      return toOpenHandsRow(rec);
    case "sharegpt":
      return toShareGPTRow(rec);
  }
}
