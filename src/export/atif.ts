// One rollout → one ATIF trajectory (atif-schema.ts). Steps: the system prompt, the task (user), then one agent
// step per assistant message holding its tool calls and, as its observation, the results of those calls; a user
// message in the middle (the loop's "call a tool" reminder) is a user step. Per-call token counts and cost come
// from the record's model calls when there is one per assistant message (the oracle makes none). The reward and
// the instance are in the root `extra`, where Harbor's schema leaves room for what it does not define.

import type { RolloutRecord } from "../agent/types.js";
import { packageVersion } from "../runner/versions.js";
import { ATIF_VERSION, atifTrajectorySchema, type AtifStep, type AtifTrajectory } from "./atif-schema.js";

function argumentsObject(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // kept whole below
  }
  return { arguments: text };
}

export function toAtif(rec: RolloutRecord, sessionId: string): AtifTrajectory {
  const steps: AtifStep[] = [];
  const assistantCount = rec.messages.filter((m) => m.role === "assistant").length;
  const callsMatch = rec.model_calls.length === assistantCount;
  let assistantIndex = 0;
  let current: AtifStep | null = null;
  for (const m of rec.messages) {
    if (m.role === "tool") {
      const known = current?.tool_calls?.some((c) => c.tool_call_id === m.tool_call_id) ?? false;
      const result = known ? { source_call_id: m.tool_call_id, content: m.content } : { content: m.content };
      if (current) (current.observation ??= { results: [] }).results.push(result);
      else steps.push({ step_id: steps.length + 1, source: "system", message: "", observation: { results: [result] } });
      continue;
    }
    if (m.role === "system" || m.role === "user") {
      current = null;
      steps.push({ step_id: steps.length + 1, source: m.role, message: m.content });
      continue;
    }
    const call = callsMatch ? rec.model_calls[assistantIndex] : undefined;
    assistantIndex++;
    const step: AtifStep = { step_id: steps.length + 1, source: "agent", model_name: rec.model, message: m.content ?? "" };
    if (call?.started_at) step.timestamp = call.started_at;
    if (m.reasoning_content) step.reasoning_content = m.reasoning_content;
    if (m.tool_calls && m.tool_calls.length > 0) {
      step.tool_calls = m.tool_calls.map((c) => ({ tool_call_id: c.id, function_name: c.function.name, arguments: argumentsObject(c.function.arguments) }));
    }
    if (call) {
      step.metrics = { cost_usd: call.cost, extra: { latency_ms: call.latency_ms, attempts: call.attempts } };
      if (call.usage) Object.assign(step.metrics, { prompt_tokens: call.usage.prompt_tokens, completion_tokens: call.usage.completion_tokens });
    }
    steps.push(step);
    current = step;
  }
  return {
    schema_version: ATIF_VERSION,
    session_id: sessionId,
    agent: { name: "hybrid-gym", version: packageVersion(), model_name: rec.model, extra: { tool_format: rec.tool_format, oracle: rec.oracle } },
    steps,
    final_metrics: {
      total_prompt_tokens: rec.usage.prompt_tokens,
      total_completion_tokens: rec.usage.completion_tokens,
      total_cost_usd: rec.cost,
      total_steps: steps.length,
      extra: { agent_actions: rec.steps.length, wall_ms: rec.wall_ms },
    },
    extra: {
      instance_id: rec.instance_id,
      task: rec.task,
      repo: rec.repo,
      language: rec.language,
      sample: rec.sample,
      reward: rec.reward,
      exit_reason: rec.exit_reason,
      started_at: rec.started_at,
      finished_at: rec.finished_at,
      prompt_hash: rec.prompt_hash,
      final_diff: rec.final_diff,
    },
  };
}

// The converter's output checked against the schema; a failure is a bug in the converter, reported with the path.
export function checkedAtif(rec: RolloutRecord, sessionId: string): AtifTrajectory {
  const t = toAtif(rec, sessionId);
  const res = atifTrajectorySchema.safeParse(t);
  if (!res.success) {
    const issue = res.error.issues[0];
    throw new Error(`ATIF trajectory of ${rec.instance_id} (sample ${rec.sample}) fails the schema at ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return t;
}
