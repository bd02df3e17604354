// The OpenHands text tool-call format as OpenHands renders it for models without native function calling (its
// `fn_call_converter`: https://github.com/All-Hands-AI/OpenHands/blob/main/openhands/llm/fn_call_converter.py), the
// format the Hybrid-Gym paper's released SFT data uses:
//   - the system prompt gets a suffix listing every function as a `---- BEGIN FUNCTION #i: name ----` block
//     (description, numbered parameters with type and required/optional, enum values) and the call syntax;
//   - an assistant turn with a call is its text, a blank line, then `<function=NAME>` / `<parameter=K>V</parameter>`
//     lines / `</function>`; a multi-line string value sits on its own lines;
//   - each tool result becomes a user turn `EXECUTION RESULT of [NAME]:\n<output>`;
//   - optionally the first user turn is wrapped in an in-context example (START/END OF EXAMPLE, NEW TASK
//     DESCRIPTION markers and the closing "PLEASE follow the format strictly!" line, as OpenHands frames it).
// The example conversation itself is ours (hgym's tools and a shell session), not OpenHands' flask example; the
// frame around it is OpenHands'. Written from the format, not from their code.

import type { ChatMessage, ToolSchema } from "../agent/types.js";

interface ParamInfo {
  type?: string;
  description?: string;
  enum?: unknown[];
}

export function functionDescriptions(tools: ToolSchema[]): string {
  const blocks = tools.map((tool, i) => {
    const fn = tool.function;
    const lines = [`---- BEGIN FUNCTION #${i + 1}: ${fn.name} ----`, `Description: ${fn.description}`];
    const params = fn.parameters as { properties?: Record<string, ParamInfo>; required?: string[] } | undefined;
    if (params) {
      lines.push("Parameters:");
      const required = new Set(params.required ?? []);
      Object.entries(params.properties ?? {}).forEach(([name, info], j) => {
        let desc = info.description ?? "No description provided";
        if (info.enum) desc += `\nAllowed values: [${info.enum.map((v) => `\`${String(v)}\``).join(", ")}]`;
        lines.push(`  (${j + 1}) ${name} (${info.type ?? "string"}, ${required.has(name) ? "required" : "optional"}): ${desc}`);
      });
    } else {
      lines.push("No parameters are required for this function.");
    }
    lines.push(`---- END FUNCTION #${i + 1} ----`);
    return lines.join("\n") + "\n";
  });
  return blocks.join("\n");
}

export function systemPromptSuffix(tools: ToolSchema[]): string {
  return [
    "",
    "You have access to the following functions:",
    "",
    functionDescriptions(tools),
    "If you choose to call a function ONLY reply in the following format with NO suffix:",
    "",
    "<function=example_function_name>",
    "<parameter=example_parameter_1>value_1</parameter>",
    "<parameter=example_parameter_2>",
    "This is the value for the second parameter",
    "that can span",
    "multiple lines",
    "</parameter>",
    "</function>",
    "",
    "<IMPORTANT>",
    "Reminder:",
    "- Function calls MUST follow the specified format, start with <function= and end with </function>",
    "- Required parameters MUST be specified",
    "- Only call one function at a time",
    "- You may provide optional reasoning for your function call in natural language BEFORE the function call, but NOT after.",
    "- If there is no function call available, answer the question like normal with your current knowledge and do not tell the user about function calls",
    "</IMPORTANT>",
    "",
  ].join("\n");
}

// Python's str() of the value, which is what OpenHands' f-string writes for non-string arguments.
function pythonText(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v === null || v === undefined) return "None";
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === "string" ? `'${x}'` : pythonText(x))).join(", ")}]`;
  if (typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `'${k}': ${typeof x === "string" ? `'${x}'` : pythonText(x)}`).join(", ")}}`;
  return String(v);
}

export function renderCall(name: string, args: Record<string, unknown>): string {
  let out = `<function=${name}>\n`;
  for (const [k, v] of Object.entries(args)) {
    const multiline = typeof v === "string" && v.includes("\n");
    out += `<parameter=${k}>${multiline ? "\n" : ""}${pythonText(v)}${multiline ? "\n" : ""}</parameter>\n`;
  }
  return out + "</function>";
}

const EXAMPLE_TOOLS = ["execute_bash", "str_replace_editor", "finish"] as const;

// One worked exchange per tool the conversation offers, in OpenHands' USER:/ASSISTANT: layout.
function exampleFor(tools: ToolSchema[]): string {
  const names = new Set(tools.map((t) => t.function.name));
  if (!EXAMPLE_TOOLS.some((n) => names.has(n))) return "";
  const parts: string[] = ["USER: Find the function that formats prices in this repository and tell me its file.\n"];
  if (names.has("execute_bash")) {
    parts.push(
      `ASSISTANT: Let me search the code first:\n${renderCall("execute_bash", { command: "grep -rn 'def format_price' ." })}\n\nUSER: EXECUTION RESULT of [execute_bash]:\n./shop/money.py:12:def format_price(cents):\n`,
    );
  }
  if (names.has("str_replace_editor")) {
    parts.push(
      `ASSISTANT:\nLet me read it:\n${renderCall("str_replace_editor", { command: "view", path: "shop/money.py", view_range: [10, 14] })}\n\nUSER: EXECUTION RESULT of [str_replace_editor]:\nHere's the result of running \`cat -n\` on shop/money.py:\n    10\n    11\n    12\tdef format_price(cents):\n    13\t    return f"{cents // 100}.{cents % 100:02d}"\n    14\n`,
    );
  }
  if (names.has("finish")) {
    parts.push(`ASSISTANT:\nThe function is format_price in shop/money.py.\n${renderCall("finish", { message: "format_price is defined in shop/money.py, line 12." })}\n`);
  }
  return (
    "Here's a running example of how to perform a task with the provided tools.\n\n--------------------- START OF EXAMPLE ---------------------\n\n" +
    parts.join("\n") +
    "\n--------------------- END OF EXAMPLE ---------------------\n\nDo NOT assume the environment is the same as in the example above.\n\n--------------------- NEW TASK DESCRIPTION ---------------------\n"
  );
}

const EXAMPLE_SUFFIX =
  "\n--------------------- END OF NEW TASK DESCRIPTION ---------------------\n\nPLEASE follow the format strictly! PLEASE EMIT ONE AND ONLY ONE FUNCTION CALL PER MESSAGE.\n";

function parseArgs(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // kept as one raw value below
  }
  return { arguments: text };
}

// Native (function-calling) messages → OpenHands text messages: system, user and assistant turns only.
export function toOpenHandsText(messages: ChatMessage[], tools: ToolSchema[], opts: { inContextExample: boolean }): { role: "system" | "user" | "assistant"; content: string }[] {
  const out: { role: "system" | "user" | "assistant"; content: string }[] = [];
  const names = new Map<string, string>();
  let firstUser = true;
  for (const m of messages) {
    if (m.role === "system") {
      out.push({ role: "system", content: m.content + systemPromptSuffix(tools) });
    } else if (m.role === "user") {
      let content = m.content;
      if (firstUser && opts.inContextExample) {
        const example = exampleFor(tools);
        if (example) content = example + content + EXAMPLE_SUFFIX;
      }
      firstUser = false;
      out.push({ role: "user", content });
    } else if (m.role === "assistant") {
      let content = m.content ?? "";
      const calls = m.tool_calls ?? [];
      // OpenHands allows one call per message; parallel calls (rare for our agent) are written one after another.
      for (const tc of calls) {
        names.set(tc.id, tc.function.name);
        content = `${content}\n\n${renderCall(tc.function.name, parseArgs(tc.function.arguments))}`.trimStart();
      }
      out.push({ role: "assistant", content });
    } else {
      const name = m.name ?? names.get(m.tool_call_id) ?? "function";
      out.push({ role: "user", content: `EXECUTION RESULT of [${name}]:\n${m.content}` });
    }
  }
  return out;
}
