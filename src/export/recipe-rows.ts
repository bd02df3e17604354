// The row-level parts of the data recipe: the ablation that drops file-editing turns, de-duplication by
// conversation content, and mixing in external SFT datasets of the same format (the paper's best row mixed
// Hybrid-Gym trajectories with SWE-Play's).

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { z } from "zod";
import type { ChatMessage } from "../agent/types.js";
import { UserError } from "../core/errors.js";
import { sha256 } from "../util/hash.js";
import type { ExportFormat, ExportRowWithMetadata } from "./formats.js";

const EDIT_COMMANDS = new Set(["create", "str_replace", "insert", "undo_edit"]);

function editsFiles(call: { function: { name: string; arguments: string } }): boolean {
  if (call.function.name !== "str_replace_editor") return false;
  try {
    const args = JSON.parse(call.function.arguments) as { command?: unknown };
    return typeof args.command === "string" && EDIT_COMMANDS.has(args.command);
  } catch {
    return false;
  }
}

// Assistant turns whose every call edits a file (str_replace_editor create/str_replace/insert/undo_edit) are
// removed with their tool results; everything else (views, shell commands, reasoning, finish) is kept.
export function dropEditingTurns(messages: ChatMessage[]): { messages: ChatMessage[]; dropped: number } {
  const droppedCalls = new Set<string>();
  let dropped = 0;
  const out: ChatMessage[] = [];
  for (const m of messages) {
    if (m.role === "assistant" && m.tool_calls && m.tool_calls.length > 0 && m.tool_calls.every(editsFiles)) {
      for (const c of m.tool_calls) droppedCalls.add(c.id);
      dropped++;
      continue;
    }
    if (m.role === "tool" && droppedCalls.has(m.tool_call_id)) continue;
    out.push(m);
  }
  return { messages: out, dropped };
}

export function conversationKey(format: ExportFormat): "messages" | "conversations" {
  return format === "sharegpt" ? "conversations" : "messages";
}

// Identical conversations are duplicates whatever their metadata; the key is the conversation's JSON.
export function conversationHash(row: object, format: ExportFormat): string {
  return sha256(JSON.stringify((row as Record<string, unknown>)[conversationKey(format)]));
}

const externalRowSchemas: Record<ExportFormat, z.ZodType> = {
  openai: z.looseObject({ messages: z.array(z.looseObject({ role: z.string() })).min(1) }),
  openhands: z.looseObject({ messages: z.array(z.looseObject({ role: z.string(), content: z.string() })).min(1) }),
  sharegpt: z.looseObject({ conversations: z.array(z.looseObject({ from: z.string(), value: z.string() })).min(1) }),
};

const str = (v: unknown, fallback: string): string => (typeof v === "string" ? v : fallback);

// One external dataset, checked line by line against the format's shape; a bad line stops the export with its
// file and line (a mixed dataset silently missing rows would misreport the recipe).
export function readExternalRows(file: string, format: ExportFormat): ExportRowWithMetadata[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UserError(`cannot read --mix dataset ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; give a JSONL file in the ${format} format`);
  }
  const rows: ExportRowWithMetadata[] = [];
  const name = basename(file);
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new UserError(`${file} line ${i + 1}: not JSON; --mix takes JSONL rows in the ${format} format`);
    }
    const checked = externalRowSchemas[format].safeParse(json);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new UserError(`${file} line ${i + 1}: not a ${format} row (${issue?.path.join(".") || "row"}: ${issue?.message}); --mix datasets must be in the export's --format`);
    }
    const r = json as Record<string, unknown>;
    rows.push({
      ...r,
      instance_id: str(r.instance_id, `${name}:${i + 1}`),
      sample: typeof r.sample === "number" ? r.sample : 0,
      task: str(r.task, "external"),
      repo: str(r.repo, ""),
      language: str(r.language, ""),
      teacher: str(r.teacher, "external"),
      reward: typeof r.reward === "number" ? r.reward : null,
      success: typeof r.success === "boolean" ? r.success : null,
      exit_reason: str(r.exit_reason, ""),
      tools: format === "sharegpt" ? str(r.tools, "[]") : Array.isArray(r.tools) ? r.tools : [],
    } as unknown as ExportRowWithMetadata);
  });
  return rows;
}
