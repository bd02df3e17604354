// Human-readable rendering of a generation report: one row per repository and the drop reasons, so a user sees
// at a glance where candidates went and whether the validity gate rejected anything (which signals a bug).

import type { GenerationReport } from "./pipeline.js";

export function formatGenerationReport(report: GenerationReport): string {
  const header = ["repo", "status", "candidates", "proposed", "gated", "kept"];
  const rows = report.repos.map((r) => [
    r.name ?? r.input,
    r.status === "ok" ? "ok" : `FAILED: ${truncate(r.error ?? "", 60)}`,
    String(r.candidates),
    String(r.proposed),
    String(r.gated),
    String(r.kept),
  ]);
  const t = report.totals;
  rows.push(["TOTAL", `${t.repos - t.failedRepos}/${t.repos} ok`, String(t.candidates), String(t.proposed), String(t.gated), String(t.kept)]);
  const lines = [`${report.task} (seed ${report.seed}): ${t.output} instances written`, "", ...table(header, rows)];
  const reasons = Object.entries(t.dropped);
  if (reasons.length > 0) {
    lines.push("", ...table(["drop reason", "count"], reasons.map(([k, v]) => [k, String(v)])));
  }
  return lines.join("\n") + "\n";
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)];
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + "…";
}
