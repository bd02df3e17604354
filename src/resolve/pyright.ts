// Python call resolution through ONE long-lived pyright language server per repository. Each call site's callee
// name gets a textDocument/definition request; requests are pipelined (many in flight) because pyright answers
// from its warm program state far faster than one round trip per call. Pyright follows imports itself; this module
// adds what go-to-definition leaves to an editor user: following `alias = func` assignments, refusing answers that
// are not definitions (parameters, call results), and mapping paths back into the repository.
//
// Speed (bench/resolve.ts): pyright's cost is dominated by mapping stub declarations (typeshed .pyi) back to
// implementation files, which go-to-definition does for every answer in a stub and which no setting turns off. Three
// measures avoid it without changing any answer: bare calls to builtins that the file cannot shadow are answered
// from typeshed's builtins.pyi directly (python-builtins.ts); every other call first asks textDocument/typeDefinition,
// whose stub mapping skips the import-graph walk, and only asks textDocument/definition when that cheaper answer is
// not certain to be the same (see cheapAnswer); and pyright's background checker is switched off (see the capabilities).

import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { LspServerDiedError, LspSession, LspTimeoutError } from "./lsp-session.js";
import { loadBuiltinDefinitions, repoOverridesBuiltins, scanBuiltinUses, type BuiltinDefinition, type BuiltinUses } from "./python-builtins.js";
import { classifyPythonTarget, identifierAt } from "./python-target.js";
import { RepoPaths } from "./repo-paths.js";
import type { CallResolver, ResolvedLocation, ResolveRequest, ResolveResult } from "./types.js";
import { UserError } from "../repo/types.js";

export interface PyrightResolverOptions {
  pythonPath?: string; // interpreter pyright asks for its search paths (site-packages); default: pyright's own lookup
  concurrency?: number; // requests in flight at once (default 48)
  requestTimeoutMs?: number; // per LSP request (default 60 s)
  maxAliasDepth?: number; // how many `a = b` assignments to follow (default 3)
}

interface LspPosition {
  line: number; // 0-based
  character: number; // 0-based UTF-16
}
interface LspRange {
  start: LspPosition;
  end: LspPosition;
}
interface LspLocation {
  uri: string;
  range: LspRange;
}
interface LspLocationLink {
  targetUri: string;
  targetSelectionRange: LspRange;
}
type DefinitionAnswer = LspLocation | LspLocation[] | LspLocationLink[] | null;

interface AbsoluteLocation {
  path: string;
  line: number; // 1-based
  column: number;
}

class Unresolved extends Error {}

// Settings that keep pyright fast and offline: no workspace symbol index, diagnostics only for open files, no type
// checking rules (we only ask "where is this defined"), library code read for types so calls into installed
// packages still resolve (and are reported as outside the repository). `ignore: ["**"]` is deliberately absent:
// pyright still runs its checker on ignored open files and only drops the diagnostics afterwards.
const ANALYSIS_SETTINGS = {
  indexing: false,
  autoSearchPaths: true,
  diagnosticMode: "openFilesOnly",
  useLibraryCodeForTypes: true,
  typeCheckingMode: "off",
  autoImportCompletions: false,
  logLevel: "Error",
};

export async function createPyrightResolver(rootDir: string, opts: PyrightResolverOptions = {}): Promise<CallResolver> {
  let stat;
  try {
    stat = statSync(rootDir);
  } catch {
    throw new UserError(`Python repository directory ${rootDir} does not exist; pass the path of a checked-out repository.`);
  }
  if (!stat.isDirectory()) throw new UserError(`${rootDir} is not a directory; pass the repository root directory.`);
  const resolver = new PyrightResolver(new RepoPaths(rootDir), opts);
  await resolver.start();
  return resolver;
}

function pyrightServerScript(): string {
  const require = createRequire(import.meta.url);
  return require.resolve("pyright/langserver.index.js");
}

class PyrightResolver implements CallResolver {
  private session: Promise<LspSession> | null = null;
  private restartsLeft = 1;
  private fatal: string | null = null;
  private closed = false;
  private readonly inFlight = new Map<string, number>(); // definition requests under way, per file
  private activeBatches = 0;
  private readonly fileLines = new Map<string, string[] | null>(); // repo-relative path -> lines (null: unreadable)
  private readonly outsideFileLines = new Map<string, string[] | null>(); // absolute path -> lines, for stub answers
  private readonly concurrency: number;
  private readonly maxAliasDepth: number;
  // Builtins answered without pyright (null when the repository extends pyright's builtins scope).
  private readonly builtins: Map<string, BuiltinDefinition> | null;
  private readonly builtinNames: ReadonlySet<string>;
  private readonly builtinUses = new Map<string, BuiltinUses | null>(); // file -> how it uses builtin names

  constructor(
    private readonly paths: RepoPaths,
    private readonly opts: PyrightResolverOptions,
  ) {
    this.concurrency = Math.max(1, opts.concurrency ?? 48);
    this.maxAliasDepth = opts.maxAliasDepth ?? 3;
    this.builtins = repoOverridesBuiltins(paths.root) ? null : loadBuiltinDefinitions();
    this.builtinNames = new Set(this.builtins?.keys() ?? []);
  }

  async start(): Promise<void> {
    this.session = this.startSession();
    await this.session;
  }

  private startSession(): Promise<LspSession> {
    const pythonSettings = this.opts.pythonPath ? { pythonPath: this.opts.pythonPath } : {};
    return LspSession.start({
      command: process.execPath,
      args: [pyrightServerScript(), "--stdio"],
      cwd: this.paths.root,
      rootDir: this.paths.root,
      name: "pyright",
      capabilities: {
        general: { positionEncodings: ["utf-16"] },
        workspace: { configuration: true, workspaceFolders: true },
        textDocument: {
          definition: { linkSupport: false },
          declaration: { linkSupport: false },
          typeDefinition: { linkSupport: false },
          // Declaring pull diagnostics makes pyright leave diagnostics to the client's requests (its
          // shouldRunAnalysis() is false until a workspace/diagnostic pull), so the background checker never
          // type-checks open files. We never pull. Besides the CPU, this removes a race: answers computed while the
          // checker was half-way through a file sometimes came back empty.
          diagnostic: { dynamicRegistration: true },
        },
      },
      configuration: (section) => {
        if (section === "python") return { ...pythonSettings, analysis: ANALYSIS_SETTINGS };
        if (section === "python.analysis") return ANALYSIS_SETTINGS;
        if (section === "pyright") return { disableOrganizeImports: true };
        return null;
      },
      requestTimeoutMs: this.opts.requestTimeoutMs ?? 60_000,
    });
  }

  async resolve(requests: ResolveRequest[]): Promise<ResolveResult[]> {
    if (this.closed) throw new Error("pyright resolver used after close()");
    const results: ResolveResult[] = new Array<ResolveResult>(requests.length);
    // Work through the requests grouped by file so each file is opened once and its analysis is reused while hot.
    const order = requests.map((_, i) => i).sort((a, b) => compareStrings(requests[a]!.file, requests[b]!.file) || a - b);
    let next = 0;
    this.activeBatches++;
    const pendingPerFile = new Map<string, number>();
    for (const req of requests) pendingPerFile.set(req.file, (pendingPerFile.get(req.file) ?? 0) + 1);
    const worker = async (): Promise<void> => {
      while (next < order.length) {
        const index = order[next++]!;
        const req = requests[index]!;
        results[index] = await this.resolveOne(req);
        const left = (pendingPerFile.get(req.file) ?? 1) - 1;
        pendingPerFile.set(req.file, left);
        if (left === 0) await this.closeIfIdle(req.file);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.concurrency, order.length) }, worker));
    } finally {
      this.activeBatches--;
    }
    // Open documents are re-checked by pyright in the background; closing them stops that work between batches
    // (only when no other resolve() call is still using them).
    if (this.activeBatches === 0 && this.session) {
      const session = await this.session.catch(() => null);
      if (session?.isAlive) for (const uri of session.openDocuments()) session.closeDocument(uri);
    }
    return results;
  }

  // Pyright type-checks every open document in the background; closing a file as soon as its calls are answered
  // keeps that work from piling up (when no other resolve() call is running and may still need it).
  private async closeIfIdle(file: string): Promise<void> {
    if (this.activeBatches !== 1 || !this.session) return;
    if ((this.inFlight.get(file) ?? 0) > 0) return; // an alias being followed into this file; the batch end closes it
    const session = await this.session.catch(() => null);
    session?.closeDocument(pathToFileURL(this.paths.absolute(file)).href);
  }

  private async resolveOne(req: ResolveRequest): Promise<ResolveResult> {
    try {
      const lines = this.linesOf(req.file);
      if (!lines) throw new Unresolved(`cannot read ${req.file} in the repository`);
      const lineText = lines[req.line - 1];
      if (lineText === undefined) throw new Unresolved(`${req.file} has no line ${req.line}`);
      const name = identifierAt(lineText, req.column);
      if (!name) throw new Unresolved(`no identifier at ${req.file}:${req.line}:${req.column}`);
      const builtin = this.builtinCall(req.file, name, req.line, req.column);
      if (builtin) return { status: "resolved", targets: [{ file: builtin.file, line: builtin.line, column: builtin.column, inRepo: false }], via: "builtin" };
      const cheap = await this.cheapAnswer(req.file, req.line, req.column);
      if (cheap) return { status: "resolved", targets: cheap };
      const answers = await this.definitionAt(req.file, req.line, req.column);
      if (answers.length === 0) throw new Unresolved(`pyright found no definition for \`${name}\``);
      const targets = await this.mapTargets(answers, 0);
      return { status: "resolved", targets };
    } catch (err) {
      if (err instanceof Unresolved) return { status: "unresolved", reason: err.message };
      if (err instanceof LspTimeoutError) return { status: "unresolved", reason: err.message };
      if (err instanceof LspServerDiedError) return { status: "unresolved", reason: err.message };
      return { status: "unresolved", reason: `pyright request failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  // Turns raw definition answers into dependency targets: definitions as they are, alias assignments followed,
  // anything else (a parameter, a call result, an unresolved import) makes the whole call unresolved, since the
  // analyzer then does not know what runs.
  private async mapTargets(answers: AbsoluteLocation[], depth: number): Promise<ResolvedLocation[]> {
    const targets = new Map<string, ResolvedLocation>();
    for (const answer of answers) {
      const rel = this.paths.relative(answer.path);
      if (rel === null) {
        targets.set(`${answer.path}:${answer.line}:${answer.column}`, { file: answer.path, line: answer.line, column: answer.column, inRepo: false });
        continue;
      }
      const lineText = this.linesOf(rel)?.[answer.line - 1];
      if (lineText === undefined) throw new Unresolved(`pyright answered ${rel}:${answer.line}, a line that does not exist on disk`);
      const shape = classifyPythonTarget(lineText, answer.column);
      if (shape.kind === "definition") {
        targets.set(`${rel}:${answer.line}:${answer.column}`, { file: rel, line: answer.line, column: answer.column, inRepo: true });
      } else if (shape.kind === "alias") {
        if (depth >= this.maxAliasDepth) throw new Unresolved(`alias chain through \`${shape.name}\` (${rel}:${answer.line}) is longer than ${this.maxAliasDepth}`);
        const next = await this.definitionAt(rel, answer.line, shape.valueColumn);
        const onward = next.filter((n) => !(n.path === answer.path && n.line === answer.line && n.column === answer.column));
        if (onward.length === 0) throw new Unresolved(`\`${shape.name}\` is assigned \`${shape.value}\` (${rel}:${answer.line}), which pyright cannot resolve`);
        for (const t of await this.mapTargets(onward, depth + 1)) targets.set(`${t.file}:${t.line}:${t.column}`, t);
      } else {
        throw new Unresolved(`\`${shape.name}\` resolves to ${rel}:${answer.line} (\`${shape.text.slice(0, 120)}\`), which is not a function or class definition`);
      }
    }
    return [...targets.values()];
  }

  // The typeshed declaration of a bare-name builtin call when, by Python's scoping rules, nothing in the file can
  // shadow the name (python-builtins.ts); null when the call must go to pyright.
  private builtinCall(file: string, name: string, line: number, column: number): BuiltinDefinition | null {
    if (this.builtins === null) return null;
    const def = this.builtins.get(name);
    const lines = this.linesOf(file);
    if (!def || !lines) return null;
    let uses = this.builtinUses.get(file);
    if (uses === undefined) {
      uses = scanBuiltinUses(lines.join("\n"), this.builtinNames);
      this.builtinUses.set(file, uses);
    }
    if (!uses?.unbound.has(name)) return null;
    let offset = column; // offset in lines.join("\n"), the text that was scanned
    for (let i = 0; i < line - 1; i++) offset += lines[i]!.length + 1;
    return uses.bareCalls.has(offset) ? def : null; // attribute calls may be repository methods
  }

  // textDocument/typeDefinition asks pyright's source mapper to prefer stubs, which skips the costly walk up the
  // import graph that textDocument/definition does for every stub answer. For a callee whose type is a function it
  // returns the same declarations as definition (before definition's prefer-source filter); for a class-typed
  // callee (a class, or an instance of one) it returns the class instead of the variable holding it, which could be
  // a repository variable. So its answer is taken only when it is certain to equal definition's after mapTargets:
  // every location outside the repository and none a `class` line (definition cannot reach the repository either),
  // or every location a `def` in a repository .py file (nothing for the prefer-source filter to drop, nothing to
  // follow). Anything else returns null and goes to definition.
  private async cheapAnswer(file: string, line: number, column: number): Promise<ResolvedLocation[] | null> {
    const answers = await this.definitionAt(file, line, column, "textDocument/typeDefinition");
    if (answers.length === 0) return null;
    const relPaths = answers.map((a) => this.paths.relative(a.path));
    if (relPaths.every((rel) => rel === null)) {
      for (const a of answers) {
        const text = this.outsideLines(a.path)?.[a.line - 1];
        if (text === undefined || /^\s*class\s/.test(text)) return null;
      }
      return answers.map((a) => ({ file: a.path, line: a.line, column: a.column, inRepo: false }));
    }
    const targets: ResolvedLocation[] = [];
    for (const [i, a] of answers.entries()) {
      const rel = relPaths[i];
      if (rel === null || rel === undefined || !rel.endsWith(".py")) return null;
      const text = this.linesOf(rel)?.[a.line - 1];
      if (text === undefined) return null;
      const shape = classifyPythonTarget(text, a.column);
      if (shape.kind !== "definition" || shape.what !== "function") return null;
      targets.push({ file: rel, line: a.line, column: a.column, inRepo: true });
    }
    return targets;
  }

  private outsideLines(absolutePath: string): string[] | null {
    let lines = this.outsideFileLines.get(absolutePath);
    if (lines === undefined) {
      try {
        lines = readFileSync(absolutePath, "utf8").split(/\r\n|\r|\n/);
      } catch {
        lines = null;
      }
      this.outsideFileLines.set(absolutePath, lines);
    }
    return lines;
  }

  private async definitionAt(
    file: string,
    line: number,
    column: number,
    method: "textDocument/definition" | "textDocument/typeDefinition" = "textDocument/definition",
  ): Promise<AbsoluteLocation[]> {
    const uri = pathToFileURL(this.paths.absolute(file)).href;
    this.inFlight.set(file, (this.inFlight.get(file) ?? 0) + 1);
    const answer = await this.withSession(async (session) => {
      // Pyright answers only for documents it holds: open ones always, closed ones once it has enumerated the
      // workspace (and then re-tokenizes them per request). Opening is the fast and reliable choice; the documents
      // are closed at the end of the batch so pyright stops re-checking them.
      if (!session.isOpen(uri)) {
        const lines = this.linesOf(file);
        if (!lines) throw new Unresolved(`cannot read ${file} in the repository`);
        session.openDocument(uri, "python", lines.join("\n"));
      }
      return session.request<DefinitionAnswer>(method, { textDocument: { uri }, position: { line: line - 1, character: column } });
    }).finally(() => this.inFlight.set(file, (this.inFlight.get(file) ?? 1) - 1));
    return normaliseAnswer(answer);
  }

  // Runs `fn` against the live server. When the server dies, it is restarted once (files are reopened on demand by
  // the callers); after a second death every remaining request fails fast with the reason.
  private async withSession<T>(fn: (session: LspSession) => Promise<T>): Promise<T> {
    for (;;) {
      if (this.fatal !== null) throw new LspServerDiedError(this.fatal);
      const current = this.session;
      if (!current) throw new Error("pyright resolver not started");
      let session: LspSession;
      try {
        session = await current;
      } catch (err) {
        this.fatal = `pyright could not be restarted: ${err instanceof Error ? err.message : String(err)}`;
        throw new LspServerDiedError(this.fatal);
      }
      try {
        return await fn(session);
      } catch (err) {
        if (!(err instanceof LspServerDiedError) || this.closed) throw err;
        if (this.session === current) {
          if (this.restartsLeft > 0) {
            this.restartsLeft--;
            this.session = this.startSession();
          } else {
            this.fatal = `pyright crashed again after a restart: ${err.message}`;
          }
        }
      }
    }
  }

  private linesOf(file: string): string[] | null {
    let lines = this.fileLines.get(file);
    if (lines === undefined) {
      try {
        lines = readFileSync(this.paths.absolute(file), "utf8").split(/\r\n|\r|\n/);
      } catch {
        lines = null;
      }
      this.fileLines.set(file, lines);
    }
    return lines;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const current = this.session;
    this.session = null;
    if (!current) return;
    try {
      await (await current).close();
    } catch {
      // a session that never started has nothing to shut down
    }
  }
}

function normaliseAnswer(answer: DefinitionAnswer): AbsoluteLocation[] {
  if (!answer) return [];
  const list: (LspLocation | LspLocationLink)[] = Array.isArray(answer) ? answer : [answer];
  const out: AbsoluteLocation[] = [];
  for (const item of list) {
    const uri = "targetUri" in item ? item.targetUri : item.uri;
    const range = "targetUri" in item ? item.targetSelectionRange : item.range;
    if (!uri.startsWith("file:")) continue;
    out.push({ path: fileURLToPath(uri), line: range.start.line + 1, column: range.start.character });
  }
  return out;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
