// `hgym export`: selected rollouts → one dataset file (JSONL or Parquet) + `<out>.manifest.json` + `<out>.README.md`.
// The manifest and card name files by their base names only: a dataset shared from this machine carries no path
// of it (DESIGN: exports are published as they are).

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { RunIdentity } from "../runner/run-dir.js";
import { packageVersion, toolVersions } from "../runner/versions.js";
import { UserError } from "../core/errors.js";
import { sha256 } from "../util/hash.js";
import { openOutputStream, prepareOutputFile, writeOutputFile } from "../util/output-file.js";
import { datasetOverview, datasetStats, renderCard, type DatasetStats } from "./card.js";
import { DEFAULT_ROW_OPTIONS, EXPORT_FORMATS, normalizeOpenAIMessages, toRow, type ExportFormat, type ExportRowWithMetadata, type RowOptions } from "./formats.js";
import { hubHeader } from "./hub-header.js";
import { writeParquet } from "./parquet.js";
import { conversationHash, dropEditingTurns, readExternalRows } from "./recipe-rows.js";
import { loadSelected, NO_RECIPE, selectRecords, type ExportDigest, type ExportFilters, type ExportRecipe, type SelectedRecord } from "./select.js";

export interface ExportOptions {
  runDirs: string[];
  format: ExportFormat;
  parquet: boolean;
  out: string;
  filters: ExportFilters;
  rowOptions?: RowOptions;
  recipe?: ExportRecipe;
  license?: string; // for the card's Hub header; default "other"
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
  out: string; // file name only
  out_sha256: string;
  options: { format: ExportFormat; parquet: boolean; row?: RowOptions }; // row, recipe and the counts' extras:
  filters: ExportFilters; // always written; optional only so manifests from before them still read
  recipe?: ExportRecipe; // mix: file names only
  sources: { dir: string; run_json_sha256: string; identity: RunIdentity; records: number; malformed_lines: number }[];
  counts: {
    records_in: number;
    rows_out: number;
    dropped: Record<string, number>;
    quotas?: Record<string, { wanted: number; got: number }> | null;
    edit_turns_dropped?: number;
    mixed_in?: { file: string; rows: number; kept: number }[];
  };
  prompt_hashes: string[];
  stats: DatasetStats;
}

export interface ExportResult {
  out: string;
  manifestPath: string;
  cardPath: string;
  manifest: ExportManifest;
}

// Absolute paths in a recorded command line become their base names.
export function redactPaths(command: string): string {
  return command
    .split(" ")
    .map((t) => t.replace(/(^|=)(\/[^\s]*)/, (_m, pre: string, path: string) => `${pre}${basename(path) || path}`))
    .join(" ");
}

function checkContainer(out: string, parquet: boolean, rowOptions: RowOptions): void {
  if (parquet && /\.jsonl?$/i.test(out)) throw new UserError(`--parquet writes Parquet, but --out ${out} ends in .jsonl; name it .parquet, or drop --parquet for JSONL`);
  if (!parquet && /\.parquet$/i.test(out)) throw new UserError(`--out ${out} ends in .parquet but the export is JSONL; add --parquet, or name it .jsonl`);
  if (parquet && rowOptions.toolArguments === "object") {
    throw new UserError(
      "--tool-arguments object needs JSONL: a Parquet struct has fixed fields and every tool's arguments differ, so Parquet keeps arguments as JSON text; drop --parquet or use --tool-arguments string",
    );
  }
}

export function runExport(opts: ExportOptions): ExportResult {
  if (!EXPORT_FORMATS.includes(opts.format)) {
    throw new UserError(`unknown export format "${opts.format}"; use one of: ${EXPORT_FORMATS.join(", ")}`);
  }
  const rowOptions = opts.rowOptions ?? DEFAULT_ROW_OPTIONS;
  const recipe = opts.recipe ?? NO_RECIPE;
  checkContainer(opts.out, opts.parquet, rowOptions);
  if (rowOptions.inContextExample && opts.format !== "openhands") throw new UserError("--in-context-example applies to --format openhands only");
  // The dataset file and the two files beside it are checked before any run is read.
  const out = prepareOutputFile(opts.out, { option: "--out" });
  const manifestPath = prepareOutputFile(`${out}.manifest.json`, { option: "--out" });
  const cardPath = prepareOutputFile(`${out}.README.md`, { option: "--out" });
  const external = recipe.mix.map((file) => ({ file, rows: readExternalRows(file, opts.format) }));
  const selection = selectRecords(opts.runDirs, opts.filters, recipe);
  const externalRows = external.reduce((n, e) => n + e.rows.length, 0);
  if (selection.selected.length === 0 && externalRows === 0 && !opts.allowEmpty) {
    const dropped = Object.entries(selection.dropped).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ");
    const oracleHint = (selection.dropped.oracle ?? 0) > 0 ? "; oracle (gold replay) runs are left out unless you pass --include-oracle" : "";
    throw new UserError(
      `nothing to export from ${opts.runDirs.join(", ")}: ${selection.records_in} records, none selected${dropped ? ` (left out: ${dropped})` : ""}${oracleHint}; loosen the filters or finish the runs first; ${out} not written`,
    );
  }

  // Rows in order: ours, then each mixed-in dataset. A mixed-in conversation identical to one already written
  // (ours or an earlier external row) is dropped. Our own rows are not de-duplicated by content: two samples of an
  // instance are distinct rollouts even when they happen to read the same (selectRecords drops true duplicates).
  const seen = new Set<string>();
  const kept: ExportDigest[] = [];
  let editTurnsDropped = 0;
  const ownRows = function* (): Generator<ExportRowWithMetadata> {
    for (const sel of selection.selected) {
      const row = buildRow(sel, opts.format, rowOptions, recipe, (n) => (editTurnsDropped += n));
      if (recipe.mix.length > 0) seen.add(conversationHash(row, opts.format));
      kept.push(sel.digest);
      yield row;
    }
  };
  const mixedIn: ExportManifest["counts"]["mixed_in"] = [];
  const mixedRows = function* (): Generator<ExportRowWithMetadata> {
    for (const e of external) {
      const entry = { file: basename(e.file), rows: e.rows.length, kept: 0 };
      mixedIn.push(entry);
      for (const original of e.rows) {
        const row = opts.format === "openai" ? { ...original, messages: normalizeOpenAIMessages((original as { messages: unknown[] }).messages, rowOptions) } as ExportRowWithMetadata : original;
        const h = conversationHash(row, opts.format);
        if (seen.has(h)) continue;
        seen.add(h);
        entry.kept++;
        yield row;
      }
    }
  };

  const createdAt = new Date().toISOString();
  let rowsOut = 0;
  if (opts.parquet) {
    // Parquet is written column by column, so its rows are gathered first.
    const rows = [...ownRows(), ...mixedRows()];
    rowsOut = rows.length;
    writeParquet(out, opts.format, rows, { "hgym.format": opts.format, "hgym.version": packageVersion(), "hgym.created_at": createdAt });
  } else {
    // One record in memory at a time; written to a temporary file renamed into place at the end, so a failed
    // export never leaves a truncated dataset under the final name.
    const stream = openOutputStream(out, { option: "--out" });
    try {
      for (const row of ownRows()) {
        stream.write(JSON.stringify(row) + "\n");
        rowsOut++;
      }
      for (const row of mixedRows()) {
        stream.write(JSON.stringify(row) + "\n");
        rowsOut++;
      }
    } catch (e) {
      stream.abort();
      throw e;
    }
    stream.commit();
  }
  const dropped = selection.dropped;
  const stats = datasetStats(kept);
  const promptHashes = [...new Set(kept.map((r) => r.prompt_hash).filter((h) => h))].sort();
  const manifest: ExportManifest = {
    schema: "hgym.export/1",
    package_version: packageVersion(),
    versions: toolVersions(),
    created_at: createdAt,
    format: opts.format,
    container: opts.parquet ? "parquet" : "jsonl",
    out: basename(out),
    out_sha256: sha256(readFileSync(out)),
    options: { format: opts.format, parquet: opts.parquet, row: rowOptions },
    filters: opts.filters,
    recipe: { ...recipe, mix: recipe.mix.map((f) => basename(f)) },
    sources: selection.sources.map((s) => ({
      dir: basename(s.dir),
      run_json_sha256: s.manifest_sha256,
      identity: s.identity,
      records: s.records,
      malformed_lines: s.malformed_lines,
    })),
    counts: { records_in: selection.records_in, rows_out: rowsOut, dropped, quotas: selection.quotas, edit_turns_dropped: editTurnsDropped, mixed_in: mixedIn },
    prompt_hashes: promptHashes,
    stats,
  };
  writeOutputFile(manifestPath, JSON.stringify(manifest, null, 2) + "\n", { option: "--out" });
  const card = renderCard({
    title: basename(out),
    format: opts.format,
    parquet: opts.parquet,
    command: redactPaths(opts.command ?? `hgym export ${opts.runDirs.join(" ")} --format ${opts.format}${opts.parquet ? " --parquet" : ""} --out ${opts.out}`),
    packageVersion: manifest.package_version,
    createdAt,
    filters: { ...opts.filters, ...recipe, mix: recipe.mix.map((f) => basename(f)), row: rowOptions },
    recordsIn: selection.records_in,
    dropped,
    sources: selection.sources.map((s) => ({ ...s, dir: basename(s.dir) })),
    promptHashes,
    stats,
    overview: datasetOverview(kept),
  });
  const header = hubHeader({ dataFile: basename(out), license: opts.license ?? "other", format: opts.format, rows: rowsOut });
  const mixNote = mixedIn.length ? `\nMixed in: ${mixedIn.map((m) => `${m.file} (${m.kept} of ${m.rows} rows kept after de-duplication)`).join(", ")}.\n` : "";
  writeOutputFile(cardPath, header + card + mixNote, { option: "--out" });
  return { out, manifestPath, cardPath, manifest };
}

function buildRow(sel: SelectedRecord, format: ExportFormat, rowOptions: RowOptions, recipe: ExportRecipe, countDropped: (n: number) => void): ExportRowWithMetadata {
  const rec = loadSelected(sel);
  if (!recipe.dropEditTurns) return toRow(format, rec, rowOptions);
  const { messages, dropped } = dropEditingTurns(rec.messages);
  countDropped(dropped);
  return toRow(format, { ...rec, messages }, rowOptions);
}
