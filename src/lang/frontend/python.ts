// The client of the Python front end (python/frontend_worker.py): one long-lived `python3` process that answers
// "does this compile" and "do these two versions differ only in comments/docstrings" with CPython's own parser.
// Requests are line-delimited JSON answered by id, so many can be in flight; the process starts on first use,
// is restarted (and its unanswered requests re-sent once) if it dies, never keeps node alive while idle, and is
// killed when node exits.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
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
}

interface Pending {
  line: string; // the request as sent, for a re-send after a crash
  resolve: (value: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  retried: boolean;
}

const live = new Set<PythonFrontend>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const f of live) f.kill();
  });
}

export class PythonFrontend {
  private child: ChildProcessWithoutNullStreams | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffer = "";
  private closed = false;
  private versionPromise: Promise<string> | null = null;
  starts = 0; // how many worker processes were started (for tests and diagnostics)

  constructor(private readonly opts: PythonFrontendOptions = {}) {}

  // The process id of the running worker, or null.
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  version(): Promise<string> {
    this.versionPromise ??= this.request({ op: "version" }).then((r) => String(r.version));
    return this.versionPromise;
  }

  async check(source: string): Promise<PythonSyntaxError | null> {
    const r = await this.request({ op: "check", src: b64(source) });
    return r.ok ? null : { line: Number(r.line ?? 1), message: String(r.message ?? "does not compile") };
  }

  async compare(before: string, after: string, ignoreDocstrings: boolean): Promise<PythonCompare> {
    const r = await this.request({ op: "compare", before: b64(before), after: b64(after), docstrings: ignoreDocstrings, region: this.opts.region ?? true });
    const error = { line: Number(r.line ?? 1), message: String(r.message ?? "") };
    if (r.error === "start-does-not-parse") return { kind: "start-error", error };
    if (r.error === "parse-error") return { kind: "parse-error", error };
    if (r.equal === true) return { kind: "equal" };
    return { kind: "different", line: Number(r.line ?? 1), reason: String(r.reason ?? "code differs") };
  }

  // How many comparisons each way has decided since the worker started: a shortcut ("comment-lines",
  // "statements") or the whole-file parse.
  async stats(): Promise<{ decidedBy: Record<string, number>; cachedStarts: number }> {
    const r = await this.request({ op: "stats" });
    return { decidedBy: r.decided_by as Record<string, number>, cachedStarts: Number(r.cached_starts) };
  }

  // Drops the worker's cache of starting texts, so the next comparisons see their starts for the first time.
  async forget(): Promise<void> {
    await this.request({ op: "forget" });
  }

  // Stops the worker; later requests start a new one unless `final`.
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

  private request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
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

function b64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

let shared: PythonFrontend | null = null;

// The process-wide front end the verifiers use (one worker per node process).
export function sharedPythonFrontend(): PythonFrontend {
  shared ??= new PythonFrontend();
  return shared;
}
