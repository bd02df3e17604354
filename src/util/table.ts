// Plain-text tables for the commands' printed summaries: numbers right-aligned, text left-aligned, columns two
// spaces apart, optionally a rule under the header row.

export interface TableOptions {
  indent?: string;
  rule?: boolean; // a line of dashes under the first row
}

export function formatTable(rows: (string | number)[][], opts: TableOptions = {}): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, String(cell).length)));
  const fmt = (row: (string | number)[]) =>
    (opts.indent ?? "") +
    row
      .map((cell, i) => (typeof cell === "number" ? String(cell).padStart(widths[i] ?? 0) : String(cell).padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const lines = rows.map(fmt);
  if (opts.rule && lines.length > 0) lines.splice(1, 0, (opts.indent ?? "") + widths.map((w) => "-".repeat(w)).join("  "));
  return lines;
}
