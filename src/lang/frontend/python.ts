// The client of the Python front end (python/frontend_worker.py): long-lived `python3` processes that answer
// "does this compile" and "do these two versions differ only in comments/docstrings" with CPython's own parser.
// Requests are line-delimited JSON answered by id, so many can be in flight; a process starts on first use, is
// restarted (and its unanswered requests re-sent once) if it dies, never keeps node alive while idle, and is
// killed when node exits. A front end may hold several processes (one per core for the shared one): the
// comparisons against one starting text always go to the same process, so its cache of starts stays useful.

import { JsonLinesProcess } from "../native/json-lines-process.js";
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

// python/ sits at the package root, two levels above both src/lang/frontend and dist/lang/frontend.
export const FRONTEND_WORKER_SCRIPT = fileURLToPath(new URL("../../../python/frontend_worker.py", import.meta.url));

export interface PythonSyntaxError {
  line: number; // 1-based, as CPython numbers lines
  message: string; // "SyntaxError: invalid syntax", "TabError: ...", "SyntaxError: unknown encoding: ..."
}

export type PythonCompare =
  | { kind: "equal" }
  | { kind: "different"; line: number; reason: string }
  | { kind: "start-error"; error: PythonSyntaxError }
  | { kind: "parse-error"; error: PythonSyntaxError };

export interface PythonFrontendOptions {
  python?: string; // the interpreter (default "python3")
  script?: string; // the worker script (default: the one shipped in python/)
  region?: boolean; // let the worker parse only the changed top-level statements (default true)
  workers?: number; // worker processes, each with its own cache (default 1; the shared front end: one per core)
}

// One worker process (its restarts and request bookkeeping are JsonLinesProcess's), and which starting texts it
// was sent in full.
class WorkerProcess {
  private readonly proc: JsonLinesProcess;
  // Digests of the starting texts this process was sent in full (it caches them by content), oldest first.
  private readonly sentStarts = new Map<string, true>();

  constructor(opts: PythonFrontendOptions) {
    this.proc = new JsonLinesProcess({
      name: "the Python front end",
      command: opts.python ?? "python3",
      args: ["-X", "utf8", "-u", opts.script ?? FRONTEND_WORKER_SCRIPT],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", PYTHONWARNINGS: "ignore" },
      onStart: () => this.sentStarts.clear(), // a new process holds no starts
    });
  }

  get pid(): number | null {
    return this.proc.pid;
  }

  // Requests waiting for an answer (the pool sends work to the least busy worker).
  get load(): number {
    return this.proc.load;
  }

  // How many processes were started (for tests and diagnostics).
  get starts(): number {
    return this.proc.starts;
  }

  knows(sha: string): boolean {
    return this.sentStarts.has(sha);
  }

  remember(sha: string): void {
    this.sentStarts.delete(sha);
    this.sentStarts.set(sha, true);
    if (this.sentStarts.size > SENT_STARTS_MAX) this.sentStarts.delete(this.sentStarts.keys().next().value as string);
  }

  close(final = true): Promise<void> {
    return this.proc.close(final);
  }

  kill(): void {
    this.proc.kill();
  }

  request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.proc.request(body);
  }
}

export class PythonFrontend {
  private readonly workers: WorkerProcess[];
  private versionPromise: Promise<string> | null = null;

  constructor(private readonly opts: PythonFrontendOptions = {}) {
    const n = opts.workers ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new Error(`PythonFrontend: workers must be a whole number >= 1, got ${n}`);
    this.workers = Array.from({ length: n }, () => new WorkerProcess(opts));
  }

  // The process id of the first worker while it runs, or null (tests kill it to check restarts).
  get pid(): number | null {
    return this.workers[0]?.pid ?? null;
  }

  // The process ids of every running worker (benchmarks add up their CPU time).
  get pids(): number[] {
    return this.workers.map((w) => w.pid).filter((p): p is number => p !== null);
  }

  // How many worker processes were started, over all workers (for tests and diagnostics).
  get starts(): number {
    return this.workers.reduce((sum, w) => sum + w.starts, 0);
  }

  version(): Promise<string> {
    this.versionPromise ??= this.first().request({ op: "version" }).then((r) => String(r.version));
    return this.versionPromise;
  }

  async check(source: string): Promise<PythonSyntaxError | null> {
    const r = await this.leastBusy().request({ op: "check", src: b64(source) });
    return r.ok ? null : { line: Number(r.line ?? 1), message: String(r.message ?? "does not compile") };
  }

  async compare(before: string, after: string, ignoreDocstrings: boolean): Promise<PythonCompare> {
    const digest = createHash("sha1").update(before, "utf8").digest();
    const worker = this.workers.length === 1 ? this.first() : (this.workers[digest.readUInt32BE(0) % this.workers.length] as WorkerProcess);
    const sha = digest.toString("hex");
    const body = { op: "compare", ...afterDelta(before, after), docstrings: ignoreDocstrings, region: this.opts.region ?? true };
    // A start this worker was already sent travels as its digest; the worker asks for the text when it no longer
    // holds it (evicted, or a restarted process).
    let r = worker.knows(sha) ? await worker.request({ ...body, before_sha1: sha }) : null;
    if (r === null || r.need_before === true) {
      r = await worker.request({ ...body, before: b64(before) });
      worker.remember(sha);
    }
    const error = { line: Number(r.line ?? 1), message: String(r.message ?? "") };
    if (r.error === "start-does-not-parse") return { kind: "start-error", error };
    if (r.error === "parse-error") return { kind: "parse-error", error };
    if (r.equal === true) return { kind: "equal" };
    return { kind: "different", line: Number(r.line ?? 1), reason: String(r.reason ?? "code differs") };
  }

  // How many comparisons each way the running workers have decided: a shortcut ("comment-lines",
  // "statements") or the whole-file parse; summed over the workers.
  async stats(): Promise<{ decidedBy: Record<string, number>; cachedStarts: number }> {
    const all = await Promise.all(this.workers.map((w) => w.request({ op: "stats" })));
    const decidedBy: Record<string, number> = {};
    let cachedStarts = 0;
    for (const r of all) {
      for (const [k, v] of Object.entries(r.decided_by as Record<string, number>)) decidedBy[k] = (decidedBy[k] ?? 0) + Number(v);
      cachedStarts += Number(r.cached_starts);
    }
    return { decidedBy, cachedStarts };
  }

  // Drops the workers' caches of starting texts, so the next comparisons see their starts for the first time.
  async forget(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.request({ op: "forget" })));
  }

  // Stops the workers; later requests start new ones unless `final`.
  async close(final = true): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close(final)));
  }

  kill(): void {
    for (const w of this.workers) w.kill();
  }

  private first(): WorkerProcess {
    return this.workers[0] as WorkerProcess;
  }

  private leastBusy(): WorkerProcess {
    let best = this.first();
    for (const w of this.workers) if (w.load < best.load) best = w;
    return best;
  }
}

// As many digests as the worker keeps starts (python/frontend_worker.py _BeforeCache.max_items).
const SENT_STARTS_MAX = 4096;

// The edit as the bytes kept from the start's head and tail and the new bytes between them, so a comment added
// to a large file sends the comment, not the file. The cut never splits a surrogate pair, so both sides encode
// to the same UTF-8 bytes as the whole texts would.
export function afterDelta(before: string, after: string): { keep_head: number; keep_tail: number; after_mid: string } {
  const n = Math.min(before.length, after.length);
  let head = 0;
  while (head < n && before.charCodeAt(head) === after.charCodeAt(head)) head++;
  if (head > 0 && isHighSurrogate(before.charCodeAt(head - 1))) head--;
  let tail = 0;
  while (tail < n - head && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  if (tail > 0 && isLowSurrogate(before.charCodeAt(before.length - tail))) tail--;
  return {
    keep_head: Buffer.byteLength(before.slice(0, head), "utf8"),
    keep_tail: Buffer.byteLength(before.slice(before.length - tail), "utf8"),
    after_mid: b64(after.slice(head, after.length - tail)),
  };
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

function b64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

let shared: PythonFrontend | null = null;

// The process-wide front end the verifiers use: one worker per core, so the validity gate's concurrent
// verifications (src/tasks/common/pipeline.ts) run on every core. Workers start on first use, so a process that
// judges little starts one or two.
export function sharedPythonFrontend(): PythonFrontend {
  shared ??= new PythonFrontend({ workers: availableParallelism() });
  return shared;
}
