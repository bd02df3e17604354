// The gold answer each task family stores in its instances, checked by task when an instance is read, so a
// wrongly typed gold field is a bad input line (named by file, line and field) and never a crash inside a verifier.
// Unknown keys are kept: a family may add fields within one instance version.

import { z } from "zod";

const definitionRef = { file: z.string(), key: z.string(), qualifiedName: z.string() };

export const funcLocalizeGoldSchema = z.looseObject({
  ...definitionRef,
  name: z.string(),
  kind: z.string(),
  docstring: z.string(),
  docstring_raw: z.string(),
  distractors: z.array(z.object({ file: z.string(), key: z.string() })),
  patch: z.string(),
});

export const depSearchGoldSchema = z.looseObject({
  target: z.object({ file: z.string(), key: z.string(), line: z.number(), name: z.string(), kind: z.string() }),
  dependencies: z.array(z.object(definitionRef)),
  patch: z.string(),
});

export const funcGenVerifyConfigSchema = z.object({
  mode: z.enum(["static", "exec", "judge"]),
  similarity_threshold: z.number(),
  timeout_ms: z.number(),
  test_cmd: z.string().optional(),
  verdict_source: z.enum(["tests", "exit-status"]).optional(),
  expected: z.object({ runner: z.enum(["unittest", "pytest", "node-test", "go-test", "cargo-test", "eval-script"]), outcome: z.string(), passed: z.array(z.string()) }).optional(),
  eval_script: z.string().optional(),
  judge: z.object({ model: z.string().optional(), base_url: z.string().optional() }).optional(),
});

export const funcGenGoldSchema = z.looseObject({
  ...definitionRef,
  name: z.string(),
  kind: z.string(),
  body: z.string(),
  docstring: z.string(),
  recursive: z.boolean(),
  patch: z.string(),
  verify: funcGenVerifyConfigSchema,
});

export const issueLocalizeGoldSchema = z.looseObject({
  files: z.array(z.string()),
  other_files: z.array(z.string()).optional(),
  entities: z.array(z.string()),
  hunks: z.array(z.object({ file: z.string(), start: z.number(), end: z.number() })),
  criterion: z.object({ name: z.enum(["default", "paper"]), min_file_precision: z.number(), min_entity_precision: z.number().optional() }),
  line_tolerance: z.number(),
  patch: z.string(),
  fix_patch: z.string(),
});

export const goldSchemas = {
  "func-localize": funcLocalizeGoldSchema,
  "dep-search": depSearchGoldSchema,
  "func-gen": funcGenGoldSchema,
  "issue-localize": issueLocalizeGoldSchema,
} as const;
