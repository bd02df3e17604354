// Worker thread for index-repo.ts: loads the grammars once, then indexes batches of files posted by the pool.

import { parentPort } from "node:worker_threads";
import { indexFileSync } from "./indexer.js";
import { loadLanguage } from "./parser.js";
import { adapterFor } from "./registry.js";
import { summarizeFile, type FileSummary } from "./index-stats.js";
import type { LanguageId } from "./types.js";

export interface WorkerRequest {
  batch: number;
  wantJson: boolean; // false when the caller only wants statistics: skip serialising the index
  files: { path: string; text: string; language: LanguageId }[];
}

export interface IndexedFile {
  json: string | null; // JSON.stringify(FileIndex), null when not wanted
  summary: FileSummary;
}

export type WorkerResponse = { batch: number; results: IndexedFile[] } | { batch: number; error: string };

if (!parentPort) throw new Error("index-worker must be started as a worker thread by index-repo.ts");
const port = parentPort;
// Grammars load on first use: compiling a grammar's wasm costs real CPU, and most repositories need one or two.
const grammarsFor = (req: WorkerRequest): Promise<unknown> =>
  Promise.all([...new Set(req.files.map((f) => adapterFor(f.language).grammar))].map((g) => loadLanguage(g)));

port.on("message", (req: WorkerRequest) => {
  grammarsFor(req).then(
    () => {
      try {
        const results = req.files.map((f): IndexedFile => {
          const file = indexFileSync(f.path, f.text, f.language);
          return { json: req.wantJson ? JSON.stringify(file) : null, summary: summarizeFile(file) };
        });
        port.postMessage({ batch: req.batch, results } satisfies WorkerResponse);
      } catch (e) {
        port.postMessage({ batch: req.batch, error: (e as Error).stack ?? String(e) } satisfies WorkerResponse);
      }
    },
    (e: unknown) => port.postMessage({ batch: req.batch, error: `loading grammars failed: ${String(e)}` } satisfies WorkerResponse),
  );
});
