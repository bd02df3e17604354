// TypeScript / JavaScript call resolution with the TypeScript language service, in process: one LanguageService
// over a host that reads the repository's files from disk (they never change while a resolver lives, so every
// script has version "1" and the program is built once). getDefinitionAtPosition at the callee name already goes
// through imports and re-exports to the original declaration; this module adds what an editor leaves to the user:
// `new Foo()` / constructors reported as the class, `const f = g` followed to `g`, and answers that are not
// definitions (parameters, call results) refused as unresolved.
//
// Every answer is one of three kinds, as for Python: targets (in or outside the repository), ambiguous (the
// callee cannot be named statically), or unresolved (the service found nothing; the caller then applies its
// import and name rules). The rules, mirrored from pyright.ts:
// - an overload signature (a function or method declaration without a body) resolves to the implementation
//   beside it; without one (a `declare function` in a .d.ts of the repository) the call is ambiguous;
// - an abstract method or an interface / type-literal member is a contract, not a callee: ambiguous;
// - a call through a parameter, a variable or a property that does not hold a function or class written in its
//   initializer (`const f = () => ...`) is decided by its type, which names no single definition: ambiguous
//   (`any`-typed and function-typed alike);
// - an import that did not resolve (a package that is not installed) is unresolved, so the dependency rule can
//   call it external when the module is not the repository's.

import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { RepoPaths } from "./repo-paths.js";
import type { CallResolver, ResolvedLocation, ResolveRequest, ResolveResult } from "./types.js";
import { UserError } from "../core/errors.js";

export interface TsResolverOptions {
  compilerOptions?: ts.CompilerOptions; // replaces the repository's tsconfig.json / the defaults
  maxAliasDepth?: number; // how many `const a = b` steps to follow (default 3)
}

// Lenient defaults for a repository without tsconfig.json: resolve extensionless and `.js` imports alike, read JS.
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  jsx: ts.JsxEmit.Preserve,
  esModuleInterop: true,
  resolveJsonModule: true,
  allowImportingTsExtensions: true,
};

class Unresolved extends Error {}
class Ambiguous extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

export async function createTsResolver(rootDir: string, files: string[], opts: TsResolverOptions = {}): Promise<CallResolver> {
  let stat;
  try {
    stat = statSync(rootDir);
  } catch {
    throw new UserError(`repository directory ${rootDir} does not exist; pass the path of a checked-out repository.`);
  }
  if (!stat.isDirectory()) throw new UserError(`${rootDir} is not a directory; pass the repository root directory.`);
  const paths = new RepoPaths(rootDir);
  const options = {
    ...(opts.compilerOptions ?? readRepoCompilerOptions(paths.root)),
    // Always: read JS, never type-check it (we only ask where things are defined), never write anything.
    allowJs: true,
    checkJs: false,
    noEmit: true,
    skipLibCheck: true,
  };
  return new TsResolver(paths, files, options, opts.maxAliasDepth ?? 3);
}

function readRepoCompilerOptions(root: string): ts.CompilerOptions {
  const configPath = path.join(root, "tsconfig.json");
  if (!existsSync(configPath)) return DEFAULT_OPTIONS;
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error) return DEFAULT_OPTIONS; // a broken tsconfig should not stop resolution; the defaults are lenient
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configPath);
  return { ...parsed.options };
}

class TsResolver implements CallResolver {
  private readonly service: ts.LanguageService;
  private readonly snapshots = new Map<string, ts.IScriptSnapshot | null>();
  private closed = false;

  constructor(
    private readonly paths: RepoPaths,
    files: string[],
    options: ts.CompilerOptions,
    private readonly maxAliasDepth: number,
  ) {
    const scriptNames = files.map((f) => paths.absolute(f));
    const host: ts.LanguageServiceHost = {
      getScriptFileNames: () => scriptNames,
      getScriptVersion: () => "1",
      getScriptSnapshot: (fileName) => this.snapshot(fileName),
      getCurrentDirectory: () => paths.root,
      getCompilationSettings: () => options,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (p) => ts.sys.fileExists(p),
      readFile: (p, encoding) => ts.sys.readFile(p, encoding),
      readDirectory: (p, ext, exclude, include, depth) => ts.sys.readDirectory(p, ext, exclude, include, depth),
      directoryExists: (p) => ts.sys.directoryExists(p),
      getDirectories: (p) => ts.sys.getDirectories(p),
      realpath: (p) => ts.sys.realpath?.(p) ?? p,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  private snapshot(fileName: string): ts.IScriptSnapshot | undefined {
    let snap = this.snapshots.get(fileName);
    if (snap === undefined) {
      try {
        snap = ts.ScriptSnapshot.fromString(readFileSync(fileName, "utf8"));
      } catch {
        snap = null;
      }
      this.snapshots.set(fileName, snap);
    }
    return snap ?? undefined;
  }

  async resolve(requests: ResolveRequest[]): Promise<ResolveResult[]> {
    if (this.closed) throw new Error("TypeScript resolver used after close()");
    return requests.map((req) => {
      try {
        return { status: "resolved", targets: this.resolveOne(req) };
      } catch (err) {
        if (err instanceof Ambiguous) return { status: "ambiguous", kind: err.kind, reason: err.message };
        if (err instanceof Unresolved) return { status: "unresolved", reason: err.message };
        return { status: "unresolved", reason: `TypeScript language service failed: ${err instanceof Error ? err.message : String(err)}` };
      }
    });
  }

  private resolveOne(req: ResolveRequest): ResolvedLocation[] {
    const fileName = this.paths.absolute(req.file);
    const program = this.service.getProgram();
    const sf = program?.getSourceFile(fileName);
    if (!program || !sf) throw new Unresolved(`${req.file} is not among the resolver's files (or cannot be read)`);
    const lineStarts = sf.getLineStarts();
    if (req.line < 1 || req.line > lineStarts.length) throw new Unresolved(`${req.file} has no line ${req.line}`);
    const pos = ts.getPositionOfLineAndCharacter(sf, req.line - 1, req.column);
    const name = identifierAt(sf.text, pos);
    if (!name) throw new Unresolved(`no identifier at ${req.file}:${req.line}:${req.column}`);
    const defs = this.service.getDefinitionAtPosition(fileName, pos) ?? [];
    if (defs.length === 0) throw new Unresolved(`the TypeScript language service found no definition for \`${name}\``);
    const targets = new Map<string, ResolvedLocation>();
    for (const def of defs) {
      for (const t of this.mapDefinition(program, def.fileName, def.textSpan.start, 0)) targets.set(`${t.file}:${t.line}:${t.column}`, t);
    }
    return [...targets.values()];
  }

  // One definition answer -> dependency targets. In-repo answers are checked on the syntax tree: functions,
  // methods, classes and variables initialised with a function or class are definitions; `const a = b` is followed;
  // anything else means the language service does not know what runs.
  private mapDefinition(program: ts.Program, fileName: string, start: number, depth: number): ResolvedLocation[] {
    const sf = program.getSourceFile(fileName);
    const rel = this.paths.relative(fileName);
    if (!sf) throw new Unresolved(`definition in ${fileName}, which the program did not load`);
    const at = (node: ts.Node, inRepo: boolean): ResolvedLocation => {
      const p = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      return { file: inRepo && rel !== null ? rel : fileName, line: p.line + 1, column: p.character, inRepo };
    };
    const nameNode = findNameNode(sf, start);
    if (rel === null) {
      // Outside the repository (lib.d.ts, node_modules): where it is, not what it is, is all the caller needs.
      const p = sf.getLineAndCharacterOfPosition(start);
      return [{ file: fileName, line: p.line + 1, column: p.character, inRepo: false }];
    }
    if (!nameNode) throw new Unresolved(`no declaration name at ${rel} offset ${start}`);
    const decl = nameNode.parent;
    if (ts.isConstructorDeclaration(decl)) {
      // `new Foo()` lands on Foo's constructor; the dependency is the class.
      const cls = decl.parent;
      if ((ts.isClassDeclaration(cls) || ts.isClassExpression(cls)) && cls.name) return [at(cls.name, true)];
      throw new Unresolved(`constructor of an anonymous class at ${rel}`);
    }
    const line = (): number => sf.getLineAndCharacterOfPosition(start).line + 1;
    if ((ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && !decl.body) {
      const modifiers = ts.canHaveModifiers(decl) ? (ts.getModifiers(decl) ?? []) : [];
      if (modifiers.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword)) {
        throw new Ambiguous("abstract-method", `\`${nameNode.getText(sf)}\` resolves to an abstract method (${rel}:${line()}); the override that runs is not known`);
      }
      const impl = overloadImplementation(decl);
      if (!impl?.name) throw new Ambiguous("overload-without-implementation", `\`${nameNode.getText(sf)}\` resolves to an overload signature without an implementation (${rel}:${line()})`);
      return [at(impl.name, true)];
    }
    if (ts.isMethodSignature(decl) || ts.isPropertySignature(decl) || ts.isCallSignatureDeclaration(decl)) {
      throw new Ambiguous("interface-member", `\`${nameNode.getText(sf)}\` resolves to an interface or type member (${rel}:${line()}); the implementation that runs is not known`);
    }
    if (ts.isImportSpecifier(decl) || ts.isImportClause(decl) || ts.isNamespaceImport(decl) || ts.isImportEqualsDeclaration(decl)) {
      throw new Unresolved(`\`${nameNode.getText(sf)}\` is an import the language service cannot follow (${rel}:${line()})`);
    }
    if (
      ts.isFunctionDeclaration(decl) ||
      ts.isMethodDeclaration(decl) ||
      ts.isClassDeclaration(decl) ||
      ts.isClassExpression(decl) ||
      ts.isFunctionExpression(decl) ||
      ts.isGetAccessorDeclaration(decl) ||
      ts.isSetAccessorDeclaration(decl)
    ) {
      return [at(nameNode, true)];
    }
    // `const f = () => ...`, `handler = function () {}` in a class, `{ run: () => ... }` in an object literal.
    const initializer =
      ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl)
        ? decl.initializer
        : ts.isShorthandPropertyAssignment(decl)
          ? decl.name
          : undefined;
    if (initializer) {
      const value = skipWrappers(initializer);
      if (ts.isArrowFunction(value) || ts.isFunctionExpression(value) || ts.isClassExpression(value)) return [at(nameNode, true)];
      const aliased = ts.isIdentifier(value) ? value : ts.isPropertyAccessExpression(value) ? value.name : undefined;
      if (aliased) {
        if (depth >= this.maxAliasDepth) throw new Unresolved(`alias chain through \`${nameNode.getText(sf)}\` (${rel}) is too long`);
        const next = (this.service.getDefinitionAtPosition(fileName, aliased.getStart(sf)) ?? []).filter(
          (d) => !(d.fileName === fileName && d.textSpan.start === start),
        );
        if (next.length === 0) throw new Unresolved(`\`${nameNode.getText(sf)}\` is assigned \`${value.getText(sf)}\` (${rel}), which cannot be resolved`);
        return next.flatMap((d) => this.mapDefinition(program, d.fileName, d.textSpan.start, depth + 1));
      }
    }
    // A parameter, a variable or property holding a computed value: the function that runs is whatever value it
    // holds, which its type (any, a function type) does not name.
    const type = program.getTypeChecker().getTypeAtLocation(nameNode);
    const anyLike = (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
    throw new Ambiguous(
      anyLike ? "any-typed-variable" : "callable-typed-variable",
      `\`${nameNode.getText(sf)}\` resolves to ${rel}:${line()} (a ${ts.SyntaxKind[decl.kind]}, type \`${program.getTypeChecker().typeToString(type).slice(0, 80)}\`), which is not a function or class definition`,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    this.service.dispose();
    this.snapshots.clear();
  }
}

// The identifier (or `super` / `this` keyword) starting at `pos`, if any.
function identifierAt(text: string, pos: number): string | null {
  const m = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/u.exec(text.slice(pos, pos + 256));
  return m ? m[0] : null;
}

// The name-like node whose start is `pos` (definition spans start at the declaration's name).
function findNameNode(sf: ts.SourceFile, pos: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found || pos < node.getFullStart() || pos >= node.getEnd()) return;
    if (
      node.getStart(sf) === pos &&
      (ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isStringLiteral(node) || ts.isNumericLiteral(node) || node.kind === ts.SyntaxKind.ConstructorKeyword)
    ) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
    if (!found && ts.isConstructorDeclaration(node)) {
      // The `constructor` keyword is a token, not a child node: the language service points at it.
      const kw = node.getChildren(sf).find((c) => c.kind === ts.SyntaxKind.ConstructorKeyword);
      if (kw && kw.getStart(sf) === pos) found = kw;
    }
  };
  visit(sf);
  return found;
}

// The implementation of an overload signature: the declaration of the same name in the same container that has a
// body (TypeScript requires it to follow the signatures).
function overloadImplementation(decl: ts.FunctionDeclaration | ts.MethodDeclaration): ts.FunctionDeclaration | ts.MethodDeclaration | undefined {
  const name = decl.name?.getText();
  if (!name) return undefined;
  const parent = decl.parent;
  const siblings: readonly ts.Node[] = ts.isClassLike(parent)
    ? parent.members
    : ts.isObjectLiteralExpression(parent)
      ? parent.properties
      : ts.isSourceFile(parent) || ts.isModuleBlock(parent) || ts.isBlock(parent)
        ? parent.statements
        : [];
  for (const s of siblings) {
    if ((ts.isFunctionDeclaration(s) || ts.isMethodDeclaration(s)) && s.body && s.name?.getText() === name) return s;
  }
  return undefined;
}

function skipWrappers(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}
