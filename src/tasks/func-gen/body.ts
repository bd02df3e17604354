// Where a function's body is, what it looks like, and how it is masked. The "body region" is the part the agent
// writes: in Python the statements after the docstring (the docstring stays), in TS/JS the text inside the
// braces (the /** */ docstring sits above the definition and stays). Masking replaces exactly that region with
// the language's placeholder; verification re-masks the final text the same way and compares syntax trees, so
// "only the body changed" is checked on trees, not lines.

import { languageProfile } from "../../lang/profile.js";
import { decodeJavaUnicodeEscapes } from "../../lang/java.js";
import type { Node } from "web-tree-sitter";
import type { Definition, LanguageId } from "../../lang/types.js";
import { withCachedTree } from "../../lang/parser.js";
import { adapterFor } from "../../lang/registry.js";
import { indentOfLine } from "../common/line-edits.js";

export interface BodyRegion {
  start: number; // string offsets into the file text
  end: number;
  replacement: string; // what the region becomes when masked
}

export function placeholderFor(language: LanguageId): string {
  return languageProfile(language).bodyPlaceholder;
}

// The body region of `def` in `text`, or a reason it has none we can mask.
export function bodyRegion(def: Definition, text: string, language: LanguageId): BodyRegion | { reason: string } {
  const body = def.bodySpan;
  if (!body) return { reason: "no-body" };
  const placeholder = placeholderFor(language);
  if (languageProfile(language).bodyStyle === "indent") {
    if (body.start.line <= def.signatureSpan.end.line) return { reason: "body-on-signature-line" };
    const firstLine = def.docstring ? def.docstring.span.start.line : body.start.line;
    const indent = indentOfLine(text, firstLine);
    const start = def.docstring ? def.docstring.span.endOffset : body.startOffset;
    if (!def.docstring) return { start, end: body.endOffset, replacement: `${placeholder}` };
    return { start, end: body.endOffset, replacement: `\n${indent}${placeholder}` };
  }
  if (text[body.startOffset] !== "{" || text[body.endOffset - 1] !== "}") return { reason: "expression-body" };
  if (body.start.line === body.end.line) return { reason: "one-line-body" };
  const outer = indentOfLine(text, body.end.line);
  const firstInner = text.slice(body.startOffset + 1, body.endOffset - 1).split("\n").find((l) => l.trim() !== "");
  const inner = firstInner ? (/^[ \t]*/.exec(firstInner)?.[0] ?? `${outer}  `) : `${outer}  `;
  return { start: body.startOffset + 1, end: body.endOffset - 1, replacement: `\n${inner}${placeholder}\n${outer}` };
}

export function maskText(text: string, region: BodyRegion): string {
  return text.slice(0, region.start) + region.replacement + text.slice(region.end);
}

// Lines of the region holding code (not blank, not only a comment).
export function codeLineCount(regionText: string, language: LanguageId): number {
  const marker = languageProfile(language).lineComment;
  return regionText.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith(marker)).length;
}

// The statements of the body region (comments and the docstring excluded), as syntax nodes under `root`.
function bodyStatements(root: Node, language: LanguageId, region: BodyRegion): Node[] {
  const adapter = adapterFor(language);
  const statements: Node[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.endIndex <= region.start || node.startIndex >= region.end) continue;
    const inside = node.startIndex >= region.start && node.endIndex <= region.end;
    // Go's block wraps its statements in a statement_list: the statements are its children.
    const parent = node.parent?.type === "statement_list" ? node.parent.parent : node.parent;
    const parentOutside = !parent || parent.startIndex < region.start || parent.endIndex > region.end;
    if (inside && parentOutside && node.isNamed && !adapter.isComment(node) && node.type !== "statement_list") {
      statements.push(node);
      continue;
    }
    for (const c of node.children) if (c) stack.push(c);
  }
  return statements.sort((a, b) => a.startIndex - b.startIndex);
}

// Runs `use` on the body's statements, parsing `text` unless the caller already has its tree (`root`): a file
// with a hundred candidate functions is then parsed once, not a hundred times.
function withBodyStatements<T>(text: string, language: LanguageId, region: BodyRegion, use: (statements: Node[], text: string) => T, root?: Node): T {
  if (root) return use(bodyStatements(root, language, region), text);
  // Cached: verification has just parsed the same final text for its syntax check.
  return withCachedTree(adapterFor(language).grammar, text, (tree) => use(bodyStatements(tree.rootNode, language, region), text));
}

const LITERAL_TYPES = new Set([
  "string", "integer", "float", "true", "false", "none", "number", "null", "undefined", "template_string", "identifier",
  "attribute", "member_expression", "list", "tuple", "dictionary", "array", "object", "set",
  // Go
  "nil", "iota", "int_literal", "float_literal", "imaginary_literal", "rune_literal", "interpreted_string_literal", "raw_string_literal", "selector_expression", "composite_literal",
  // Java (a call is a method_invocation, a constructor call an object_creation_expression)
  "string_literal", "character_literal", "decimal_integer_literal", "hex_integer_literal", "octal_integer_literal", "binary_integer_literal", "decimal_floating_point_literal", "null_literal", "field_access", "method_invocation", "object_creation_expression",
]);

// Go's `panic(...)` statement: the placeholder, and a stub like a raise / throw.
function isPanicStatement(s: Node): boolean {
  const call = s.type === "expression_statement" ? s.namedChild(0) : null;
  return call?.type === "call_expression" && call.childForFieldName("function")?.text === "panic";
}

// Rust's `todo!()`, `unimplemented!(..)`, `panic!(..)`, `unreachable!(..)` as a whole statement: the placeholder
// and the stubs (they only panic).
const RUST_PANIC_MACRO = /^(?:std::|core::)?(?:todo|unimplemented|panic|unreachable)!\s*[([{][\s\S]*[)\]}];?$/;

// A body is trivial when it is a single statement that returns or evaluates a constant, a name or one call
// (delegation), or does nothing: nothing to learn from implementing it.
export function isTrivialBody(text: string, language: LanguageId, region: BodyRegion, root?: Node): boolean {
  return withBodyStatements(text, language, region, (statements) => {
    if (statements.length === 0) return true;
    if (statements.length > 1) return false;
    const s = statements[0] as Node;
    if (["pass_statement", "raise_statement", "throw_statement", "empty_statement"].includes(s.type) || isPanicStatement(s)) return true;
    if (language === "rust" && RUST_PANIC_MACRO.test(s.text.replace(/\s+/g, " ").trim())) return true;
    if (s.type === "return_statement" || s.type === "expression_statement") {
      const value = s.namedChildren.find((c) => c && !adapterFor(language).isComment(c)) ?? null;
      if (!value) return true;
      const v = value.type === "await_expression" || value.type === "expression_list" ? (value.namedChildren[0] ?? value) : value;
      return LITERAL_TYPES.has(v.type) || v.type === "call" || v.type === "call_expression" || v.type === "ellipsis";
    }
    return false;
  }, root);
}

// A stub: does nothing useful (pass / ... / raise / throw / bare return / return None), the placeholder included.
export function isStubBody(text: string, language: LanguageId, region: BodyRegion): boolean {
  return withBodyStatements(text, language, region, (statements, src) => {
    if (statements.length === 0) return true;
    return statements.every((s) => {
      if (["pass_statement", "raise_statement", "throw_statement", "empty_statement"].includes(s.type) || isPanicStatement(s)) return true;
      const code = src.slice(s.startIndex, s.endIndex).replace(/\s+/g, " ").trim();
      return /^(\.\.\.|return;?|return None|return undefined;?|return null;?|return nil(, nil)*)$/.test(code) || RUST_PANIC_MACRO.test(code);
    });
  });
}

// The body's code as a token sequence for similarity: comments dropped, string literals reduced to a marker
// (their wording is not the point), identifiers, numbers and punctuation kept. A small lexer rather than the
// syntax tree: walking tree-sitter nodes of a large file costs ~100 ms, this costs well under 1.
const PY_TOKENS = /([rRbBuUfF]{0,2}(?:"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))|(#[^\n]*)|([A-Za-z_]\w*)|(\d[\w.]*)|(\S)/g;
const ES_TOKENS = /(`(?:\\.|[^`\\])*`|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|([A-Za-z_$][\w$]*)|(\d[\w.]*)|(\S)/g;
// Go: a raw string has no escapes (a backslash before its closing backquote is a character of it).
const GO_TOKENS = /(`[^`]*`|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|([A-Za-z_][\w]*)|(\d[\w.]*)|(\S)/g;

// Java: a text block ("""...""") is one literal (its lines are not code); char literals are literals too.
const JAVA_TOKENS = /("""(?:\\[\s\S]|[^\\])*?"""|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|([A-Za-z_$][\w$]*)|(\d[\w.]*)|(\S)/g;

// Rust: raw strings (r"..", r#".."#, up to three #), byte strings and char literals are literals; a lifetime
// ('a, no closing quote) is a name, not the start of a char literal; r#ident is one identifier.
const RS_TOKENS =
  /(b?r"[^"]*"|b?r#"[\s\S]*?"#|b?r##"[\s\S]*?"##|b?r###"[\s\S]*?"###|b?"(?:\\[\s\S]|[^"\\])*"|b?'(?:\\(?:u\{[0-9a-fA-F_]*\}|x[0-9a-fA-F]{2}|[^\n])|[^'\\\n])')|(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|('[A-Za-z_]\w*|(?:r#)?[A-Za-z_]\w*)|(\d[\w.]*)|(\S)/g;

export function bodyTokens(text: string, language: LanguageId, region: { start: number; end: number }): string[] {
  // Java: what javac lexes, unicode escapes decoded (an escaped `/*` opens a comment for it).
  const raw = text.slice(region.start, region.end);
  const source = language === "java" ? decodeJavaUnicodeEscapes(raw) : raw;
  const re = new RegExp(language === "python" ? PY_TOKENS : language === "go" ? GO_TOKENS : language === "java" ? JAVA_TOKENS : language === "rust" ? RS_TOKENS : ES_TOKENS);
  const out: string[] = [];
  for (const m of source.matchAll(re)) {
    if (m[1] !== undefined) out.push("<str>");
    else if (m[2] !== undefined) continue;
    else out.push(m[0]);
  }
  return out;
}

// 2·LCS / (|a| + |b|): 1 for identical sequences, 0 for nothing in common (difflib's ratio, exact LCS).
export function sequenceSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? (prev[j - 1] as number) + 1 : Math.max(prev[j] as number, cur[j - 1] as number);
    }
    [prev, cur] = [cur, prev];
  }
  return (2 * (prev[b.length] as number)) / (a.length + b.length);
}
