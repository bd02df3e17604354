// The Agent Trajectory Interchange Format (ATIF), v1.4, as Harbor specifies it (RFC 0001, "Agent Trajectory
// Interchange Format", https://github.com/laude-institute/harbor/blob/main/docs/rfcs/0001-trajectory-format.md; its
// reference models are Harbor's `harbor/models/trajectories/*.py`). Written from the RFC's tables: required and
// optional fields, agent-only step fields, sequential step ids from 1, and observation results that name a tool
// call of the same step. Unknown fields are rejected (the reference models forbid extras), so a trajectory that
// passes here has nothing Harbor's validator would not know.

import { z } from "zod";

export const ATIF_VERSION = "ATIF-v1.4";

const isoTimestamp = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), {
  message: "not an ISO 8601 timestamp",
});
const extra = z.record(z.string(), z.unknown());

export const atifToolCallSchema = z.strictObject({
  tool_call_id: z.string().min(1),
  function_name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()),
});

export const atifObservationResultSchema = z.strictObject({
  source_call_id: z.string().nullable().optional(),
  content: z.string().nullable().optional(),
  subagent_trajectory_ref: z.array(z.strictObject({ session_id: z.string(), trajectory_path: z.string().nullable().optional(), extra: extra.optional() })).optional(),
});

export const atifMetricsSchema = z.strictObject({
  prompt_tokens: z.number().int().nonnegative().optional(),
  completion_tokens: z.number().int().nonnegative().optional(),
  cached_tokens: z.number().int().nonnegative().optional(),
  cost_usd: z.number().nonnegative().optional(),
  prompt_token_ids: z.array(z.number().int()).optional(),
  completion_token_ids: z.array(z.number().int()).optional(),
  logprobs: z.array(z.number()).optional(),
  extra: extra.optional(),
});

export const atifStepSchema = z
  .strictObject({
    step_id: z.number().int().positive(),
    timestamp: isoTimestamp.optional(),
    source: z.enum(["system", "user", "agent"]),
    model_name: z.string().optional(),
    reasoning_effort: z.union([z.string(), z.number()]).optional(),
    message: z.string(),
    reasoning_content: z.string().optional(),
    tool_calls: z.array(atifToolCallSchema).optional(),
    observation: z.strictObject({ results: z.array(atifObservationResultSchema) }).optional(),
    metrics: atifMetricsSchema.optional(),
    extra: extra.optional(),
  })
  .superRefine((step, ctx) => {
    if (step.source !== "agent") {
      for (const key of ["model_name", "reasoning_effort", "reasoning_content", "tool_calls", "metrics"] as const) {
        if (step[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `only agent steps have ${key}` });
      }
    }
    if (step.source === "user" && step.observation !== undefined) ctx.addIssue({ code: "custom", path: ["observation"], message: "user steps have no observation" });
    const ids = new Set((step.tool_calls ?? []).map((c) => c.tool_call_id));
    for (const [i, r] of (step.observation?.results ?? []).entries()) {
      if (r.source_call_id && !ids.has(r.source_call_id)) {
        ctx.addIssue({ code: "custom", path: ["observation", "results", i, "source_call_id"], message: `names no tool call of this step (${r.source_call_id})` });
      }
    }
  });

export const atifTrajectorySchema = z
  .strictObject({
    schema_version: z.literal(ATIF_VERSION),
    session_id: z.string().min(1),
    agent: z.strictObject({ name: z.string().min(1), version: z.string().min(1), model_name: z.string().optional(), extra: extra.optional() }),
    steps: z.array(atifStepSchema).min(1),
    notes: z.string().optional(),
    final_metrics: z
      .strictObject({
        total_prompt_tokens: z.number().int().nonnegative().optional(),
        total_completion_tokens: z.number().int().nonnegative().optional(),
        total_cached_tokens: z.number().int().nonnegative().optional(),
        total_cost_usd: z.number().nonnegative().optional(),
        total_steps: z.number().int().nonnegative().optional(),
        extra: extra.optional(),
      })
      .optional(),
    extra: extra.optional(),
  })
  .superRefine((t, ctx) => {
    t.steps.forEach((s, i) => {
      if (s.step_id !== i + 1) ctx.addIssue({ code: "custom", path: ["steps", i, "step_id"], message: `step ids must run 1, 2, 3 ...; found ${s.step_id} at position ${i + 1}` });
    });
  });

export type AtifTrajectory = z.output<typeof atifTrajectorySchema>;
export type AtifStep = z.output<typeof atifStepSchema>;
