// The trajectory analysis (src/analyze/) of the runs being viewed, computed in a worker thread once the indexes
// are built (it parses every record, which takes a minute on a 1 GB run, so pages never wait for it: they show
// that it is being computed) and again when a run grew. Per-rollout failure causes become a filter.

import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Analysis, FailureCause } from "../analyze/types.js";
import type { Catalog, RolloutRow } from "./catalog.js";

export type AnalysisStatus = "idle" | "running" | "ready" | "failed";

export class AnalysisState {
  status: AnalysisStatus = "idle";
  analysis: Analysis | null = null;
  error: string | null = null;
  ms = 0;
  private forVersion = -1;
  private causes = new Map<string, FailureCause>(); // "<run name>\0<line>" -> cause
  private running: Promise<void> | null = null;
  private finishedAt = 0;

  constructor(
    private readonly catalog: Catalog,
    private readonly minIntervalMs = 60_000,
  ) {}

  // Starts a computation when the catalog changed since the last one; returns at once.
  ensure(): void {
    if (this.running || this.forVersion === this.catalog.version) return;
    // A run being written changes the catalog on every record: the shown analysis may lag it by a minute rather
    // than the whole run being read again after each record.
    if (this.analysis && Date.now() - this.finishedAt < this.minIntervalMs) return;
    const version = this.catalog.version;
    const runs = this.catalog.runs.filter((r) => r.manifest !== null && r.index.entries.length > 0);
    if (runs.length === 0) {
      this.forVersion = version;
      this.status = "ready";
      this.analysis = null;
      return;
    }
    this.status = this.analysis ? this.status : "running";
    const t0 = performance.now();
    this.running = (async () => {
      try {
        const analysis = await analyzeInWorker(runs.map((r) => r.dir));
        const nameOfDir = new Map(runs.map((r) => [r.dir, r.name]));
        const causes = new Map<string, FailureCause>();
        for (const r of analysis.rollouts) {
          if (r.failure) causes.set(`${nameOfDir.get(r.run) ?? r.run}\u0000${r.line}`, r.failure.cause);
        }
        this.analysis = analysis;
        this.causes = causes;
        this.status = "ready";
        this.error = null;
      } catch (e) {
        this.status = "failed";
        this.error = (e as Error).message;
      } finally {
        this.ms = performance.now() - t0;
        this.finishedAt = Date.now();
        this.forVersion = version;
        this.running = null;
      }
    })();
  }

  // Resolves when the computation under way (if any) is done; for tests and the benchmark.
  async settled(): Promise<void> {
    this.ensure();
    while (this.running) await this.running;
  }

  causeOf(row: RolloutRow): FailureCause | null {
    return this.causes.get(`${row.run.name}\u0000${row.e.line}`) ?? null;
  }
}

// Runs analysis-worker in a worker thread. From TypeScript sources (tests, benches under tsx) the worker is the
// .ts file, loaded through tsx (a dev dependency); from the built package it is the compiled .js beside this one.
function analyzeInWorker(dirs: string[]): Promise<Analysis> {
  const fromSource = import.meta.url.endsWith(".ts");
  const url = new URL(fromSource ? "./analysis-worker.ts" : "./analysis-worker.js", import.meta.url);
  // Workers do not inherit the main thread's module hooks: from sources, the worker registers tsx itself first.
  const entry = fromSource
    ? new URL(`data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(tsxEsmApi())}; register(); await import(${JSON.stringify(url.href)});`)}`)
    : url;
  const worker = new Worker(entry, { workerData: { dirs } });
  worker.unref(); // a viewer that is closed mid-analysis does not wait for it
  return new Promise<Analysis>((resolveResult, reject) => {
    worker.once("message", (m: { ok: true; analysis: Analysis } | { ok: false; error: string }) => {
      void worker.terminate();
      if (m.ok) resolveResult(m.analysis);
      else reject(new Error(m.error));
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the analysis worker exited (code ${code}) without a result`)));
  });
}

// tsx's ESM entry point (its `import` export); require.resolve gives the `require` one beside it.
function tsxEsmApi(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
}
