// Predictions given to `hgym verify --patches`: one `{instance_id, patch}` per line, or SWE-bench's prediction
// format (`model_patch`, with `model_name_or_path`). Not versioned: the format is other tools' as much as ours.

import { z } from "zod";

export const predictionSchema = z
  .looseObject({
    instance_id: z.string().min(1),
    patch: z.string().optional(),
    model_patch: z.string().optional(),
  })
  .refine((p) => p.patch !== undefined || p.model_patch !== undefined, { message: "missing (expected string)", path: ["patch"] })
  .transform((p) => ({ instance_id: p.instance_id, patch: (p.patch ?? p.model_patch) as string }));

export type Prediction = z.output<typeof predictionSchema>;
