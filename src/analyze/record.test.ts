// analyzeRecord and analyzeRuns on hand-built records for what the scripted runs cannot produce: text-format
// replies, trajectories imported from OpenHands (its editor's failure messages), infra retries of one pair, a torn
// line, and gold files taken from a gold patch in the instances file.

import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Step } from "../agent/types.js";
import { makeRecord, testIdentity, writeRun } from "../runner/test-support/records.js";
import { analyzeRecord } from "./analyze.js";
import { goldFiles, patchFiles } from "./gold-files.js";
import { analyzeRuns } from "./index.js";

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-analyze-rec-"));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function step(index: number, tool: string, args: Record<string, unknown> | null, observation: string, error = false): Step {
  return { index, tool, arguments: args, observation, error, started_at: "2026-01-01T00:00:00.000Z", duration_ms: 1 };
}

const ctx = { run: "r", line: 1, teacher: "t", goldFiles: null };

describe("analyzeRecord", () => {
  it("counts only the text around a text-format call as reasoning", () => {
    const rec = makeRecord({
      instance_id: "a",
      messages: [
        { role: "system", content: "s" },
        { role: "user", content: "u" },
        { role: "assistant", content: "I will list files.\n<function=execute_bash>\n<parameter=command>ls</parameter>\n</function>" },
        { role: "user", content: "EXECUTION RESULT of [execute_bash]:\na.py" },
        { role: "assistant", content: "<function=finish>\n<parameter=message>done</parameter>\n</function>", reasoning_content: "Done now." },
      ],
    });
    rec.tool_format = "text";
    rec.steps = [step(0, "execute_bash", { command: "ls" }, "a.py"), step(1, "finish", { message: "done" }, "ok")];
    expect(analyzeRecord(rec, ctx).reasoning_chars).toBe("I will list files.".length + "Done now.".length);
  });

  it("reads OpenHands' editor messages in imported trajectories as failed edits", () => {
    const rec = makeRecord({ instance_id: "b", success: false });
    const edit = (old_str: string) => ({ command: "str_replace", path: "/w/a.py", old_str, new_str: "y" });
    rec.steps = [
      step(0, "str_replace_editor", edit("x1"), "ERROR:\nNo replacement was performed, old_str `x1` did not appear verbatim in /w/a.py."),
      step(1, "str_replace_editor", edit("x2"), "No replacement was performed. Multiple occurrences of old_str `x2` in lines [3, 9]. Please ensure it is unique."),
      step(2, "str_replace_editor", edit("x3"), "The file /w/a.py has been edited. Here's the result of running `cat -n` on a snippet of /w/a.py:"),
    ];
    const r = analyzeRecord(rec, ctx);
    expect(r.actions.map((a) => a.edit)).toEqual(["failed", "failed", "applied"]);
    expect(r.edits).toEqual({ attempted: 3, failed: 2, last_failed: false });
    // 2 failed edits are under the threshold of 3 and the last one applied, so the cause is not editing.
    expect(r.failure?.cause).toBe("insufficient_exploration");
  });

  it("finds the gold file by editor path, repository path or base name, not by a longer name", () => {
    const rec = makeRecord({ instance_id: "c", success: false });
    const files = ["pkg/mod.py"];
    const viewed = (s: Step) => analyzeRecord({ ...rec, steps: [s] }, { ...ctx, goldFiles: files }).viewed_gold_file;
    expect(viewed(step(0, "str_replace_editor", { command: "view", path: "/workspace/x/pkg/mod.py" }, "..."))).toBe(true);
    expect(viewed(step(0, "execute_bash", { command: "grep -n foo mod.py" }, "..."))).toBe(true);
    expect(viewed(step(0, "execute_bash", { command: "sed -n 1,20p pkg/mod.py" }, "..."))).toBe(true);
    expect(viewed(step(0, "execute_bash", { command: "cat pkg/other_mod.py" }, "..."))).toBe(false);
    expect(viewed(step(0, "str_replace_editor", { command: "view", path: "/workspace/x/pkg/mod.pyi" }, "..."))).toBe(false);
    // Editing the file is not looking at it.
    expect(viewed(step(0, "execute_bash", { command: "sed -i s/a/b/ pkg/mod.py" }, "..."))).toBe(false);
  });
});

describe("gold files", () => {
  it("come from the gold patch's headers and the gold file/files fields", () => {
    const patch = "--- a/pkg/mod.py\n+++ b/pkg/mod.py\n@@ -1 +1 @@\n-a\n+b\n--- /dev/null\n+++ b/pkg/new.py\n@@ -0,0 +1 @@\n+x\n";
    expect(patchFiles(patch)).toEqual(["pkg/mod.py", "pkg/new.py"]);
    expect(goldFiles({ patch, files: ["docs/x.md"], file: "pkg/mod.py" })).toEqual(["docs/x.md", "pkg/mod.py", "pkg/new.py"]);
    expect(goldFiles("not an object")).toEqual([]);
  });
});

describe("analyzeRuns on a hand-written run directory", () => {
  it("keeps one rollout per pair (the final record, else the last infra attempt) and reports bad lines", async () => {
    const dir = join(tmp, "run");
    const instances = join(tmp, "instances.jsonl");
    writeRun(dir, [
      makeRecord({ instance_id: "p", failure: "infra", attempt: 1 }),
      makeRecord({ instance_id: "p", attempt: 2, success: true }),
      makeRecord({ instance_id: "p", attempt: 3, success: false }), // after the pair was settled: ignored
      makeRecord({ instance_id: "q", failure: "infra", attempt: 1 }),
      makeRecord({ instance_id: "q", failure: "infra", attempt: 2 }),
    ], testIdentity({ model: "teacher-x" }));
    appendFileSync(join(dir, "rollouts.jsonl"), '{"schema": "hgym.rollout/1", "instance_id": "torn"');
    writeFileSync(instances, "");
    const a = await analyzeRuns([dir], { instancesPath: instances });
    expect(a.rollouts.map((r) => [r.instance_id, r.attempt, r.line, r.outcome, r.failure?.cause ?? null])).toEqual([
      ["p", 2, 2, "success", null],
      ["q", 2, 5, "failure", "infrastructure"],
    ]);
    expect(a.runs).toEqual([{ dir, teacher: "teacher-x", records: 5, rollouts: 2, bad_lines: 1, skipped_lines: [{ line: 6, message: expect.stringMatching(/rollouts\.jsonl line 6: .*killed mid-write/) }] }]);
    expect(a.overall).toMatchObject({ rollouts: 2, successes: 1, failure_causes: expect.objectContaining({ infrastructure: 1 }) });
  });

  it("refuses no runs, a low loop threshold, and a run without rollouts, each with one message", async () => {
    await expect(analyzeRuns([])).rejects.toThrow(/no run directory given/);
    const dir = join(tmp, "run");
    writeRun(dir, []);
    await expect(analyzeRuns([dir], { thresholds: { loopRepeat: 1 } })).rejects.toThrow(/loopRepeat must be at least 2/);
    rmSync(join(dir, "rollouts.jsonl"));
    await expect(analyzeRuns([dir])).rejects.toThrow(/has no rollouts\.jsonl/);
  });
});
