// Task instances (instances.jsonl, written by `hgym generate` / `hgym import`, read by verify and rollout).
// Version 2 added the `schema` field; version-1 files (no field) are migrated on read. The family-specific `gold`
// is checked against its task's schema (gold.ts).

import { z } from "zod";
import { schemaTag, versioned, type VersionRule } from "./check.js";
import { goldSchemas } from "./gold.js";

export const TASK_NAMES = ["func-localize", "issue-localize", "dep-search", "func-gen"] as const;
export const LANGUAGE_IDS = ["python", "typescript", "tsx", "javascript", "go", "java", "rust"] as const;

export const INSTANCE_VERSION = 2;
export const INSTANCE_SCHEMA_TAG = schemaTag("instance", INSTANCE_VERSION);

export const instanceRepoSchema = z.object({
  name: z.string(),
  commit: z.string(),
  source: z.string(),
  snapshot: z.string().min(1),
});

export const validityRecordSchema = z.object({
  gold: z.boolean(),
  null: z.boolean(),
  hacks: z.record(z.string(), z.boolean()),
});

// Families add their own keys to meta (origin, statement_check, ...): kept as they are.
export const instanceMetaSchema = z.looseObject({
  generator_version: z.string(),
  seed: z.number(),
  difficulty: z.record(z.string(), z.union([z.number(), z.string()])),
  validity: validityRecordSchema,
});

// The current shape, as written (with its `schema` tag).
export const instanceRecordSchema = z.object({
  schema: z.literal(INSTANCE_SCHEMA_TAG),
  instance_id: z.string().min(1),
  task: z.enum(TASK_NAMES),
  language: z.enum(LANGUAGE_IDS),
  repo: instanceRepoSchema,
  setup_patch: z.string(),
  instruction: z.string(),
  gold: z.unknown().refine((g) => g !== undefined, { message: "missing" }),
  meta: instanceMetaSchema,
}).superRefine((instance, ctx) => {
  const gold = goldSchemas[instance.task].safeParse(instance.gold);
  if (!gold.success) for (const issue of gold.error.issues) ctx.addIssue({ ...issue, path: ["gold", ...issue.path] } as z.core.$ZodRawIssue);
});

export const instanceVersions: VersionRule = {
  kind: "instance",
  current: INSTANCE_VERSION,
  unversioned: 1,
  // 1 -> 2: the same fields; version 2 only names itself.
  migrations: { 1: (record) => record },
};

// What readers get: the checked instance without its tag (in memory an Instance is version-free; writers tag it).
export const instanceSchema = versioned(instanceVersions, instanceRecordSchema.transform(({ schema: _tag, ...instance }) => instance));

export type InstanceRecord = z.output<typeof instanceSchema>;

// The line a writer puts in instances.jsonl for one instance.
export function instanceLine(instance: object): string {
  return JSON.stringify({ schema: INSTANCE_SCHEMA_TAG, ...instance });
}
