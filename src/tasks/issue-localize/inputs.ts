// issue-localize's inputs are issues, not repositories: a SWE-bench-format file (repositories found in
// --repos-dir or cloned), or fix commits mined from --repo with --from-history. This turns the command-line
// values into what the generation pipeline takes — ingest inputs (one per repository state: path@base_commit)
// and the family options carrying the issues — plus the records skipped on the way, with reasons.
//
// The shape (PreparedInputs) is the generic one of src/tasks/common/inputs.ts, which `hgym generate` uses for any
// family that declares `prepareInputs` on its TaskCli.

import { resolveEndpoint } from "../../agent/model-client.js";
import { UserError } from "../../core/errors.js";
import { seedFrom } from "../../util/hash.js";
import type { PreparedInputs } from "../common/inputs.js";
import type { DropCounts } from "../types.js";
import { parsePatch } from "../../patch/parse.js";
import { DEFAULT_HISTORY_OPTIONS, mineHistory, preFixTexts } from "./history.js";
import { prepareSweBenchIssues, readIssueFile, type SkippedIssue } from "./records.js";
import { rewriteAsIssue } from "./rewrite.js";
import { checkStatement } from "./statement-check.js";
import { criterionFrom } from "./criterion.js";
import type { IssueLocalizeOptions, PreparedIssue } from "./types.js";


function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}

export async function prepareIssueLocalizeInputs(values: Record<string, unknown>): Promise<PreparedInputs<IssueLocalizeOptions>> {
  const issuesFile = str(values.issues);
  const fromHistory = values.fromHistory === true;
  const repoFlags = Array.isArray(values.repo) ? (values.repo as unknown[]).filter((r): r is string => typeof r === "string") : [];
  const maxFiles = typeof values.maxFiles === "number" ? values.maxFiles : DEFAULT_HISTORY_OPTIONS.maxFiles;
  if (!issuesFile && !fromHistory) {
    throw new UserError("issue-localize needs issues: pass --issues <file.jsonl> (SWE-bench format) with --repos-dir or --clone, or --repo <path> --from-history");
  }
  if (fromHistory && repoFlags.length === 0) throw new UserError("--from-history needs at least one --repo <local git repository>");
  const issues: PreparedIssue[] = [];
  const skipped: SkippedIssue[] = [];
  const dropped: DropCounts = {};
  if (issuesFile) {
    const read = await readIssueFile(issuesFile);
    skipped.push(...read.skipped);
    const prepared = await prepareSweBenchIssues(read.records, {
      reposDir: str(values.reposDir),
      clone: values.clone === true,
      cloneBase: str(values.cloneBase) ?? "https://github.com/",
    });
    issues.push(...prepared.issues);
    skipped.push(...prepared.skipped);
  }
  if (fromHistory) {
    const endpoint = values.rewrite === true ? resolveEndpoint({ baseURL: str(values.baseUrl) ?? undefined, model: str(values.model) ?? undefined }) : null;
    if (values.rewrite === true && !endpoint) {
      throw new UserError("--rewrite needs a model endpoint: pass --base-url and --model (or set OPENAI_BASE_URL / OPENAI_API_KEY and HGYM_MODEL)");
    }
    for (const repo of repoFlags) {
      const mined = await mineHistory(repo, {
        ...DEFAULT_HISTORY_OPTIONS,
        maxFiles,
        ...(typeof values.maxCommits === "number" ? { maxCommits: values.maxCommits } : {}),
      });
      for (const s of mined.skipped) {
        const reason = `history:${s.reason.replace(/\s*\(.*\)$/, "").replace(/\d+/g, "N")}`;
        dropped[reason] = (dropped[reason] ?? 0) + 1;
      }
      for (const issue of mined.issues) {
        if (!endpoint) {
          issues.push(issue);
          continue;
        }
        const seed = seedFrom("rewrite", typeof values.seed === "number" ? values.seed : 0, issue.record.instance_id);
        // The leak check sees the pre-fix texts, as it did for the offline statement.
        const before = await preFixTexts(issue.input.slice(0, issue.input.lastIndexOf("@")), issue.record.base_commit, parsePatch(issue.record.patch).map((f) => f.oldPath).filter((p): p is string => p !== null));
        const view = { paths: () => [...before.keys()], read: (p: string) => before.get(p) ?? null };
        const rewritten = await rewriteAsIssue(endpoint, issue.record.problem_statement, seed, undefined, (text) => checkStatement(text, issue.record.patch, view));
        if (!rewritten.ok) {
          dropped[`history:${rewritten.reason}`] = (dropped[`history:${rewritten.reason}`] ?? 0) + 1;
          continue;
        }
        issues.push({
          ...issue,
          record: { ...issue.record, problem_statement: rewritten.text },
          origin: { ...issue.origin },
          ...(rewritten.check ? { statementCheck: rewritten.check } : {}),
        });
      }
    }
  }
  const repos = [...new Set(issues.map((i) => i.input))].sort();
  return { repos, options: { issues, criterion: criterionFrom(values), maxFiles }, skipped, dropped };
}

// Adds what input preparation skipped or filtered to a generation report: each skipped input as a failed entry
// (so it shows in the table with its reason), filtered counts under totals.dropped.
