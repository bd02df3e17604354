// Each trainer's documented field mapping applied to hgym's exports, with the settings our recipe documents
// (examples/sft/): what LLaMA-Factory's ShareGPT converter, TRL's conversational SFT and axolotl's chat_template
// strategy check before they tokenize a row. No model and no Python package is needed: the rules are the tools'
// own, restated here (sources in docs/EXPORTS.md), and every export format goes through JSONL and Parquet.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { z } from "zod";
import type { ChatMessage } from "../agent/types.js";
import { makeRecord, sampleConversation, testIdentity, writeRun } from "../runner/test-support/records.js";
import { runExport } from "./export.js";
import type { ExportFormat, RowOptions } from "./formats.js";

const EXAMPLES = resolve(__dirname, "..", "..", "examples", "sft");
const filters = { onlySuccess: false, includeOracle: false, maxPerInstance: null, minReward: null };

// A realistic spread: plain tool turns, parallel calls, a reminder user turn in the middle, text without a call.
function conversations(): ChatMessage[][] {
  const parallel: ChatMessage[] = [
    { role: "system", content: "S" },
    { role: "user", content: "U" },
    {
      role: "assistant",
      content: null,
      tool_calls: [
        { id: "x", type: "function", function: { name: "execute_bash", arguments: '{"command":"ls"}' } },
        { id: "y", type: "function", function: { name: "execute_bash", arguments: '{"command":"pwd"}' } },
      ],
    },
    { role: "tool", tool_call_id: "x", name: "execute_bash", content: "a" },
    { role: "tool", tool_call_id: "y", name: "execute_bash", content: "/w" },
    { role: "assistant", content: "no call here" },
    { role: "user", content: "Your reply did not call a tool." },
    { role: "assistant", content: "done", tool_calls: [{ id: "z", type: "function", function: { name: "finish", arguments: '{"message":"ok"}' } }] },
    { role: "tool", tool_call_id: "z", name: "finish", content: "Finished." },
  ];
  return [sampleConversation(), parallel];
}

let tmp: string;
let runDir: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-consumers-"));
  runDir = join(tmp, "run");
  writeRun(runDir, conversations().map((messages, i) => makeRecord({ instance_id: `t/${i}`, messages })), testIdentity());
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function exported(format: ExportFormat, parquet: boolean, rowOptions?: RowOptions): Promise<Record<string, unknown>[]> {
  const out = join(tmp, `${format}-${parquet}-${Math.random().toString(36).slice(2)}.${parquet ? "parquet" : "jsonl"}`);
  runExport({ runDirs: [runDir], format, parquet, out, filters, rowOptions });
  if (parquet) return (await parquetReadObjects({ file: await asyncBufferFromFile(out) })) as Record<string, unknown>[];
  return readFileSync(out, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

// LLaMA-Factory's ShareGPT converter (data/converter.py, SharegptDatasetConverter) with a dataset_info entry: an
// optional leading system turn, then user/observation tags on even positions and assistant/function tags on odd
// ones, an even number of turns, tools as a JSON string; a function_call value is JSON it json.loads (one call or
// a list of calls), each with name and arguments.
const datasetInfoSchema = z.record(
  z.string(),
  z.object({
    file_name: z.string(),
    formatting: z.literal("sharegpt"),
    columns: z.object({ messages: z.string(), tools: z.string().optional() }),
    tags: z.object({ role_tag: z.string(), content_tag: z.string(), user_tag: z.string(), assistant_tag: z.string(), observation_tag: z.string(), function_tag: z.string(), system_tag: z.string() }),
  }),
);

function llamaFactoryProblems(row: Record<string, unknown>, entry: z.output<typeof datasetInfoSchema>[string]): string[] {
  const t = entry.tags;
  const problems: string[] = [];
  let msgs = row[entry.columns.messages] as Record<string, unknown>[];
  if (!Array.isArray(msgs)) return ["messages column is not a list"];
  if (msgs[0]?.[t.role_tag] === t.system_tag) msgs = msgs.slice(1);
  msgs.forEach((m, i) => {
    const accepted = i % 2 === 0 ? [t.user_tag, t.observation_tag] : [t.assistant_tag, t.function_tag];
    if (!accepted.includes(m[t.role_tag] as string)) problems.push(`turn ${i}: invalid role tag ${String(m[t.role_tag])}`);
    if (typeof m[t.content_tag] !== "string") problems.push(`turn ${i}: content is not text`);
    if (m[t.role_tag] === t.function_tag) {
      const calls = JSON.parse(m[t.content_tag] as string) as unknown;
      for (const c of Array.isArray(calls) ? calls : [calls]) {
        if (typeof (c as { name?: unknown }).name !== "string" || typeof (c as { arguments?: unknown }).arguments !== "object") problems.push(`turn ${i}: function call without name/arguments`);
      }
    }
  });
  if (msgs.length % 2 !== 0) problems.push("invalid message count");
  if (entry.columns.tools) {
    const tools = row[entry.columns.tools];
    if (typeof tools !== "string") problems.push("tools is not a JSON string");
    else for (const tool of JSON.parse(tools) as { name?: unknown; parameters?: unknown }[]) if (typeof tool.name !== "string" || typeof tool.parameters !== "object") problems.push("tool without name/parameters");
  }
  return problems;
}

// TRL's conversational format (trl/data_utils.py is_conversational, SFTTrainer with a `tools` column): a `messages`
// list of dicts with role and content; tools a list of function JSON Schemas passed to apply_chat_template.
function trlProblems(row: Record<string, unknown>, toolsAsLoaded: unknown): string[] {
  const problems: string[] = [];
  const msgs = row.messages as Record<string, unknown>[];
  if (!Array.isArray(msgs) || msgs.length === 0) return ["no messages list"];
  for (const [i, m] of msgs.entries()) {
    if (!["system", "user", "assistant", "tool"].includes(m.role as string)) problems.push(`message ${i}: role ${String(m.role)}`);
    if (!("content" in m)) problems.push(`message ${i}: no content key`);
  }
  for (const tool of toolsAsLoaded as { type?: unknown; function?: { name?: unknown; parameters?: unknown } }[]) {
    if (tool.type !== "function" || typeof tool.function?.name !== "string" || typeof tool.function.parameters !== "object") problems.push("tool is not a function schema");
  }
  return problems;
}

describe("LLaMA-Factory", () => {
  it("the documented dataset_info entry reads every sharegpt row, JSONL and Parquet, without a broken example", async () => {
    const info = datasetInfoSchema.parse(JSON.parse(readFileSync(join(EXAMPLES, "llamafactory", "dataset_info.json"), "utf8")));
    const entry = info.hgym_sharegpt;
    if (!entry) throw new Error("examples/sft/llamafactory/dataset_info.json has no hgym_sharegpt entry");
    expect(entry.file_name).toBe("sharegpt.jsonl");
    for (const parquet of [false, true]) {
      const rows = await exported("sharegpt", parquet);
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(llamaFactoryProblems(row, entry)).toEqual([]);
    }
    // The check is real: the openai rows (tool turns as `tool_calls`, results as "tool") break it.
    const openai = await exported("openai", false);
    expect(llamaFactoryProblems({ ...openai[1], conversations: (openai[1]?.messages as object[]).map((m) => ({ from: (m as { role: string }).role, value: (m as { content: unknown }).content })) }, entry).length).toBeGreaterThan(0);
  });
});

describe("TRL SFTTrainer", () => {
  it("openai rows are conversational with function tools, from JSONL as loaded and from Parquet after json.loads of tools", async () => {
    for (const row of await exported("openai", false)) expect(trlProblems(row, row.tools)).toEqual([]);
    for (const row of await exported("openai", true)) expect(trlProblems(row, JSON.parse(row.tools as string))).toEqual([]);
    for (const row of await exported("openhands", true)) {
      expect(trlProblems(row, [])).toEqual([]);
      expect((row.messages as { role: string }[]).every((m) => m.role !== "tool")).toBe(true);
    }
  });

  it("gpt-oss / Qwen2.5 settings: no null content, arguments as objects", async () => {
    const rows = await exported("openai", false, { toolArguments: "object", nullContent: "empty", inContextExample: false });
    for (const row of rows) {
      for (const m of row.messages as { role: string; content: unknown; tool_calls?: { function: { arguments: unknown } }[] }[]) {
        expect(m.content, m.role).not.toBeNull();
        for (const c of m.tool_calls ?? []) expect(typeof c.function.arguments).toBe("object");
      }
    }
  });

  it("the documented training script is valid Python and selects the columns the export has", () => {
    const script = join(EXAMPLES, "trl", "sft_hgym.py");
    execFileSync("python3", ["-c", "import ast,sys; ast.parse(open(sys.argv[1]).read())", script]);
    expect(readFileSync(script, "utf8")).toContain('select_columns(["messages", "tools"])');
  });
});

describe("axolotl", () => {
  it("the documented chat_template dataset config maps every message of the openai rows", async () => {
    const yml = readFileSync(join(EXAMPLES, "axolotl", "hgym-openai.yml"), "utf8");
    const field = (k: string) => new RegExp(`^\\s+${k}: (\\S+)$`, "m").exec(yml)?.[1];
    expect(field("type")).toBe("chat_template");
    const messagesField = field("field_messages") ?? "";
    const toolsField = field("field_tools") ?? "";
    const roleKey = field("role") ?? "";
    const contentKey = field("content") ?? "";
    for (const parquet of [false, true]) {
      for (const row of await exported("openai", parquet)) {
        const msgs = row[messagesField] as Record<string, unknown>[];
        expect(Array.isArray(msgs)).toBe(true);
        // axolotl's default roles map: system, user, assistant, tool; content is text or absent.
        for (const m of msgs) {
          expect(["system", "user", "assistant", "tool"]).toContain(m[roleKey]);
          expect(m[contentKey] === null || m[contentKey] === undefined || typeof m[contentKey] === "string").toBe(true);
        }
        expect(row[toolsField]).toBeDefined();
        // roles_to_train: assistant turns exist to learn from.
        expect(msgs.some((m) => m[roleKey] === "assistant")).toBe(true);
      }
    }
  });
});
