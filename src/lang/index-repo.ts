// Indexes a whole repository (a RepoView or a list of files): every file whose language we know, in the warm
// worker pool (index-pool.ts) when there is enough work, with per-language statistics. JSONL persistence of an
// index is in index-jsonl.ts (it needs the record schemas, which indexing does not).

import { availableParallelism } from "node:os";
import type { RepoView } from "../core/repo-view.js";
import { indexFileSync } from "./indexer.js";
import { initLanguages, languageForPath } from "./parser.js";
import { adapterFor } from "./registry.js";
import { addToStats, MAX_INDEX_FILE_BYTES, summarizeFile, type FileSummary, type IndexStats } from "./index-stats.js";
import { sharedIndexPool, type IndexJob } from "./index-pool.js";
import type { IndexedFile } from "./index-worker.js";
import type { FileIndex, LanguageId } from "./types.js";

export interface SourceFile {
  path: string;
  text: string;
}

export interface RepoIndex {
  files: FileIndex[];
  stats: IndexStats;
}

export interface IndexRepoOptions {
  language?: LanguageId | null; // only this language
  workers?: number; // worker threads; 0 = index in this thread. Default: availableParallelism() when there is enough work
  minFilesForWorkers?: number; // below this many files, index in this thread (default 64)
  minBytesForWorkers?: number; // below this much text, index in this thread (default MIN_BYTES_FOR_WORKERS)
  keepFiles?: boolean; // default true; false = only statistics (and onFile), for huge inputs
  onFile?: (file: FileIndex) => void; // called per file, in input order
  onFileJson?: (json: string) => void; // the file's index as one JSON line (no newline), in input order
  onProgress?: (done: number, total: number) => void;
}


const BATCH_BYTES = 512 * 1024;
const BATCH_FILES = 64;
const MIN_BATCH_BYTES = 16 * 1024;
// Below this much text the main thread indexes faster than workers start (a worker costs ~0.1 s of CPU to boot
// and warm a grammar; indexing runs at 2-3 MB per CPU second).
const MIN_BYTES_FOR_WORKERS = 1024 * 1024;

type Job = IndexJob;

function collectJobs(source: RepoView | SourceFile[], language: LanguageId | null | undefined, stats: IndexStats): Job[] {
  const jobs: Job[] = [];
  const wanted = (path: string): LanguageId | null => {
    const lang = languageForPath(path);
    return lang && (!language || lang === language) ? lang : null;
  };
  const add = (path: string, lang: LanguageId | null, text: () => string | null): void => {
    const content = lang ? text() : null;
    if (!lang || content === null) stats.skipped++;
    else if (content.length > MAX_INDEX_FILE_BYTES) stats.tooLarge++;
    else jobs.push({ path, text: content, language: lang });
  };
  // Files of other languages are counted as skipped without being read.
  if (Array.isArray(source)) for (const f of source) add(f.path, wanted(f.path), () => f.text);
  else for (const p of source.paths()) add(p, wanted(p), () => source.read(p));
  return jobs;
}

// Batches are runs of consecutive files, so results can be released in input order as they arrive. Towards
// the end they shrink (at most a quarter of what is left per worker, down to MIN_BATCH_BYTES): a big last batch
// would keep one worker busy while the others idle.
function batches(jobs: Job[], workerCount: number): Job[][] {
  const out: Job[][] = [];
  let remaining = 0;
  for (const j of jobs) remaining += j.text.length;
  let cur: Job[] = [];
  let bytes = 0;
  for (const j of jobs) {
    cur.push(j);
    bytes += j.text.length;
    remaining -= j.text.length;
    const limit = Math.max(MIN_BATCH_BYTES, Math.min(BATCH_BYTES, remaining / (4 * Math.max(1, workerCount))));
    if (cur.length >= BATCH_FILES || bytes >= limit) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

export async function indexRepo(source: RepoView | SourceFile[], opts: IndexRepoOptions = {}): Promise<RepoIndex> {
  const stats: IndexStats = { files: 0, bytes: 0, skipped: 0, tooLarge: 0, byLanguage: {} };
  const jobs = collectJobs(source, opts.language, stats);
  const keep = opts.keepFiles !== false;
  const files: FileIndex[] = [];
  const total = jobs.length;
  let done = 0;
  let jobBytes = 0;
  for (const j of jobs) jobBytes += j.text.length;
  const enoughWork = jobs.length >= (opts.minFilesForWorkers ?? 64) && jobBytes >= (opts.minBytesForWorkers ?? MIN_BYTES_FOR_WORKERS);
  const workerCount = opts.workers ?? (enoughWork ? availableParallelism() : 0);

  const wantFiles = keep || !!opts.onFile || !!opts.onFileJson;
  const emit = (summary: FileSummary, file: FileIndex | null, json: string | null): void => {
    addToStats(stats, summary);
    if (!wantFiles) return;
    if (opts.onFileJson) opts.onFileJson(json ?? JSON.stringify(file));
    if (!keep && !opts.onFile) return;
    const f = file ?? (JSON.parse(json as string) as FileIndex);
    opts.onFile?.(f);
    if (keep) files.push(f);
  };

  if (workerCount <= 0) {
    // Only the grammars of the languages present: a repository without Go files never loads Go's.
    await initLanguages([...new Set(jobs.map((j) => adapterFor(j.language).grammar))]);
    for (const j of jobs) {
      const f = indexFileSync(j.path, j.text, j.language);
      emit(summarizeFile(f), f, null);
      opts.onProgress?.(++done, total);
    }
    return { files, stats };
  }

  // Workers send each file as a JSON string plus its summary: one string is far cheaper to pass between threads
  // than a structured clone of thousands of small objects, and stats-only runs never rebuild the objects.
  // Batches finish out of order; results are released in input order so output is deterministic.
  const groups = batches(jobs, workerCount);
  const finished = new Map<number, IndexedFile[]>();
  let released = 0;
  await sharedIndexPool().run(groups, workerCount, wantFiles, (batch, results) => {
    finished.set(batch, results);
    while (finished.has(released)) {
      for (const r of finished.get(released) as IndexedFile[]) emit(r.summary, null, r.json);
      finished.delete(released);
      released++;
    }
    done += results.length;
    opts.onProgress?.(done, total);
  });
  return { files, stats };
}
