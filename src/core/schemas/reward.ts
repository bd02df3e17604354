// The reward a verifier returns, as recorded in rollouts and verify results.

import { z } from "zod";

export const violationSchema = z.object({
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().optional(),
});

export const rewardSchema = z.object({
  success: z.boolean(),
  score: z.number(),
  metrics: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  violations: z.array(violationSchema),
  mode: z.string().optional(),
});
