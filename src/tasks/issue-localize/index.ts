// The issue-localize task family (docs/DESIGN.md §3): read an issue, find the files, definitions and lines that must
// change, and leave a comment at each.

import type { TaskFamily } from "../types.js";
import { generateIssueLocalize } from "./generate.js";
import { issueLocalizeHacks } from "./hacks.js";
import { type IssueLocalizeGold, type IssueLocalizeOptions } from "./types.js";
import { verifyIssueLocalize } from "./verify.js";

export const issueLocalize: TaskFamily<IssueLocalizeGold, IssueLocalizeOptions> = {
  name: "issue-localize",
  generate: (ctx, opts) => generateIssueLocalize(ctx, opts),
  verify: verifyIssueLocalize,
  goldPatch: (instance) => instance.gold.patch,
  hacks: issueLocalizeHacks,
};

export type { IssueLocalizeGold, IssueLocalizeOptions, IssueRecord, PreparedIssue } from "./types.js";
export { issueLocalizeCli } from "./cli.js";
export { prepareIssueLocalizeInputs } from "./inputs.js";
