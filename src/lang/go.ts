// Go: functions, methods (qualname `Type.Method`, the receiver's pointer and type arguments dropped), type
// declarations (struct, interface, and every other named type or alias as "class"), function literals bound to a
// name (`var f = func...`, `f := func...`, `f = func...`: nested definitions inside functions), doc comments,
// calls, imports, comments.
//
// Doc comments follow go/parser's rule (the lead comment of a declaration): the last group of comments between
// the previous token and the declaration, a group being comments each starting on the line the previous one
// ended on or the next, that ends on the line right above the declaration. Comments on the same line as the
// previous token are that token's line comment, never a doc. Directive comments (`//go:noinline`, `//line`,
// `//export`, `//extern`) at either end of the group are not part of the doc (go/doc drops them from the text,
// and func-localize must never delete one: they are code for the comment-only check).

import type { Node, Tree } from "web-tree-sitter";
import type { ExtractedFile, LanguageAdapter } from "./adapter.js";
import { LineIndex, ScopeStack, fieldChild, fieldIds, isBlank, trimEndOffset } from "./extract-common.js";
import type { CommentRecord, Definition, DefinitionKind, Docstring, ImportRecord, Span } from "./types.js";

const INTERESTING = [
  "function_declaration",
  "method_declaration",
  "type_spec",
  "type_alias",
  "func_literal",
  "short_var_declaration",
  "var_spec",
  "assignment_statement",
  "call_expression",
  "type_conversion_expression",
  "comment",
  "import_spec",
];

const FIELDS = ["name", "body", "parameters", "result", "receiver", "type", "function", "field", "operand", "left", "right", "value", "path"] as const;
type Fields = Record<(typeof FIELDS)[number], number>;

// go/ast's isDirective (Go 1.19): `//line `, `//extern `, `//export `, or `//[a-z0-9]+:[a-z0-9]`. Block comments
// are directives only as `/*line ` (the scanner reads those).
export function isGoDirective(comment: string): boolean {
  if (comment.startsWith("/*")) return comment.startsWith("/*line ");
  if (!comment.startsWith("//")) return false;
  const c = comment.slice(2);
  if (c.startsWith("line ") || c.startsWith("extern ") || c.startsWith("export ")) return true;
  const colon = c.indexOf(":");
  if (colon <= 0 || colon + 1 >= c.length) return false;
  for (let i = 0; i <= colon + 1; i++) {
    if (i === colon) continue;
    const b = c.charCodeAt(i);
    if (!((b >= 97 && b <= 122) || (b >= 48 && b <= 57))) return false;
  }
  return true;
}

// go/ast's CommentGroup.Text: markers removed, the first space of a line comment removed, directives dropped,
// trailing spaces trimmed, leading and trailing blank lines dropped, runs of blank lines made one.
export function goDocText(comments: readonly string[]): string {
  const lines: string[] = [];
  for (const raw of comments) {
    const c = raw.replace(/\r/g, "");
    if (c.startsWith("//")) {
      if (isGoDirective(c)) continue;
      lines.push(c.slice(c.startsWith("// ") ? 3 : 2));
    } else {
      lines.push(...c.slice(2, -2).split("\n"));
    }
  }
  const trimmed = lines.map((l) => l.replace(/[ \t\n\v\f\r]+$/, ""));
  const out: string[] = [];
  for (const l of trimmed) {
    if (l === "" && (out.length === 0 || out[out.length - 1] === "")) continue;
    out.push(l);
  }
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out.join("\n");
}

function slice(text: string, node: Node): string {
  return text.slice(node.startIndex, node.endIndex);
}

// The receiver's type name: `*T`, `T[K, V]`, `*T[K]`, `(T)` → `T`.
function receiverTypeName(receiver: Node, text: string): string | null {
  const raw = slice(text, receiver).slice(1, -1).trim(); // inside the parentheses
  // The last identifier-ish word before any type arguments, after the optional receiver name.
  const m = /^(?:[A-Za-z_]\w*\s+)?[(*\s]*([A-Za-z_]\w*)/.exec(raw.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, " "));
  if (!m) return null;
  // `(t T)`: the regex took `t ` as the name and T as the type; `(T)` alone: T is the type.
  return m[1] as string;
}

function calleeName(callee: Node, F: Fields): Node | null {
  switch (callee.type) {
    case "identifier":
    case "type_identifier":
    case "field_identifier":
      return callee;
    case "selector_expression": {
      const field = fieldChild(callee, F.field);
      return field && field.type === "field_identifier" ? field : null;
    }
    case "generic_type": {
      // An explicit instantiation `f[int](x)` / `pkg.F[int](x)` (tree-sitter reads `fs[i](x)` the same way: Go's
      // syntax cannot tell them apart): the name is the generic function's. `m["k"](x)` is an index_expression:
      // computed, no name.
      const inner = fieldChild(callee, F.type) ?? callee.namedChild(0);
      return inner ? calleeName(inner, F) : null;
    }
    case "qualified_type":
      return fieldChild(callee, F.name);
    default:
      return null;
  }
}

function unquote(s: string): string {
  return s.length >= 2 && /^["`]/.test(s) ? s.slice(1, -1) : s;
}

interface Binding {
  name: string;
  qualnamePart: string;
  nameNode: Node;
  spanStart: number;
  spanEnd: number;
  anchor: number; // the doc comment must end on the line right above the token at this offset
}

function extract(tree: Tree, text: string, path: string): ExtractedFile {
  const lines = new LineIndex(text);
  const F = fieldIds(tree.language, FIELDS);
  const scopes = new ScopeStack(path);
  const imports: ImportRecord[] = [];
  const comments: CommentRecord[] = [];
  const pending = new Map<number, Binding>(); // func_literal node id -> the name it is bound to
  const methodTypes = new Map<Definition, string>(); // method -> its receiver type name (parent set at the end)

  // The lead comment of the token at `anchor`, as go/parser computes it, trimmed of directives at both ends.
  const docAbove = (anchor: number): Docstring | null => {
    const anchorLine = lines.point(anchor).line;
    // The run of comments between the previous token and the anchor.
    let first = comments.length;
    let pos = anchor;
    for (let i = comments.length - 1; i >= 0; i--) {
      const c = comments[i] as CommentRecord;
      if (c.span.endOffset > pos) continue;
      if (!isBlank(text, c.span.endOffset, pos)) break;
      first = i;
      pos = c.span.startOffset;
    }
    if (first === comments.length) return null;
    const run = comments.slice(first).filter((c) => c.span.endOffset <= anchor);
    if (run.length === 0) return null;
    // Comments starting on the previous token's line (chained on the lines they end) are its line comment.
    const prevEnd = trimEndOffset(text, pos);
    let k = 0;
    if (prevEnd > 0) {
      let endLine = lines.point(prevEnd).line;
      while (k < run.length && (run[k] as CommentRecord).span.start.line <= endLine) {
        endLine = (run[k] as CommentRecord).span.end.line;
        k++;
      }
    }
    const rest = run.slice(k);
    if (rest.length === 0) return null;
    // The last group: comments chained with at most one line break between them.
    let g = rest.length - 1;
    while (g > 0 && (rest[g] as CommentRecord).span.start.line <= (rest[g - 1] as CommentRecord).span.end.line + 1) g--;
    let group = rest.slice(g);
    if ((group[group.length - 1] as CommentRecord).span.end.line + 1 !== anchorLine) return null;
    let a = 0;
    let b = group.length;
    while (a < b && isGoDirective((group[a] as CommentRecord).text)) a++;
    while (b > a && isGoDirective((group[b - 1] as CommentRecord).text)) b--;
    group = group.slice(a, b);
    if (group.length === 0) return null;
    const start = (group[0] as CommentRecord).span.startOffset;
    const end = (group[group.length - 1] as CommentRecord).span.endOffset;
    return { span: lines.span(start, end), text: goDocText(group.map((c) => c.text)), raw: text.slice(start, end) };
  };

  const define = (sigStart: number, kind: DefinitionKind, name: string, qualnamePart: string, nameNode: Node, spanStart: number, spanEnd: number, anchor: number, sigEnd: number, body: Span | null, bodyStart: number): Definition =>
    scopes.addDefinition(
      {
        kind,
        name,
        qualnamePart,
        span: lines.span(spanStart, spanEnd),
        signatureSpan: lines.span(sigStart, Math.max(sigStart, sigEnd)),
        bodySpan: body,
        decoratorSpan: null,
        nameSpan: lines.nodeSpan(nameNode),
        docstring: docAbove(anchor),
        scopeEnd: spanEnd,
      },
      bodyStart,
    );

  const functionLike = (node: Node, kind: DefinitionKind, name: string, qualnamePart: string, nameNode: Node, spanStart: number, spanEnd: number, anchor: number): Definition | null => {
    const body = fieldChild(node, F.body);
    const sigEnd = (fieldChild(node, F.result) ?? fieldChild(node, F.parameters) ?? nameNode).endIndex;
    return define(node.startIndex, kind, name, qualnamePart, nameNode, spanStart, spanEnd, anchor, sigEnd, body ? lines.nodeSpan(body) : null, body ? body.startIndex : node.endIndex);
  };

  // `a, b := func(){}, 2`: binds the literal at position i of the right side to the name at position i.
  const bindList = (names: Node[], values: Node[], statement: Node, anchor: number, qualified: boolean): void => {
    if (names.length !== values.length) return;
    const single = names.length === 1;
    values.forEach((value, i) => {
      if (value.type !== "func_literal") return;
      const left = names[i] as Node;
      let nameNode: Node | null = null;
      if (left.type === "identifier") nameNode = left;
      else if (qualified && left.type === "selector_expression") nameNode = fieldChild(left, F.field);
      if (!nameNode || slice(text, nameNode) === "_") return;
      const name = slice(text, nameNode);
      pending.set(value.id, {
        name,
        qualnamePart: left.type === "identifier" ? name : slice(text, left).replace(/\s+/g, ""),
        nameNode,
        spanStart: single ? statement.startIndex : value.startIndex,
        spanEnd: single ? statement.endIndex : value.endIndex,
        anchor,
      });
    });
  };

  const listChildren = (node: Node | null): Node[] => (node ? (node.type === "expression_list" ? node.namedChildren.filter((c): c is Node => c !== null && c.type !== "comment") : [node]) : []);

  const nodes = tree.rootNode.descendantsOfType(INTERESTING);
  for (const node of nodes) {
    if (!node) continue;
    const start = node.startIndex;
    scopes.advance(start);
    switch (node.type) {
      case "comment":
        comments.push({ span: lines.nodeSpan(node), text: slice(text, node) });
        break;
      case "call_expression":
      case "type_conversion_expression": {
        const callee = node.type === "call_expression" ? fieldChild(node, F.function) : fieldChild(node, F.type);
        if (!callee) break;
        if (node.type === "type_conversion_expression" && callee.type !== "generic_type") break;
        const nameNode = calleeName(callee, F);
        scopes.addCall({
          callee: slice(text, callee),
          name: nameNode ? slice(text, nameNode) : "",
          span: lines.span(start, node.endIndex),
          nameSpan: nameNode ? lines.nodeSpan(nameNode) : lines.nodeSpan(callee),
          isNew: false,
        });
        break;
      }
      case "import_spec": {
        const pathNode = fieldChild(node, F.path);
        const alias = fieldChild(node, F.name);
        imports.push({ module: pathNode ? unquote(slice(text, pathNode)) : "", names: [], alias: alias ? slice(text, alias) : null, span: lines.nodeSpan(node) });
        break;
      }
      case "function_declaration": {
        const nameNode = fieldChild(node, F.name);
        if (!nameNode) {
          scopes.pushAnonymous(node.endIndex, fieldChild(node, F.body)?.startIndex ?? start);
          break;
        }
        const name = slice(text, nameNode);
        functionLike(node, "function", name, name, nameNode, start, node.endIndex, start);
        break;
      }
      case "method_declaration": {
        const nameNode = fieldChild(node, F.name);
        const receiver = fieldChild(node, F.receiver);
        const typeName = receiver ? receiverTypeName(receiver, text) : null;
        if (!nameNode || !typeName) {
          scopes.pushAnonymous(node.endIndex, fieldChild(node, F.body)?.startIndex ?? start);
          break;
        }
        const name = slice(text, nameNode);
        const def = functionLike(node, "method", name, `${typeName}.${name}`, nameNode, start, node.endIndex, start);
        if (def) methodTypes.set(def, typeName);
        break;
      }
      case "type_spec":
      case "type_alias": {
        const nameNode = fieldChild(node, F.name);
        if (!nameNode) break;
        const type = fieldChild(node, F.type);
        const decl = node.parent;
        // Alone after `type`, the declaration's doc is above `type`; inside `type ( ... )`, above the spec.
        const grouped = decl !== null && decl.type === "type_declaration" && decl.children.some((c) => c?.type === "(");
        const spanStart = grouped || !decl ? start : decl.startIndex;
        const spanEnd = grouped || !decl ? node.endIndex : decl.endIndex;
        let kind: DefinitionKind = "class";
        let body: Span | null = null;
        if (node.type === "type_spec" && type && (type.type === "struct_type" || type.type === "interface_type")) {
          kind = type.type === "struct_type" ? "struct" : "interface";
          const open = text.indexOf("{", type.startIndex);
          if (open >= 0 && open < type.endIndex) body = lines.span(open, type.endIndex);
        }
        const sigEnd = body ? trimEndOffset(text, body.startOffset) : node.endIndex;
        const name = slice(text, nameNode);
        define(spanStart, kind, name, name, nameNode, spanStart, spanEnd, spanStart, sigEnd, body, body ? body.startOffset : node.endIndex);
        break;
      }
      case "short_var_declaration":
      case "assignment_statement": {
        if (node.type === "assignment_statement" && node.childForFieldName("operator")?.type !== "=") break;
        bindList(listChildren(fieldChild(node, F.left)), listChildren(fieldChild(node, F.right)), node, start, node.type === "assignment_statement");
        break;
      }
      case "var_spec": {
        const names = node.childrenForFieldName("name").filter((c): c is Node => c !== null);
        const values = listChildren(fieldChild(node, F.value));
        const decl = node.parent;
        const grouped = decl !== null && decl.type === "var_declaration" && decl.children.some((c) => c?.type === "(");
        const statement = grouped || !decl ? node : decl;
        bindList(names, values, statement, statement.startIndex, false);
        break;
      }
      case "func_literal": {
        const b = pending.get(node.id);
        if (!b) {
          scopes.pushAnonymous(node.endIndex, fieldChild(node, F.body)?.startIndex ?? start);
          break;
        }
        pending.delete(node.id);
        functionLike(node, "function_expression", b.name, b.qualnamePart, b.nameNode, b.spanStart, b.spanEnd, b.anchor);
        break;
      }
    }
  }
  // A method's parent is its receiver type when the type is declared in the same file (methods are not nested in
  // their type in Go source, so the scope stack cannot see it).
  const types = new Map<string, Definition>();
  for (const d of scopes.definitions) if (d.parent === null && (d.kind === "struct" || d.kind === "interface" || d.kind === "class") && !types.has(d.name)) types.set(d.name, d);
  for (const [def, typeName] of methodTypes) {
    const type = types.get(typeName);
    if (type && def.parent === null) def.parent = type.key;
  }
  return { definitions: scopes.definitions, imports, comments };
}

function isComment(node: Node): boolean {
  return node.type === "comment";
}

export const goAdapter: LanguageAdapter = {
  id: "go",
  extensions: [".go"],
  grammar: "go",
  extract,
  isComment,
  commentTypes: new Set(["comment"]),
  docstringCandidateTypes: new Set(), // doc comments are comments, which the tree compare always drops
  isDocstring: (node) => node.type === "comment",
  atomicTypes: new Set(["interpreted_string_literal", "raw_string_literal", "rune_literal"]),
  layoutTypes: new Set(),
};
