// The options `hgym generate issue-localize` adds. Its inputs are issues rather than --repo flags alone, so
// besides toOptions it provides prepareInputs (see inputs.ts), which the generate command calls instead of
// using --repo directly.

import { InvalidArgumentError } from "commander";
import type { TaskCli } from "../task-cli.js";
import { integerOption } from "../common/cli-values.js";
import { criterionFrom } from "./criterion.js";
import type { IssueLocalizeOptions } from "./types.js";

function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`a precision must be a number between 0 and 1, got "${value}"`);
  return n;
}

export const issueLocalizeCli: TaskCli<IssueLocalizeOptions> = {
  options: [
    { flags: "--issues <file>", description: "SWE-bench-format JSONL (instance_id, repo, base_commit, problem_statement, patch)" },
    { flags: "--repos-dir <dir>", description: "where the issues' repositories are cloned (<dir>/<owner>__<name> or <dir>/<name>)" },
    { flags: "--clone", description: "clone repositories missing from --repos-dir by URL", defaultValue: false },
    { flags: "--clone-base <url>", description: "URL prefix for --clone", defaultValue: "https://github.com/" },
    { flags: "--from-history", description: "mine fix commits of each --repo instead of reading --issues", defaultValue: false },
    { flags: "--max-commits <n>", description: "with --from-history: newest commits to scan", parse: integerOption("--max-commits", 1) },
    { flags: "--rewrite", description: "with --from-history: rewrite commit messages into issue reports with an LLM", defaultValue: false },
    { flags: "--base-url <url>", description: "OpenAI-compatible endpoint for --rewrite (default: $OPENAI_BASE_URL)" },
    { flags: "--model <name>", description: "model for --rewrite (default: $HGYM_MODEL)" },
    {
      flags: "--criterion <name>",
      description:
        "success rule: default (a comment at a gold hunk or on a gold definition, file precision >= --min-file-precision and entity precision >= --min-entity-precision) or paper (any gold file commented)",
      defaultValue: "default",
      choices: ["default", "paper"],
    },
    { flags: "--min-file-precision <x>", description: "file precision the default criterion needs", defaultValue: 0.5, parse: fraction },
    { flags: "--min-entity-precision <x>", description: "entity precision the default criterion needs", defaultValue: 0.5, parse: fraction },
    { flags: "--max-files <n>", description: "skip issues whose fix touches more non-test source files (docs and changelogs do not count)", defaultValue: 5, parse: integerOption("--max-files", 1) },
  ],
  // Options without issues: only meaningful after prepareInputs, which fills them in.
  toOptions(values) {
    return { issues: [], criterion: criterionFrom(values), maxFiles: typeof values.maxFiles === "number" ? values.maxFiles : 5 };
  },
  // The input pipeline (git, history mining, the model client) loads only when a generation runs.
  prepareInputs: async (values) => (await import("./inputs.js")).prepareIssueLocalizeInputs(values),
};
