// Run manifests (runs/<name>/run.json): a run's identity, options, versions, sessions and counts. Rewritten by
// `hgym rollout` after every few records, read when a run is resumed and by `hgym export`.

import { z } from "zod";
import { schemaTag, versioned, type VersionRule } from "./check.js";

export const RUN_VERSION = 1;
export const RUN_SCHEMA_TAG = schemaTag("run", RUN_VERSION);

// The options that change what a rollout produces (see runner/run-dir.ts).
export const runIdentitySchema = z.object({
  model: z.string(),
  base_url: z.string().nullable(),
  tool_format: z.enum(["native", "text"]),
  max_steps: z.number(),
  max_cost: z.number().nullable(),
  wall_time_sec: z.number().nullable(),
  temperature: z.number().nullable(),
  top_p: z.number().nullable(),
  max_tokens: z.number().nullable(),
  seed: z.number().nullable(),
  task_filter: z.array(z.string()).nullable(),
  instances_sha256: z.string(), // the instance file's content: a different instance set is a different run
});

export const runCountsSchema = z.object({
  pairs_planned: z.number(), // (instance, sample) pairs in this run's plan
  records: z.number(), // lines in rollouts.jsonl
  final: z.number(), // pairs with a final record
  success: z.number(), // final records with reward.success
  failure_model: z.number(),
  failure_infra: z.number(), // pairs that ran out of infra retries
  infra_pending: z.number(), // pairs whose infra failures are below the retry limit (will run on resume)
});

export const runManifestRecordSchema = z.object({
  schema: z.literal(RUN_SCHEMA_TAG),
  identity: runIdentitySchema,
  options: z.record(z.string(), z.unknown()), // every option of the latest session, identity or not
  versions: z.record(z.string(), z.string()),
  prompt_hash: z.string().nullable(), // of the latest record written
  instances: z.object({ path: z.string(), sha256: z.string(), count: z.number() }),
  started_at: z.string(), // first session
  updated_at: z.string(),
  finished_at: z.string().nullable(), // null while a session is running or after it was interrupted
  sessions: z.array(z.object({ started_at: z.string(), finished_at: z.string().nullable(), interrupted: z.boolean(), ran: z.number() })),
  counts: runCountsSchema,
});

export const runManifestVersions: VersionRule = { kind: "run", current: RUN_VERSION, unversioned: null, migrations: {} };
export const runManifestSchema = versioned(runManifestVersions, runManifestRecordSchema);
