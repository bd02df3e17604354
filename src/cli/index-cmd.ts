// `hgym index <repo>`: snapshot a repository, index it with tree-sitter, write the index as JSONL and print what
// was found. The printing lives in `describeIndex` so that quickstart shows the same summary.

import { createWriteStream } from "node:fs";
import type { Command } from "commander";
import { indexRepo, type RepoIndex } from "../lang/index.js";
import { SnapshotStore, snapshotView } from "../repo/store.js";
import type { Snapshot } from "../repo/types.js";
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
  const store = new SnapshotStore();
  const t0 = performance.now();
  const snapshot = await store.ingest(input, { maxFileBytes: opts.maxFileBytes, includeVendored: opts.includeVendored });
  const ingestMs = performance.now() - t0;
  const outPath = opts.out ?? `${snapshot.name}.index.jsonl`;
  const out = createWriteStream(outPath);
  const progress = startProgress({ label: "indexing", total: snapshot.files.length });
  let lastDone = 0;
  const t1 = performance.now();
  const index = await indexRepo(snapshotView(store, snapshot), {
    keepFiles: false,
    onFileJson: (json) => out.write(json + "\n"),
    onProgress: (done) => {
      progress.tick(done - lastDone);
      lastDone = done;
    },
  });
  progress.stop();
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  const indexMs = performance.now() - t1;
  const result = { snapshot, index, outPath, ingestMs, indexMs };
  log(describeIndex(result));
  return result;
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
    .option("--max-file-bytes <n>", "skip files larger than this", (v) => parseInt(v, 10))
    .option("--include-vendored", "also index vendored directories (vendor/, third_party/, node_modules/ ...)")
    .action(async (repo: string, opts: IndexCommandOptions) => {
      await indexCommand(repo, opts);
    });
}
