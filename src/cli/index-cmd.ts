// `hgym index <repo>`: snapshot a repository, index it with tree-sitter, write the index as JSONL and print what
// was found. The printing lives in `describeIndex` so that quickstart shows the same summary.

import { InvalidArgumentError, type Command } from "commander";
import { UserError } from "../core/errors.js";
import type { RepoIndex } from "../lang/index-repo.js";
import { MAX_INDEX_FILE_BYTES } from "../lang/index-stats.js";
import { SnapshotStore, snapshotView } from "../repo/store.js";
import type { Snapshot } from "../repo/types.js";
import { openOutputStream, prepareOutputFile } from "../util/output-file.js";
import { startProgress } from "../util/progress.js";
import { formatTable } from "../util/table.js";
import { mib, seconds } from "./format.js";

export interface IndexCommandOptions {
  out?: string;
  maxFileBytes?: number;
  includeVendored?: boolean;
}

export interface IndexedRepo {
  snapshot: Snapshot;
  index: RepoIndex;
  outPath: string;
  ingestMs: number;
  indexMs: number;
}

export async function indexCommand(input: string, opts: IndexCommandOptions, log: (s: string) => void = (s) => void process.stdout.write(s + "\n")): Promise<IndexedRepo> {
  // The output is checked before the repository is read, so a bad --out costs nothing.
  if (opts.out !== undefined) prepareOutputFile(opts.out, { option: "--out" });
  const store = new SnapshotStore();
  const t0 = performance.now();
  const snapshot = await store.ingest(input, { maxFileBytes: opts.maxFileBytes, includeVendored: opts.includeVendored });
  const ingestMs = performance.now() - t0;
  const outPath = opts.out ?? `${snapshot.name}.index.jsonl`;
  if (snapshot.files.length === 0) throw new UserError(nothingIndexedMessage(snapshot, 0));
  const out = openOutputStream(outPath, { option: "--out" });
  const progress = startProgress({ label: "indexing", total: snapshot.files.length });
  let lastDone = 0;
  const t1 = performance.now();
  let index: RepoIndex;
  try {
    const { indexRepo } = await import("../lang/index-repo.js"); // parsers and workers load only when indexing
    index = await indexRepo(snapshotView(store, snapshot), {
      keepFiles: false,
      onFileJson: (json) => out.write(json + "\n"),
      onProgress: (done) => {
        progress.tick(done - lastDone);
        lastDone = done;
      },
    });
    progress.stop();
    if (index.stats.files === 0) throw new UserError(nothingIndexedMessage(snapshot, index.stats.tooLarge));
  } catch (e) {
    progress.stop();
    out.abort();
    throw e;
  }
  out.commit();
  const indexMs = performance.now() - t1;
  const result = { snapshot, index, outPath: out.path, ingestMs, indexMs };
  log(describeIndex(result));
  return result;
}

// Why an index came out empty: what the repository held instead of source files we index.
function nothingIndexedMessage(snapshot: Snapshot, tooLarge: number): string {
  const where = snapshot.source.input;
  const taken = snapshot.files.length;
  const skipped = Object.values(snapshot.skipped).reduce((n, k) => n + (k ?? 0), 0);
  if (taken === 0) {
    const reasons = Object.entries(snapshot.skipped).filter(([, n]) => (n ?? 0) > 0).map(([r, n]) => `${r} ${n}`).join(", ");
    return skipped === 0
      ? `no indexable source files in ${where}: the repository has no files; nothing written`
      : `no indexable source files in ${where}: all ${skipped} entries were skipped (${reasons}); nothing written (see --max-file-bytes, --include-vendored)`;
  }
  const large = tooLarge ? `, ${tooLarge} too large to index (over ${MAX_INDEX_FILE_BYTES} bytes)` : "";
  return `no indexable source files in ${where}: 0 of ${taken} files are in a supported language (Python, TypeScript, TSX, JavaScript)${large}; nothing written`;
}

export function describeIndex({ snapshot, index, outPath, ingestMs, indexMs }: IndexedRepo): string {
  const lines: string[] = [];
  const src = snapshot.commit ? `${snapshot.source.location} @ ${snapshot.commit.slice(0, 12)}` : snapshot.source.location;
  lines.push(`repository ${snapshot.name} (${src})`);
  lines.push(`snapshot   ${snapshot.id.slice(0, 16)} · ${snapshot.files.length} files taken in ${seconds(ingestMs)}`);
  const rows: (string | number)[][] = [["language", "files", "MiB", "definitions", "documented", "call sites", "syntax errors"]];
  const kinds = new Map<string, number>();
  for (const [lang, s] of Object.entries(index.stats.byLanguage)) {
    if (!s) continue;
    rows.push([lang, s.files, mib(s.bytes).replace(" MiB", ""), s.definitionsTotal, s.documented, s.callSites, s.filesWithErrors]);
    for (const [k, n] of Object.entries(s.definitions)) kinds.set(`${lang} ${k}`, n ?? 0);
  }
  lines.push("", ...formatTable(rows, { indent: "  " }));
  if (kinds.size) {
    lines.push("", "definitions by kind:");
    const byLang = new Map<string, string[]>();
    for (const [key, n] of [...kinds].sort()) {
      const [lang, kind] = key.split(" ") as [string, string];
      byLang.set(lang, [...(byLang.get(lang) ?? []), `${kind} ${n}`]);
    }
    for (const [lang, parts] of byLang) lines.push(`  ${lang}: ${parts.join(", ")}`);
  }
  const skipped = Object.entries(snapshot.skipped).filter(([, n]) => (n ?? 0) > 0);
  lines.push("", skipped.length ? "skipped files:" : "skipped files: none");
  for (const [reason, n] of skipped) {
    const ex = snapshot.skippedExamples[reason as keyof typeof snapshot.skippedExamples] ?? [];
    lines.push(`  ${reason.padEnd(16)} ${String(n).padStart(6)}${ex.length ? `   e.g. ${ex.slice(0, 3).join(", ")}` : ""}`);
  }
  if (index.stats.tooLarge) lines.push(`  ${"too large".padEnd(16)} ${String(index.stats.tooLarge).padStart(6)}   (over ${MAX_INDEX_FILE_BYTES} bytes, not indexed)`);
  if (index.stats.skipped) lines.push(`  ${"not code".padEnd(16)} ${String(index.stats.skipped).padStart(6)}   (no indexed language)`);
  lines.push("", `indexed in ${seconds(indexMs)} → ${outPath}`);
  return lines.join("\n");
}

export function register(program: Command): void {
  program
    .command("index")
    .description("snapshot a repository and index its Python/TypeScript/JavaScript code (definitions, docstrings, calls, imports, comments)")
    .argument("<repo>", "a directory, a git repository at a revision (path@rev), or a git URL (url@rev)")
    .option("-o, --out <file>", "where to write the index (JSONL, one file per line); default <name>.index.jsonl")
    .option("--max-file-bytes <n>", `skip files larger than this (default 1 MiB, at most ${MAX_INDEX_FILE_BYTES})`, maxFileBytesArg)
    .option("--include-vendored", "also index vendored directories (vendor/, third_party/, node_modules/ ...)")
    .action(async (repo: string, opts: IndexCommandOptions) => {
      await indexCommand(repo, opts);
    });
}

// A file's index is one JSON line, many times the size of the source; past MAX_INDEX_FILE_BYTES it would not fit.
function maxFileBytesArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > MAX_INDEX_FILE_BYTES) {
    throw new InvalidArgumentError(`--max-file-bytes must be an integer from 1 to ${MAX_INDEX_FILE_BYTES} (larger files cannot be indexed as one record), got "${v}"`);
  }
  return n;
}
