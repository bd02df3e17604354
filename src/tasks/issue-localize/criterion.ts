// The success criterion `hgym generate issue-localize` records, from its command-line values. Apart from inputs.ts
// so the CLI can read options without loading the input pipeline.

import { UserError } from "../../core/errors.js";
import { DEFAULT_CRITERION, type IssueCriterion } from "./types.js";

export function criterionFrom(values: Record<string, unknown>): IssueCriterion {
  const name = values.criterion === "paper" ? "paper" : "default";
  const p = typeof values.minFilePrecision === "number" ? values.minFilePrecision : DEFAULT_CRITERION.min_file_precision;
  if (!(p >= 0 && p <= 1)) throw new UserError(`--min-file-precision must be between 0 and 1, got ${p}`);
  const e = typeof values.minEntityPrecision === "number" ? values.minEntityPrecision : (DEFAULT_CRITERION.min_entity_precision ?? 0.5);
  if (!(e >= 0 && e <= 1)) throw new UserError(`--min-entity-precision must be between 0 and 1, got ${e}`);
  return { name, min_file_precision: p, min_entity_precision: e };
}
