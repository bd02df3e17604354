// Indexes a whole repository (a RepoView or a list of files): every file whose language we know, in parallel
// worker threads when there are many, with per-language statistics. Also JSONL persistence of an index.

import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { RepoView } from "../core/repo-view.js";
import { readJsonlSync } from "../util/jsonl.js";
import { fileIndexSchema } from "../core/schemas/code-index.js";
import { openOutputStream } from "../util/output-file.js";
import { UserError } from "../core/errors.js";
import { indexFileSync } from "./indexer.js";
import { initLanguages, languageForPath } from "./parser.js";
import { addToStats, MAX_INDEX_FILE_BYTES, summarizeFile, type FileSummary, type IndexStats } from "./index-stats.js";
import type { IndexedFile, WorkerRequest, WorkerResponse } from "./index-worker.js";
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
  workers?: number; // worker threads; 0 = index in this thread. Default: availableParallelism() when many files
  minFilesForWorkers?: number; // below this many files, index in this thread (default 64)
  keepFiles?: boolean; // default true; false = only statistics (and onFile), for huge inputs
  onFile?: (file: FileIndex) => void; // called per file, in input order
  onFileJson?: (json: string) => void; // the file's index as one JSON line (no newline), in input order
  onProgress?: (done: number, total: number) => void;
}


const BATCH_BYTES = 512 * 1024;
const BATCH_FILES = 64;
const MIN_BATCH_BYTES = 16 * 1024;

type Job = { path: string; text: string; language: LanguageId };

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

// The worker script sits next to this module: index-worker.js in the compiled dist/, index-worker.ts when running
// from sources under tsx or vitest. A .ts worker cannot rely on `--import tsx` in execArgv (Node 20 does not apply
// it to worker threads), so a small bootstrap registers tsx's ESM hooks inside the worker before importing it.
function startWorker(): Worker {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith(".ts")) return new Worker(join(dirname(here), "index-worker.js"));
  // require.resolve picks the package's CommonJS build of the API; the worker needs the ESM one beside it.
  const tsxApiCjs = createRequire(import.meta.url).resolve("tsx/esm/api");
  const tsxApi = pathToFileURL(tsxApiCjs.replace(/\.cjs$/, ".mjs")).href;
  const script = pathToFileURL(join(dirname(here), "index-worker.ts")).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); })`;
  return new Worker(bootstrap, { eval: true });
}

async function runPool(groups: Job[][], workerCount: number, wantJson: boolean, onBatch: (index: number, results: IndexedFile[]) => void): Promise<void> {
  const workers = Array.from({ length: Math.min(workerCount, groups.length) }, () => startWorker());
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            // False when every batch is out.
            const sendNext = (): boolean => {
              if (next >= groups.length) return false;
              const batch = next++;
              worker.postMessage({ batch, wantJson, files: groups[batch] as Job[] } satisfies WorkerRequest);
              return true;
            };
            worker.on("message", (msg: WorkerResponse) => {
              if ("error" in msg) {
                reject(new Error(`indexing worker failed on batch ${msg.batch}: ${msg.error}`));
                return;
              }
              // The next batch goes out first: the worker indexes it while this thread handles these results.
              const sent = sendNext();
              try {
                onBatch(msg.batch, msg.results);
              } catch (e) {
                reject(e as Error); // a throwing onFile callback must fail the run, not crash the process
                return;
              }
              if (!sent) resolve();
            });
            worker.on("error", reject);
            worker.on("exit", (code) => {
              if (code !== 0) reject(new Error(`indexing worker exited with code ${code}`));
            });
            if (!sendNext()) resolve();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

export async function indexRepo(source: RepoView | SourceFile[], opts: IndexRepoOptions = {}): Promise<RepoIndex> {
  const stats: IndexStats = { files: 0, bytes: 0, skipped: 0, tooLarge: 0, byLanguage: {} };
  const jobs = collectJobs(source, opts.language, stats);
  const keep = opts.keepFiles !== false;
  const files: FileIndex[] = [];
  const total = jobs.length;
  let done = 0;
  const workerCount = opts.workers ?? (jobs.length >= (opts.minFilesForWorkers ?? 64) ? availableParallelism() : 0);

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
    await initLanguages([...new Set(jobs.map((j) => j.language))]);
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
  await runPool(groups, workerCount, wantFiles, (batch, results) => {
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

// One FileIndex per line, written through the shared output helper (checked path, atomic, one-line errors).
export async function writeIndexJsonl(index: RepoIndex | FileIndex[], outPath: string): Promise<void> {
  const files = Array.isArray(index) ? index : index.files;
  const out = openOutputStream(outPath);
  try {
    for (const f of files) out.write(JSON.stringify(f) + "\n");
  } catch (e) {
    out.abort();
    throw e;
  }
  out.commit();
}

export function readIndexJsonl(path: string): RepoIndex {
  const records: FileIndex[] = [];
  const lines = readJsonlSync(path, fileIndexSchema, {
    badLines: "skip",
    onSkip: (e) => {
      throw new UserError(`index file ${path} is damaged at line ${e.line}: ${e.message}; re-run \`hgym index\` to rebuild it`);
    },
  });
  for (const { value } of lines) records.push(value);
  const stats: IndexStats = { files: 0, bytes: 0, skipped: 0, tooLarge: 0, byLanguage: {} };
  for (const f of records) addToStats(stats, summarizeFile(f));
  return { files: records, stats };
}
