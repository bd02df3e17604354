// Rust: definitions (fn, methods of impl and trait blocks, impl blocks, traits, structs, enums, unions, closures
// bound by `let`), doc comments, calls, `use` imports and comments, from tree-sitter-rust.
//
// Qualified names use Rust's own separator: `src/lib.rs::Type::method`. A method of `impl Type` or of
// `impl Trait for Type` is `Type::method`; the impl block itself is a definition of kind "impl" named after its
// type (so after `struct Type` it is `Type#2`, the next impl `Type#3`), and two methods of the same name in
// different impls of one type (`fmt` of Display and of Debug) are `Type::fmt` and `Type::fmt#2` by the usual key
// rule. An inline `mod m { ... }` adds `m::`; `mod m;` (another file) adds nothing here.
//
// Doc comments: the outer doc comments (`///`, `/** */`) directly above an item, attributes (`#[inline]`) and
// plain comments allowed between them and the item: the run nearest the item is its docstring. Inner doc comments
// (`//!`, `/*! */`) document the enclosing module or crate, never a definition. `#[doc = "..."]` is an attribute
// (code), not a docstring. Closures get no docstring (rustdoc ignores doc comments on `let`).
//
// Calls: call expressions (`f(x)`, `a::b(x)`, `Self::f()`, `x.m()`, `f::<T>()`). A macro invocation (`foo!(..)`)
// is not a call (no macro is a definition of the index), but calls written inside a macro's arguments
// (`assert_eq!(f(1), 2)`, `format!("{}", self.g())`) are: tree-sitter keeps those as raw tokens, so they are read
// from the tokens (a name followed by a parenthesized group, keywords excepted).

import type { Node, Tree } from "web-tree-sitter";
import type { ExtractedFile, LanguageAdapter } from "./adapter.js";
import { LineIndex, ScopeStack, fieldChild, fieldIds, jsdocText, trimEndOffset } from "./extract-common.js";
import type { CommentRecord, DefinitionKind, Docstring, ImportBinding, ImportRecord } from "./types.js";

const INTERESTING = [
  "function_item",
  "function_signature_item",
  "impl_item",
  "trait_item",
  "struct_item",
  "enum_item",
  "union_item",
  "mod_item",
  "closure_expression",
  "let_declaration",
  "call_expression",
  "token_tree",
  "attribute_item",
  "inner_attribute_item",
  "line_comment",
  "block_comment",
  "use_declaration",
  "extern_crate_declaration",
];

const FIELDS = ["name", "body", "parameters", "return_type", "type", "trait", "function", "field", "pattern", "value", "argument", "path", "alias", "list"] as const;
type Fields = Record<(typeof FIELDS)[number], number>;

// Words that may precede a parenthesized group inside a macro's tokens without being a call.
const KEYWORDS = new Set(
  "as async await box break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type union unsafe use where while yield".split(
    " ",
  ),
);

const OUTER_LINE_DOC = /^\/\/\/(?!\/)/;
const OUTER_BLOCK_DOC = /^\/\*\*(?![*/])/;

// `///` (not `////`) or `/**` (not `/***`, not `/**/`): an outer doc comment, which documents the next item.
export function isOuterDocComment(commentText: string): boolean {
  return OUTER_LINE_DOC.test(commentText) || OUTER_BLOCK_DOC.test(commentText);
}

function isCommentType(type: string): boolean {
  return type === "line_comment" || type === "block_comment";
}

// A comment node's extent without the line end tree-sitter-rust includes in a doc line comment.
function commentEnd(text: string, node: Node): number {
  let end = node.endIndex;
  if (text.charCodeAt(end - 1) === 10) end--;
  if (text.charCodeAt(end - 1) === 13) end--;
  return end;
}

// The text of a run of outer doc comments, as rustdoc shows it: markers removed, then the indentation common to
// the lines removed.
function docText(raws: string[]): string {
  const lines: string[] = [];
  for (const raw of raws) {
    if (raw.startsWith("///")) lines.push(raw.slice(3).replace(/\r$/, ""));
    else lines.push(...jsdocText(raw).split("\n"));
  }
  let margin = Infinity;
  for (const l of lines) if (l.trim() !== "") margin = Math.min(margin, l.length - l.trimStart().length);
  const out = lines.map((l) => (margin === Infinity ? l.trim() : l.slice(margin).trimEnd()));
  while (out.length > 0 && (out[0] as string) === "") out.shift();
  while (out.length > 0 && (out[out.length - 1] as string) === "") out.pop();
  return out.join("\n");
}

interface Leading {
  spanStart: number; // the first attribute of the item, or the item itself
  firstAttribute: Node | null;
  doc: Docstring | null;
}

// Attributes and comments directly above an item (its previous siblings), nearest first.
function leadingOf(node: Node, text: string, lines: LineIndex): Leading {
  let firstAttribute: Node | null = null;
  const docs: { start: number; end: number; raw: string }[] = []; // the nearest run, nearest first
  let runState: "before" | "in" | "after" = "before";
  let prev = node.previousNamedSibling;
  while (prev && (prev.type === "attribute_item" || isCommentType(prev.type))) {
    if (prev.type === "attribute_item") {
      firstAttribute = prev;
      if (runState === "in") runState = "after";
    } else {
      const end = commentEnd(text, prev);
      const raw = text.slice(prev.startIndex, end);
      if (isOuterDocComment(raw)) {
        if (runState !== "after") {
          docs.push({ start: prev.startIndex, end, raw });
          runState = "in";
        }
      } else if (runState === "in") runState = "after";
    }
    prev = prev.previousNamedSibling;
  }
  let doc: Docstring | null = null;
  if (docs.length > 0) {
    docs.reverse();
    const start = (docs[0] as { start: number }).start;
    const end = (docs[docs.length - 1] as { end: number }).end;
    doc = { span: lines.span(start, end), text: docText(docs.map((d) => d.raw)), raw: text.slice(start, end) };
  }
  return { spanStart: firstAttribute ? firstAttribute.startIndex : node.startIndex, firstAttribute, doc };
}

// The node naming an impl's self type: `Foo` of `Foo<T>`, `&'a Foo`, `a::b::Foo`.
function implTypeName(type: Node, F: Fields): Node {
  let node = type;
  for (let i = 0; i < 8; i++) {
    if (node.type === "generic_type" || node.type === "reference_type" || node.type === "pointer_type") {
      const inner = fieldChild(node, F.type);
      if (!inner) break;
      node = inner;
    } else if (node.type === "scoped_type_identifier") {
      const name = fieldChild(node, F.name);
      if (!name) break;
      node = name;
    } else break;
  }
  return node;
}

function calleeName(callee: Node, F: Fields): Node | null {
  let node = callee;
  if (node.type === "generic_function") {
    const inner = fieldChild(node, F.function);
    if (!inner) return null;
    node = inner;
  }
  switch (node.type) {
    case "identifier":
      return node;
    case "scoped_identifier": {
      const name = fieldChild(node, F.name);
      return name && name.type === "identifier" ? name : null;
    }
    case "field_expression": {
      const field = fieldChild(node, F.field);
      return field && field.type === "field_identifier" ? field : null;
    }
    default:
      return null;
  }
}

// `use` trees flattened into one record per declaration: the module is the path before the last segment (or the
// list's prefix), names are relative to it.
function useRecord(node: Node, text: string, lines: LineIndex, F: Fields): ImportRecord | null {
  const arg = fieldChild(node, F.argument);
  if (!arg) return null;
  const span = lines.nodeSpan(node);
  const s = (n: Node) => text.slice(n.startIndex, n.endIndex).replace(/\s+/g, "");
  const split = (path: string): [string, string] => {
    const i = path.lastIndexOf("::");
    return i < 0 ? ["", path] : [path.slice(0, i), path.slice(i + 2)];
  };
  const names: ImportBinding[] = [];
  const collect = (tree: Node, prefix: string): void => {
    const join = (rest: string) => (prefix ? `${prefix}::${rest}` : rest);
    switch (tree.type) {
      case "use_as_clause": {
        const path = fieldChild(tree, F.path);
        const alias = fieldChild(tree, F.alias);
        if (path) names.push({ name: join(s(path)), alias: alias ? s(alias) : null });
        break;
      }
      case "use_wildcard": {
        const path = tree.namedChildren.find((c) => c && c.type !== "line_comment" && c.type !== "block_comment");
        names.push({ name: join(path ? `${s(path)}::*` : "*"), alias: null });
        break;
      }
      case "scoped_use_list": {
        const path = fieldChild(tree, F.path);
        const list = fieldChild(tree, F.list);
        if (list) collect(list, join(path ? s(path) : ""));
        break;
      }
      case "use_list":
        for (const c of tree.namedChildren) if (c && !isCommentType(c.type)) collect(c, prefix);
        break;
      default:
        names.push({ name: join(s(tree)), alias: null });
    }
  };
  if (arg.type === "scoped_use_list") {
    const path = fieldChild(arg, F.path);
    const list = fieldChild(arg, F.list);
    const module = path ? s(path) : "";
    if (list) collect(list, "");
    return { module, names, alias: null, span };
  }
  collect(arg, "");
  const first = names[0];
  if (names.length !== 1 || !first) return { module: "", names, alias: null, span };
  // `use a::b::c [as d]`: module a::b, name c.
  const [module, last] = split(first.name);
  if (module === "") return { module: last, names: [], alias: first.alias, span };
  return { module, names: [{ name: last, alias: first.alias }], alias: null, span };
}

function extract(tree: Tree, text: string, path: string): ExtractedFile {
  const lines = new LineIndex(text);
  const F = fieldIds(tree.language, FIELDS);
  const scopes = new ScopeStack(path, "::");
  const imports: ImportRecord[] = [];
  const comments: CommentRecord[] = [];
  const pendingClosures = new Map<number, { name: Node; start: number; end: number }>(); // closure node id -> its `let`
  let attributeEnd = -1; // token trees of attributes (`#[cfg(any(unix))]`) hold no calls

  const define = (node: Node, kind: DefinitionKind, nameNode: Node, leading: Leading | null, sigEnd: number, body: Node | null, spanStart: number, spanEnd: number): void => {
    const name = text.slice(nameNode.startIndex, nameNode.endIndex);
    scopes.addDefinition(
      {
        kind,
        name,
        span: lines.span(spanStart, spanEnd),
        signatureSpan: lines.span(node.startIndex, Math.max(node.startIndex, sigEnd)),
        bodySpan: body ? lines.nodeSpan(body) : null,
        decoratorSpan: leading?.firstAttribute ? lines.nodeSpan(leading.firstAttribute) : null,
        nameSpan: lines.nodeSpan(nameNode),
        docstring: leading?.doc ?? null,
        scopeEnd: node.endIndex,
      },
      body ? body.startIndex : node.endIndex,
    );
  };

  // Calls inside a macro's raw tokens: `name (..)`, `a.name (..)`, `A::name (..)`.
  const tokenTreeCalls = (node: Node): void => {
    const children = node.children;
    for (let i = 0; i + 1 < children.length; i++) {
      const c = children[i] as Node;
      const next = children[i + 1] as Node;
      if (c.type !== "identifier" || next.type !== "token_tree" || text.charCodeAt(next.startIndex) !== 40 /* ( */) continue;
      const name = text.slice(c.startIndex, c.endIndex);
      if (KEYWORDS.has(name)) continue;
      let start = c.startIndex;
      for (let j = i - 1; j >= 1; j -= 2) {
        const sep = children[j] as Node;
        const part = children[j - 1] as Node;
        const sepText = text.slice(sep.startIndex, sep.endIndex);
        if ((sepText !== "." && sepText !== "::") || !(part.type === "identifier" || part.type === "self" || part.type === "crate" || part.type === "super")) break;
        start = part.startIndex;
      }
      // `fn name(..)` inside a macro defines, it does not call.
      const before = i > 0 ? (children[i - 1] as Node) : null;
      if (before && text.slice(before.startIndex, before.endIndex) === "fn") continue;
      scopes.addCall({
        callee: text.slice(start, c.endIndex),
        name,
        span: lines.span(start, next.endIndex),
        nameSpan: lines.nodeSpan(c),
        isNew: false,
      });
    }
  };

  const nodes = tree.rootNode.descendantsOfType(INTERESTING);
  for (const node of nodes) {
    if (!node) continue;
    const start = node.startIndex;
    const type = node.type;
    scopes.advance(start);
    switch (type) {
      case "line_comment":
      case "block_comment": {
        const end = commentEnd(text, node);
        comments.push({ span: lines.span(start, end), text: text.slice(start, end) });
        break;
      }
      case "attribute_item":
      case "inner_attribute_item":
        attributeEnd = Math.max(attributeEnd, node.endIndex);
        break;
      case "token_tree":
        if (start >= attributeEnd && node.parent?.type !== "macro_definition") tokenTreeCalls(node);
        break;
      case "call_expression": {
        const callee = fieldChild(node, F.function);
        if (!callee) break;
        const calleeEnd = callee.endIndex;
        const nameNode = calleeName(callee, F);
        const nameStart = nameNode ? nameNode.startIndex : callee.startIndex;
        const nameEnd = nameNode ? nameNode.endIndex : calleeEnd;
        scopes.addCall({
          callee: text.slice(callee.startIndex, calleeEnd),
          name: nameNode ? text.slice(nameStart, nameEnd) : "",
          span: lines.span(start, node.endIndex),
          nameSpan: lines.span(nameStart, nameEnd),
          isNew: false,
        });
        break;
      }
      case "use_declaration": {
        const rec = useRecord(node, text, lines, F);
        if (rec) imports.push(rec);
        break;
      }
      case "extern_crate_declaration": {
        const name = fieldChild(node, F.name);
        const alias = fieldChild(node, F.alias);
        if (name) imports.push({ module: text.slice(name.startIndex, name.endIndex), names: [], alias: alias ? text.slice(alias.startIndex, alias.endIndex) : null, span: lines.nodeSpan(node) });
        break;
      }
      case "mod_item": {
        const name = fieldChild(node, F.name);
        const body = fieldChild(node, F.body);
        if (name && body) scopes.pushNamespace(text.slice(name.startIndex, name.endIndex), node.endIndex);
        break;
      }
      case "let_declaration": {
        const pattern = fieldChild(node, F.pattern);
        const value = fieldChild(node, F.value);
        if (pattern?.type === "identifier" && value?.type === "closure_expression") pendingClosures.set(value.id, { name: pattern, start, end: node.endIndex });
        break;
      }
      case "closure_expression": {
        const body = fieldChild(node, F.body);
        const binding = pendingClosures.get(node.id);
        if (!binding) {
          scopes.pushAnonymous(node.endIndex, body ? body.startIndex : start);
          break;
        }
        pendingClosures.delete(node.id);
        const params = fieldChild(node, F.parameters);
        const sigEnd = (fieldChild(node, F.return_type) ?? params ?? node).endIndex;
        define(node, "arrow_function", binding.name, null, sigEnd, body, binding.start, binding.end);
        break;
      }
      case "function_item":
      case "function_signature_item": {
        const nameNode = fieldChild(node, F.name);
        if (!nameNode) break;
        const owner = scopes.top();
        const ownerKind = owner?.def?.kind;
        const inType = owner?.kind === "def" && (ownerKind === "impl" || ownerKind === "trait");
        if (type === "function_signature_item" && !(inType && ownerKind === "trait")) break; // extern "C" declarations
        const body = fieldChild(node, F.body);
        const leading = leadingOf(node, text, lines);
        const header = text.slice(start, nameNode.startIndex);
        const isAsync = /\basync\b/.test(header);
        const kind: DefinitionKind = inType ? (isAsync ? "async_method" : "method") : isAsync ? "async_function" : "function";
        const sigEnd = body ? trimEndOffset(text, body.startIndex) : trimEndOffset(text, text.charCodeAt(node.endIndex - 1) === 59 ? node.endIndex - 1 : node.endIndex);
        define(node, kind, nameNode, leading, sigEnd, body, leading.spanStart, node.endIndex);
        break;
      }
      case "impl_item": {
        const typeNode = fieldChild(node, F.type);
        if (!typeNode) break;
        const body = fieldChild(node, F.body);
        const nameNode = implTypeName(typeNode, F);
        const leading = leadingOf(node, text, lines);
        define(node, "impl", nameNode, leading, body ? trimEndOffset(text, body.startIndex) : node.endIndex, body, leading.spanStart, node.endIndex);
        break;
      }
      case "trait_item":
      case "struct_item":
      case "enum_item":
      case "union_item": {
        const nameNode = fieldChild(node, F.name);
        if (!nameNode) break;
        const body = fieldChild(node, F.body);
        const leading = leadingOf(node, text, lines);
        const kind: DefinitionKind = type === "trait_item" ? "trait" : type === "enum_item" ? "enum" : "struct";
        define(node, kind, nameNode, leading, body ? trimEndOffset(text, body.startIndex) : nameNode.endIndex, body, leading.spanStart, node.endIndex);
        break;
      }
    }
  }
  return { definitions: scopes.definitions, imports, comments };
}

function isOuterDocNode(node: Node): boolean {
  return isCommentType(node.type) && isOuterDocComment(node.text);
}

export const rustAdapter: LanguageAdapter = {
  id: "rust",
  extensions: [".rs"],
  grammar: "rust",
  extract,
  isComment: (node) => isCommentType(node.type),
  commentTypes: new Set(["line_comment", "block_comment"]),
  docstringCandidateTypes: new Set(), // doc comments are comments: the compare always drops them
  isDocstring: isOuterDocNode,
  atomicTypes: new Set(["string_literal", "raw_string_literal", "char_literal"]),
  layoutTypes: new Set(),
};
