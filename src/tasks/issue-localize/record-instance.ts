// An issue-localize instance for one record and its computed gold, outside a generation run: what the tests over
// real fixes and the audit script (audit/issue-localize-python-fixes.ts) score the gold, the oracle and the
// strategies against. The generator builds its own (generate.ts), with the repository context and its metadata.

import type { LanguageId } from "../../lang/types.js";
import type { Instance } from "../types.js";
import type { ComputedGold } from "./gold.js";
import { DEFAULT_CRITERION, DEFAULT_LINE_TOLERANCE, type IssueLocalizeGold, type IssueRecord } from "./types.js";

export function instanceForRecord(record: IssueRecord, gold: ComputedGold, language: LanguageId): Instance<IssueLocalizeGold> {
  return {
    instance_id: `issue-localize/${record.instance_id}`,
    task: "issue-localize",
    language,
    repo: { name: record.repo, commit: record.base_commit, source: record.repo, snapshot: record.instance_id },
    setup_patch: "",
    instruction: record.problem_statement,
    gold: {
      files: gold.files,
      other_files: gold.other_files,
      entities: gold.entities,
      hunks: gold.hunks,
      criterion: DEFAULT_CRITERION,
      line_tolerance: DEFAULT_LINE_TOLERANCE,
      patch: gold.patch,
      fix_patch: record.patch,
    },
    meta: { generator_version: "test", seed: 0, difficulty: {}, validity: { gold: false, null: false, hacks: {} } },
  };
}
