// A long-lived helper process that answers line-delimited JSON requests by id (the Go, Java and Rust front ends
// and resolvers). Many requests can be in flight; the process starts on first use, is restarted (and its
// unanswered requests re-sent once) if it dies, never keeps node alive while idle, and is killed when node exits.
// Protocol: each request is one line `{"id": n, ...}`; each answer one line `{"id": n, ...}`; an answer with a
// string `fatal` field rejects the request. Anything else the helper writes to stdout is ignored; stderr is kept
// (the last 2,000 characters) for the error message when it dies.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

export interface JsonLinesProcessOptions {
  name: string; // for messages: "the Go front end"
  command: string;
  args?: string[];
  env?: NodeJS.ProcessEnv; // default: process.env
  cwd?: string;
  onStart?: () => void; // called when a (new) process is started: state kept about the old one is stale
}

interface Pending {
  line: string; // the request as sent, for a re-send after a crash
  resolve: (value: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  retried: boolean;
}

const live = new Set<JsonLinesProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const p of live) p.kill();
  });
}

export class JsonLinesProcess {
  private child: ChildProcessWithoutNullStreams | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffer = "";
  private closed = false;
  starts = 0; // how many processes were started (for tests and diagnostics)

  constructor(private readonly opts: JsonLinesProcessOptions) {}

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  // Requests waiting for an answer.
  get load(): number {
    return this.pending.size;
  }

  request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new Error(`${this.opts.name} was closed`));
    const id = this.nextId++;
    const line = `${JSON.stringify({ ...body, id })}\n`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { line, resolve, reject, retried: false });
      const child = this.ensureChild();
      this.setRef(true);
      child.stdin.write(line);
    });
  }

  // Stops the process; later requests start a new one unless `final`.
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

  private ensureChild(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn(this.opts.command, this.opts.args ?? [], { stdio: ["pipe", "pipe", "pipe"], env: this.opts.env ?? process.env, cwd: this.opts.cwd });
    this.child = child;
    this.starts++;
    this.opts.onStart?.();
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
    child.stdin.on("error", () => undefined); // a dead process: handled on exit
    child.on("error", (err) => this.onExit(child, `cannot run ${this.opts.name} (${this.opts.command}): ${err.message}`, true));
    child.on("exit", (code, signal) => this.onExit(child, `${this.opts.name} exited (${signal ?? code})${stderr ? `: ${stderr.trim()}` : ""}`, false));
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
        continue; // not an answer (a helper's stray output)
      }
      const p = this.pending.get(Number(msg.id));
      if (!p) continue;
      this.pending.delete(Number(msg.id));
      if (typeof msg.fatal === "string") p.reject(new Error(`${this.opts.name}: ${msg.fatal}`));
      else p.resolve(msg);
    }
    if (this.pending.size === 0) this.setRef(false);
  }

  // The process died: requests still unanswered are sent once more to a new process (a request that kills it
  // twice fails); a process that cannot be started fails them all.
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

  // While requests wait, the process keeps node alive (an await on it must not end the process); idle, it does not.
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
