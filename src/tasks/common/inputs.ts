// What a family's inputs become before the generation pipeline runs. Most families take repositories (--repo)
// directly; a family whose inputs are something else (issue-localize: issue files, or fix commits mined from
// history) declares `prepareInputs` on its TaskCli and turns its own flags into repository states to ingest plus
// the options that carry the rest. Inputs it could not use are reported next to the pipeline's own report.

import type { DropCounts } from "../types.js";
import type { GenerationReport } from "./pipeline.js";

export interface SkippedInput {
  id: string; // what was skipped: a record id, "<file>:<line>", a repository
  reason: string;
}

export interface PreparedInputs<O> {
  repos: string[]; // ingest inputs for the pipeline, sorted, unique
  options: O;
  skipped: SkippedInput[]; // inputs that could not be used at all (missing repository, unknown commit, ...)
  dropped: DropCounts; // inputs filtered out by design (e.g. commits that are not fixes), by reason
}

// Adds the inputs skipped before the pipeline to its report, as failed entries and drop counts.
export function mergeSkippedInputs(report: GenerationReport, prepared: Pick<PreparedInputs<unknown>, "skipped" | "dropped">): GenerationReport {
  for (const s of prepared.skipped) {
    report.repos.push({ input: s.id, name: null, commit: null, status: "failed", error: s.reason, candidates: 0, proposed: 0, gated: 0, kept: 0, dropped: {} });
  }
  report.totals.repos = report.repos.length;
  report.totals.failedRepos = report.repos.filter((r) => r.status === "failed").length;
  const dropped = { ...report.totals.dropped };
  for (const [k, v] of Object.entries(prepared.dropped)) dropped[k] = (dropped[k] ?? 0) + v;
  report.totals.dropped = Object.fromEntries(Object.entries(dropped).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  return report;
}
