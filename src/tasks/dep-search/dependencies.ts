// Ground truth for dep-search: which repository definitions a target calls directly. Call sites come from the
// code index; what each call runs comes from the language's analyzer (a CallResolver), never from name matching.
// This file maps resolver answers back onto index definitions and applies the dependency rule of docs/DESIGN.md §3.
//
// Every call written in the target ends as exactly one CallOutcome — a repository dependency, the target itself
// (recursion), external, or ambiguous — so no call is silently skipped; a target with one ambiguous call is not
// used, and the per-target accounting (CallAccounting) is stored in the instance's meta where it can be checked.

import type { CallSite, Definition, FileIndex, ImportRecord } from "../../lang/types.js";
import type { ResolveResult } from "../../resolve/types.js";
import { bracketDepthAfter, pythonCodeOf } from "./python-lines.js";
import { statedExternalReceiver } from "./stated-receiver.js";

// The definition names of one language family (Python; TypeScript with JavaScript; Go; Java; Rust): a call can
// only reach definitions of its own family, so the name rules look there (hydra's website JavaScript defines names
// its Python cannot call).
export interface FamilyNames {
  names: Set<string>; // every definition name (a call no definition of which has the name is external)
  memberNames: Set<string>; // names of definitions directly inside a class (methods, nested classes), and methods
  moduleNames: Set<string>; // names of module-level definitions
}

export interface RepoDefinitions {
  byFile: Map<string, Definition[]>;
  imports: Map<string, ImportRecord[]>; // per file
  modules: Set<string>; // every directory name and module stem of the repository's files (see nonRepoImport)
  byFamily: Map<string, FamilyNames>;
  read: (file: string) => string | null; // file text, to read decorators and class headers
  memo: Map<string, number | null>; // conditionalRebinding answers per `file::key`
}

const MEMBER_KINDS = new Set<Definition["kind"]>(["method", "async_method", "getter", "setter", "constructor"]);

export function repoDefinitions(index: FileIndex[], read: (file: string) => string | null): RepoDefinitions {
  const byFile = new Map<string, Definition[]>();
  const imports = new Map<string, ImportRecord[]>();
  const modules = new Set<string>();
  const byFamily = new Map<string, FamilyNames>();
  for (const f of index) {
    byFile.set(f.path, f.definitions);
    imports.set(f.path, f.imports);
    // A type stub (`.stubs/nox.pyi`, `typings/ray.pyi`) describes a package for type checkers and never runs: its
    // names are not repository definitions a call could reach, and its module name is not a repository module
    // (hydra keeps stubs of nox and ray, which made `ray.get(...)` and `session.run(...)` look ambiguous).
    if (f.path.endsWith(".pyi")) continue;
    const kinds = new Map(f.definitions.map((d) => [d.key, d.kind]));
    const qualnames = new Map(f.definitions.map((d) => [d.key, d.qualname]));
    const family = languageFamily(f.path);
    let own = byFamily.get(family);
    if (!own) byFamily.set(family, (own = { names: new Set(), memberNames: new Set(), moduleNames: new Set() }));
    for (const d of f.definitions) {
      own.names.add(d.name);
      // Methods of object literals (TS/JS) are members too, whatever holds them; so is a function stored in a
      // property (`YAMLException.prototype.toString = function ...`, `{ lowercase: function () {} }`,
      // `this.h = function () {}`), which is reachable as `recv.name` from any receiver.
      if (kinds.get(d.parent ?? "") === "class" || MEMBER_KINDS.has(d.kind) || isPropertyDefinition(d, qualnames)) own.memberNames.add(d.name);
      else if (d.parent === null) own.moduleNames.add(d.name);
    }
    for (const part of f.path.split("/")) modules.add(part.replace(/\.[^.]*$/, ""));
  }
  const cache = new Map<string, string | null>();
  const cachedRead = (file: string): string | null => {
    if (!cache.has(file)) cache.set(file, read(file));
    return cache.get(file) ?? null;
  };
  return { byFile, imports, modules, byFamily, read: cachedRead, memo: new Map() };
}

// Files whose definitions can call each other: TypeScript and JavaScript import one another, the others stay apart.
function languageFamily(path: string): string {
  const ext = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? "";
  if (ext === "py" || ext === "pyi") return "python";
  if (["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"].includes(ext)) return "ecmascript";
  return ext;
}

// The names a call written in `file` can reach.
export function namesReachableFrom(file: string, repo: RepoDefinitions): FamilyNames {
  return repo.byFamily.get(languageFamily(file)) ?? { names: new Set(), memberNames: new Set(), moduleNames: new Set() };
}

// A JavaScript/TypeScript definition assigned to a property rather than bound to a name: its qualified name holds
// more than its enclosing definitions' names (`A.prototype.m`, `represent.lowercase`, `outer.this.h`; a local
// `outer.inner` and a class member `C.m` do not). An export (`module.exports.f`, `exports.f`) is a module-level
// definition, reachable only through the module (rule 7), so it is not counted here.
function isPropertyDefinition(d: Definition, qualnames: Map<string, string>): boolean {
  const parentQualname = d.parent === null ? undefined : qualnames.get(d.parent);
  const bound = parentQualname === undefined ? d.name : `${parentQualname}.${d.name}`;
  if (d.qualname === bound) return false;
  return !/^(?:module\.exports|exports)\.[^.]+$/.test(d.qualname);
}

// The definition a resolved location points at: the one whose name identifier contains it, else the one whose
// span starts there.
export function definitionAt(defs: Definition[] | undefined, line: number, column: number): Definition | null {
  if (!defs) return null;
  for (const d of defs) {
    const n = d.nameSpan;
    if (n.start.line === line && n.start.column <= column && column <= n.end.column) return d;
  }
  for (const d of defs) if (d.span.start.line === line && d.span.start.column === column) return d;
  return null;
}

// The calls that belong to the target for dep-search: those inside its body (so decorators and parameter
// defaults are out), nested definitions, lambdas and comprehensions included.
export function bodyCalls(def: Definition): CallSite[] {
  const body = def.bodySpan;
  if (!body) return [];
  return def.calls.filter((c) => c.span.startOffset >= body.startOffset && c.span.endOffset <= body.endOffset);
}

// Why a call is external: a builtin answered without the analyzer, an analyzer answer outside the repository, a
// receiver imported from a module that is not the repository's (installed or not), or a name that no repository
// definition has (so whatever runs cannot be a repository definition).
export type ExternalBasis = "builtin" | "analyzer" | "non-repo-import" | "stated-external-receiver" | "no-repo-definition-named" | "no-reachable-definition-named";

export type CallOutcome =
  | { kind: "dependency"; file: string; def: Definition }
  | { kind: "recursion" } // the target running its own code (calling itself, or a function written in place): not a dependency
  | { kind: "external"; basis: ExternalBasis }
  | { kind: "ambiguous"; reason: string; detail: string };

export interface CallAccounting {
  calls: number; // every call in the target's body; always the sum of the four below
  dependency: number;
  recursion: number;
  external: number;
  ambiguous: number;
  external_by: Partial<Record<ExternalBasis, number>>;
}

export type DependencyOutcome =
  | { ok: true; deps: { file: string; def: Definition }[]; accounting: CallAccounting }
  | { ok: false; reason: string; detail: string; accounting: CallAccounting };

// Applies the dependency rule to one target given the resolver's answer for each of its body calls (same order).
export function dependenciesOf(
  target: { file: string; def: Definition },
  calls: CallSite[],
  results: ResolveResult[],
  repo: RepoDefinitions,
): DependencyOutcome {
  const outcomes = calls.map((call, i) => callOutcome(target, call, results[i], repo));
  const accounting = account(outcomes);
  const firstAmbiguous = outcomes.find((o): o is Extract<CallOutcome, { kind: "ambiguous" }> => o.kind === "ambiguous");
  if (firstAmbiguous) return { ok: false, reason: `ambiguous-call:${firstAmbiguous.reason}`, detail: firstAmbiguous.detail, accounting };
  const deps = new Map<string, { file: string; def: Definition }>();
  for (const o of outcomes) if (o.kind === "dependency") deps.set(`${o.file}::${o.def.key}`, { file: o.file, def: o.def });
  return { ok: true, deps: [...deps.values()], accounting };
}

export function account(outcomes: CallOutcome[]): CallAccounting {
  const a: CallAccounting = { calls: outcomes.length, dependency: 0, recursion: 0, external: 0, ambiguous: 0, external_by: {} };
  for (const o of outcomes) {
    a[o.kind]++;
    if (o.kind === "external") a.external_by[o.basis] = (a.external_by[o.basis] ?? 0) + 1;
  }
  return a;
}

// A callee that is a function expression or an arrow function, in parentheses or not.
const FUNCTION_WRITTEN_IN_PLACE = /^[(\s]*(?:async\s+)?function\b|^\(*\s*(?:async\s*)?(?:\([^()]*\)|[\p{ID_Start}$_][\p{ID_Continue}$]*)\s*=>/u;

// What one call runs, as exactly one outcome.
export function callOutcome(target: { file: string; def: Definition }, call: CallSite, res: ResolveResult | undefined, repo: RepoDefinitions): CallOutcome {
  const where = `${target.file}:${call.nameSpan.start.line}`;
  // `(function () { ... }())`, `(() => ...)()` (TS/JS): a function written in place and run there is the target's
  // own code, whose calls are the target's calls; it is no definition, so it is accounted like recursion.
  if (call.name === "" && /\.(?:[cm]?[jt]sx?)$/.test(target.file) && FUNCTION_WRITTEN_IN_PLACE.test(call.callee)) return { kind: "recursion" };
  // `f()()`, `handlers[k](x)`, `getattr(o, n)()`: the callee is a computed value, not a name the analyzer can place.
  if (call.name === "") return { kind: "ambiguous", reason: "computed-callee", detail: `\`${call.callee}(...)\` at ${where}` };
  if (!res) return { kind: "ambiguous", reason: "no-answer", detail: `no resolver answer for \`${call.callee}\` at ${where}` };
  if (res.status === "ambiguous") return { kind: "ambiguous", reason: res.kind, detail: `${res.reason} (${where})` };
  // go/types and javac answer every call of code that compiles (external included); their "unresolved" is a
  // failure, never evidence that the callee is outside the repository, so the name rules below do not apply.
  if (res.status === "unresolved" && /\.(?:go|java)$/.test(target.file)) return { kind: "ambiguous", reason: "unresolved", detail: `\`${call.callee}\` at ${where}: ${res.reason}` };
  if (res.status === "unresolved") return unresolvedOutcome(target, call, res.reason, repo);
  let external = false;
  const found = new Map<string, { file: string; def: Definition; role: CalleeRole }>();
  for (const loc of res.targets) {
    if (!loc.inRepo) {
      external = true;
      continue;
    }
    const fileDefs = repo.byFile.get(loc.file) ?? [];
    const def = definitionAt(fileDefs, loc.line, loc.column);
    if (!def) {
      return { kind: "ambiguous", reason: "not-a-definition", detail: `\`${call.callee}\` at ${where} resolves to ${loc.file}:${loc.line}, which is not an indexed definition` };
    }
    const callee = calleeDefinition(def, call, fileDefs);
    found.set(`${loc.file}::${callee.key}`, { file: loc.file, def: callee, role: calleeRole(callee, loc.file, fileDefs, repo) });
  }
  // `@overload` signatures are not callees: the implementation (the non-overload definition) is what runs.
  const overloads = [...found.values()].filter((f) => f.role === "overload");
  for (const o of overloads) found.delete(`${o.file}::${o.def.key}`);
  if (overloads.length > 0 && found.size === 0) {
    return { kind: "ambiguous", reason: "overload-without-implementation", detail: `\`${call.callee}\` at ${where} resolves only to @overload signatures` };
  }
  if (found.size + (external ? 1 : 0) > 1) {
    const list = [...found.values()].map((f) => `${f.file}::${f.def.key}`).concat(external ? ["(outside the repository)"] : []);
    return { kind: "ambiguous", reason: "several-definitions", detail: `\`${call.callee}\` at ${where} may run ${list.join(", ")} (platform or branch dependent)` };
  }
  const only = [...found.values()][0];
  if (!only && external && res.via !== "builtin") {
    const hidden = conditionalModuleDefinition(target.file, call, repo);
    if (hidden) {
      return { kind: "ambiguous", reason: "several-definitions", detail: `\`${call.callee}\` at ${where} resolves outside the repository, but ${target.file}::${hidden.key} (line ${hidden.nameSpan.start.line}) also binds it under a condition (version, platform or branch dependent)` };
    }
  }
  if (!only) return external ? { kind: "external", basis: res.via === "builtin" || res.via === "non-repo-import" ? res.via : "analyzer" } : { kind: "ambiguous", reason: "no-answer", detail: `empty answer for \`${call.callee}\` at ${where}` };
  if (only.role === "protocol-member") {
    return { kind: "ambiguous", reason: "protocol-member", detail: `\`${call.callee}\` at ${where} resolves to the Protocol member ${only.file}::${only.def.key}; the method that runs is not known` };
  }
  if (only.role === "abstract-stub") {
    return { kind: "ambiguous", reason: "abstract-method", detail: `\`${call.callee}\` at ${where} resolves to the abstract ${only.file}::${only.def.key}; the override that runs is not known` };
  }
  const other = conditionalRebinding(only.def, only.file, repo);
  if (other !== null) {
    return { kind: "ambiguous", reason: "several-definitions", detail: `\`${call.callee}\` at ${where} resolves to ${only.file}::${only.def.key}, which line ${other} of the same scope also binds under a condition (platform or branch dependent)` };
  }
  if (only.file === target.file && only.def.key === target.def.key) return { kind: "recursion" };
  return { kind: "dependency", file: only.file, def: only.def };
}

// The analyzer found nothing for the call.
function unresolvedOutcome(target: { file: string; def: Definition }, call: CallSite, reason: string, repo: RepoDefinitions): CallOutcome {
  if (nonRepoImport(target.file, call, repo)) return { kind: "external", basis: "non-repo-import" };
  if (statedExternalReceiver(target, call, repo.byFile.get(target.file) ?? [], repo.read(target.file), (name) => outsideImportOf(target.file, name, repo))) {
    return { kind: "external", basis: "stated-external-receiver" };
  }
  const reachable = namesReachableFrom(target.file, repo);
  if (!reachable.names.has(call.name)) return { kind: "external", basis: "no-repo-definition-named" };
  // `recv.name()` on a receiver of unknown type reaches a repository definition named `name` only if it is a
  // class member (recv an instance or class) or a module-level definition with recv a module, which needs recv's
  // root to be imported in the file. Functions nested in other functions are never attributes.
  const attribute = call.callee.replace(/\s+/g, "");
  if (attribute.includes(".")) {
    const root = /^[\p{ID_Start}_][\p{ID_Continue}]*/u.exec(attribute)?.[0];
    const rootImported = root !== undefined && attribute.startsWith(`${root}.`) && importBinds(target.file, root, repo);
    if (!reachable.memberNames.has(call.name) && !(rootImported && reachable.moduleNames.has(call.name))) return { kind: "external", basis: "no-reachable-definition-named" };
  }
  return { kind: "ambiguous", reason: "unresolved-repo-name", detail: `\`${call.callee}\` at ${target.file}:${call.nameSpan.start.line}: ${reason}; the repository defines \`${call.name}\`` };
}

// True when the callee is a plain dotted name (`OmegaConf.create`, `nox.session`, `create`) whose first name is
// bound in the file by an import of an absolute module that is not the repository's own (its top-level name is no
// directory or module of the repository): the callee is then an attribute of something outside the repository,
// installed or not.
export function nonRepoImport(file: string, call: CallSite, repo: RepoDefinitions): boolean {
  const callee = call.callee.replace(/\s+/g, "");
  if (!/^[\p{ID_Start}_][\p{ID_Continue}]*(?:\.[\p{ID_Start}_][\p{ID_Continue}]*)*$/u.test(callee)) return false;
  return outsideImportOf(file, callee.split(".")[0]!, repo) !== null;
}

// The module when `root` is bound in the file by an import of an absolute module that is not the repository's
// own (`from nox import Session` binds `Session` from "nox"), else null.
export function outsideImportOf(file: string, root: string, repo: RepoDefinitions): string | null {
  for (const imp of repo.imports.get(file) ?? []) {
    const module = imp.module;
    if (module.startsWith(".") || module === "" || module === "__future__") continue;
    const top = module.split(".")[0]!;
    const binds =
      imp.names.length === 0
        ? (imp.alias ?? top) === root // `import a.b` binds `a`; `import a.b as c` binds `c`
        : imp.names.some((n) => n.name !== "*" && (n.alias ?? n.name) === root);
    if (binds) return repo.modules.has(top) ? null : module;
  }
  return null;
}

// True when some import of the file binds `name`.
function importBinds(file: string, name: string, repo: RepoDefinitions): boolean {
  for (const imp of repo.imports.get(file) ?? []) {
    if (imp.names.length === 0) {
      if ((imp.alias ?? imp.module.split(".")[0]) === name) return true;
    } else if (imp.names.some((n) => n.name === "*" || (n.alias ?? n.name) === name)) return true;
  }
  return false;
}

// A bare-name call the analyzer answered outside the repository, in a Python file that also defines that name at
// module level inside a compound statement (`if sys.version_info < (3, 5): def loads(...)` / `else: from json
// import loads`): pyright evaluates version tests for the host's Python and skips the branch the host does not
// take, so it names only the other binding. Both may run (rule 5). Returns that definition, or null.
function conditionalModuleDefinition(file: string, call: CallSite, repo: RepoDefinitions): Definition | null {
  if (!file.endsWith(".py") || call.callee.replace(/\s+/g, "") !== call.name) return null;
  for (const d of repo.byFile.get(file) ?? []) {
    if (d.name === call.name && d.parent === null && d.signatureSpan.start.column > 0) return d;
  }
  return null;
}

// Python binds a name once per execution of its scope, but the source may bind it in several branches:
// `if _mswindows: def _wait(...) ... else: def _wait(...)`, or `def kill(...)` in one branch and `kill = terminate`
// in the other. The analyzer may answer with only one of them (for an attribute it reports the declared type's
// declaration), so the scope of the callee is read again: another binding of the same name in the same scope
// (a def, a class, an assignment or an import; not inside a nested function or class) where either binding sits
// inside a compound statement makes the callee branch dependent. Returns that other binding's line, or null.
// Plain redefinitions at the scope's top level are not ambiguous: the last one runs, and the analyzer names it.
function conditionalRebinding(def: Definition, file: string, repo: RepoDefinitions): number | null {
  if (!file.endsWith(".py")) return null;
  const memoKey = `${file}::${def.key}`;
  const known = repo.memo.get(memoKey);
  if (known !== undefined) return known;
  const answer = scanRebinding(def, file, repo);
  repo.memo.set(memoKey, answer);
  return answer;
}

function scanRebinding(def: Definition, file: string, repo: RepoDefinitions): number | null {
  const text = repo.read(file);
  const defs = repo.byFile.get(file);
  if (text === null || !defs) return null;
  const scope = def.parent === null ? null : defs.find((d) => d.key === def.parent);
  if (def.parent !== null && (!scope || scope.kind !== "class" || !scope.bodySpan)) return null;
  const lines = text.split(/\r\n|\r|\n/);
  const from = scope ? scope.bodySpan!.start.line : 1; // 1-based, inclusive
  const to = scope ? scope.span.end.line : lines.length;
  // Lines inside other definitions of this scope's body (nested functions and classes) are not this scope.
  const nested = defs.filter((d) => d.parent === (scope ? scope.key : null) && d.bodySpan !== null);
  const insideNested = (line: number): boolean => nested.some((d) => d.bodySpan!.start.line <= line && line <= d.span.end.line && d.signatureSpan.start.line !== line);
  const baseIndent = scope ? indentAt(lines, from - 1) : 0;
  const name = def.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const binding = new RegExp(
    `^(\\s*)(?:(?:async\\s+)?def\\s+${name}\\b|class\\s+${name}\\b|${name}\\s*(?::[^=]*)?=(?!=)|(?:from\\s+\\S+\\s+)?import\\s+.*\\b(?:as\\s+)?${name}\\s*(?:,|$))`,
  );
  const found: { line: number; conditional: boolean }[] = [];
  let depth = 0; // open brackets: a `name=value` line inside a call's arguments is a keyword, not a binding
  for (let l = from; l <= to && l <= lines.length; l++) {
    const text = lines[l - 1]!;
    // A statement keyword cannot be inside brackets: recover from a bracket a multi-line string left open.
    if (/^\s*(?:async\s+def|def|class|if|elif|else|try|except|finally|for|while|with)\b|^\s*@/.test(text)) depth = 0;
    const m = depth === 0 ? binding.exec(text) : null;
    if (m && !insideNested(l)) found.push({ line: l, conditional: m[1]!.length > baseIndent });
    depth = bracketDepthAfter(pythonCodeOf(text), depth);
  }
  if (found.length < 2 || !found.some((f) => f.conditional)) return null;
  const own = def.signatureSpan.start.line;
  return found.find((f) => f.line !== own)?.line ?? null;
}

function indentAt(lines: string[], index: number): number {
  for (let i = index; i < lines.length; i++) {
    const t = lines[i]!;
    if (t.trim() !== "" && !t.trim().startsWith("#")) return t.length - t.trimStart().length;
  }
  return 0;
}

type CalleeRole = "plain" | "overload" | "protocol-member" | "abstract-stub";

// What kind of definition a Python callee is, from its decorators and its class: an `@overload` signature, a
// member of a Protocol class, or an abstract method whose body is a stub. TS/JS overload signatures and interface
// members never reach here (the TypeScript resolver handles them; they are not index definitions).
function calleeRole(def: Definition, file: string, fileDefs: Definition[], repo: RepoDefinitions): CalleeRole {
  if (!file.endsWith(".py") && !file.endsWith(".pyi")) return "plain";
  const text = repo.read(file);
  if (text === null) return "plain";
  const decorators = text.slice(def.span.startOffset, def.signatureSpan.startOffset);
  if (/@\s*(?:[\w.]+\.)?overload\b/.test(decorators)) return "overload";
  const parent = def.parent === null ? undefined : fileDefs.find((d) => d.key === def.parent);
  if (parent?.kind === "class" && def.kind !== "class") {
    const header = text.slice(parent.nameSpan.endOffset, parent.bodySpan ? parent.bodySpan.startOffset : parent.signatureSpan.endOffset);
    if (/\bProtocol\b/.test(header)) return "protocol-member";
  }
  const body = def.bodySpan ? text.slice(def.bodySpan.startOffset, def.bodySpan.endOffset) : null;
  if (/@\s*(?:[\w.]+\.)?abstract(?:method|classmethod|staticmethod|property)\b/.test(decorators) && body !== null && isStubBody(body)) {
    return "abstract-stub";
  }
  // A method whose whole body raises NotImplementedError is abstract whether or not it says so (requests'
  // BaseAdapter.send/close, logging's Handler.emit): calling it only ever raises, so the code that runs when the
  // call succeeds is an override, which the call does not name. A `pass` or `...` body without the decorator is a
  // no-op default that does run (logging's Handler.flush), so it stays the callee.
  if (parent?.kind === "class" && def.kind !== "class" && body !== null && isStubBody(body) && /^\s*raise\s+NotImplementedError\b/m.test(body)) {
    return "abstract-stub";
  }
  return "plain";
}

// A body that does nothing but document itself: docstring, `...`, `pass`, `raise NotImplementedError(...)`.
function isStubBody(body: string): boolean {
  let code = body
    .replace(/#[^\n]*/g, "")
    .replace(/^\s*[rRuU]?("""|''')[\s\S]*?\1/, "")
    .replace(/^\s*[rRuU]?("|')(?:\\.|(?!\1).)*\1/, "")
    .replace(/[rRuUbBfF]*("|')(?:\\.|(?!\1).)*\1/g, '""');
  // The arguments of a raise may span lines (`raise NotImplementedError('emit must be implemented '\n 'by ...')`):
  // bracketed text is folded away, innermost first.
  for (let prev = ""; prev !== code; ) {
    prev = code;
    code = code.replace(/\([^()]*\)/g, "()");
  }
  return code
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .every((l) => l === "..." || l === "pass" || /^raise\s+NotImplementedError\b/.test(l));
}

// `new Foo()` resolved to Foo's constructor (TS/JS, Java) means the class is the dependency. A Python `__init__`
// answer is never mapped: pyright answers a class call `Foo(...)` with the class itself, so `__init__` comes only
// from calls of the method as such — `Foo.__init__(self)`, `super().__init__()`, or an alias of it
// (`super_init = super(G, self).__init__; super_init(...)` in argparse), which run the method, not a new instance.
function calleeDefinition(def: Definition, call: CallSite, fileDefs: Definition[]): Definition {
  if (def.kind === "constructor" && call.name !== def.name && def.parent) {
    const cls = fileDefs.find((d) => d.key === def.parent);
    if (cls && cls.kind === "class") return cls;
  }
  return def;
}
