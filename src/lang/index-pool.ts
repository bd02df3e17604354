// The worker threads that index repositories, kept warm between runs: starting a worker (a new V8 isolate, our
// modules, the tree-sitter runtime) and warming a grammar (V8 compiles its wasm lazily, then optimises the hot
// parts) costs more CPU than indexing a small repository, so a process that indexes many repositories (a server,
// a benchmark, a script over many checkouts) pays it once. Idle workers do not keep the process alive (they are
// unref'd) and are stopped after IDLE_MS without work, since the wasm memory of a worker never shrinks.

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { IndexedFile, WorkerRequest, WorkerResponse } from "./index-worker.js";
import type { LanguageId } from "./types.js";

export type IndexJob = { path: string; text: string; language: LanguageId };

const IDLE_MS = 30_000;

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

export class IndexPool {
  private workers: Worker[] = [];
  private queue: Promise<void> = Promise.resolve(); // runs one at a time: a run uses every worker it asks for
  private idleTimer: NodeJS.Timeout | null = null;
  private started = 0;

  // Workers started since the pool was made (a test checks that a second run starts none).
  get workersStarted(): number {
    return this.started;
  }

  // Indexes `groups` (batches of consecutive files) on up to `workerCount` workers. `onBatch` gets each batch's
  // results as they arrive (in any order). A failure (a worker error, a batch the worker could not index, a
  // throwing onBatch) fails the run and stops every worker, so no stale result reaches a later run.
  run(groups: IndexJob[][], workerCount: number, wantJson: boolean, onBatch: (index: number, results: IndexedFile[]) => void): Promise<void> {
    const result = this.queue.then(() => this.runNow(groups, workerCount, wantJson, onBatch));
    this.queue = result.catch(() => undefined);
    return result;
  }

  // Stops every worker now (the next run starts new ones).
  async close(): Promise<void> {
    this.clearIdleTimer();
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private async runNow(groups: IndexJob[][], workerCount: number, wantJson: boolean, onBatch: (index: number, results: IndexedFile[]) => void): Promise<void> {
    if (groups.length === 0) return;
    this.clearIdleTimer();
    const n = Math.max(1, Math.min(workerCount, groups.length));
    while (this.workers.length < n) {
      const worker = startWorker();
      // A worker that fails between runs leaves the pool; during a run, the run's own listeners report it.
      worker.on("error", () => undefined);
      worker.on("exit", () => {
        this.workers = this.workers.filter((w) => w !== worker);
      });
      this.workers.push(worker);
      this.started++;
    }
    const using = this.workers.slice(0, n);
    for (const w of using) w.ref();
    let next = 0;
    const detach: (() => void)[] = [];
    try {
      await Promise.all(
        using.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              let outstanding = 0;
              // False when every batch is out.
              const sendNext = (): boolean => {
                if (next >= groups.length) return false;
                const batch = next++;
                outstanding++;
                worker.postMessage({ batch, wantJson, files: groups[batch] as IndexJob[] } satisfies WorkerRequest);
                return true;
              };
              const onMessage = (msg: WorkerResponse): void => {
                outstanding--;
                if ("error" in msg) {
                  reject(new Error(`indexing worker failed on batch ${msg.batch}: ${msg.error}`));
                  return;
                }
                // The next batch goes out first: the worker indexes it while this thread handles these results.
                sendNext();
                try {
                  onBatch(msg.batch, msg.results);
                } catch (e) {
                  reject(e as Error); // a throwing onFile callback must fail the run, not crash the process
                  return;
                }
                if (outstanding === 0) resolve();
              };
              const onExit = (code: number): void => reject(new Error(`indexing worker exited with code ${code}`));
              worker.on("message", onMessage);
              worker.on("error", reject);
              worker.on("exit", onExit);
              detach.push(() => {
                worker.off("message", onMessage);
                worker.off("error", reject);
                worker.off("exit", onExit);
              });
              if (!sendNext()) resolve();
            }),
        ),
      );
    } catch (e) {
      for (const d of detach) d();
      await this.close(); // workers may still be busy with batches of this run
      throw e;
    }
    for (const d of detach) d();
    for (const w of this.workers) w.unref();
    this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
    this.idleTimer.unref();
  }
}

let shared: IndexPool | null = null;

// The process's pool, made on first use.
export function sharedIndexPool(): IndexPool {
  shared ??= new IndexPool();
  return shared;
}

// Stops the shared pool's workers now (they would stop by themselves after IDLE_MS idle).
export async function closeIndexPool(): Promise<void> {
  await shared?.close();
}
