// RepoST-style records (`hgym import repost <file>`): a function in a repository at a commit plus an eval script.
// The field names vary between releases of the data, so each field accepts its known aliases (first one present
// wins); the output always uses the canonical names. Not versioned: the format is RepoST's.

import { z } from "zod";

export const REPOST_ALIASES = {
  repo: ["repo", "repo_name"],
  commit: ["commit", "base_commit", "sha"],
  file: ["file", "func_path", "file_path", "path"],
  func_name: ["func_name", "function_name", "name"],
  eval_script: ["eval_script", "test_script"],
  instance_id: ["instance_id", "id", "idx"],
} as const;

function canonical(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const rec = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [field, names] of Object.entries(REPOST_ALIASES)) {
    for (const n of names) {
      const v = rec[n];
      if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) continue;
      out[field] = typeof v === "number" && field === "instance_id" ? String(v) : v;
      break;
    }
  }
  return out;
}

export const repostRecordSchema = z.preprocess(
  canonical,
  z.object({
    repo: z.string(),
    commit: z.string(),
    file: z.string(),
    func_name: z.string(),
    eval_script: z.string(),
    instance_id: z.string().nullable().default(null),
  }),
);

export type RepostRecord = z.output<typeof repostRecordSchema>;
