// Human-readable rendering of a generation report: one row per repository and the drop reasons, so a user sees
// at a glance where candidates went and whether the validity gate rejected anything (which signals a bug).

import { formatTable } from "../../util/table.js";
import type { GenerationReport } from "./pipeline.js";

export function formatGenerationReport(report: GenerationReport): string {
  const header = ["repo", "status", "candidates", "proposed", "gated", "kept"];
  const rows = report.repos.map((r) => [
    // A repository's row names the state it was generated from: issue-localize mines one state per fix commit.
    r.name !== null ? (r.commit !== null ? `${r.name}@${r.commit.slice(0, 12)}` : r.name) : r.input,
    r.status === "ok" ? "ok" : `FAILED: ${truncate(r.error ?? "", 60)}`,
    r.candidates,
    r.proposed,
    r.gated,
    r.kept,
  ]);
  const t = report.totals;
  rows.push(["TOTAL", `${t.repos - t.failedRepos}/${t.repos} ok`, t.candidates, t.proposed, t.gated, t.kept]);
  const lines = [`${report.task} (seed ${report.seed}): ${t.output} instances written`, "", ...formatTable([header, ...rows], { rule: true })];
  const reasons = Object.entries(t.dropped);
  if (reasons.length > 0) {
    lines.push("", ...formatTable([["drop reason", "count"], ...reasons], { rule: true }));
  }
  return lines.join("\n") + "\n";
}


function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + "…";
}
