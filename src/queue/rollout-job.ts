// What travels through Redis for one rollout: the job (the instance record itself, never a path on the producer's
// disk, plus the run's settings) and its result (every attempt's RolloutRecord). Both cross a process and machine
// boundary, so each side checks what it reads against these schemas.

import { z } from "zod";
import { instanceSchema } from "../core/schemas/instance.js";
import { rolloutSchema } from "../core/schemas/rollout.js";

// The settings a worker needs to rebuild the producer's rollout environment. No secrets: the API key is read on
// the worker's machine from the variable `api_key_env` names (or OPENAI_API_KEY).
export const rolloutSettingsSchema = z.object({
  model: z.string().min(1),
  base_url: z.string().nullable(),
  api_key_env: z.string().nullable(),
  max_steps: z.number().int().min(1),
  max_cost: z.number().nullable(),
  wall_time_sec: z.number().nullable(),
  temperature: z.number().nullable(),
  top_p: z.number().nullable(),
  max_tokens: z.number().int().nullable(),
  seed: z.number().int().nullable(),
  tool_format: z.enum(["native", "text"]),
  sandbox: z.enum(["bwrap", "docker", "local", "auto"]),
  prices: z.record(z.string(), z.object({ input_per_mtok: z.number(), output_per_mtok: z.number() })).nullable(),
  sandbox_limits: z.record(z.string(), z.number()),
  max_infra_retries: z.number().int().min(0),
  infra_retry_delay_ms: z.number().int().min(0),
});
export type RolloutSettings = z.output<typeof rolloutSettingsSchema>;

export const ROLLOUT_JOB_TAG = "hgym.queue-rollout/1";

export const rolloutJobSchema = z.object({
  schema: z.literal(ROLLOUT_JOB_TAG),
  run_id: z.string().min(1), // which producer's run this belongs to (several runs may share a prefix)
  instance: instanceSchema, // the checked record, as instances.jsonl holds it
  sample: z.number().int().min(0),
  first_attempt: z.number().int().min(1),
  settings: rolloutSettingsSchema,
});
export type RolloutJob = z.output<typeof rolloutJobSchema>;
// What the producer puts on the queue: the instance as its tagged line shape (the worker re-checks it).
export type RolloutJobInput = Omit<RolloutJob, "instance"> & { instance: Record<string, unknown> };

export const rolloutJobResultSchema = z.object({
  schema: z.literal("hgym.queue-rollout-result/1"),
  worker: z.string(), // host:pid of the worker that ran it, for the log
  records: z.array(rolloutSchema).min(1),
});
export type RolloutJobResult = z.output<typeof rolloutJobResultSchema>;
