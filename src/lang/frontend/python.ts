// The client of the Python front end (python/frontend_worker.py): long-lived `python3` processes that answer
// "does this compile" and "do these two versions differ only in comments/docstrings" with CPython's own parser.
// Requests are line-delimited JSON answered by id, so many can be in flight; a process starts on first use, is
// restarted (and its unanswered requests re-sent once) if it dies, never keeps node alive while idle, and is
// killed when node exits. A front end may hold several processes (one per core for the shared one): the
// comparisons against one starting text always go to the same process, so its cache of starts stays useful.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
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

interface Pending {
  line: string; // the request as sent, for a re-send after a crash
  resolve: (value: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  retried: boolean;
}

const live = new Set<WorkerProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const f of live) f.kill();
  });
}

// One worker process: its requests, its restarts.
class WorkerProcess {
  private child: ChildProcessWithoutNullStreams | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffer = "";
  private closed = false;
  starts = 0; // how many worker processes were started (for tests and diagnostics)

  constructor(private readonly opts: PythonFrontendOptions) {}

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  // Requests waiting for an answer (the pool sends work to the least busy worker).
  get load(): number {
    return this.pending.size;
  }

  // Digests of the starting texts this process was sent in full (it caches them by content), oldest first.
  private readonly sentStarts = new Map<string, true>();

  knows(sha: string): boolean {
    return this.sentStarts.has(sha);
  }

  remember(sha: string): void {
    this.sentStarts.delete(sha);
    this.sentStarts.set(sha, true);
    if (this.sentStarts.size > SENT_STARTS_MAX) this.sentStarts.delete(this.sentStarts.keys().next().value as string);
  }

  async close(final = true): Promise<void> {
    this.closed = final;
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.stdin.end();
    const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    this.child?.kill("SIGKILL");
  }

  request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new Error("the Python front end was closed"));
    const id = this.nextId++;
    const line = `${JSON.stringify({ ...body, id })}\n`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { line, resolve, reject, retried: false });
      const child = this.ensureChild();
      this.setRef(true);
      child.stdin.write(line);
    });
  }

  private ensureChild(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn(this.opts.python ?? "python3", ["-X", "utf8", "-u", this.opts.script ?? FRONTEND_WORKER_SCRIPT], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", PYTHONWARNINGS: "ignore" },
    });
    this.child = child;
    this.starts++;
    this.sentStarts.clear(); // a new process holds no starts
    this.buffer = "";
    live.add(this);
    installExitHook();
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => this.onData(chunk));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.stdin.on("error", () => undefined); // a dead worker: handled on exit
    child.on("error", (err) => this.onExit(child, `cannot run ${this.opts.python ?? "python3"}: ${err.message}`, true));
    child.on("exit", (code, signal) => this.onExit(child, `the Python front end exited (${signal ?? code})${stderr ? `: ${stderr.trim()}` : ""}`, false));
    return child;
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (!line.trim()) continue;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue; // not ours (the worker writes nothing else to stdout)
      }
      const p = this.pending.get(Number(msg.id));
      if (!p) continue;
      this.pending.delete(Number(msg.id));
      if (typeof msg.fatal === "string") p.reject(new Error(`Python front end: ${msg.fatal}`));
      else p.resolve(msg);
    }
    if (this.pending.size === 0) this.setRef(false);
  }

  // The worker died: requests still unanswered are sent once more to a new worker (a request that kills the
  // worker twice fails); a worker that cannot be started fails them all.
  private onExit(child: ChildProcessWithoutNullStreams, why: string, cannotStart: boolean): void {
    if (this.child !== child) return;
    this.child = null;
    live.delete(this);
    const waiting = [...this.pending.entries()];
    if (waiting.length === 0) return;
    const retry: Pending[] = [];
    for (const [id, p] of waiting) {
      if (cannotStart || p.retried || this.closed) {
        this.pending.delete(id);
        p.reject(new Error(why));
      } else {
        p.retried = true;
        retry.push(p);
      }
    }
    if (retry.length === 0) return;
    const next = this.ensureChild();
    this.setRef(true);
    for (const p of retry) next.stdin.write(p.line);
  }

  // While requests wait, the worker keeps node alive (an await on it must not end the process); idle, it does not.
  private setRef(on: boolean): void {
    const child = this.child;
    if (!child) return;
    const streams = [child.stdin, child.stdout, child.stderr] as unknown as { ref?: () => void; unref?: () => void }[];
    if (on) {
      child.ref();
      for (const s of streams) s.ref?.();
    } else {
      child.unref();
      for (const s of streams) s.unref?.();
    }
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
