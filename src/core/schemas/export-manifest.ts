// Export manifests (<out>.manifest.json beside every dataset `hgym export` writes): what went in, what was left
// out and why, and the dataset's statistics. Read back by tools that check or merge datasets.

import { z } from "zod";
import { schemaTag, versioned, type VersionRule } from "./check.js";
import { runIdentitySchema } from "./run-manifest.js";

export const EXPORT_VERSION = 1;
export const EXPORT_SCHEMA_TAG = schemaTag("export", EXPORT_VERSION);
export const EXPORT_FORMAT_NAMES = ["openai", "openhands", "sharegpt"] as const;

const distributionSchema = z.object({ mean: z.number(), median: z.number(), p95: z.number(), min: z.number(), max: z.number() });
const groupStatsSchema = z.object({ rows: z.number(), success: z.number(), success_rate: z.number(), mean_reward: z.number() });

export const datasetStatsSchema = z.object({
  rows: z.number(),
  by_task: z.record(z.string(), groupStatsSchema),
  by_repo: z.record(z.string(), groupStatsSchema),
  by_language: z.record(z.string(), groupStatsSchema),
  by_model: z.record(z.string(), groupStatsSchema),
  prompt_tokens: distributionSchema,
  completion_tokens: distributionSchema,
  turns: distributionSchema,
});

export const exportFiltersSchema = z.object({
  onlySuccess: z.boolean(),
  includeOracle: z.boolean(),
  maxPerInstance: z.number().nullable(),
  minReward: z.number().nullable(),
});

// Added after version 1 shipped, optional so earlier manifests still read: row options, the data recipe, and the
// recipe's counts (docs/EXPORTS.md).
export const exportRowOptionsSchema = z.object({
  toolArguments: z.enum(["string", "object"]),
  nullContent: z.enum(["null", "empty"]),
  inContextExample: z.boolean(),
});

export const exportRecipeSchema = z.object({
  minSteps: z.number().nullable(),
  maxPerRepo: z.number().nullable(),
  teachers: z.array(z.string()).nullable(),
  taskRatios: z.record(z.string(), z.number()).nullable(),
  total: z.number().nullable(),
  dropEditTurns: z.boolean(),
  mix: z.array(z.string()),
  seed: z.number(),
});

export const exportManifestRecordSchema = z.object({
  schema: z.literal(EXPORT_SCHEMA_TAG),
  package_version: z.string(),
  versions: z.record(z.string(), z.string()),
  created_at: z.string(),
  format: z.enum(EXPORT_FORMAT_NAMES),
  container: z.enum(["jsonl", "parquet"]),
  out: z.string(),
  out_sha256: z.string(),
  options: z.object({ format: z.enum(EXPORT_FORMAT_NAMES), parquet: z.boolean(), row: exportRowOptionsSchema.optional() }),
  filters: exportFiltersSchema,
  recipe: exportRecipeSchema.optional(),
  sources: z.array(
    z.object({ dir: z.string(), run_json_sha256: z.string(), identity: runIdentitySchema, records: z.number(), malformed_lines: z.number() }),
  ),
  counts: z.object({
    records_in: z.number(),
    rows_out: z.number(),
    dropped: z.record(z.string(), z.number()),
    quotas: z.record(z.string(), z.object({ wanted: z.number(), got: z.number() })).nullable().optional(),
    edit_turns_dropped: z.number().optional(),
    mixed_in: z.array(z.object({ file: z.string(), rows: z.number(), kept: z.number() })).optional(),
  }),
  prompt_hashes: z.array(z.string()),
  stats: datasetStatsSchema,
});

export const exportManifestVersions: VersionRule = { kind: "export", current: EXPORT_VERSION, unversioned: null, migrations: {} };
export const exportManifestSchema = versioned(exportManifestVersions, exportManifestRecordSchema);
