// Rollout records (runs/<name>/rollouts.jsonl): one per finished rollout attempt, appended by `hgym rollout`,
// read back to resume a run and by `hgym export`.

import { z } from "zod";
import { TASK_NAMES } from "./instance.js";
import { rewardSchema } from "./reward.js";
import { schemaTag, versioned, type VersionRule } from "./check.js";

export const ROLLOUT_VERSION = 1;
export const ROLLOUT_SCHEMA_TAG = schemaTag("rollout", ROLLOUT_VERSION);

export const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal("function"),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

export const chatMessageSchema = z.discriminatedUnion("role", [
  z.object({ role: z.literal("system"), content: z.string() }),
  z.object({ role: z.literal("user"), content: z.string() }),
  z.object({
    role: z.literal("assistant"),
    content: z.string().nullable(),
    tool_calls: z.array(toolCallSchema).optional(),
    reasoning_content: z.string().optional(),
  }),
  z.object({ role: z.literal("tool"), tool_call_id: z.string(), name: z.string().optional(), content: z.string() }),
]);

export const toolSchemaSchema = z.object({
  type: z.literal("function"),
  function: z.object({ name: z.string(), description: z.string(), parameters: z.record(z.string(), z.unknown()) }),
});

export const usageSchema = z.object({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number(),
});

export const modelCallSchema = z.object({
  request_messages: z.number(),
  truncated: z.boolean(),
  raw_response: z.unknown(),
  usage: usageSchema.nullable(),
  cost: z.number(),
  latency_ms: z.number(),
  attempts: z.number(),
  started_at: z.string().optional(),
  retries: z.array(z.object({ attempt: z.number(), status: z.number().nullable(), error: z.string(), wait_ms: z.number() })).optional(),
  dropped: z.object({ from: z.number(), to: z.number() }).nullable().optional(),
  error: z.string().optional(),
});

export const stepSchema = z.object({
  index: z.number(),
  tool: z.string(),
  arguments: z.record(z.string(), z.unknown()).nullable(),
  observation: z.string(),
  error: z.boolean(),
  started_at: z.string(),
  duration_ms: z.number(),
});

export const EXIT_REASONS = ["finished", "max_steps", "max_cost", "wall_time", "stuck", "context_overflow", "no_tool_calls", "model_error", "infra_error"] as const;
export const FAILURE_KINDS = ["none", "model", "infra"] as const;

export const rolloutRecordSchema = z.object({
  schema: z.literal(ROLLOUT_SCHEMA_TAG),
  instance_id: z.string().min(1),
  task: z.enum(TASK_NAMES),
  repo: z.string(),
  language: z.string(),
  sample: z.number().int().nonnegative(),
  attempt: z.number().int().positive(),
  model: z.string(),
  oracle: z.boolean(),
  tool_format: z.enum(["native", "text"]),
  messages: z.array(chatMessageSchema),
  tools: z.array(toolSchemaSchema),
  model_calls: z.array(modelCallSchema),
  steps: z.array(stepSchema),
  final_diff: z.string(),
  reward: rewardSchema.nullable(),
  exit_reason: z.enum(EXIT_REASONS),
  failure: z.enum(FAILURE_KINDS),
  error: z.string().nullable(),
  usage: usageSchema,
  cost: z.number(),
  wall_ms: z.number(),
  started_at: z.string(),
  finished_at: z.string(),
  prompt_hash: z.string(),
});

export const rolloutVersions: VersionRule = {
  kind: "rollout",
  current: ROLLOUT_VERSION,
  unversioned: null,
  migrations: {},
};

export const rolloutSchema = versioned(rolloutVersions, rolloutRecordSchema);
export type RolloutRecordShape = z.output<typeof rolloutRecordSchema>;
