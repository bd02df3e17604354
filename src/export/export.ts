// `hgym export`: selected rollouts → one dataset file (JSONL or Parquet) + `<out>.manifest.json` + `<out>.README.md`.

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { RunIdentity } from "../runner/run-dir.js";
import { packageVersion, toolVersions } from "../runner/versions.js";
import { UserError } from "../core/errors.js";
import { sha256 } from "../util/hash.js";
import { openOutputStream, prepareOutputFile, writeOutputFile } from "../util/output-file.js";
import { datasetOverview, datasetStats, renderCard, type DatasetStats } from "./card.js";
import { EXPORT_FORMATS, toRow, type ExportFormat } from "./formats.js";
import { writeParquet } from "./parquet.js";
import { loadSelected, selectRecords, type ExportFilters, type SelectedRecord } from "./select.js";

export interface ExportOptions {
  runDirs: string[];
  format: ExportFormat;
  parquet: boolean;
  out: string;
  filters: ExportFilters;
  command?: string; // the command line, for the card
  allowEmpty?: boolean; // write an empty dataset instead of refusing (quickstart shows every step's output)
}

export interface ExportManifest {
  schema: "hgym.export/1";
  package_version: string;
  versions: Record<string, string>;
  created_at: string;
  format: ExportFormat;
  container: "jsonl" | "parquet";
  out: string;
  out_sha256: string;
  options: { format: ExportFormat; parquet: boolean };
  filters: ExportFilters;
  sources: { dir: string; run_json_sha256: string; identity: RunIdentity; records: number; malformed_lines: number }[];
  counts: { records_in: number; rows_out: number; dropped: Record<string, number> };
  prompt_hashes: string[];
  stats: DatasetStats;
}

export interface ExportResult {
  out: string;
  manifestPath: string;
  cardPath: string;
  manifest: ExportManifest;
}

export function runExport(opts: ExportOptions): ExportResult {
  if (!EXPORT_FORMATS.includes(opts.format)) {
    throw new UserError(`unknown export format "${opts.format}"; use one of: ${EXPORT_FORMATS.join(", ")}`);
  }
  // The dataset file and the two files beside it are checked before any run is read.
  const out = prepareOutputFile(opts.out, { option: "--out" });
  const manifestPath = prepareOutputFile(`${out}.manifest.json`, { option: "--out" });
  const cardPath = prepareOutputFile(`${out}.README.md`, { option: "--out" });
  const selection = selectRecords(opts.runDirs, opts.filters);
  const digests = selection.selected.map((s) => s.digest);
  if (digests.length === 0 && !opts.allowEmpty) {
    const dropped = Object.entries(selection.dropped).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ");
    throw new UserError(
      `nothing to export from ${opts.runDirs.join(", ")}: ${selection.records_in} records, none selected${dropped ? ` (left out: ${dropped})` : ""}; loosen the filters or finish the runs first; ${out} not written`,
    );
  }
  const createdAt = new Date().toISOString();
  if (opts.parquet) {
    // Parquet is written column by column, so its rows are gathered first.
    const rows = selection.selected.map((sel) => ({ record: sel.digest, row: toRow(opts.format, loadSelected(sel)) }));
    writeParquet(out, rows, { "hgym.format": opts.format, "hgym.version": packageVersion(), "hgym.created_at": createdAt });
  } else {
    writeJsonlRows(out, selection.selected, opts.format);
  }
  const stats = datasetStats(digests);
  const promptHashes = [...new Set(digests.map((r) => r.prompt_hash).filter((h) => h))].sort();
  const manifest: ExportManifest = {
    schema: "hgym.export/1",
    package_version: packageVersion(),
    versions: toolVersions(),
    created_at: createdAt,
    format: opts.format,
    container: opts.parquet ? "parquet" : "jsonl",
    out,
    out_sha256: sha256(readFileSync(out)),
    options: { format: opts.format, parquet: opts.parquet },
    filters: opts.filters,
    sources: selection.sources.map((s) => ({
      dir: s.dir,
      run_json_sha256: s.manifest_sha256,
      identity: s.identity,
      records: s.records,
      malformed_lines: s.malformed_lines,
    })),
    counts: { records_in: selection.records_in, rows_out: digests.length, dropped: selection.dropped },
    prompt_hashes: promptHashes,
    stats,
  };
  writeOutputFile(manifestPath, JSON.stringify(manifest, null, 2) + "\n", { option: "--out" });
  writeOutputFile(
    cardPath,
    renderCard({
      title: basename(out),
      format: opts.format,
      parquet: opts.parquet,
      command: opts.command ?? `hgym export ${opts.runDirs.join(" ")} --format ${opts.format}${opts.parquet ? " --parquet" : ""} --out ${opts.out}`,
      packageVersion: manifest.package_version,
      createdAt,
      filters: { ...opts.filters },
      recordsIn: selection.records_in,
      dropped: selection.dropped,
      sources: selection.sources,
      promptHashes,
      stats,
      overview: datasetOverview(digests),
    }),
    { option: "--out" },
  );
  return { out, manifestPath, cardPath, manifest };
}

// One record in memory at a time; written to a temporary file renamed into place at the end, so a failed export
// never leaves a truncated dataset under the final name.
function writeJsonlRows(out: string, selected: SelectedRecord[], format: ExportFormat): void {
  const stream = openOutputStream(out, { option: "--out" });
  try {
    for (const sel of selected) stream.write(JSON.stringify(toRow(format, loadSelected(sel))) + "\n");
  } catch (e) {
    stream.abort();
    throw e;
  }
  stream.commit();
}
