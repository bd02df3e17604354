// TypeScript / JavaScript call resolution with the TypeScript language service, in process: one LanguageService
// over a host that reads the repository's files from disk (they never change while a resolver lives, so every
// script has version "1" and the program is built once). getDefinitionAtPosition at the callee name already goes
// through imports and re-exports to the original declaration; this module adds what an editor leaves to the user:
// `new Foo()` / constructors reported as the class, `const f = g` followed to `g`, and answers that are not
// definitions (parameters, call results) refused as ambiguous.
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
//   call it external when the module is not the repository's; any other answer inside the repository that names no
//   definition (a function value bound to no name, a signature type such as `new (def) => T`, an alias of a value
//   the service cannot name such as `(this as any).constructor`) is ambiguous, never unresolved, because the
//   caller's name rules would then call it external;
// - the service answers a call of a class property holding an arrow function (`static create = () => ...`) with
//   the function itself: the property is the definition; `new Sub()` where Sub inherits its constructor is answered
//   with Sub and the ancestor's constructor: Sub is the callee;
// - `f.call(thisArg, ...)` and `f.apply(thisArg, args)` run `f`: the receiver is resolved as the callee
//   (`f.bind(...)` runs nothing and stays lib's); `obj.prop(...)` where `prop` is an accessor calls whatever the
//   getter returns: ambiguous;
// - JavaScript's assignment definitions (`Foo.prototype.m = function m() {}`, `exports.f = function () {}`) are
//   named by the assigned property, as the index names them, not by the function expression's own name;
// - a request at a string literal that keys an element access (`this["~validate"](x)`) is resolved like `this.m(x)`;
// - `recv.name(...)` that the service cannot answer (an untyped receiver, as in most CommonJS code) is ambiguous when
//   the repository stores one of its functions in a property `name` (`{ resolve: resolveYamlBinary }`,
//   `A.prototype.name = function`), lib's when `recv` is always a primitive (`(x + 1).toString()`), and
//   `f.call(...)` / `f.apply(...)` there ask about `f`; otherwise it stays unresolved for the caller's name rules.

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
    return this.resolveAt(program, sf, req.file, ts.getPositionOfLineAndCharacter(sf, req.line - 1, req.column));
  }

  private resolveAt(program: ts.Program, sf: ts.SourceFile, file: string, pos: number): ResolvedLocation[] {
    const fileName = sf.fileName;
    // An element access with a string literal (`this["~validate"](x)`) names its member as statically as `this.m(x)`.
    const name = identifierAt(sf.text, pos) ?? stringKeyAt(sf, pos);
    const where = (): string => `${file}:${sf.getLineAndCharacterOfPosition(pos).line + 1}`;
    if (!name) throw new Unresolved(`no identifier at ${where()}`);
    const answers = this.service.getDefinitionAtPosition(fileName, pos) ?? [];
    // `f.call(thisArg, ...)` / `f.apply(thisArg, args)` run `f` now (`Base.call(this, opts)` in a JS constructor):
    // the callee is the receiver, resolved as if it were called. (`f.bind(...)` runs nothing: lib, external.)
    if ((name === "call" || name === "apply") && answers.length > 0 && answers.every((d) => this.paths.relative(d.fileName) === null && FUNCTION_PROTOTYPE.test(d.containerName))) {
      const receiver = receiverNamePosition(sf, pos);
      if (receiver === undefined) throw new Ambiguous("computed-callee", `\`.${name}(...)\` on a computed function value at ${where()}`);
      return this.resolveAt(program, sf, file, receiver);
    }
    if (answers.length === 0) {
      const access = accessAt(sf, pos);
      if (access) {
        // `f.call(...)` where the service cannot type `f` (`state.replacer.call(obj, k, v)` on an unannotated
        // parameter): `f` is still what runs, so it is asked about in turn.
        const receiver = name === "call" || name === "apply" ? receiverNamePosition(sf, pos) : undefined;
        if (receiver !== undefined) return this.resolveAt(program, sf, file, receiver);
        // `(mark.line + 1).toString()`: TypeScript types `any + 1` as any, but an arithmetic or string operation always
        // yields a primitive, whose methods are lib's.
        if (alwaysPrimitive(access.expression)) {
          return [{ file: ts.getDefaultLibFilePath(program.getCompilerOptions()), line: 1, column: 0, inRepo: false }];
        }
      }
      // `recv.name(...)` on a receiver the service cannot type (an unannotated JavaScript parameter): any function the
      // repository stores in a property `name` may run (`type.resolve(data)` with `{ resolve: resolveYamlBinary }`
      // in every type definition), whatever the stored function itself is named.
      const stored = access ? this.storedFunctionProperties(program).get(name) : undefined;
      if (stored) {
        throw new Ambiguous(
          "stored-function-property",
          `\`.${name}(...)\` at ${where()} is called on a receiver of unknown type, and the repository stores a function in a property \`${name}\` (${stored})`,
        );
      }
      throw new Unresolved(`the TypeScript language service found no definition for \`${name}\``);
    }
    // `new Sub()` where Sub inherits its constructor: the service answers with the class Sub and the constructor of
    // the base class that declares it. The call names Sub (and `super()` the direct superclass), so the inherited
    // constructor is not a second candidate.
    const namesClass = answers.some((d) => d.kind === ts.ScriptElementKind.classElement || d.kind === ts.ScriptElementKind.localClassElement);
    const defs = namesClass ? answers.filter((d) => d.kind !== ts.ScriptElementKind.constructorImplementationElement) : answers;
    const targets = new Map<string, ResolvedLocation>();
    for (const def of defs) {
      for (const t of this.mapDefinition(program, def.fileName, def.textSpan, 0)) targets.set(`${t.file}:${t.line}:${t.column}`, t);
    }
    return [...targets.values()];
  }

  // One definition answer -> dependency targets. In-repo answers are checked on the syntax tree: functions,
  // methods, classes and variables initialised with a function or class are definitions; `const a = b` is followed;
  // anything else means the language service does not know what runs.
  private mapDefinition(program: ts.Program, fileName: string, span: ts.TextSpan, depth: number): ResolvedLocation[] {
    const start = span.start;
    const sf = program.getSourceFile(fileName);
    const rel = this.paths.relative(fileName);
    if (!sf) throw new Unresolved(`definition in ${fileName}, which the program did not load`);
    const at = (node: ts.Node, inRepo: boolean): ResolvedLocation => {
      const p = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      return { file: inRepo && rel !== null ? rel : fileName, line: p.line + 1, column: p.character, inRepo };
    };
    if (rel === null) {
      // Outside the repository (lib.d.ts, node_modules): where it is, not what it is, is all the caller needs.
      const p = sf.getLineAndCharacterOfPosition(start);
      return [{ file: fileName, line: p.line + 1, column: p.character, inRepo: false }];
    }
    const line = (): number => sf.getLineAndCharacterOfPosition(start).line + 1;
    const nameNode = boundFunctionName(sf, span) ?? findNameNode(sf, start);
    // An answer inside the repository is never "unresolved" (which the dependency rule may take for external): a
    // function value bound to no name (a parameter's default, an argument) or a signature type (`new (def) => T`,
    // `{ new (...): E }`) names no definition, so what runs is not known.
    if (!nameNode) {
      const node = nodeStartingAt(sf, start);
      throw new Ambiguous("not-a-definition", `the call resolves to ${node ? `a ${ts.SyntaxKind[node.kind]}` : "a position"} at ${rel}:${line()}, which is no named definition`);
    }
    const decl = nameNode.parent;
    if (ts.isConstructorDeclaration(decl)) {
      // `new Foo()` lands on Foo's constructor; the dependency is the class (`const Foo = class { constructor() {} }`
      // included: the holder's name).
      const cls = decl.parent;
      const clsName = ts.isClassDeclaration(cls) || ts.isClassExpression(cls) ? (cls.name ?? boundFunctionName(sf, { start: cls.getStart(sf), length: cls.getEnd() - cls.getStart(sf) })) : undefined;
      if (clsName) return [at(clsName, true)];
      throw new Ambiguous("not-a-definition", `the call resolves to the constructor of an anonymous class at ${rel}:${line()}`);
    }
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
    if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) || ts.isClassDeclaration(decl)) return [at(nameNode, true)];
    // `Route.prototype.dispatch = function dispatch() {}`: the service names the function expression's own name; the
    // definition is what holds it (the index's name), else the expression's own name.
    if (ts.isFunctionExpression(decl) || ts.isClassExpression(decl)) return [at(holderName(decl) ?? nameNode, true)];
    // `obj.prop(...)` where `prop` is an accessor calls the value the getter returns, which it does not name.
    if (ts.isGetAccessorDeclaration(decl) || ts.isSetAccessorDeclaration(decl)) {
      throw new Ambiguous("accessor-value", `\`${nameNode.getText(sf)}\` resolves to an accessor (${rel}:${line()}); the call runs the function its getter returns`);
    }
    // `const f = () => ...`, `handler = function () {}` in a class, `{ run: () => ... }` in an object literal, and
    // JavaScript's assignments `Foo.prototype.m = function () {}` / `exports.f = function () {}` / `exports.g = f`.
    const initializer =
      ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl)
        ? decl.initializer
        : ts.isShorthandPropertyAssignment(decl)
          ? decl.name
          : ts.isPropertyAccessExpression(decl) && isAssignmentTo(decl)
            ? (decl.parent as ts.BinaryExpression).right
            : undefined;
    if (initializer) {
      const value = skipWrappers(initializer);
      if (ts.isArrowFunction(value) || ts.isFunctionExpression(value) || ts.isClassExpression(value)) return [at(nameNode, true)];
      const aliased = ts.isIdentifier(value) ? value : ts.isPropertyAccessExpression(value) ? value.name : undefined;
      if (aliased) {
        if (depth >= this.maxAliasDepth) {
          throw new Ambiguous("alias-chain", `alias chain through \`${nameNode.getText(sf)}\` (${rel}:${line()}) is longer than ${this.maxAliasDepth} steps`);
        }
        const next = (this.service.getDefinitionAtPosition(fileName, aliased.getStart(sf)) ?? []).filter(
          (d) => !(d.fileName === fileName && d.textSpan.start === start),
        );
        if (next.length === 0) {
          const what = `\`${nameNode.getText(sf)}\` is assigned \`${value.getText(sf).slice(0, 80)}\` (${rel}:${line()})`;
          // Through a name imported from a module the service cannot load (not installed): outside the repository.
          if (this.rootIsUnloadedImport(fileName, value)) throw new Unresolved(`${what}, which comes from a module that cannot be loaded`);
          // Otherwise the value is computed (`(this as any).constructor`, an `any` property): no definition is named.
          throw new Ambiguous("any-typed-variable", `${what}, a value the language service cannot name`);
        }
        return next.flatMap((d) => this.mapDefinition(program, d.fileName, d.textSpan, depth + 1));
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

  // Property names under which the repository stores one of its functions, each with one place that does: object
  // literal entries (`resolve: resolveYamlBinary`, `{ construct }`, `lowercase: function () {}`), assignments
  // (`Foo.prototype.m = ...`, `this.resolve = options.resolve || function () {}`) and class fields, whose value
  // may be a function of the repository (a function or class written there, or a name the checker follows to a
  // repository function or class). Exports (`module.exports.f = f`, `exports.f = f`) are not included: they are
  // reached through the module, which the checker types. Built once per resolver.
  private storedProperties: Map<string, string> | undefined;
  private storedFunctionProperties(program: ts.Program): Map<string, string> {
    if (this.storedProperties) return this.storedProperties;
    const found = new Map<string, string>();
    const checker = program.getTypeChecker();
    for (const sf of program.getSourceFiles()) {
      const rel = this.paths.relative(sf.fileName);
      if (rel === null) continue;
      const record = (nameNode: ts.Node, value: ts.Expression | undefined): void => {
        const key = ts.isIdentifier(nameNode) || ts.isPrivateIdentifier(nameNode) || ts.isStringLiteralLike(nameNode) ? nameNode.text : undefined;
        if (key === undefined || found.has(key) || value === undefined || !this.mayHoldRepoFunction(checker, value)) return;
        found.set(key, `${rel}:${sf.getLineAndCharacterOfPosition(nameNode.getStart(sf)).line + 1}`);
      };
      const visit = (node: ts.Node): void => {
        if (ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node)) record(node.name, node.initializer);
        else if (ts.isShorthandPropertyAssignment(node)) record(node.name, node.name);
        else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && !isExportTarget(node.left)) {
          record(node.left.name, node.right);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    this.storedProperties = found;
    return found;
  }

  // True when the value of `expr` may be a function or class of the repository: one written in place, or a name
  // whose declaration is one; for `a || b`, `a ?? b`, `c ? a : b` either side.
  private mayHoldRepoFunction(checker: ts.TypeChecker, expr: ts.Expression): boolean {
    const e = skipWrappers(expr);
    if (ts.isFunctionExpression(e) || ts.isArrowFunction(e) || ts.isClassExpression(e)) return true;
    if (ts.isConditionalExpression(e)) return this.mayHoldRepoFunction(checker, e.whenTrue) || this.mayHoldRepoFunction(checker, e.whenFalse);
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.AmpersandAmpersandToken) {
        return this.mayHoldRepoFunction(checker, e.left) || this.mayHoldRepoFunction(checker, e.right);
      }
      return false;
    }
    const nameNode = ts.isIdentifier(e) ? e : ts.isPropertyAccessExpression(e) ? e.name : undefined;
    if (!nameNode) return false;
    // In `{ construct }` the name is the property; the value is the variable of that name in scope.
    const shorthand = ts.isShorthandPropertyAssignment(nameNode.parent) && nameNode.parent.name === nameNode;
    let symbol = shorthand ? checker.getShorthandAssignmentValueSymbol(nameNode.parent) : checker.getSymbolAtLocation(nameNode);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return (symbol?.declarations ?? []).some((d) => {
      if (this.paths.relative(d.getSourceFile().fileName) === null) return false;
      if (ts.isFunctionDeclaration(d) || ts.isClassDeclaration(d) || ts.isMethodDeclaration(d) || ts.isFunctionExpression(d) || ts.isArrowFunction(d)) return true;
      const init = ts.isVariableDeclaration(d) || ts.isPropertyDeclaration(d) || ts.isPropertyAssignment(d) ? d.initializer : undefined;
      if (!init) return false;
      const v = skipWrappers(init);
      return ts.isFunctionExpression(v) || ts.isArrowFunction(v) || ts.isClassExpression(v);
    });
  }

  // True when the leftmost name of `expr` (`m` in `m.a.b`, `require("x")`) is bound by an import of a package (not a
  // relative path) that the program did not load, or is a global nothing declares: the value comes from outside the
  // repository. A relative import that does not load is the repository's own file: not outside.
  private rootIsUnloadedImport(fileName: string, expr: ts.Expression): boolean {
    let e = skipWrappers(expr);
    while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e)) {
      if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "require") {
        const spec = e.arguments[0];
        return spec !== undefined && ts.isStringLiteralLike(spec) && isPackageSpecifier(spec.text);
      }
      e = skipWrappers(e.expression);
    }
    if (!ts.isIdentifier(e)) return false;
    const defs = this.service.getDefinitionAtPosition(fileName, e.getStart()) ?? [];
    if (defs.length === 0) return true;
    const program = this.service.getProgram();
    return defs.every((d) => {
      const sf = program?.getSourceFile(d.fileName);
      const decl = sf ? findNameNode(sf, d.textSpan.start)?.parent : undefined;
      const spec = decl ? importSpecifierText(decl) : undefined;
      return spec !== undefined && isPackageSpecifier(spec);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.service.dispose();
    this.snapshots.clear();
  }
}

// The module an import binding comes from (`"pkg"` for `import { a } from "pkg"`, `import * as m from "pkg"`,
// `import m from "pkg"`, `import m = require("pkg")`), or undefined when `decl` is not an import binding.
function importSpecifierText(decl: ts.Node): string | undefined {
  let node: ts.Node | undefined = decl;
  if (ts.isImportSpecifier(node)) node = node.parent.parent; // NamedImports -> ImportClause
  if (ts.isNamespaceImport(node)) node = node.parent; // -> ImportClause
  if (ts.isImportClause(node)) node = node.parent; // -> ImportDeclaration
  if (ts.isImportDeclaration(node)) return ts.isStringLiteralLike(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
    const e = node.moduleReference.expression;
    return ts.isStringLiteralLike(e) ? e.text : undefined;
  }
  return undefined;
}

// `module.exports`, `module.exports.f`, `exports.f`: an assignment there exports a value, it stores nothing in an object
// a call could reach through an unknown receiver.
function isExportTarget(access: ts.PropertyAccessExpression): boolean {
  const e = access.expression;
  if (ts.isIdentifier(e)) return e.text === "exports" || (e.text === "module" && access.name.text === "exports");
  return ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "module" && e.name.text === "exports";
}

// The access whose property is the name at `pos` (`recv.name`, `recv?.name`, `recv["name"]`), if any.
function accessAt(sf: ts.SourceFile, pos: number): ts.PropertyAccessExpression | ts.ElementAccessExpression | undefined {
  let found: ts.PropertyAccessExpression | ts.ElementAccessExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || pos < node.getFullStart() || pos >= node.getEnd()) return;
    if (ts.isPropertyAccessExpression(node) && node.name.getStart(sf) === pos) found = node;
    else if (ts.isElementAccessExpression(node) && node.argumentExpression.getStart(sf) === pos && ts.isStringLiteralLike(node.argumentExpression)) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

// Operators whose result is always a primitive (a number, bigint, string or boolean), whatever the operands are.
const PRIMITIVE_BINARY = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.AsteriskAsteriskToken, ts.SyntaxKind.LessThanLessThanToken, ts.SyntaxKind.GreaterThanGreaterThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken, ts.SyntaxKind.AmpersandToken, ts.SyntaxKind.BarToken, ts.SyntaxKind.CaretToken,
  ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.InstanceOfKeyword, ts.SyntaxKind.InKeyword,
]);

// True when `expr` always evaluates to a primitive: a literal, an untagged template, `typeof x`, a unary or binary
// arithmetic, bitwise, comparison or concatenation (`x + 1` is a string or a number even when x is an object).
function alwaysPrimitive(expr: ts.Expression): boolean {
  const e = skipWrappers(expr);
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || ts.isBigIntLiteral(e) || ts.isTemplateExpression(e) || ts.isTypeOfExpression(e)) return true;
  if (ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) return true;
  return ts.isBinaryExpression(e) && PRIMITIVE_BINARY.has(e.operatorToken.kind);
}

// A bare module name (`pkg`, `@scope/pkg/sub`, `node:fs`), not a path into the repository.
function isPackageSpecifier(spec: string): boolean {
  return !spec.startsWith(".") && !spec.startsWith("/");
}

// lib.d.ts's declarations of `Function.prototype.call` / `apply` (strictBindCallApply moves them to Callable/Newable).
const FUNCTION_PROTOTYPE = /^(?:Callable|Newable)?Function$/;

// For `recv.call` with `call` at `pos`: where the name of `recv` starts (`f` in `f.call`, `m` in `this.m.call`), or
// undefined when the receiver is not a name (`(a || b).call`, `make().call`).
function receiverNamePosition(sf: ts.SourceFile, pos: number): number | undefined {
  let access: ts.PropertyAccessExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (access || pos < node.getFullStart() || pos >= node.getEnd()) return;
    if (ts.isPropertyAccessExpression(node) && node.name.getStart(sf) === pos) {
      access = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (!access) return undefined;
  const recv = access.expression;
  if (ts.isIdentifier(recv)) return recv.getStart(sf);
  if (ts.isPropertyAccessExpression(recv)) return recv.name.getStart(sf);
  return undefined;
}

// The text of the string literal starting at `pos` when it is the key of an element access (`obj["key"]`).
function stringKeyAt(sf: ts.SourceFile, pos: number): string | null {
  if (sf.text[pos] !== '"' && sf.text[pos] !== "'" && sf.text[pos] !== "`") return null;
  let key: string | null = null;
  const visit = (node: ts.Node): void => {
    if (key !== null || pos < node.getFullStart() || pos >= node.getEnd()) return;
    if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.getStart(sf) === pos) {
      key = node.argumentExpression.text;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return key;
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

// The name a function or class expression spanning exactly `span` is bound to. The language service answers a call of
// `static create = () => ...` or `addIssue = (x) => ...` (class properties) with the arrow function itself, which has
// no name of its own; the property (or variable, or object-literal key) holding it is the definition. The whole span
// must match: `x => x()` starts with its parameter's name, which is the answer for the call `x()`.
function boundFunctionName(sf: ts.SourceFile, span: ts.TextSpan): ts.Node | undefined {
  const pos = span.start;
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found || pos < node.getFullStart() || pos >= node.getEnd()) return;
    if (
      node.getStart(sf) === pos &&
      node.getEnd() === pos + span.length &&
      (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isClassExpression(node))
    ) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found ? holderName(found) : undefined;
}

// The name that holds a function or class expression: the variable, property, object-literal key or parameter it
// initialises (a parameter's default, `mapper = (issue) => issue.message`, names the parameter, which the caller
// may replace), or the target of an assignment (`Foo.prototype.m = function () {}` names `m`).
function holderName(expr: ts.Node): ts.Node | undefined {
  let holder: ts.Node = expr.parent;
  while (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder) || ts.isSatisfiesExpression(holder) || ts.isNonNullExpression(holder) || ts.isTypeAssertionExpression(holder)) {
    holder = holder.parent;
  }
  if ((ts.isPropertyDeclaration(holder) || ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isParameter(holder)) && holder.initializer && skipWrappers(holder.initializer) === expr) {
    return ts.isIdentifier(holder.name) || ts.isPrivateIdentifier(holder.name) || ts.isStringLiteral(holder.name) ? holder.name : undefined;
  }
  if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && skipWrappers(holder.right) === expr) {
    if (ts.isIdentifier(holder.left)) return holder.left;
    if (ts.isPropertyAccessExpression(holder.left)) return holder.left.name;
  }
  return undefined;
}

// `a.b` is the target of a plain assignment `a.b = ...`.
function isAssignmentTo(access: ts.PropertyAccessExpression): boolean {
  const parent = access.parent;
  return ts.isBinaryExpression(parent) && parent.left === access && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

// The outermost node that starts at `pos` (for messages).
function nodeStartingAt(sf: ts.SourceFile, pos: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found || pos < node.getFullStart() || pos >= node.getEnd()) return;
    if (node.getStart(sf) === pos && node !== sf) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
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
