// The agent's tools: schemas sent to the model and validation of the arguments it produces. Names and argument
// schemas match the ones OpenHands uses (docs/DESIGN.md §4) so our trajectories train the same way as the paper's;
// the descriptions are our own. Validation never throws: a bad call becomes an observation that tells the model
// what is allowed, and the loop continues.

import type { ToolSchema } from "./types.js";

export const TOOL_NAMES = ["execute_bash", "str_replace_editor", "think", "finish"] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export const EDITOR_COMMANDS = ["view", "create", "str_replace", "insert", "undo_edit"] as const;
export type EditorCommand = (typeof EDITOR_COMMANDS)[number];

export interface ExecuteBashArgs {
  command: string;
  is_input?: "true" | "false";
  timeout?: number; // seconds
}

export interface EditorArgs {
  command: EditorCommand;
  path: string;
  file_text?: string;
  old_str?: string;
  new_str?: string;
  insert_line?: number;
  view_range?: number[];
}

export interface ThinkArgs {
  thought: string;
}

export interface FinishArgs {
  message: string;
  task_completed?: "true" | "false" | "partial";
}

export type ToolCallArgs =
  | { tool: "execute_bash"; args: ExecuteBashArgs }
  | { tool: "str_replace_editor"; args: EditorArgs }
  | { tool: "think"; args: ThinkArgs }
  | { tool: "finish"; args: FinishArgs };

const EXECUTE_BASH: ToolSchema = {
  type: "function",
  function: {
    name: "execute_bash",
    description: [
      "Run a shell command in a persistent bash session inside the repository's sandbox.",
      "The working directory and environment variables carry over from one call to the next.",
      "There is no network access. Prefer commands that finish on their own; long outputs are shortened in the middle.",
      "If a command is still running when its time runs out, you can send more input to it (is_input=true),",
      "send an empty command with is_input=true to read new output, or send C-c to interrupt it.",
    ].join(" "),
    parameters: {
      type: "object",
      properties: {
        command: {
          type: "string",
          description: "The shell command to run, or the text to send to the running process when is_input is true.",
        },
        is_input: {
          type: "string",
          enum: ["true", "false"],
          description: "\"true\" to send `command` as input to the process started by an earlier call. Default \"false\".",
        },
        timeout: {
          type: "number",
          description: "Optional time limit for this command, in seconds.",
        },
      },
      required: ["command"],
    },
  },
};

const STR_REPLACE_EDITOR: ToolSchema = {
  type: "function",
  function: {
    name: "str_replace_editor",
    description: [
      "Look at and change files in the repository.",
      "`view` shows a file with line numbers (optionally only `view_range` [first, last], last = -1 for the end of the file)",
      "or lists a directory two levels deep.",
      "`create` writes a new file with `file_text`; it will not overwrite an existing file.",
      "`str_replace` replaces `old_str` with `new_str`; `old_str` must match the file exactly, whitespace included,",
      "and occur exactly once, so include enough surrounding lines to make it unique.",
      "`insert` adds `new_str` after line `insert_line` (0 puts it at the top).",
      "`undo_edit` reverts the most recent change made to `path` with this tool.",
      "Paths may be absolute inside the repository or relative to it.",
    ].join(" "),
    parameters: {
      type: "object",
      properties: {
        command: {
          type: "string",
          enum: [...EDITOR_COMMANDS],
          description: "The operation: view, create, str_replace, insert or undo_edit.",
        },
        path: { type: "string", description: "The file or directory to operate on." },
        file_text: { type: "string", description: "For `create`: the full content of the new file." },
        old_str: { type: "string", description: "For `str_replace`: the exact text to replace." },
        new_str: {
          type: "string",
          description: "For `str_replace`: the replacement text (may be empty). For `insert`: the text to add.",
        },
        insert_line: {
          type: "integer",
          description: "For `insert`: the line after which `new_str` is added (0 = before the first line).",
        },
        view_range: {
          type: "array",
          items: { type: "integer" },
          description: "For `view` on a file: [first_line, last_line], 1-based and inclusive; last_line -1 means the end.",
        },
      },
      required: ["command", "path"],
    },
  },
};

const THINK: ToolSchema = {
  type: "function",
  function: {
    name: "think",
    description:
      "Write down your reasoning, a plan or a hypothesis. Nothing is executed and nothing changes; use it to think before acting.",
    parameters: {
      type: "object",
      properties: { thought: { type: "string", description: "Your reasoning." } },
      required: ["thought"],
    },
  },
};

const FINISH: ToolSchema = {
  type: "function",
  function: {
    name: "finish",
    description: "End the task. Call it once your changes are complete, with a short summary of what you did.",
    parameters: {
      type: "object",
      properties: {
        message: { type: "string", description: "A short summary of the work done." },
        task_completed: {
          type: "string",
          enum: ["true", "false", "partial"],
          description: "Whether the task is fully done (\"true\"), not done (\"false\") or partly done (\"partial\").",
        },
      },
      required: ["message"],
    },
  },
};

// The tool schemas in the order they are presented to the model. Returned as fresh copies so a caller that
// mutates them cannot change what later episodes send.
export function toolSchemas(): ToolSchema[] {
  return structuredClone([EXECUTE_BASH, STR_REPLACE_EDITOR, THINK, FINISH]);
}

export function isToolName(name: string): name is ToolName {
  return (TOOL_NAMES as readonly string[]).includes(name);
}

export type ValidationResult = { ok: true; call: ToolCallArgs } | { ok: false; error: string };

type ParamKind = "string" | "number" | "integer" | "integer[]";

interface ParamSpec {
  kind: ParamKind;
  required: boolean;
  enum?: readonly string[];
}

const PARAMS: Record<ToolName, Record<string, ParamSpec>> = {
  execute_bash: {
    command: { kind: "string", required: true },
    is_input: { kind: "string", required: false, enum: ["true", "false"] },
    timeout: { kind: "number", required: false },
  },
  str_replace_editor: {
    command: { kind: "string", required: true, enum: EDITOR_COMMANDS },
    path: { kind: "string", required: true },
    file_text: { kind: "string", required: false },
    old_str: { kind: "string", required: false },
    new_str: { kind: "string", required: false },
    insert_line: { kind: "integer", required: false },
    view_range: { kind: "integer[]", required: false },
  },
  think: { thought: { kind: "string", required: true } },
  finish: {
    message: { kind: "string", required: true },
    task_completed: { kind: "string", required: false, enum: ["true", "false", "partial"] },
  },
};

function describeTools(): string {
  return TOOL_NAMES.map((t) => `${t}(${Object.keys(PARAMS[t]).join(", ")})`).join(", ");
}

// Parse the JSON arguments text of a native tool call. Returns an error message for the model when it is not a
// JSON object.
export function parseArgumentsJson(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = text.trim() === "" ? {} : JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      error: `The arguments of your tool call are not valid JSON (${(e as Error).message}). Send the arguments as one JSON object, e.g. {"command": "ls"}.`,
    };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, error: "The arguments of your tool call must be a JSON object mapping parameter names to values." };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

// Coerce one argument value to the parameter's type. The text format delivers every value as a string, and some
// models send numbers as strings in native mode too, so numeric strings and JSON-array strings are accepted.
function coerce(value: unknown, spec: ParamSpec): { ok: true; value: unknown } | { ok: false; expected: string } {
  switch (spec.kind) {
    case "string": {
      // Booleans for the "true"/"false" enums are a common, harmless slip.
      const v = typeof value === "boolean" && spec.enum ? String(value) : value;
      if (typeof v !== "string") return { ok: false, expected: "a string" };
      if (spec.enum && !spec.enum.includes(v)) return { ok: false, expected: `one of ${spec.enum.map((e) => `"${e}"`).join(", ")}` };
      return { ok: true, value: v };
    }
    case "number":
    case "integer": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value.trim()) : value;
      if (typeof n !== "number" || !Number.isFinite(n)) return { ok: false, expected: spec.kind === "integer" ? "an integer" : "a number" };
      if (spec.kind === "integer" && !Number.isInteger(n)) return { ok: false, expected: "an integer" };
      return { ok: true, value: n };
    }
    case "integer[]": {
      let v = value;
      if (typeof v === "string") {
        try {
          v = JSON.parse(v);
        } catch {
          return { ok: false, expected: "a list of integers such as [1, 40]" };
        }
      }
      if (!Array.isArray(v) || !v.every((x) => typeof x === "number" && Number.isInteger(x))) {
        return { ok: false, expected: "a list of integers such as [1, 40]" };
      }
      return { ok: true, value: v };
    }
  }
}

// Check a tool call (name + arguments object) against the schemas. Unknown tools, unknown parameters, missing
// required parameters and wrongly typed values all produce a message naming what is allowed.
export function validateToolCall(name: string, args: Record<string, unknown>): ValidationResult {
  if (!isToolName(name)) {
    return { ok: false, error: `There is no tool named "${name}". The available tools are: ${describeTools()}.` };
  }
  const specs = PARAMS[name];
  const allowed = Object.keys(specs);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    const spec = specs[key];
    if (!spec) {
      return {
        ok: false,
        error: `The tool ${name} has no parameter "${key}". Its parameters are: ${allowed.join(", ")}.`,
      };
    }
    const c = coerce(value, spec);
    if (!c.ok) return { ok: false, error: `The parameter "${key}" of ${name} must be ${c.expected}.` };
    out[key] = c.value;
  }
  const missing = allowed.filter((k) => specs[k]?.required && !(k in out));
  if (missing.length > 0) {
    return {
      ok: false,
      error: `The tool ${name} needs the parameter${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")}. Its parameters are: ${allowed.join(", ")}.`,
    };
  }
  // The casts are safe: every key was checked against PARAMS[name] above, which mirrors the interfaces.
  switch (name) {
    case "execute_bash":
      return { ok: true, call: { tool: name, args: out as unknown as ExecuteBashArgs } };
    case "str_replace_editor":
      return { ok: true, call: { tool: name, args: out as unknown as EditorArgs } };
    case "think":
      return { ok: true, call: { tool: name, args: out as unknown as ThinkArgs } };
    case "finish":
      return { ok: true, call: { tool: name, args: out as unknown as FinishArgs } };
  }
}
