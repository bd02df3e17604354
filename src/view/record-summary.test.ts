// The index's fast reader must agree with a full parse on every record, including strings that make quote-jumping
// hard, and hand back (null) what it cannot read so the full parse decides.

import { describe, expect, it } from "vitest";
import type { RolloutRecord } from "../agent/types.js";
import { ROLLOUT_SCHEMA_TAG } from "../core/schemas/rollout.js";
import { summarizeRecordLine } from "./record-summary.js";

function record(over: Partial<RolloutRecord> = {}): RolloutRecord {
  return {
    schema: ROLLOUT_SCHEMA_TAG,
    instance_id: "func-gen/x@1/a.f",
    task: "func-gen",
    repo: "x",
    language: "python",
    sample: 2,
    attempt: 1,
    model: "m",
    oracle: false,
    tool_format: "native",
    messages: [
      { role: "system", content: 'quote " backslash \\ both \\" end' },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "execute_bash", arguments: '{"command":"echo \\"}\\" ]"}' } }] },
      { role: "tool", tool_call_id: "c1", content: "}]{[ \\\\\" \u2028 ünï" },
    ],
    tools: [],
    model_calls: [{ request_messages: 2, truncated: false, raw_response: { ids: [1, 2, 3], nested: [[{ a: "]" }]] }, usage: null, cost: 0, latency_ms: 5, attempts: 1 }],
    steps: [
      { index: 0, tool: "execute_bash", arguments: { command: 'echo "}" ]' }, observation: '"}]\\', error: false, started_at: "t", duration_ms: 1 },
      { index: 1, tool: "finish", arguments: null, observation: "", error: false, started_at: "t", duration_ms: 0 },
    ],
    final_diff: "diff --git a/a b/a\n",
    reward: { success: false, score: 0.25, metrics: { x: "}" }, violations: [{ code: "code-changed", message: "m" }] },
    exit_reason: "max_steps",
    failure: "none",
    error: null,
    usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 },
    cost: 0.5,
    wall_ms: 1234,
    started_at: "s",
    finished_at: "f",
    prompt_hash: "h",
    ...over,
  } as RolloutRecord;
}

describe("summarizeRecordLine", () => {
  it("reads the kept fields and counts the steps of records full of brackets, quotes and backslashes", () => {
    for (const rec of [record(), record({ steps: [] }), record({ reward: null, error: 'a "quoted" error \\' })]) {
      for (const text of [JSON.stringify(rec), JSON.stringify(rec, null, 2)]) {
        const s = summarizeRecordLine(Buffer.from(text));
        expect(s).toEqual({
          schema: rec.schema,
          instance_id: rec.instance_id,
          task: rec.task,
          repo: rec.repo,
          language: rec.language,
          sample: rec.sample,
          attempt: rec.attempt,
          model: rec.model,
          reward: rec.reward,
          exit_reason: rec.exit_reason,
          failure: rec.failure,
          error: rec.error,
          usage: rec.usage,
          cost: rec.cost,
          wall_ms: rec.wall_ms,
          steps: rec.steps.length,
        });
      }
    }
  });

  it("counts steps whatever their layout", () => {
    const steps = Array.from({ length: 37 }, (_, i) => ({ index: i, tool: "think", arguments: { thought: `[${i}], "x"` }, observation: "", error: false, started_at: "t", duration_ms: 0 }));
    expect(summarizeRecordLine(Buffer.from(JSON.stringify(record({ steps }))))?.steps).toBe(37);
  });

  it("leaves to the full parse what it cannot read or what does not check", () => {
    expect(summarizeRecordLine(Buffer.from("not json"))).toBeNull();
    expect(summarizeRecordLine(Buffer.from(JSON.stringify(record()).slice(0, -40)))).toBeNull(); // torn
    expect(summarizeRecordLine(Buffer.from(JSON.stringify({ ...record(), schema: "hgym.rollout/0" })))).toBeNull();
    expect(summarizeRecordLine(Buffer.from(JSON.stringify({ ...record(), sample: "two" })))).toBeNull();
    const { steps: _steps, ...noSteps } = record();
    expect(summarizeRecordLine(Buffer.from(JSON.stringify(noSteps)))).toBeNull();
  });
});
