// SWE-bench task records (`hgym generate issue-localize --issues file.jsonl`): SWE-bench's own format, so not
// versioned by us. Fields we do not use (version, FAIL_TO_PASS, created_at, ...) are allowed and dropped.

import { z } from "zod";

// Non-blank, kept as written (a patch's trailing newline matters).
const text = z.string().refine((s) => s.trim() !== "", { message: "empty" });

export const sweBenchRecordSchema = z.object({
  instance_id: text,
  repo: text, // "owner/name"
  base_commit: z.string().trim().min(1, { message: "empty" }),
  problem_statement: text,
  patch: text,
  test_patch: z.string().optional(),
  hints_text: z.string().optional(),
});

export type SweBenchRecord = z.output<typeof sweBenchRecordSchema>;
