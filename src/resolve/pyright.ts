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
import { UserError } from "../core/errors.js";

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
// The definition answer is not a definition (a parameter, a variable, a failed alias): the callee must be decided
// from the callee's type instead.
class NotADefinition extends Error {}
// The callee is known to be undeterminable statically (see ResolveResult "ambiguous").
class Ambiguous extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

// Base classes that carry no `__call__` of their own (so an instance's `__call__` is searched past them).
const NEUTRAL_BASES = new Set(["object", "Generic", "ABC", "NamedTuple", "Exception", "BaseException"]);

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
          hover: { contentFormat: ["plaintext"] },
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
      try {
        const targets = await this.mapTargets(answers, 0);
        return { status: "resolved", targets };
      } catch (err) {
        if (!(err instanceof NotADefinition)) throw err;
        return await this.calleeByType(req, name, err.message);
      }
    } catch (err) {
      if (err instanceof Ambiguous) return { status: "ambiguous", kind: err.kind, reason: err.message };
      if (err instanceof Unresolved) return { status: "unresolved", reason: err.message };
      if (err instanceof LspTimeoutError) return { status: "unresolved", reason: err.message };
      if (err instanceof LspServerDiedError) return { status: "unresolved", reason: err.message };
      return { status: "unresolved", reason: `pyright request failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  // Turns raw definition answers into dependency targets: definitions as they are, alias assignments followed,
  // anything else (a parameter, a call result, an unresolved import) makes the whole call unresolved, since the
  // analyzer then does not know what runs. A binding to `None` is no callee (calling it raises), so it is passed
  // over: `_warnings_showwarning = None` at module level and `= warnings.showwarning` in captureWarnings() leave
  // one callee, outside the repository.
  private async mapTargets(answers: AbsoluteLocation[], depth: number): Promise<ResolvedLocation[]> {
    const targets = new Map<string, ResolvedLocation>();
    let notDefinitions = 0;
    let noneBindings = 0;
    for (const answer of answers) {
      const rel = this.paths.relative(answer.path);
      const fileLines = rel === null ? this.outsideLines(answer.path) : this.linesOf(rel);
      // `obj.prop(...)` where `prop` is a property calls the value the getter returns, not the getter:
      // `self.__class__(...)` is a call of type[Self] (object.__class__ in builtins.pyi), decided by that type.
      if (fileLines && isPropertyGetter(fileLines, answer.line - 1)) {
        throw new NotADefinition(`the callee is a property (${rel ?? answer.path}:${answer.line}): the call runs the value it returns`);
      }
      if (rel === null) {
        targets.set(`${answer.path}:${answer.line}:${answer.column}`, { file: answer.path, line: answer.line, column: answer.column, inRepo: false });
        continue;
      }
      const lineText = fileLines?.[answer.line - 1];
      if (lineText === undefined) throw new Unresolved(`pyright answered ${rel}:${answer.line}, a line that does not exist on disk`);
      const shape = classifyPythonTarget(lineText, answer.column);
      if (shape.kind === "none") {
        noneBindings++;
        if (noneBindings === answers.length) throw new NotADefinition(`every binding of \`${shape.name}\` is None`);
      } else if (shape.kind === "definition") {
        targets.set(`${rel}:${answer.line}:${answer.column}`, { file: rel, line: answer.line, column: answer.column, inRepo: true });
      } else if (shape.kind === "alias") {
        // A parameter with a default on a signature line of its own (`    dict_class: type = OrderedDict` in
        // requests' merge_setting) reads like an alias assignment, but the caller chooses the value: it is decided
        // by its type, like a parameter on a one-line signature (calleeByType).
        if (insideSignature(fileLines!, answer.line - 1, answer.column) && (await this.isParameterDeclaration(rel, answer.line, answer.column))) {
          throw new NotADefinition(`\`${shape.name}\` is a parameter (${rel}:${answer.line}), not an assignment`);
        }
        if (depth >= this.maxAliasDepth) throw new NotADefinition(`alias chain through \`${shape.name}\` (${rel}:${answer.line}) is longer than ${this.maxAliasDepth}`);
        const next = await this.definitionAt(rel, answer.line, shape.valueColumn);
        const onward = next.filter((n) => !(n.path === answer.path && n.line === answer.line && n.column === answer.column));
        if (onward.length === 0) throw new NotADefinition(`\`${shape.name}\` is assigned \`${shape.value}\` (${rel}:${answer.line}), which pyright cannot resolve`);
        for (const t of await this.mapTargets(onward, depth + 1)) targets.set(`${t.file}:${t.line}:${t.column}`, t);
      } else {
        notDefinitions++;
        if (notDefinitions + noneBindings === answers.length) {
          throw new NotADefinition(`\`${shape.name}\` resolves to ${rel}:${answer.line} (\`${shape.text.slice(0, 120)}\`), which is not a function or class definition`);
        }
      }
    }
    // Some bindings are definitions and some are not (`f = a` in one branch, `def f` in another): no single callee.
    if (notDefinitions > 0) throw new Ambiguous("mixed-bindings", `the callee has ${answers.length} bindings, ${notDefinitions} of them not definitions`);
    if (targets.size === 0) throw new NotADefinition(`no binding of the callee but None bindings`);
    return [...targets.values()];
  }

  // A call through a name that is not a definition (a parameter, a variable, an attribute holding a value) is
  // decided by the name's type at the call (pyright's hover and type definition there):
  // - Any, Unknown, a Callable type, type[...] or a union of several types: the value that runs is not known
  //   statically -> ambiguous;
  // - an instance of a class: its `__call__` — a repository method when a repository class in its hierarchy defines
  //   it (found by findCallMethod), else external when the class (or the base that defines it) is outside the
  //   repository;
  // - a function type (the variable holds a function pyright names): that function.
  private async calleeByType(req: ResolveRequest, name: string, why: string): Promise<ResolveResult> {
    const hover = await this.hoverAt(req.file, req.line, req.column);
    const parsed = parseHover(hover, name);
    if (parsed === null) throw new Ambiguous("untyped-variable", `${why}; pyright gives no type for \`${name}\``);
    if (parsed.form === "typed") {
      // Calling an Optional value calls the non-None part. Only the type's outer shape decides: the arguments of a
      // generic class (`ParamType[Any, Any]`) do not make the instance's `__call__` unknown.
      const t = topLevelText(parsed.type.replace(/\s*\|\s*None\b|\bNone\s*\|\s*/g, "").trim());
      if (/(^|\|)\s*(Unknown|Any)\b/.test(t)) throw new Ambiguous("any-typed-variable", `\`${name}\` has type \`${parsed.type}\``);
      // A class object: `type[C]` (any subclass of C), and bare `type` / `Type[Any]` / `Type[Unknown]` (any class at
      // all; requests' `merge_setting(..., dict_class: type = OrderedDict)` is passed its own CaseInsensitiveDict),
      // whose type definition is builtins' `class type` — never what runs.
      if (/(^|\|)\s*type\[/.test(t) || (!t.includes("->") && /(^|\|)\s*(?:type|Type)\s*(?:\[|\||$)/.test(t))) {
        const factory = await this.synthesizedClass(req, parsed.type);
        if (factory) return factory;
        throw new Ambiguous("type-object-variable", `\`${name}\` has type \`${parsed.type}\`: ${/(^|\|)\s*type\[(?!Any\]|Unknown\])/.test(parsed.type) ? "any subclass" : "any class"} may be called`);
      }
    }
    // A function type written as a type (`Callable[[str], str]`, a callback protocol's signature) has no definition
    // of its own: the type definition answer is then the variable itself, and any function of that type may run.
    // A function type that IS a definition (a variable holding `re.compile(p).match`) is answered with that def.
    const types = await this.definitionAt(req.file, req.line, req.column, "textDocument/typeDefinition");
    const callableText = parsed.form === "callable" || parsed.type.includes("->");
    // A union (`ParamType | ((str) -> V)`): every member must be named by a type definition outside the repository
    // for the call to be external; otherwise which member runs is not known.
    const members = parsed.form === "typed" ? unionMembers(topLevelText(parsed.type.replace(/\s*\|\s*None\b|\bNone\s*\|\s*/g, "").trim())) : 1;
    if (types.length === 0) throw new Ambiguous(callableText ? "callable-typed-variable" : "untyped-variable", `${why}; pyright names no type for \`${name}\``);
    if (members > 1) {
      // Each member yields at least one answer (an overloaded member one per signature); a member written as a
      // Callable type yields the variable itself, which is in the repository.
      const allOutside = types.length >= members && types.every((t) => this.paths.relative(t.path) === null);
      if (!allOutside) throw new Ambiguous("union-typed-variable", `\`${name}\` has the union type \`${parsed.form === "typed" ? parsed.type : ""}\``);
      return { status: "resolved", targets: types.map((t) => ({ file: t.path, line: t.line, column: t.column, inRepo: false })), via: "type" };
    }
    const classes: AbsoluteLocation[] = [];
    const functions: ResolvedLocation[] = [];
    for (const t of types) {
      const rel = this.paths.relative(t.path);
      const text = rel === null ? this.outsideLines(t.path)?.[t.line - 1] : this.linesOf(rel)?.[t.line - 1];
      if (text === undefined) throw new Ambiguous("untyped-variable", `the type of \`${name}\` is at ${t.path}:${t.line}, which cannot be read`);
      const shape = classifyPythonTarget(text, t.column);
      if (shape.kind === "definition" && shape.what === "class") classes.push(t);
      else if (shape.kind === "definition" && shape.what === "function") functions.push({ file: rel ?? t.path, line: t.line, column: t.column, inRepo: rel !== null });
      else {
        throw new Ambiguous(
          callableText ? "callable-typed-variable" : "untyped-variable",
          `the type of \`${name}\` is not a class or function (\`${text.trim().slice(0, 80)}\`): any value of that type may be called`,
        );
      }
    }
    if (classes.length > 0 && functions.length > 0) throw new Ambiguous("union-typed-variable", `\`${name}\` may be a function or an instance`);
    if (functions.length > 0) return { status: "resolved", targets: functions, via: "type" };
    if (classes.length > 1) throw new Ambiguous("union-typed-variable", `\`${name}\` may be an instance of ${classes.length} classes`);
    const cls = classes[0]!;
    const rel = this.paths.relative(cls.path);
    if (rel === null) return { status: "resolved", targets: [{ file: cls.path, line: cls.line, column: cls.column, inRepo: false }], via: "type" };
    const call = await this.findCallMethod(rel, cls.line, new Set());
    if (call.kind === "repo") return { status: "resolved", targets: call.at, via: "call-method" };
    if (call.kind === "external") return { status: "resolved", targets: [{ file: cls.path, line: cls.line, column: cls.column, inRepo: false }], via: "type" };
    throw new Ambiguous(call.kind === "protocol" ? "protocol-instance" : "no-call-method", `\`${name}\` is an instance of the class at ${rel}:${cls.line}: ${call.why}`);
  }

  // `SelectorKey = namedtuple('SelectorKey', [...])` then `SelectorKey(...)`: pyright types the name `type[SelectorKey]`,
  // which for a parameter would mean "any subclass", but here the name is bound once, to the class the factory
  // builds, and calling it runs the factory's generated code. When the call's only binding is such an assignment to
  // the very class the type names, and the factory (namedtuple, NamedTuple, NewType) resolves outside the
  // repository, the call is external; null otherwise.
  private async synthesizedClass(req: ResolveRequest, type: string): Promise<ResolveResult | null> {
    const cls = /^type\[([\p{ID_Start}_][\p{ID_Continue}]*)\]$/u.exec(type.trim())?.[1];
    if (!cls) return null;
    const bindings = await this.definitionAt(req.file, req.line, req.column);
    if (bindings.length !== 1) return null;
    const rel = this.paths.relative(bindings[0]!.path);
    const text = rel === null ? undefined : this.linesOf(rel)?.[bindings[0]!.line - 1];
    if (rel === null || text === undefined) return null;
    const m = new RegExp(`^\\s*${cls}\\s*=\\s*(?:(?:collections|typing)\\s*\\.\\s*)?(namedtuple|NamedTuple|NewType)\\s*\\(`, "d").exec(text);
    if (!m?.indices?.[1]) return null;
    const factories = await this.definitionAt(rel, bindings[0]!.line, m.indices[1][0]);
    if (factories.length === 0 || factories.some((f) => this.paths.relative(f.path) !== null)) return null;
    return { status: "resolved", targets: factories.map((f) => ({ file: f.path, line: f.line, column: f.column, inRepo: false })), via: "type" };
  }

  // Where an instance of the repository class defined at `file:line` finds `__call__`: its own body, else its bases
  // depth-first left to right (exact for single inheritance; with several bases a repository `__call__` counts only
  // when no base outside the repository came before it, which could define one first).
  private async findCallMethod(
    file: string,
    line: number,
    seen: Set<string>,
  ): Promise<{ kind: "repo"; at: ResolvedLocation[] } | { kind: "external" } | { kind: "none" | "protocol" | "unsure"; why: string }> {
    const lines = this.linesOf(file);
    if (!lines || seen.has(`${file}:${line}`) || seen.size > 8) return { kind: "unsure", why: "its class hierarchy cannot be followed" };
    seen.add(`${file}:${line}`);
    const header = classHeader(lines, line - 1);
    if (header.bases.some((b) => b.name === "Protocol")) return { kind: "protocol", why: "its class is a Protocol" };
    // Every `def __call__` of the body: with @overload signatures there are several, and the dependency rule keeps
    // the implementation.
    const own = findMethodInClassBody(lines, line - 1, header.endLine, "__call__");
    if (own.length > 0) return { kind: "repo", at: own.map((o) => ({ file, line: o.line, column: o.column, inRepo: true })) };
    let external = false;
    for (const base of header.bases) {
      if (NEUTRAL_BASES.has(base.name)) continue;
      const answers = await this.definitionAt(file, base.line, base.column);
      if (answers.length !== 1) return { kind: "unsure", why: `its base \`${base.name}\` does not resolve to one class` };
      const a = answers[0]!;
      const rel = this.paths.relative(a.path);
      if (rel === null) {
        external = true;
        continue;
      }
      const text = this.linesOf(rel)?.[a.line - 1];
      const shape = text === undefined ? null : classifyPythonTarget(text, a.column);
      if (shape?.kind !== "definition" || shape.what !== "class") return { kind: "unsure", why: `its base \`${base.name}\` is not a class definition` };
      const inBase = await this.findCallMethod(rel, a.line, seen);
      if (inBase.kind === "repo") return external ? { kind: "unsure", why: "a base outside the repository comes before the repository `__call__`" } : inBase;
      if (inBase.kind === "external") external = true;
      else if (inBase.kind !== "none") return inBase;
    }
    return external ? { kind: "external" } : { kind: "none", why: "no class in its hierarchy defines `__call__`" };
  }

  // Whether the name at `file:line:column` is declared as a parameter, by pyright's hover there (a line alone cannot
  // tell `x: T = v` in a body from the same text inside a multi-line signature). Counted as in flight so the file is
  // not closed under the request by a batch that finished with it.
  private async isParameterDeclaration(file: string, line: number, column: number): Promise<boolean> {
    this.inFlight.set(file, (this.inFlight.get(file) ?? 0) + 1);
    try {
      const hover = await this.hoverAt(file, line, column);
      return hover !== null && /^(?:```\w*\n)?\s*\(parameter\)/.test(hover);
    } finally {
      this.inFlight.set(file, (this.inFlight.get(file) ?? 1) - 1);
    }
  }

  private async hoverAt(file: string, line: number, column: number): Promise<string | null> {
    const uri = pathToFileURL(this.paths.absolute(file)).href;
    const answer = await this.withSession(async (session) => {
      if (!session.isOpen(uri)) {
        const lines = this.linesOf(file);
        if (!lines) throw new Unresolved(`cannot read ${file} in the repository`);
        session.openDocument(uri, "python", lines.join("\n"));
      }
      return session.request<{ contents?: { value?: string } | string } | null>("textDocument/hover", {
        textDocument: { uri },
        position: { line: line - 1, character: column },
      });
    });
    const c = answer?.contents;
    if (!c) return null;
    return typeof c === "string" ? c : (c.value ?? null);
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
        const lines = this.outsideLines(a.path);
        const text = lines?.[a.line - 1];
        // A property (`object.__class__`) is answered with its getter, but the call runs the value it returns.
        if (text === undefined || /^\s*class\s/.test(text) || isPropertyGetter(lines!, a.line - 1)) return null;
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
      if (shape.kind !== "definition" || shape.what !== "function" || isPropertyGetter(this.linesOf(rel)!, a.line - 1)) return null;
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

// True when line `index` (0-based) is a `def` whose decorators (the `@` lines right above it) make it a property
// getter: @property, @functools.cached_property, @abc.abstractproperty, @types.DynamicClassAttribute.
export function isPropertyGetter(lines: string[], index: number): boolean {
  if (!/^\s*(?:async\s+)?def\s/.test(lines[index] ?? "")) return false;
  for (let i = index - 1; i >= 0 && i >= index - 20; i--) {
    const text = lines[i]!.trim();
    if (text === "" || text.startsWith("#")) continue;
    if (!text.startsWith("@")) return false;
    if (/^@\s*(?:[\w.]+\.)?(?:property|cached_property|abstractproperty|DynamicClassAttribute)\s*(?:#.*)?$/.test(text)) return true;
  }
  return false;
}

// Whether a name at `lines[index]`, `column` may sit in a def's parameter list rather than in a statement: the
// line starts the def, or the code line before it ends inside open brackets (`(` or `,`). A parameter re-bound in
// the body (`key = helper`) is an assignment, followed like any alias.
function insideSignature(lines: string[], index: number, column: number): boolean {
  if (/\bdef\s/.test(lines[index]!.slice(0, column))) return true;
  for (let i = index - 1; i >= 0; i--) {
    const code = lines[i]!.replace(/#.*$/, "").trimEnd();
    if (code !== "") return code.endsWith("(") || code.endsWith(",");
  }
  return false;
}

// Pyright's hover for a name: "(parameter) ty: ParamType", "(variable) k: type[A] | type[B]", or, for a name
// whose type is callable, "(variable) def x(v: int) -> int". Only the first line (the signature) is read.
export function parseHover(hover: string | null, name: string): { form: "typed"; type: string } | { form: "callable" } | null {
  if (!hover) return null;
  const text = hover.replace(/^```\w*\n?/, "").split(/\n```|\n\n/)[0]!.replace(/\n\s*/g, " ");
  const m = /^\((?:parameter|variable|constant|property|import|type alias|attribute)\)\s+(.*)$/s.exec(text.trim());
  if (!m) return null;
  const rest = m[1]!;
  if (/^(?:async\s+)?def\s/.test(rest)) return { form: "callable" };
  const prefix = `${name}: `;
  if (!rest.startsWith(prefix)) return null;
  return { form: "typed", type: rest.slice(prefix.length).trim() };
}

// The type text with the insides of brackets emptied: `ParamType[Any, Any]` -> `ParamType[]`,
// `(str) -> int` -> `() -> int`.
function topLevelText(type: string): string {
  let depth = 0;
  let out = "";
  for (const ch of type) {
    if (ch === "]" || ch === ")") depth--;
    if (depth === 0) out += ch;
    if (ch === "[" || ch === "(") depth++;
  }
  return out;
}

// How many members a type text's top-level union has (`A | B` -> 2; brackets already emptied by topLevelText).
function unionMembers(type: string): number {
  return type.split("|").length;
}

interface BaseRef {
  name: string; // last identifier of the base expression (`abc.ABC` -> "ABC", `Generic[T]` -> "Generic")
  line: number; // 1-based position of that identifier
  column: number;
}

// The bases of the class whose `class` line is `index` (0-based), read up to the colon that ends the header
// (headers may span lines); keyword arguments (`metaclass=...`) are not bases.
export function classHeader(lines: string[], index: number): { bases: BaseRef[]; endLine: number } {
  const bases: BaseRef[] = [];
  let depth = 0;
  let started = false;
  let current: BaseRef | null = null;
  let keyword = false;
  let squareDepth = 0;
  for (let i = index; i < lines.length && i < index + 40; i++) {
    const text = lines[i]!;
    let j = i === index ? text.search(/\bclass\b/) + 5 : 0;
    for (; j < text.length; j++) {
      const ch = text[j]!;
      if (ch === "#") break;
      if (!started) {
        if (ch === "(") {
          started = true;
          depth = 1;
        } else if (ch === ":") return { bases, endLine: i };
        continue;
      }
      if (ch === "(" || ch === "[" || ch === "{") {
        depth++;
        if (ch === "[") squareDepth++;
        continue;
      }
      if (ch === ")" || ch === "]" || ch === "}") {
        depth--;
        if (ch === "]") squareDepth--;
        if (depth === 0) {
          if (current && !keyword) bases.push(current);
          current = null;
          started = false;
          // the header continues to its colon
          const colon = text.indexOf(":", j);
          if (colon >= 0) return { bases, endLine: i };
          return { bases, endLine: findColonLine(lines, i + 1) };
        }
        continue;
      }
      if (depth === 1 && ch === ",") {
        if (current && !keyword) bases.push(current);
        current = null;
        keyword = false;
        continue;
      }
      if (depth === 1 && ch === "=" && text[j + 1] !== "=") {
        keyword = true;
        continue;
      }
      if (depth === 1 && squareDepth === 0 && /[\p{ID_Start}_]/u.test(ch)) {
        const id = /^[\p{ID_Start}_][\p{ID_Continue}]*/u.exec(text.slice(j))![0];
        current = { name: id, line: i + 1, column: j };
        j += id.length - 1;
      }
    }
  }
  return { bases, endLine: index };
}

function findColonLine(lines: string[], from: number): number {
  for (let i = from; i < lines.length && i < from + 5; i++) if (lines[i]!.includes(":")) return i;
  return from - 1;
}

// Every `def <method>` directly in the body of the class whose header ends on line `headerEnd` (0-based): lines at
// the body's indentation. Returns their 1-based lines and the name's columns.
export function findMethodInClassBody(lines: string[], classIndex: number, headerEnd: number, method: string): { line: number; column: number }[] {
  const found: { line: number; column: number }[] = [];
  const classIndent = indentOf(lines[classIndex]!);
  let bodyIndent = -1;
  const def = new RegExp(`^(\\s*)(?:async\\s+)?def\\s+(${method})\\b`);
  let openBrackets = 0;
  for (let i = headerEnd + 1; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === "" || text.trim().startsWith("#")) continue;
    const indent = indentOf(text);
    if (openBrackets === 0) {
      if (indent <= classIndent) break;
      if (bodyIndent < 0) bodyIndent = indent;
      if (indent === bodyIndent) {
        const m = def.exec(text);
        if (m) found.push({ line: i + 1, column: text.indexOf(method, m[1]!.length + 3) });
      }
    }
    for (const ch of text.replace(/#.*$/, "")) {
      if (ch === "(" || ch === "[" || ch === "{") openBrackets++;
      else if ((ch === ")" || ch === "]" || ch === "}") && openBrackets > 0) openBrackets--;
    }
  }
  return found;
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
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
