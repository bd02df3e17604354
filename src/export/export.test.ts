import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { makeRecord, sampleConversation, testIdentity, writeRun } from "../runner/test-support/records.js";
import { runExport, type ExportManifest } from "./export.js";
import { toOpenAIRow, toOpenHandsRow, toRow, toShareGPTRow } from "./formats.js";
import type { ExportFilters } from "./select.js";

const noFilters: ExportFilters = { onlySuccess: false, includeOracle: false, maxPerInstance: null, minReward: null };

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-export-"));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function readLines(path: string): unknown[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l)
    .map((l) => JSON.parse(l) as unknown);
}

describe("row formats", () => {
  it("openai keeps messages and tools exactly as sent", () => {
    const rec = makeRecord({ instance_id: "a" });
    const row = JSON.parse(JSON.stringify(toOpenAIRow(rec))) as unknown;
    expect(row).toEqual({ messages: sampleConversation(), tools: rec.tools });
    expect(Object.keys(row as object)).toEqual(["messages", "tools"]);
    // The row as exported: the same conversation after the metadata columns.
    expect(toRow("openai", rec)).toMatchObject({ instance_id: "a", sample: 0, task: "func-localize", repo: "demo", language: "python", teacher: "test-model", reward: 1, success: true, exit_reason: "finished", messages: sampleConversation() });
  });

  it("sharegpt alternates turns, parses arguments, drops the trailing observation", () => {
    const rec = makeRecord({ instance_id: "a" });
    expect(toShareGPTRow(rec)).toEqual({
      conversations: [
        { from: "system", value: "You are an agent." },
        { from: "human", value: "Find the function." },
        { from: "function_call", value: JSON.stringify({ name: "execute_bash", arguments: { command: "ls" } }) },
        { from: "observation", value: "a.py\nb.py" },
        { from: "function_call", value: JSON.stringify({ name: "finish", arguments: { message: "done" } }) },
      ],
      tools: JSON.stringify(rec.tools.map((t) => t.function)),
    });
  });

  it("sharegpt groups parallel calls and their results, and keeps plain answers as gpt turns", () => {
    const rec = makeRecord({
      instance_id: "a",
      messages: [
        { role: "system", content: "S" },
        { role: "user", content: "U" },
        { role: "assistant", content: "thinking without a tool" },
        { role: "user", content: "continue" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "x", type: "function", function: { name: "execute_bash", arguments: '{"command":"a"}' } },
            { id: "y", type: "function", function: { name: "execute_bash", arguments: "not json" } },
          ],
        },
        { role: "tool", tool_call_id: "x", content: "A" },
        { role: "tool", tool_call_id: "y", content: "B" },
        { role: "assistant", content: "all done" },
      ],
    });
    expect(toShareGPTRow(rec).conversations).toEqual([
      { from: "system", value: "S" },
      { from: "human", value: "U" },
      { from: "gpt", value: "thinking without a tool" },
      { from: "human", value: "continue" },
      {
        from: "function_call",
        value: JSON.stringify([
          { name: "execute_bash", arguments: { command: "a" } },
          { name: "execute_bash", arguments: "not json" },
        ]),
      },
      { from: "observation", value: JSON.stringify(["A", "B"]) },
      { from: "gpt", value: "all done" },
    ]);
  });

  it("openhands uses the text format: function blocks and EXECUTION RESULT user turns", () => {
    const row = toOpenHandsRow(makeRecord({ instance_id: "a" }));
    const roles = row.messages.map((m) => m.role);
    expect(roles).toEqual(["system", "user", "assistant", "user", "assistant", "user"]);
    const [system, , a1, obs1] = row.messages;
    expect(system?.content).toContain("You are an agent.");
    expect(system?.content).toContain("execute_bash");
    expect(a1?.content).toContain("Let me look.");
    expect(a1?.content).toContain("<function=execute_bash>");
    expect(a1?.content).toContain("<parameter=command>ls</parameter>");
    expect(obs1?.content).toContain("EXECUTION RESULT of [execute_bash]:");
    expect(obs1?.content).toContain("a.py\nb.py");
    expect(row.messages.some((m) => m.role === "assistant" && "tool_calls" in m && m.tool_calls)).toBe(false);
  });
});

describe("runExport", () => {
  function setupRuns(): { runA: string; runB: string } {
    const runA = join(tmp, "runA");
    const runB = join(tmp, "runB");
    writeRun(runA, [
      makeRecord({ instance_id: "t/b", sample: 0, success: true, prompt_tokens: 300 }),
      makeRecord({ instance_id: "t/a", sample: 1, success: false, score: 0.4, prompt_tokens: 200 }),
      makeRecord({ instance_id: "t/a", sample: 0, failure: "infra", attempt: 1 }),
      makeRecord({ instance_id: "t/a", sample: 0, success: true, attempt: 2, prompt_tokens: 100 }),
      makeRecord({ instance_id: "t/c", sample: 0, failure: "model" }),
      makeRecord({ instance_id: "t/c", sample: 1, success: true, task: "dep-search", repo: "other", language: "typescript" }),
    ]);
    writeRun(join(tmp, "runB"), [makeRecord({ instance_id: "t/a", sample: 0, oracle: true })], testIdentity({ model: "oracle" }));
    return { runA, runB };
  }

  it("filters failures and oracle runs, orders deterministically, writes manifest and card", () => {
    const { runA, runB } = setupRuns();
    const out = join(tmp, "out", "data.jsonl");
    const res = runExport({ runDirs: [runA, runB], format: "openai", parquet: false, out, filters: noFilters });
    const rows = readLines(out) as { messages: unknown[] }[];
    expect(rows).toHaveLength(4);
    const m = JSON.parse(readFileSync(`${out}.manifest.json`, "utf8")) as ExportManifest;
    expect(m.counts).toMatchObject({
      records_in: 7,
      rows_out: 4,
      dropped: { failure_infra: 1, failure_model: 1, oracle: 1, unsuccessful: 0, below_min_reward: 0, duplicate: 0, over_max_per_instance: 0 },
      quotas: null,
      mixed_in: [],
    });
    expect(m.format).toBe("openai");
    expect(m.package_version).toBe("0.1.0");
    // Base names only: nothing of this machine's file system in a manifest or card.
    expect(m.sources.map((s) => s.dir)).toEqual(["runA", "runB"]);
    expect(m.out).toBe("data.jsonl");
    expect(m.sources[0]?.run_json_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.prompt_hashes).toEqual(["p".repeat(64)]);
    expect(m.stats.by_task["func-localize"]).toEqual({ rows: 3, success: 2, success_rate: 2 / 3, mean_reward: (1 + 0.4 + 1) / 3 });
    expect(m.stats.by_language).toHaveProperty("typescript");
    expect(m.stats.prompt_tokens.median).toBe(100);
    expect(res.manifest.out_sha256).toMatch(/^[0-9a-f]{64}$/);
    const card = readFileSync(`${out}.README.md`, "utf8");
    expect(card).toContain("4 rows from 7 rollout records");
    expect(card).toContain("| func-localize | 3 | 66.7% | 0.800 |");
    expect(card).toContain("| dep-search | 1 | 100.0% | 1.000 |");
    expect(card).toContain("| other | 1 |");
    expect(card).toContain("- failure_infra: 1");
    expect(card).toContain("- oracle: 1");
    expect(card).toContain("prompt tokens");
    expect(card).toContain("model test-model, native tool calls, max 30 steps");
    expect(card).toContain("model oracle, native tool calls");
    expect(m.sources[1]?.identity.model).toBe("oracle");
    // Same input twice gives the same rows in the same order.
    const out2 = join(tmp, "out", "data2.jsonl");
    runExport({ runDirs: [runA, runB], format: "openai", parquet: false, out: out2, filters: noFilters });
    expect(readFileSync(out2, "utf8")).toBe(readFileSync(out, "utf8"));
  });

  it("applies include-oracle, only-success, min-reward, max-per-instance and dedupes a run given twice", () => {
    const { runA, runB } = setupRuns();
    const ids = (filters: ExportFilters, dirs = [runA, runB]) => {
      const out = join(tmp, `o-${Math.random()}.jsonl`);
      const res = runExport({ runDirs: dirs, format: "sharegpt", parquet: false, out, filters });
      return { rows: readLines(out).length, m: res.manifest };
    };
    expect(ids({ ...noFilters, includeOracle: true }).rows).toBe(5);
    const succ = ids({ ...noFilters, onlySuccess: true });
    expect(succ.rows).toBe(3);
    expect(succ.m.counts.dropped.unsuccessful).toBe(1);
    expect(ids({ ...noFilters, minReward: 0.5 }).m.counts.dropped.below_min_reward).toBe(1);
    const capped = ids({ ...noFilters, maxPerInstance: 1 });
    expect(capped.rows).toBe(3); // t/a sample 1 is the second row of t/a
    expect(capped.m.counts.dropped.over_max_per_instance).toBe(1);
    const twice = ids(noFilters, [runA, runA]);
    expect(twice.rows).toBe(4);
    expect(twice.m.counts.dropped.duplicate).toBe(4);
  });

  it("writes parquet that hyparquet reads back with the same rows", async () => {
    const { runA } = setupRuns();
    const out = join(tmp, "data.parquet");
    runExport({ runDirs: [runA], format: "openai", parquet: true, out, filters: noFilters });
    const file = await asyncBufferFromFile(out);
    const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    expect(rows.map((r) => [r.instance_id, r.sample, r.success])).toEqual([
      ["t/a", 0, true],
      ["t/a", 1, false],
      ["t/b", 0, true],
      ["t/c", 1, true],
    ]);
    expect(rows[1]?.reward).toBeCloseTo(0.4);
    expect(rows[3]).toMatchObject({ task: "dep-search", repo: "other", language: "typescript", exit_reason: "finished" });
    // The conversation is a nested column: the same messages as the JSONL row, no json.loads needed.
    const jsonl = join(tmp, "data.jsonl");
    runExport({ runDirs: [runA], format: "openai", parquet: false, out: jsonl, filters: noFilters });
    const jsonlRows = readLines(jsonl) as Record<string, unknown>[];
    // Parquet readers give every struct field (null where a message has none); without the nulls the messages are
    // the JSONL ones exactly.
    const dropNulls = (msgs: unknown) => (msgs as Record<string, unknown>[]).map((m) => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== null && v !== undefined)));
    expect(dropNulls(rows[0]?.messages)).toEqual(dropNulls(sampleConversation()));
    expect(dropNulls(rows[0]?.messages)).toEqual(dropNulls(jsonlRows[0]?.messages));
    expect(JSON.parse(rows[0]?.tools as string)).toEqual(jsonlRows[0]?.tools);
    // JSONL and Parquet have the same columns, metadata included.
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(Object.keys(jsonlRows[0] ?? {}).sort());
    for (const k of ["instance_id", "sample", "task", "repo", "language", "teacher", "reward", "success", "exit_reason"]) expect(rows.map((r) => r[k])).toEqual(jsonlRows.map((r) => r[k]));
    expect(rows[0]?.teacher).toBe("test-model");
    const meta = await parquetMetadataAsync(file);
    expect(meta.key_value_metadata?.find((kv) => kv.key === "hgym.format")?.value).toBe("openai");
    const card = readFileSync(`${out}.README.md`, "utf8");
    expect(card).toContain("Stored as Parquet");
    expect(card.startsWith("---\n")).toBe(true);
    expect(card).toContain('    path: "data.parquet"');
  });

  it("refuses /dev/full and a folder as --out, and an empty selection, before writing anything", () => {
    const { runA } = setupRuns();
    expect(() => runExport({ runDirs: [runA], format: "openai", parquet: false, out: "/dev/full", filters: noFilters })).toThrow(
      "refusing to write /dev/full: it exists and is a character device, not a regular file; choose another --out",
    );
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
    expect(() => runExport({ runDirs: [runA], format: "openai", parquet: true, out: tmp, filters: noFilters })).toThrow("it exists and is a folder");
    const out = join(tmp, "none.jsonl");
    expect(() => runExport({ runDirs: [runA], format: "openai", parquet: false, out, filters: { ...noFilters, minReward: 2 } })).toThrow(
      /nothing to export from .*runA: 6 records, none selected \(left out: .*below_min_reward 4.*\); loosen the filters or finish the runs first; .*none.jsonl not written/,
    );
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.manifest.json`)).toBe(false);
  });

  it.skipIf(process.getuid?.() !== 0)("on a full tmpfs: ENOSPC names the dataset file and leaves no partial file", () => {
    const { runA } = setupRuns();
    const small = join(tmp, "small");
    mkdirSync(small);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", small]);
    try {
      const out = join(small, "data.jsonl");
      writeFileSync(join(small, "filler"), Buffer.alloc(12 * 1024));
      expect(() => runExport({ runDirs: [runA, runA, runA], format: "openhands", parquet: false, out, filters: noFilters })).toThrow(
        `cannot write ${out}: no space left on the device (ENOSPC); free space or choose another --out`,
      );
      expect(readdirSync(small)).toEqual(["filler"]);
    } finally {
      execFileSync("umount", ["-l", small]);
    }
  });
});
