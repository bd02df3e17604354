// One language-server process spoken to over stdio with JSON-RPC (LSP framing). Kept generic (spawn, initialize,
// documents, requests, shutdown) so the pyright resolver only holds pyright-specific policy. A session never
// restarts itself: when the process dies every pending and later request rejects with LspServerDiedError, and the
// owner decides whether to start a new session.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { pathToFileURL } from "node:url";
import {
  CancellationTokenSource,
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from "vscode-jsonrpc/node.js";

export class LspServerDiedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LspServerDiedError";
  }
}

export class LspTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LspTimeoutError";
  }
}

export interface LspSessionOptions {
  command: string;
  args: string[];
  cwd: string;
  rootDir: string; // becomes rootUri and the single workspace folder
  name: string; // for error messages ("pyright")
  capabilities: object;
  initializationOptions?: object;
  // Answers workspace/configuration: one value per requested section.
  configuration: (section: string | undefined) => unknown;
  requestTimeoutMs: number;
  onNotification?: (method: string, params: unknown) => void; // server-sent notifications (logs, progress)
}

const STDERR_KEEP = 4000; // the tail of the server's stderr kept for crash messages

export class LspSession {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly conn: MessageConnection;
  private dead: string | null = null; // why the server is unusable; null while alive
  private stderrTail = "";
  private readonly openVersions = new Map<string, number>(); // uri -> version of open documents
  private readonly exited: Promise<void>;

  private constructor(private readonly opts: LspSessionOptions) {
    this.proc = spawn(opts.command, opts.args, { cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"] });
    this.exited = new Promise((resolve) => {
      this.proc.once("exit", (code, signal) => {
        this.markDead(`${opts.name} exited (code ${code ?? "none"}, signal ${signal ?? "none"})`);
        resolve();
      });
      this.proc.once("error", (err) => {
        this.markDead(`${opts.name} could not run: ${err.message}`);
        resolve();
      });
    });
    this.proc.stderr.setEncoding("utf8");
    this.proc.stderr.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_KEEP);
    });
    // Writing to a dead process raises EPIPE on stdin; the exit handler already records the death.
    this.proc.stdin.on("error", () => undefined);
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.conn.onRequest("workspace/configuration", (params: { items?: { section?: string }[] }) =>
      (params.items ?? []).map((item) => opts.configuration(item.section)),
    );
    // Servers also ask for progress tokens, capability registration, etc.; accepting them silently is what an
    // editor does and keeps the server from waiting on us.
    this.conn.onRequest(() => null);
    this.conn.onNotification((method: string, params: unknown) => opts.onNotification?.(method, params));
    this.conn.onClose(() => this.markDead(`${opts.name} closed its connection`));
    this.conn.listen();
  }

  static async start(opts: LspSessionOptions): Promise<LspSession> {
    const session = new LspSession(opts);
    const rootUri = pathToFileURL(opts.rootDir).href;
    try {
      await session.request("initialize", {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: "repo" }],
        capabilities: opts.capabilities,
        initializationOptions: opts.initializationOptions,
      });
    } catch (err) {
      await session.kill();
      throw err;
    }
    session.conn.sendNotification("initialized", {});
    return session;
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  whenExited(): Promise<void> {
    return this.exited;
  }

  get isAlive(): boolean {
    return this.dead === null;
  }

  private markDead(reason: string): void {
    if (this.dead !== null) return;
    const tail = this.stderrTail.trim();
    this.dead = tail ? `${reason}; stderr: ${tail.slice(-500)}` : reason;
  }

  async request<R>(method: string, params: object): Promise<R> {
    if (this.dead !== null) throw new LspServerDiedError(this.dead);
    const cancel = new CancellationTokenSource();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      cancel.cancel();
    }, this.opts.requestTimeoutMs);
    try {
      // Race against the process exit so a crash mid-request surfaces as a death, not as a hang.
      const result = await Promise.race([
        this.conn.sendRequest<R>(method, params, cancel.token),
        this.exited.then(() => {
          throw new LspServerDiedError(this.dead ?? `${this.opts.name} exited`);
        }),
      ]);
      return result;
    } catch (err) {
      if (this.dead !== null) throw new LspServerDiedError(this.dead);
      if (timedOut) throw new LspTimeoutError(`${this.opts.name} did not answer ${method} within ${this.opts.requestTimeoutMs} ms`);
      throw err;
    } finally {
      clearTimeout(timer);
      cancel.dispose();
    }
  }

  isOpen(uri: string): boolean {
    return this.openVersions.has(uri);
  }

  openDocument(uri: string, languageId: string, text: string): void {
    if (this.dead !== null) throw new LspServerDiedError(this.dead);
    if (this.openVersions.has(uri)) return;
    this.openVersions.set(uri, 1);
    void this.conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId, version: 1, text } });
  }

  closeDocument(uri: string): void {
    if (!this.openVersions.delete(uri) || this.dead !== null) return;
    void this.conn.sendNotification("textDocument/didClose", { textDocument: { uri } });
  }

  openDocuments(): string[] {
    return [...this.openVersions.keys()];
  }

  // Polite LSP shutdown, then make sure the process is gone whatever the server did.
  async close(graceMs = 5000): Promise<void> {
    if (this.dead === null) {
      try {
        await Promise.race([this.request("shutdown", {}), delay(graceMs)]);
        if (this.dead === null) void this.conn.sendNotification("exit");
      } catch {
        // already dying; fall through to the kill
      }
      await Promise.race([this.exited, delay(graceMs)]);
    }
    await this.kill();
  }

  private async kill(): Promise<void> {
    this.markDead(`${this.opts.name} was shut down`);
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill("SIGKILL");
      await this.exited;
    }
    this.conn.dispose();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
