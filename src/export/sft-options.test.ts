// The SFT export's row options, container checks, card header, path hygiene, OpenHands rendering and the data
// recipe, each through runExport on real run directories (hand-built records in the runner's own layout).

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exportManifestSchema } from "../core/schemas/export-manifest.js";
import { checkRecord } from "../core/schemas/check.js";
import { makeRecord, sampleConversation, testIdentity, writeRun, BASH_TOOL, FINISH_TOOL } from "../runner/test-support/records.js";
import type { ChatMessage } from "../agent/types.js";
import { runExport, type ExportOptions } from "./export.js";
import { toOpenHandsText } from "./openhands-text.js";
import { NO_RECIPE, splitQuotas, type ExportFilters, type ExportRecipe } from "./select.js";

const noFilters: ExportFilters = { onlySuccess: false, includeOracle: false, maxPerInstance: null, minReward: null };

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-sftopt-"));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

function run(name: string, specs: Parameters<typeof makeRecord>[0][], model = "test-model"): string {
  const dir = join(tmp, name);
  writeRun(dir, specs.map((s) => ({ ...makeRecord(s), model })), testIdentity({ model }));
  return dir;
}

function exp(dirs: string[], extra: Omit<Partial<ExportOptions>, "recipe"> & { recipe?: Partial<ExportRecipe> } = {}): { rows: Record<string, unknown>[]; out: string; res: ReturnType<typeof runExport> } {
  const out = extra.out ?? join(tmp, `o${Math.random().toString(36).slice(2)}.jsonl`);
  const res = runExport({ runDirs: dirs, format: "openai", parquet: false, filters: noFilters, ...extra, out, recipe: { ...NO_RECIPE, ...(extra.recipe ?? {}) } });
  return { rows: existsSync(out) && !extra.parquet ? lines(out) : [], out, res };
}

describe("row options", () => {
  it("--tool-arguments object parses arguments; --null-content empty writes \"\" for tool-call-only turns", () => {
    const dir = run("r", [{ instance_id: "a" }]);
    const plain = exp([dir]).rows[0]?.messages as ChatMessage[];
    expect(plain[4]).toMatchObject({ role: "assistant", content: null });
    expect((plain[2] as { tool_calls: { function: { arguments: unknown } }[] }).tool_calls[0]?.function.arguments).toBe('{"command": "ls"}');
    const msgs = exp([dir], { rowOptions: { toolArguments: "object", nullContent: "empty", inContextExample: false } }).rows[0]?.messages as Record<string, unknown>[];
    expect(msgs[4]?.content).toBe("");
    expect(msgs[2]?.content).toBe("Let me look.");
    expect((msgs[2]?.tool_calls as { function: { arguments: unknown } }[])[0]?.function.arguments).toEqual({ command: "ls" });
    expect(msgs.filter((m) => m.role === "assistant").every((m) => m.content !== null)).toBe(true);
  });

  it("refuses --parquet with a .jsonl name, JSONL with a .parquet name, and object arguments in Parquet", () => {
    const dir = run("r", [{ instance_id: "a" }]);
    expect(() => exp([dir], { parquet: true, out: join(tmp, "x.jsonl") })).toThrow("--parquet writes Parquet, but --out");
    expect(() => exp([dir], { out: join(tmp, "x.parquet") })).toThrow("ends in .parquet but the export is JSONL");
    expect(() => exp([dir], { parquet: true, out: join(tmp, "x.parquet"), rowOptions: { toolArguments: "object", nullContent: "null", inContextExample: false } })).toThrow("--tool-arguments object needs JSONL");
    expect(existsSync(join(tmp, "x.jsonl"))).toBe(false);
  });

  it("an export of oracle runs without --include-oracle fails and says why", () => {
    const dir = join(tmp, "oracle");
    writeRun(dir, [makeRecord({ instance_id: "a", oracle: true })], testIdentity({ model: "oracle" }));
    expect(() => exp([dir])).toThrow(/none selected \(left out: .*oracle 1.*\); oracle \(gold replay\) runs are left out unless you pass --include-oracle/);
  });
});

describe("card and manifest", () => {
  it("the card starts with a Hugging Face YAML header; neither file holds an absolute path of this machine", () => {
    const dir = run("run-one", [{ instance_id: "a" }, { instance_id: "b" }]);
    const out = join(tmp, "deep", "folder", "train.jsonl");
    exp([dir], { out, license: "apache-2.0", command: `hgym export ${dir} --format openai --out ${out}` });
    const card = readFileSync(`${out}.README.md`, "utf8");
    const header = card.split("---\n")[1] ?? "";
    expect(header).toContain('license: "apache-2.0"');
    expect(header).toMatch(/configs:\n- config_name: default\n {2}data_files:\n {2}- split: train\n {4}path: "train.jsonl"\n/);
    expect(header).toContain('- "n<1K"');
    const manifestText = readFileSync(`${out}.manifest.json`, "utf8");
    for (const text of [card, manifestText]) {
      expect(text).not.toContain(tmp);
      expect(text).not.toMatch(/"\/(tmp|home|root|work)\//);
    }
    expect(card).toContain("hgym export run-one --format openai --out train.jsonl");
    // The manifest, recipe and row options included, reads back through its schema.
    const checked = checkRecord(exportManifestSchema, JSON.parse(manifestText));
    expect(checked.ok).toBe(true);
    // The recipe, row options and recipe counts were added to version 1 as optional fields: a manifest written
    // before them still reads.
    const older = JSON.parse(manifestText) as { recipe?: unknown; options: { row?: unknown }; counts: Record<string, unknown> };
    delete older.recipe;
    delete older.options.row;
    for (const k of ["quotas", "edit_turns_dropped", "mixed_in"]) delete older.counts[k];
    expect(checkRecord(exportManifestSchema, older).ok).toBe(true);
  });
});

describe("OpenHands text format", () => {
  it("renders function blocks, calls and results exactly as OpenHands' converter does", () => {
    const msgs = toOpenHandsText(sampleConversation(), [BASH_TOOL, FINISH_TOOL], { inContextExample: false });
    expect(msgs.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "assistant", "user"]);
    expect(msgs[0]?.content).toBe(
      "You are an agent.\nYou have access to the following functions:\n\n" +
        "---- BEGIN FUNCTION #1: execute_bash ----\nDescription: Run a bash command.\nParameters:\n  (1) command (string, required): the command\n---- END FUNCTION #1 ----\n\n" +
        "---- BEGIN FUNCTION #2: finish ----\nDescription: Finish the task.\nParameters:\n  (1) message (string, required): summary\n---- END FUNCTION #2 ----\n\n" +
        "If you choose to call a function ONLY reply in the following format with NO suffix:\n\n<function=example_function_name>\n<parameter=example_parameter_1>value_1</parameter>\n<parameter=example_parameter_2>\nThis is the value for the second parameter\nthat can span\nmultiple lines\n</parameter>\n</function>\n\n<IMPORTANT>\nReminder:\n" +
        "- Function calls MUST follow the specified format, start with <function= and end with </function>\n- Required parameters MUST be specified\n- Only call one function at a time\n" +
        "- You may provide optional reasoning for your function call in natural language BEFORE the function call, but NOT after.\n" +
        "- If there is no function call available, answer the question like normal with your current knowledge and do not tell the user about function calls\n</IMPORTANT>\n",
    );
    expect(msgs[2]?.content).toBe("Let me look.\n\n<function=execute_bash>\n<parameter=command>ls</parameter>\n</function>");
    expect(msgs[3]?.content).toBe("EXECUTION RESULT of [execute_bash]:\na.py\nb.py");
    expect(msgs[4]?.content).toBe("<function=finish>\n<parameter=message>done</parameter>\n</function>");
  });

  it("multi-line values sit on their own lines; enums are listed; the in-context example wraps the first user turn", () => {
    const editor = { type: "function" as const, function: { name: "str_replace_editor", description: "Edit.", parameters: { type: "object", properties: { command: { type: "string", description: "op", enum: ["view", "create"] }, file_text: { type: "string" } }, required: ["command"] } } };
    const conv: ChatMessage[] = [
      { role: "system", content: "S" },
      { role: "user", content: "Do it." },
      { role: "assistant", content: "", tool_calls: [{ id: "x", type: "function", function: { name: "str_replace_editor", arguments: JSON.stringify({ command: "create", file_text: "a\nb" }) } }] },
    ];
    const msgs = toOpenHandsText(conv, [editor, BASH_TOOL, FINISH_TOOL], { inContextExample: true });
    expect(msgs[0]?.content).toContain("  (1) command (string, required): op\nAllowed values: [`view`, `create`]\n  (2) file_text (string, optional): No description provided\n");
    expect(msgs[2]?.content).toBe("<function=str_replace_editor>\n<parameter=command>create</parameter>\n<parameter=file_text>\na\nb\n</parameter>\n</function>");
    const user = msgs[1]?.content ?? "";
    expect(user.startsWith("Here's a running example of how to perform a task with the provided tools.\n\n--------------------- START OF EXAMPLE ---------------------\n\nUSER: ")).toBe(true);
    expect(user).toContain("--------------------- END OF EXAMPLE ---------------------\n\nDo NOT assume the environment is the same as in the example above.\n\n--------------------- NEW TASK DESCRIPTION ---------------------\nDo it.\n--------------------- END OF NEW TASK DESCRIPTION ---------------------\n\nPLEASE follow the format strictly! PLEASE EMIT ONE AND ONLY ONE FUNCTION CALL PER MESSAGE.\n");
    expect(user).toContain("<function=execute_bash>");
    expect(user).toContain("USER: EXECUTION RESULT of [str_replace_editor]:");
    expect(user).toContain("<parameter=view_range>[10, 14]</parameter>");
  });
});

describe("data recipe", () => {
  const editCall = (id: string): ChatMessage => ({ role: "assistant", content: "edit", tool_calls: [{ id, type: "function", function: { name: "str_replace_editor", arguments: JSON.stringify({ command: "str_replace", path: "a.py", old_str: "x", new_str: "y" }) } }] });
  const withEdit = (): ChatMessage[] => {
    const c = sampleConversation();
    return [...c.slice(0, 4), editCall("e1"), { role: "tool", tool_call_id: "e1", name: "str_replace_editor", content: "edited" }, ...c.slice(4)];
  };

  it("min steps, teachers, max per repo, family ratios with a total, all recorded in the manifest", () => {
    const specs = ["a", "b", "c", "d", "e", "f"].map((id, i) => ({ instance_id: `t/${id}`, repo: i < 4 ? "big" : `r${i}`, task: (i % 2 ? "dep-search" : "func-localize") as "dep-search" | "func-localize" }));
    const runA = run("teacherA", specs, "model-a");
    const runB = run("teacherB", specs.slice(0, 2), "model-b");
    const byTeacher = exp([runA, runB], { recipe: { teachers: ["model-b"] } });
    expect(byTeacher.rows.map((r) => r.teacher)).toEqual(["model-b", "model-b"]);
    expect(byTeacher.res.manifest.counts.dropped.not_a_teacher).toBe(6);
    // Hand-built records have no recorded agent steps: a minimum of 1 leaves nothing, and says so.
    expect(() => exp([runA], { recipe: { minSteps: 1 } })).toThrow(/below_min_steps 6/);
    const step = (index: number) => ({ index, tool: "execute_bash", arguments: { command: "ls" }, observation: "", error: false, started_at: "2026-01-01T00:00:00Z", duration_ms: 1 });
    const long = join(tmp, "long");
    writeRun(long, [{ ...makeRecord({ instance_id: "t/long" }), steps: [0, 1, 2].map(step) }, { ...makeRecord({ instance_id: "t/short" }), steps: [step(0)] }]);
    expect(exp([long], { recipe: { minSteps: 3 } }).rows.map((r) => r.instance_id)).toEqual(["t/long"]);
    const perRepo = exp([runA], { recipe: { maxPerRepo: 1 } });
    expect(perRepo.rows.filter((r) => r.repo === "big")).toHaveLength(1);
    expect(perRepo.rows).toHaveLength(3);
    const ratio = exp([runA], { recipe: { taskRatios: { "func-localize": 2, "dep-search": 1 }, total: 3 } });
    expect(ratio.rows.filter((r) => r.task === "func-localize")).toHaveLength(2);
    expect(ratio.rows.filter((r) => r.task === "dep-search")).toHaveLength(1);
    expect(ratio.res.manifest.counts.quotas).toEqual({ "dep-search": { wanted: 1, got: 1 }, "func-localize": { wanted: 2, got: 2 } });
    expect(ratio.res.manifest.recipe).toMatchObject({ taskRatios: { "func-localize": 2, "dep-search": 1 }, total: 3 });
    // Rows stay in sorted order, and the same seed chooses the same rows.
    const ids = ratio.rows.map((r) => r.instance_id as string);
    expect(ids).toEqual([...ids].sort());
    expect(exp([runA], { recipe: { taskRatios: { "func-localize": 2, "dep-search": 1 }, total: 3 } }).rows.map((r) => r.instance_id)).toEqual(ids);
    expect(splitQuotas(10, { a: 1, b: 1, c: 1 })).toEqual({ a: 4, b: 3, c: 3 });
  });

  it("the ablation drops file-editing turns with their results and keeps everything else", () => {
    const dir = run("edits", [{ instance_id: "a", messages: withEdit() }]);
    const full = exp([dir]).rows[0]?.messages as ChatMessage[];
    const ablated = exp([dir], { recipe: { dropEditTurns: true } });
    const msgs = ablated.rows[0]?.messages as ChatMessage[];
    expect(full).toHaveLength(8);
    expect(msgs).toEqual(sampleConversation());
    expect(ablated.res.manifest.counts.edit_turns_dropped).toBe(1);
  });

  it("mixes external datasets of the same format, dropping conversations already present", () => {
    const dir = run("r", [{ instance_id: "a" }]);
    const external = join(tmp, "swe-play.jsonl");
    const other = [{ role: "user", content: "other task" }, { role: "assistant", content: "ok" }];
    writeFileSync(external, [JSON.stringify({ messages: sampleConversation() }), JSON.stringify({ messages: other, tools: [] }), JSON.stringify({ messages: other })].join("\n") + "\n");
    const mixed = exp([dir], { recipe: { mix: [external] } });
    expect(mixed.rows).toHaveLength(2);
    expect(mixed.rows[1]).toMatchObject({ instance_id: "swe-play.jsonl:2", task: "external", teacher: "external", reward: null, messages: other });
    expect(mixed.res.manifest.counts.mixed_in).toEqual([{ file: "swe-play.jsonl", rows: 3, kept: 1 }]);
    expect(mixed.res.manifest.recipe?.mix).toEqual(["swe-play.jsonl"]);
    // Mixed rows follow the export's row options, so the column has one type for arguments and content.
    const withCall = [{ role: "user", content: "x" }, { role: "assistant", content: null, tool_calls: [{ id: "q", type: "function", function: { name: "finish", arguments: '{"message":"m"}' } }] }];
    writeFileSync(external, JSON.stringify({ messages: withCall }) + "\n");
    const normalized = exp([dir], { recipe: { mix: [external] }, rowOptions: { toolArguments: "object", nullContent: "empty", inContextExample: false } }).rows[1]?.messages as { content: unknown; tool_calls?: { function: { arguments: unknown } }[] }[];
    expect(normalized[1]?.content).toBe("");
    expect(normalized[1]?.tool_calls?.[0]?.function.arguments).toEqual({ message: "m" });
    writeFileSync(external, JSON.stringify({ conversations: [] }) + "\n");
    expect(() => exp([dir], { recipe: { mix: [external] } })).toThrow(/swe-play.jsonl line 1: not a openai row \(messages: /);
  });
});
