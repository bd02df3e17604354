// issue-localize's inputs inside a build job. A repository that came with SWE-bench / SWE-Gym-Raw records (a
// problem statement and its fix) uses those records as its issues; any other repository has its fixes mined from
// its own git history (`--from-history`), when it is a git repository of its own — a package folder inside
// someone else's work tree (node_modules/x) or a plain folder has no history to mine, which is counted as a drop,
// not a failure.

import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { runGit } from "../repo/git.js";
import { parseInput } from "../repo/ingest.js";
import type { PreparedInputs } from "../tasks/common/inputs.js";
import { prepareIssueLocalizeInputs } from "../tasks/issue-localize/inputs.js";
import { criterionFrom } from "../tasks/issue-localize/criterion.js";
import type { IssueLocalizeOptions } from "../tasks/issue-localize/types.js";
import type { BuildJob } from "./types.js";

export const NO_HISTORY = "history:no git history of its own";

export async function issueLocalizeInputs(job: BuildJob, values: Record<string, unknown>): Promise<PreparedInputs<IssueLocalizeOptions>> {
  const maxFiles = typeof values.maxFiles === "number" ? values.maxFiles : 5;
  if (job.issues.length > 0) {
    const issues = job.issues.map((record) => ({
      record: { ...record, base_commit: job.commit ?? record.base_commit },
      origin: { kind: "swe-bench" as const, instance_id: record.instance_id },
      input: job.input,
    }));
    return { repos: [job.input], options: { issues, criterion: criterionFrom(values), maxFiles }, skipped: [], dropped: {} };
  }
  if (!(await hasOwnHistory(job.input))) {
    return { repos: [], options: { issues: [], criterion: criterionFrom(values), maxFiles }, skipped: [], dropped: { [NO_HISTORY]: 1 } };
  }
  return prepareIssueLocalizeInputs({ ...values, repo: [job.input], fromHistory: true, seed: job.seed });
}

// A local folder that is the top of its own git work tree.
async function hasOwnHistory(input: string): Promise<boolean> {
  const parsed = parseInput(input);
  if (parsed.kind !== "local") return false;
  const abs = resolve(parsed.location);
  const top = await runGit(["rev-parse", "--show-toplevel"], { cwd: abs }).catch(() => null);
  if (!top || top.code !== 0) return false;
  try {
    return realpathSync(top.stdout.toString("utf8").trim()) === realpathSync(abs);
  } catch {
    return false;
  }
}
