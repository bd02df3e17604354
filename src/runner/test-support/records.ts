// Hand-built RolloutRecords and run directories for tests of the runner and the exports: the shapes are exactly
// what the agent loop writes, so format tests check real rows byte for byte.

import type { ChatMessage, RolloutRecord, ToolSchema } from "../../agent/types.js";
import type { TaskName } from "../../core/reward.js";
import { RunDir, runIdentity, type RunIdentity } from "../run-dir.js";

export const BASH_TOOL: ToolSchema = {
  type: "function",
  function: {
    name: "execute_bash",
    description: "Run a bash command.",
    parameters: { type: "object", properties: { command: { type: "string", description: "the command" } }, required: ["command"] },
  },
};

export const FINISH_TOOL: ToolSchema = {
  type: "function",
  function: {
    name: "finish",
    description: "Finish the task.",
    parameters: { type: "object", properties: { message: { type: "string", description: "summary" } }, required: ["message"] },
  },
};

// system, task, one bash call with its result, a finish call with its result.
export function sampleConversation(instruction = "Find the function."): ChatMessage[] {
  return [
    { role: "system", content: "You are an agent." },
    { role: "user", content: instruction },
    {
      role: "assistant",
      content: "Let me look.",
      tool_calls: [{ id: "c1", type: "function", function: { name: "execute_bash", arguments: '{"command": "ls"}' } }],
    },
    { role: "tool", tool_call_id: "c1", name: "execute_bash", content: "a.py\nb.py" },
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "c2", type: "function", function: { name: "finish", arguments: '{"message": "done"}' } }],
    },
    { role: "tool", tool_call_id: "c2", name: "finish", content: "Finished." },
  ];
}

export interface RecordSpec {
  instance_id: string;
  sample?: number;
  task?: TaskName;
  repo?: string;
  language?: string;
  success?: boolean;
  score?: number;
  failure?: RolloutRecord["failure"];
  oracle?: boolean;
  attempt?: number;
  prompt_tokens?: number;
  completion_tokens?: number;
  messages?: ChatMessage[];
}

export function makeRecord(spec: RecordSpec): RolloutRecord {
  const failure = spec.failure ?? "none";
  const success = spec.success ?? true;
  const pt = spec.prompt_tokens ?? 100;
  const ct = spec.completion_tokens ?? 20;
  return {
    schema: "hgym.rollout/1",
    instance_id: spec.instance_id,
    task: spec.task ?? "func-localize",
    repo: spec.repo ?? "demo",
    language: spec.language ?? "python",
    sample: spec.sample ?? 0,
    attempt: spec.attempt ?? 1,
    model: spec.oracle ? "oracle" : "test-model",
    oracle: spec.oracle ?? false,
    tool_format: "native",
    messages: spec.messages ?? sampleConversation(),
    tools: [BASH_TOOL, FINISH_TOOL],
    model_calls: [],
    steps: [],
    final_diff: "",
    reward: failure === "infra" ? null : { success, score: spec.score ?? (success ? 1 : 0), metrics: {}, violations: [] },
    exit_reason: failure === "infra" ? "infra_error" : failure === "model" ? "model_error" : "finished",
    failure,
    error: failure === "none" ? null : `${failure} failure`,
    usage: { prompt_tokens: pt, completion_tokens: ct, total_tokens: pt + ct },
    cost: 0,
    wall_ms: 10,
    started_at: "2026-01-01T00:00:00.000Z",
    finished_at: "2026-01-01T00:00:01.000Z",
    prompt_hash: "p".repeat(64),
  };
}

export function testIdentity(overrides: Partial<RunIdentity> = {}): RunIdentity {
  return { ...runIdentity({ model: "test-model" }), instances_sha256: "0".repeat(64), ...overrides };
}

// A run directory holding exactly these records, with a finished manifest.
export function writeRun(dir: string, records: RolloutRecord[], identity: RunIdentity = testIdentity()): void {
  const run = RunDir.open(dir, { identity, options: {}, versions: {}, instances: { path: "instances.jsonl", sha256: identity.instances_sha256, count: 0 } });
  for (const r of records) run.append(r);
  run.writeManifest({ interrupted: false });
  run.close();
}
