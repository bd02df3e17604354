// The text tool-call format, for models served without native tool calling and for the OpenHands-style SFT export
// the paper trained on. A call is written in the assistant's text as
//
//   <function=NAME>
//   <parameter=KEY>VALUE</parameter>
//   </function>
//
// and its result comes back as a user turn starting with `EXECUTION RESULT of [NAME]:`. The parser is tolerant
// of what models actually emit (a missing final `</function>` because it was a stop sequence, extra whitespace,
// multi-line values, any parameter order); only the first call of a turn is executed.

import type { ChatMessage, ToolSchema } from "./types.js";

export const EXECUTION_RESULT_PREFIX = "EXECUTION RESULT of [";

export interface TextToolCall {
  name: string;
  args: Record<string, string>; // every value is text; tools.ts coerces numbers and lists
}

export interface TextParseResult {
  call: TextToolCall | null; // the first call in the message, if any
  ignoredCalls: number; // further calls in the same message (not executed)
  error: string | null; // a call was started but could not be read; message for the model
}

interface JsonSchemaProperty {
  type?: string;
  description?: string;
  enum?: string[];
  items?: { type?: string };
}

function schemaProperties(tool: ToolSchema): { props: Record<string, JsonSchemaProperty>; required: string[] } {
  const params = tool.function.parameters as { properties?: Record<string, JsonSchemaProperty>; required?: string[] };
  return { props: params.properties ?? {}, required: params.required ?? [] };
}

function typeLabel(p: JsonSchemaProperty): string {
  if (p.type === "array") return `array of ${p.items?.type ?? "values"}`;
  return p.type ?? "string";
}

// The system-prompt section that explains the format and lists the functions. Deterministic for given tools.
export function textToolsSection(tools: ToolSchema[]): string {
  const out: string[] = [];
  out.push("## Calling functions");
  out.push("");
  out.push("You act by calling one of the functions below. Write the call in your reply exactly like this:");
  out.push("");
  out.push("<function=FUNCTION_NAME>");
  out.push("<parameter=PARAMETER_NAME>value</parameter>");
  out.push("<parameter=OTHER_PARAMETER>a value that may");
  out.push("span several lines</parameter>");
  out.push("</function>");
  out.push("");
  out.push("Rules:");
  out.push("- Make at most one function call per reply, and put it at the end of the reply. Only the first call is run.");
  out.push("- Write values as plain text, without quotes or escaping; lists are written as JSON, e.g. [1, 20].");
  out.push("- Give every required parameter and no parameter that is not listed.");
  out.push("- The result comes back in the next message, which starts with `EXECUTION RESULT of [FUNCTION_NAME]:`.");
  out.push("");
  out.push("Available functions:");
  for (const tool of tools) {
    const { props, required } = schemaProperties(tool);
    out.push("");
    out.push(`### ${tool.function.name}`);
    out.push(tool.function.description);
    const names = Object.keys(props);
    if (names.length === 0) {
      out.push("Parameters: none.");
      continue;
    }
    out.push("Parameters:");
    for (const name of names) {
      const p = props[name] as JsonSchemaProperty;
      const flags = [typeLabel(p), required.includes(name) ? "required" : "optional"];
      const allowed = p.enum ? ` Allowed values: ${p.enum.join(", ")}.` : "";
      out.push(`- ${name} (${flags.join(", ")}): ${p.description ?? ""}${allowed}`);
    }
  }
  return out.join("\n");
}

function valueText(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.includes("\n") ? `\n${text}\n` : text;
}

// Write one call in the text format. Parameters keep the order of `args`.
export function formatTextToolCall(name: string, args: Record<string, unknown>): string {
  const params = Object.entries(args).map(([k, v]) => `<parameter=${k}>${valueText(v)}</parameter>`);
  return [`<function=${name}>`, ...params, "</function>"].join("\n");
}

export function executionResultText(name: string, observation: string): string {
  return `${EXECUTION_RESULT_PREFIX}${name}]:\n${observation}`;
}

const FUNCTION_OPEN = /<function\s*=\s*([^>\s]*)\s*>/g;
const PARAMETER_OPEN = /<parameter\s*=\s*([^>\s]*)\s*>/g;

// Values are often written on their own lines: one newline right after the opening tag and one right before the
// closing tag are layout, not content. formatTextToolCall adds exactly that layout to multi-line values, so
// format -> parse gives back the same text.
function trimLayoutNewlines(value: string): string {
  let v = value;
  if (v.startsWith("\n")) v = v.slice(1);
  if (v.endsWith("\n")) v = v.slice(0, -1);
  return v;
}

// Read the parameters of one call body (the text between `<function=...>` and its end).
function parseParameters(body: string): { args: Record<string, string>; error: string | null } {
  const args: Record<string, string> = {};
  const opens = [...body.matchAll(PARAMETER_OPEN)];
  for (let i = 0; i < opens.length; i++) {
    const m = opens[i] as RegExpMatchArray;
    const key = m[1] ?? "";
    if (key === "") return { args, error: "A <parameter=...> tag has no parameter name." };
    const start = (m.index ?? 0) + m[0].length;
    const close = body.indexOf("</parameter>", start);
    const nextOpen = opens[i + 1]?.index ?? body.length;
    // Tolerate a missing </parameter> when the next parameter (or the end of the call) follows.
    const end = close !== -1 && close <= nextOpen ? close : nextOpen;
    if (key in args) return { args, error: `The parameter "${key}" is given twice.` };
    args[key] = trimLayoutNewlines(body.slice(start, end));
  }
  return { args, error: null };
}

export function parseTextToolCall(content: string): TextParseResult {
  const opens = [...content.matchAll(FUNCTION_OPEN)];
  const first = opens[0];
  if (!first) return { call: null, ignoredCalls: 0, error: null };
  const name = first[1] ?? "";
  const bodyStart = (first.index ?? 0) + first[0].length;
  const close = content.indexOf("</function>", bodyStart);
  const secondIndex = opens[1]?.index ?? content.length;
  // The call ends at its </function>, or — when that is missing (a stop sequence, or the model forgot it) — at the
  // next <function=...> or the end of the message.
  const bodyEnd = close !== -1 && close <= secondIndex ? close : secondIndex;
  const ignoredCalls = opens.length - 1;
  if (name === "") {
    return { call: null, ignoredCalls, error: "A <function=...> tag has no function name. Write <function=NAME> with one of the listed functions." };
  }
  const { args, error } = parseParameters(content.slice(bodyStart, bodyEnd));
  if (error) return { call: null, ignoredCalls, error: `Could not read the call to ${name}: ${error}` };
  return { call: { name, args }, ignoredCalls, error: null };
}

function parseJsonArgs(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    if (v !== null && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through: unparsable arguments are kept verbatim below
  }
  return { arguments: text };
}

// Convert a conversation recorded with native tool calls into the text format: the tool descriptions are
// appended to the system prompt, each assistant tool call becomes a <function=...> block after its text, and the
// tool results become `EXECUTION RESULT of [name]:` user turns (consecutive results are merged into one turn so
// roles keep alternating). Deterministic: the same input always gives the same output.
export function toTextFormat(messages: ChatMessage[], tools: ToolSchema[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  const section = textToolsSection(tools);
  const names = new Map<string, string>(); // tool_call_id -> tool name
  let sawSystem = false;
  let pendingResults: string[] = [];
  const flush = (): void => {
    if (pendingResults.length > 0) out.push({ role: "user", content: pendingResults.join("\n\n") });
    pendingResults = [];
  };
  for (const m of messages) {
    if (m.role !== "tool") flush();
    switch (m.role) {
      case "system":
        sawSystem = true;
        out.push({ role: "system", content: `${m.content}\n\n${section}` });
        break;
      case "user":
        out.push({ role: "user", content: m.content });
        break;
      case "assistant": {
        const parts: string[] = [];
        if (m.content) parts.push(m.content);
        for (const tc of m.tool_calls ?? []) {
          names.set(tc.id, tc.function.name);
          parts.push(formatTextToolCall(tc.function.name, parseJsonArgs(tc.function.arguments)));
        }
        out.push({ role: "assistant", content: parts.join("\n\n") });
        break;
      }
      case "tool": {
        const name = m.name ?? names.get(m.tool_call_id) ?? "unknown";
        pendingResults.push(executionResultText(name, m.content));
        break;
      }
    }
  }
  flush();
  if (!sawSystem) out.unshift({ role: "system", content: section });
  return out;
}
