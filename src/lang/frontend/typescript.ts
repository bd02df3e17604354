// The TypeScript/JavaScript front end of the verifiers: the TypeScript compiler's own parser decides whether a
// file parses and whether two versions differ only in comments. tree-sitter, which the index uses, accepts
// TypeScript the compiler rejects and cannot see that a multi-line comment after `return` inserts a semicolon,
// so "only comments changed" is judged here, on the compiler's syntax tree.
//
// What "equal" means: the concrete syntax without trivia is the same. Both trees are walked with getChildren(),
// which yields every token the parser consumed (keywords, punctuation, identifiers, literals) in order, so
// optional slots (`for (;x;)` vs `for (x;;)`), semicolons and parentheses all count; comments, whitespace and
// JSDoc nodes (which getChildren also returns) do not. Literals compare by their cooked value, as the language
// reads them (a template literal with CRLF line ends equals the same with LF; "\x41" equals "A"), numbers by
// their written text. Parser flags that carry syntax (let/const/using, namespace forms, optional chains) are
// compared too. Positions never count.
//
// The `typescript` package is large: it is loaded on first use only.

import type TS from "typescript";
import { LINE_BREAK, onlyTriviaChanged } from "./typescript-trivia-edit.js";
import { TextLru } from "../../util/text-lru.js";

type TsModule = typeof TS;
let tsPromise: Promise<TsModule> | null = null;

export function loadTypeScript(): Promise<TsModule> {
  tsPromise ??= import("typescript").then((m) => m.default);
  return tsPromise;
}

export interface FrontendSyntaxError {
  line: number; // 1-based
  message: string;
}

export type FrontendCompare =
  | { kind: "equal" }
  | { kind: "different"; line: number; reason: string }
  | { kind: "start-error"; error: FrontendSyntaxError } // the starting text does not parse
  | { kind: "parse-error"; error: FrontendSyntaxError }; // the final text does not parse

// The script kind the compiler uses for a path (it parses JSX only in .tsx/.jsx, types only in TS files).
export function scriptKindFor(ts: TsModule, path: string): TS.ScriptKind {
  const lower = path.toLowerCase();
  if (lower.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (lower.endsWith(".jsx")) return ts.ScriptKind.JSX;
  if (lower.endsWith(".ts") || lower.endsWith(".mts") || lower.endsWith(".cts")) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS; // .js .mjs .cjs
}

// The compiler's parse of a file as the verifiers judge it. JSDoc comments are not parsed into nodes: the parser
// only attaches them to the node that follows (and restores its diagnostics afterwards), so the tree, its parse
// diagnostics and the JavaScript-only syntax pass are the same with or without them, and the comparison skips
// JSDoc nodes anyway. Skipping them saves about a third of the parse on well-documented code (openai-node's src).
export function compilerParse(ts: TsModule, path: string, text: string, setParentNodes = false): TS.SourceFile {
  return ts.createSourceFile(path, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, setParentNodes, scriptKindFor(ts, path));
}

function parse(ts: TsModule, path: string, text: string): TS.SourceFile {
  return compilerParse(ts, path, text);
}

// Diagnostics of the parse. For JavaScript files the compiler reports TypeScript-only syntax (type annotations,
// `interface`, `enum`...) as syntactic errors in a second pass that only a Program runs; a one-file program
// without libraries or resolution asks it.
function syntaxErrors(ts: TsModule, sf: TS.SourceFile, parseOnly = false): readonly TS.Diagnostic[] {
  const parseDiagnostics = (sf as unknown as { parseDiagnostics?: TS.Diagnostic[] }).parseDiagnostics ?? [];
  if (parseDiagnostics.length > 0 || parseOnly) return parseDiagnostics;
  const kind = (sf as unknown as { scriptKind?: TS.ScriptKind }).scriptKind;
  if (kind !== ts.ScriptKind.JS && kind !== ts.ScriptKind.JSX) return parseDiagnostics;
  const options: TS.CompilerOptions = { allowJs: true, noLib: true, noResolve: true, types: [], target: ts.ScriptTarget.Latest, jsx: ts.JsxEmit.Preserve };
  const host: TS.CompilerHost = {
    getSourceFile: (name) => (name === sf.fileName ? sf : undefined),
    getDefaultLibFileName: () => "lib.d.ts",
    writeFile: () => undefined,
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (name) => name === sf.fileName,
    readFile: () => undefined,
  };
  const program = ts.createProgram({ rootNames: [sf.fileName], options, host });
  return program.getSyntacticDiagnostics(sf);
}

export function firstError(ts: TsModule, sf: TS.SourceFile, parseOnly = false): FrontendSyntaxError | null {
  const diags = syntaxErrors(ts, sf, parseOnly);
  const d = diags[0];
  if (!d) return parseOnly ? null : (arrowLineBreakError(ts, sf) ?? escapedMetaPropertyError(ts, sf));
  const line = d.start === undefined ? 1 : sf.getLineAndCharacterOfPosition(d.start).line + 1;
  return { line, message: `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}` };
}

// A line break between an arrow function's parameters and its `=>` (`(a) /*\n*/ => a`): the parser builds the
// same tree as without it and leaves the error to the type checker's grammar pass (TS1200), but it is a syntax
// error for JavaScript engines, so the verifiers report it as one. The one line-break rule the parser defers.
function hasLineBreakBeforeArrow(sf: TS.SourceFile, arrow: TS.ArrowFunction): boolean {
  const token = arrow.equalsGreaterThanToken;
  return LINE_BREAK.test(sf.text.slice(token.pos, token.getStart(sf)));
}

// The first node of the file, in source order, that `match` accepts (its descendants are not searched).
function firstNode<T extends TS.Node>(ts: TsModule, sf: TS.SourceFile, match: (n: TS.Node) => n is T): T | null {
  let found: T | null = null;
  const visit = (n: TS.Node): void => {
    if (found) return;
    if (match(n)) found = n;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

function arrowLineBreakError(ts: TsModule, sf: TS.SourceFile): FrontendSyntaxError | null {
  if (!sf.text.includes("=>")) return null;
  const found = firstNode(ts, sf, (n): n is TS.ArrowFunction => ts.isArrowFunction(n) && hasLineBreakBeforeArrow(sf, n));
  return found ? arrowError(sf, found) : null;
}

function arrowError(sf: TS.SourceFile, arrow: TS.ArrowFunction): FrontendSyntaxError {
  return { line: sf.getLineAndCharacterOfPosition(arrow.equalsGreaterThanToken.getStart(sf)).line + 1, message: "TS1200: Line terminator not permitted before arrow." };
}

// `new.target` and `import.meta` with a Unicode escape in either word (`new.t\u0061rget`): the parser reports an
// escaped keyword (TS1260) everywhere else, but here it builds the same MetaProperty and reports nothing, while
// ECMAScript forbids escapes in these words and engines refuse the file. Identifiers compare by their cooked
// text, so without this check the escaped form would be "equal" to the plain one.
function escapedMetaPropertyError(ts: TsModule, sf: TS.SourceFile): FrontendSyntaxError | null {
  if (!sf.text.includes("\\u")) return null; // an escaped name always holds \u
  const found = firstNode(ts, sf, (n): n is TS.MetaProperty => ts.isMetaProperty(n) && n.getText(sf).includes("\\"));
  if (!found) return null;
  const at = found.getStart(sf);
  return { line: sf.getLineAndCharacterOfPosition(at).line + 1, message: "TS1260: Keywords cannot contain escape characters (new.target / import.meta written with a Unicode escape)." };
}

// Does `text` parse as the file at `path`? null when it does.
export async function typescriptSyntaxError(path: string, text: string): Promise<FrontendSyntaxError | null> {
  const ts = await loadTypeScript();
  return firstError(ts, parse(ts, path, text));
}

// Parsed starting texts, by path and text, least recently used first: the validity gate checks ~7 patches against
// the same start, and an RL run or a re-score scores many answers of each of its instances in turn. The budget
// is in characters of source (a parsed tree takes roughly 10-20 bytes per character), so a few large files do
// not crowd out many small ones and memory stays bounded.
const startCache = new TextLru<{ sf: TS.SourceFile; error: FrontendSyntaxError | null }>(4_000_000);

function parsedStart(ts: TsModule, path: string, text: string): { sf: TS.SourceFile; error: FrontendSyntaxError | null } {
  const key = `${path}\0${text.length}`;
  const hit = startCache.get(key, text);
  if (hit) return hit;
  const sf = parse(ts, path, text);
  const entry = { sf, error: firstError(ts, sf) };
  startCache.set(key, text, entry);
  return entry;
}

export async function compareTypeScript(path: string, before: string, after: string): Promise<FrontendCompare> {
  return compareParsed(path, before, after, true);
}

// The same verdict with the final text always parsed in full (no trivia shortcut): the reference the shortcut is
// tested against.
export async function compareTypeScriptByFullParse(path: string, before: string, after: string): Promise<FrontendCompare> {
  return compareParsed(path, before, after, false);
}

async function compareParsed(path: string, before: string, after: string, shortcut: boolean): Promise<FrontendCompare> {
  const ts = await loadTypeScript();
  const start = parsedStart(ts, path, before);
  if (start.error) return { kind: "start-error", error: start.error };
  if (before === after) return { kind: "equal" };
  if (shortcut && onlyTriviaChanged(ts, start.sf, before, after)) return { kind: "equal" };
  const sf = parse(ts, path, after);
  const parseError = firstError(ts, sf, true);
  if (parseError) return { kind: "parse-error", error: parseError };
  const result = new SyntaxCompare(ts, start.sf, sf).run();
  if (result.kind === "equal") {
    // Same tree as a start without errors: the JavaScript-only pass agrees. What the tree does not hold is checked
    // apart: white space the compiler accepts and engines reject, and pragmas the compiler reads from comments.
    return (
      foreignWhitespace(ts, sf) ??
      escapedMetaProperty(ts, sf) ??
      htmlOpenCommentAdded(ts, path, start.sf, sf) ??
      pragmaChange(start.sf, sf) ??
      jsxPragmaCommentChange(ts, start.sf, sf) ??
      shebangChange(start.sf, sf) ??
      result
    );
  }
  const error = firstError(ts, sf);
  return error ? { kind: "parse-error", error } : result;
}

// Characters the TypeScript scanner skips as white space that ECMAScript does not: U+0085 (NEXT LINE) and U+200B
// (ZERO WIDTH SPACE, a format character, not a space separator). The compiler's tree is unchanged by one placed
// between two tokens, but V8 and every other engine stop at it ("Invalid or unexpected token"): the file no longer
// runs. Inside comments, strings, templates and JSX text they are harmless, so only the white space between tokens
// is looked at, and only when the text holds one of them at all.
const ENGINE_FOREIGN_SPACE = /[\u0085\u200b]/;

function foreignWhitespace(ts: TsModule, sf: TS.SourceFile): FrontendCompare | null {
  const text = sf.text;
  if (!ENGINE_FOREIGN_SPACE.test(text)) return null;
  const jsDocFirst = ts.SyntaxKind.FirstJSDocNode;
  const jsDocLast = ts.SyntaxKind.LastJSDocNode;
  const stack: TS.Node[] = [sf];
  while (stack.length > 0) {
    const n = stack.pop() as TS.Node;
    const kids = n.getChildren(sf).filter((c) => c.kind < jsDocFirst || c.kind > jsDocLast);
    if (kids.length > 0) {
      stack.push(...kids);
      continue;
    }
    if (n.kind === ts.SyntaxKind.JsxText) continue;
    const start = n.getStart(sf);
    if (start <= n.pos || !ENGINE_FOREIGN_SPACE.test(text.slice(n.pos, start))) continue;
    let at = n.pos;
    for (const c of ts.getLeadingCommentRanges(text, n.pos) ?? []) {
      const bad = text.slice(at, c.pos).search(ENGINE_FOREIGN_SPACE);
      if (bad >= 0) return foreignAt(sf, at + bad);
      at = c.end;
    }
    const bad = text.slice(at, start).search(ENGINE_FOREIGN_SPACE);
    if (bad >= 0) return foreignAt(sf, at + bad);
  }
  return null;
}

function foreignAt(sf: TS.SourceFile, offset: number): FrontendCompare {
  const line = sf.getLineAndCharacterOfPosition(offset).line + 1;
  const code = sf.text.charCodeAt(offset).toString(16).toUpperCase().padStart(4, "0");
  return { kind: "parse-error", error: { line, message: `U+${code} between two tokens: the TypeScript parser skips it as white space, JavaScript engines reject it` } };
}

function escapedMetaProperty(ts: TsModule, sf: TS.SourceFile): FrontendCompare | null {
  const error = escapedMetaPropertyError(ts, sf);
  return error ? { kind: "parse-error", error } : null;
}

// `<!--` written as three adjacent tokens (`a <!--b`, from `a < !--b`): the TypeScript parser reads `<`, `!` and
// `--` as in a module, but in a classic script (a CommonJS `.js`/`.cjs` file) ECMAScript's Annex B reads `<!--`
// as the start of a single-line comment, so deleting the white space between them hides the rest of the line.
// `.mjs` files are always modules and TypeScript files are compiled, so only JavaScript that may be a script is
// looked at; a file holding no more adjacent `<!--` than its start is left alone.
function htmlOpenCommentCount(ts: TsModule, sf: TS.SourceFile): number {
  const text = sf.text;
  let count = 0;
  for (let at = text.indexOf("<!--"); at >= 0; at = text.indexOf("<!--", at + 1)) {
    let node: TS.Node = sf;
    // The innermost node holding the position; a `<` token that starts there is code, anything else (a comment,
    // a string, template or JSX text) is not.
    for (;;) {
      const next: TS.Node | undefined = node.getChildren(sf).find((c) => c.getStart(sf) <= at && at < c.end);
      if (!next) break;
      node = next;
    }
    if (node.kind === ts.SyntaxKind.LessThanToken && node.getStart(sf) === at) count++;
  }
  return count;
}

function htmlOpenCommentAdded(ts: TsModule, path: string, a: TS.SourceFile, b: TS.SourceFile): FrontendCompare | null {
  if (!/\.(js|cjs|jsx)$/i.test(path) || !b.text.includes("<!--")) return null;
  const added = htmlOpenCommentCount(ts, b) - (a.text.includes("<!--") ? htmlOpenCommentCount(ts, a) : 0);
  if (added <= 0) return null;
  const at = b.text.indexOf("<!--");
  return {
    kind: "different",
    line: b.getLineAndCharacterOfPosition(at).line + 1,
    reason: "`<`, `!` and `--` written together as `<!--`: an HTML-like comment in a classic script (the rest of the line stops being code)",
  };
}

// Comments the compiler reads as instructions before the first token of a file: triple-slash directives
// (`/// <reference path|types|lib>`, `/// <amd-module>`) change which files make up the program, and the
// `@jsx`/`@jsxFrag`/`@jsxImportSource`/`@jsxRuntime` pragmas change the JavaScript emitted for JSX. Adding,
// removing or changing one is a change to the program, not a comment. `@ts-check`/`@ts-nocheck` (and the
// `@ts-ignore`/`@ts-expect-error` line directives, which are not pragmas) only change what the type checker
// reports, never the emitted code, so they stay comments, as lint directives do.
const TYPE_CHECK_ONLY_PRAGMAS = new Set(["ts-check", "ts-nocheck"]);

function pragmaKey(sf: TS.SourceFile): string {
  const pragmas = (sf as unknown as { pragmas?: Map<string, unknown> }).pragmas;
  if (!pragmas) return "";
  const out: [string, unknown][] = [];
  for (const [name, value] of pragmas) if (!TYPE_CHECK_ONLY_PRAGMAS.has(name)) out.push([name, value]);
  out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  // Positions (`pos`, `end`, `range`) differ when lines move; only names and argument values count.
  return JSON.stringify(out, (k, v: unknown) => (k === "pos" || k === "end" || k === "range" ? undefined : v));
}

function pragmaChange(a: TS.SourceFile, b: TS.SourceFile): FrontendCompare | null {
  if (pragmaKey(a) === pragmaKey(b)) return null;
  return { kind: "different", line: 1, reason: "a compiler directive comment (/// <reference>, @jsx pragma) was added, removed or changed" };
}

// Babel's JSX transform reads `@jsx`, `@jsxFrag`, `@jsxImportSource` and `@jsxRuntime` from EVERY comment of the
// file, not only the leading ones the TypeScript compiler reads (pragmaChange): in a JSX file, such a pragma added,
// removed or changed anywhere changes the code Babel emits.
const JSX_PRAGMA = /@jsx(?:Frag|ImportSource|Runtime)?\s+\S+/g;

function jsxPragmas(sf: TS.SourceFile): string {
  return (sf.text.match(JSX_PRAGMA) ?? []).sort().join("\n");
}

function jsxPragmaCommentChange(ts: TsModule, a: TS.SourceFile, b: TS.SourceFile): FrontendCompare | null {
  if (b.languageVariant !== ts.LanguageVariant.JSX || (!a.text.includes("@jsx") && !b.text.includes("@jsx"))) return null;
  if (jsxPragmas(a) === jsxPragmas(b)) return null;
  return { kind: "different", line: 1, reason: "a @jsx pragma comment was added, removed or changed (Babel reads them from every comment)" };
}

// The `#!` line is trivia for the parser but names the program that runs the file when it is executed; changing
// or removing it is no comment edit (adding one to a file without it is harmless: the file's mode decides).
const SHEBANG = /^#![^\n\r\u2028\u2029]*/;

function shebangChange(a: TS.SourceFile, b: TS.SourceFile): FrontendCompare | null {
  const old = SHEBANG.exec(a.text)?.[0];
  if (old === undefined || old === SHEBANG.exec(b.text)?.[0]) return null;
  return { kind: "different", line: 1, reason: "the #! line (the program that runs the file) was changed or removed" };
}

// SyntaxKind's reverse mapping names some kinds by their range markers (FirstStatement, LastToken...); messages
// use the proper name.
let kindNames: Map<number, string> | null = null;
function kindName(ts: TsModule, kind: number): string {
  if (!kindNames) {
    kindNames = new Map();
    for (const [name, value] of Object.entries(ts.SyntaxKind)) {
      if (typeof value !== "number") continue;
      if (!kindNames.has(value) || /^(First|Last)/.test(kindNames.get(value) as string)) kindNames.set(value, name);
    }
  }
  return kindNames.get(kind) ?? String(kind);
}

// The string a JSX text child stands for, by the rule the compiler's JSX emit applies: each line is trimmed of
// the white space next to its line breaks, lines left empty are dropped, the rest are joined by one space (the
// first line keeps its leading, the last its trailing white space). So `hello` followed by a `{/* comment */}` on
// the next line is still `hello`, as the emitted code says; entities are compared as written. Only CR/LF count as
// line breaks and only space/tab as white space here (the compiler also trims U+00A0 and breaks at U+2028, Babel
// does neither), so two texts are equal only when every JSX compiler reads them alike.
function jsxTextValue(text: string): string {
  let out: string | undefined;
  let first = 0;
  let last = -1;
  const add = (line: string): void => {
    out = out === undefined ? line : `${out} ${line}`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (first !== -1 && last !== -1) add(text.slice(first, last + 1));
      first = -1;
    } else if (c !== 32 && c !== 9) {
      last = i;
      if (first === -1) first = i;
    }
  }
  if (first !== -1) add(text.slice(first));
  return out ?? "";
}

function rawLines(raw: string): string {
  return raw.replace(/\r\n?/g, "\n");
}

class SyntaxCompare {
  private readonly flagMask: number;
  private readonly jsDocFirst: number;
  private readonly jsDocLast: number;

  constructor(
    private readonly ts: TsModule,
    private readonly a: TS.SourceFile,
    private readonly b: TS.SourceFile,
  ) {
    const F = ts.NodeFlags;
    this.flagMask = F.Let | F.Const | F.Using | F.AwaitUsing | F.NestedNamespace | F.Namespace | F.GlobalAugmentation | F.OptionalChain;
    this.jsDocFirst = ts.SyntaxKind.FirstJSDocNode;
    this.jsDocLast = ts.SyntaxKind.LastJSDocNode;
  }

  private children(n: TS.Node, sf: TS.SourceFile): TS.Node[] {
    const ts = this.ts;
    if (ts.isJsxElement(n)) return [n.openingElement, ...n.children.filter((c) => !this.isJsxTrivia(c)), n.closingElement];
    if (ts.isJsxFragment(n)) return [n.openingFragment, ...n.children.filter((c) => !this.isJsxTrivia(c)), n.closingFragment];
    return n.getChildren(sf).filter((c) => c.kind < this.jsDocFirst || c.kind > this.jsDocLast);
  }

  // JSX children the language drops: `{/* comment */}` (an expression container holding nothing) and text that is
  // only whitespace with a line break. A comment inside JSX can only be written the first way, and writing it
  // on its own line adds the second, so both are comments for the reward, as they are for the emitted code.
  private isJsxTrivia(c: TS.JsxChild): boolean {
    const ts = this.ts;
    if (ts.isJsxExpression(c)) return c.expression === undefined && c.dotDotDotToken === undefined;
    return ts.isJsxText(c) && c.containsOnlyTriviaWhiteSpaces;
  }

  private line(n: TS.Node, sf: TS.SourceFile): number {
    return sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  }

  // The value a token compares by, or null for nodes whose kind says everything.
  private value(n: TS.Node, sf: TS.SourceFile, inStatement = false): string | null {
    const K = this.ts.SyntaxKind;
    switch (n.kind) {
      case K.Identifier:
      case K.PrivateIdentifier:
        return (n as TS.Identifier).text;
      case K.JsxText:
        return jsxTextValue((n as TS.JsxText).text);
      case K.StringLiteral:
        // A string statement may be a directive, and a directive is recognised by its raw text: "use\x20strict"
        // has the value of "use strict" but is not the directive (the code stops being strict). Such strings
        // compare by raw text as well (line ends normalized, as a CRLF file must stay equal).
        if (inStatement) return `${(n as TS.StringLiteral).text}\0${rawLines(n.getText(sf))}`;
        return (n as TS.StringLiteral).text;
      case K.NoSubstitutionTemplateLiteral:
      case K.TemplateHead:
      case K.TemplateMiddle:
      case K.TemplateTail: {
        // A tagged template also receives the raw text (String.raw`\x41` is "\\x41", String.raw`A` is "A"); the
        // language normalizes CRLF and CR to LF in it, so the comparison does too.
        const t = n as TS.TemplateLiteralLikeNode;
        return `${t.text}\0${rawLines(t.rawText ?? "")}`;
      }
      case K.NumericLiteral:
      case K.BigIntLiteral:
      case K.RegularExpressionLiteral:
        return n.getText(sf);
      default:
        return null;
    }
  }

  private describe(n: TS.Node, sf: TS.SourceFile): string {
    const text = n.getText(sf).replace(/\s+/g, " ");
    return `${kindName(this.ts, n.kind)} (${text.length > 40 ? `${text.slice(0, 40)}…` : text})`;
  }

  run(): FrontendCompare {
    const { a, b } = this;
    const stack: [TS.Node, TS.Node, boolean][] = [[a, b, false]];
    while (stack.length > 0) {
      const [x, y, inStatement] = stack.pop() as [TS.Node, TS.Node, boolean];
      if (x.kind !== y.kind) {
        return { kind: "different", line: this.line(y, b), reason: `${this.describe(x, a)} became ${this.describe(y, b)}` };
      }
      if ((x.flags & this.flagMask) !== (y.flags & this.flagMask)) {
        return { kind: "different", line: this.line(y, b), reason: `${this.describe(y, b)}: declaration form changed` };
      }
      // The same source text in the same place of two trees that agree on every ancestor parses the same way (the
      // parser's decisions depend on the tokens and on the context the ancestors set), so only the path to the
      // edit is walked token by token.
      // (JSX text excepted: its start skips leading white space, which is part of its value.)
      if (x !== a && x.kind !== this.ts.SyntaxKind.JsxText && x.getText(a) === y.getText(b)) continue;
      if (this.ts.isArrowFunction(x) && this.ts.isArrowFunction(y) && hasLineBreakBeforeArrow(a, x) !== hasLineBreakBeforeArrow(b, y)) {
        if (hasLineBreakBeforeArrow(b, y)) return { kind: "parse-error", error: arrowError(b, y) };
        return { kind: "different", line: this.line(y, b), reason: `${this.describe(y, b)}: a line break before \`=>\` was removed` };
      }
      const vx = this.value(x, a, inStatement);
      if (vx !== null) {
        if (vx !== this.value(y, b, inStatement)) return { kind: "different", line: this.line(y, b), reason: `${this.describe(x, a)} became ${this.describe(y, b)}` };
        continue;
      }
      const cx = this.children(x, a);
      const cy = this.children(y, b);
      if (cx.length !== cy.length) {
        return { kind: "different", line: this.line(y, b), reason: `${this.describe(y, b)}: ${cy.length > cx.length ? "something was added" : "something was removed"}` };
      }
      const statement = this.ts.isExpressionStatement(x);
      for (let k = cx.length - 1; k >= 0; k--) stack.push([cx[k] as TS.Node, cy[k] as TS.Node, statement]);
    }
    return { kind: "equal" };
  }
}
