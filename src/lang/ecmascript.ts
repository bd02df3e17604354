// TypeScript, TSX and JavaScript. The three tree-sitter grammars share node types for everything indexed here
// (the TS grammar extends the JS one), so one extractor serves all three; the few differences (class field
// node name, where method decorators sit) are handled where they occur.

import type { Node, Tree } from "web-tree-sitter";
import type { ExtractedFile, LanguageAdapter } from "./adapter.js";
import { LineIndex, ScopeStack, fieldChild, fieldIds, isBlank, jsdocText, trimEndOffset } from "./extract-common.js";
import type { CommentRecord, DefinitionKind, Docstring, ImportBinding, ImportRecord, LanguageId } from "./types.js";

const INTERESTING = [
  "function_declaration",
  "generator_function_declaration",
  "class_declaration",
  "abstract_class_declaration",
  "class",
  "method_definition",
  "arrow_function",
  "function_expression",
  "generator_function",
  "variable_declarator",
  "public_field_definition",
  "field_definition",
  "assignment_expression",
  "pair",
  "call_expression",
  "new_expression",
  "comment",
  "import_statement",
  "export_statement",
  "decorator",
  "required_parameter",
  "optional_parameter",
  "assignment_pattern",
  "internal_module",
  "module",
];

// Expressions that become a named definition when bound to a name.
const FUNCTION_VALUES = new Set(["arrow_function", "function_expression", "generator_function", "class"]);

interface Binding {
  name: string;
  qualnamePart: string;
  nameNode: Node;
  spanStart: number; // where the definition's span starts (the declaration / field / pair)
  spanEnd: number;
  anchor: number; // a /** */ comment must end right before this offset to be the docstring
  decorators: Node[];
}

function slice(text: string, node: Node): string {
  return text.slice(node.startIndex, node.endIndex);
}

function unquote(s: string): string {
  return s.length >= 2 && /^['"`]/.test(s) ? s.slice(1, -1) : s;
}

function propertyName(node: Node, text: string): string {
  const raw = slice(text, node);
  return node.type === "string" ? unquote(raw) : raw;
}

function leadingDecorators(node: Node): Node[] {
  const out: Node[] = [];
  const count = node.namedChildCount;
  for (let i = 0; i < count; i++) {
    const c = node.namedChild(i);
    if (!c) break;
    if (c.type === "decorator") out.push(c);
    else if (c.type !== "comment") break;
  }
  return out;
}

// Decorators written before a class member: siblings in the TS grammar, children in the JS grammar.
function memberDecorators(node: Node): Node[] {
  const inside = leadingDecorators(node);
  if (inside.length > 0) return inside;
  const out: Node[] = [];
  let prev = node.previousNamedSibling;
  while (prev && (prev.type === "decorator" || prev.type === "comment")) {
    if (prev.type === "decorator") out.unshift(prev);
    prev = prev.previousNamedSibling;
  }
  return out;
}

const FIELDS = ["function", "constructor", "property", "body", "name", "value", "key", "left", "right", "return_type", "parameters", "parameter", "arguments", "index"] as const;
type Fields = Record<(typeof FIELDS)[number], number>;

function calleeName(callee: Node, F: Fields): Node | null {
  switch (callee.type) {
    case "identifier":
    case "super":
    case "import":
      return callee;
    case "member_expression": {
      const prop = fieldChild(callee, F.property);
      return prop && (prop.type === "property_identifier" || prop.type === "private_property_identifier") ? prop : null;
    }
    case "subscript_expression": {
      // `this["~validate"](x)` names its member as statically as `this.m(x)`: the key, when it is a plain string
      // literal (no escapes), is the name (its quotes removed by the caller).
      const key = fieldChild(callee, F.index);
      return key && key.type === "string" && key.namedChildren.every((c) => c?.type === "string_fragment") ? key : null;
    }
    default:
      return null;
  }
}

function modifierWords(text: string, from: number, to: number): Set<string> {
  return new Set(text.slice(from, to).match(/[A-Za-z_$]+|\*/g) ?? []);
}

function importBindings(clause: Node, text: string): { names: ImportBinding[]; alias: string | null } {
  const names: ImportBinding[] = [];
  let alias: string | null = null;
  for (const c of clause.namedChildren) {
    if (!c) continue;
    if (c.type === "identifier") names.push({ name: "default", alias: slice(text, c) });
    else if (c.type === "namespace_import" || c.type === "namespace_export") {
      const id = c.namedChildren.find((x) => x?.type === "identifier" || x?.type === "string");
      alias = id ? propertyName(id, text) : null;
    } else if (c.type === "named_imports" || c.type === "export_clause") {
      for (const spec of c.namedChildren) {
        if (!spec || (spec.type !== "import_specifier" && spec.type !== "export_specifier")) continue;
        const name = spec.childForFieldName("name");
        const al = spec.childForFieldName("alias");
        if (name) names.push({ name: propertyName(name, text), alias: al ? propertyName(al, text) : null });
      }
    }
  }
  return { names, alias };
}

function importRecord(node: Node, text: string, lines: LineIndex): ImportRecord | null {
  const span = lines.nodeSpan(node);
  const source = node.childForFieldName("source");
  if (node.type === "export_statement") {
    if (!source) return null;
    const { names, alias } = importBindings(node, text);
    // `export * from "m"` has no clause: it re-exports every name.
    const star = names.length === 0 && alias === null && /^export\s+(type\s+)?\*/.test(slice(text, node));
    return { module: unquote(slice(text, source)), names: star ? [{ name: "*", alias: null }] : names, alias, span };
  }
  for (const c of node.namedChildren) {
    if (c?.type === "import_clause") {
      const { names, alias } = importBindings(c, text);
      return { module: source ? unquote(slice(text, source)) : "", names, alias, span };
    }
    if (c?.type === "import_require_clause") {
      const id = c.namedChildren.find((x) => x?.type === "identifier");
      const src = c.childForFieldName("source");
      return { module: src ? unquote(slice(text, src)) : "", names: [], alias: id ? slice(text, id) : null, span };
    }
  }
  return { module: source ? unquote(slice(text, source)) : "", names: [], alias: null, span };
}

// `const x = require("m")` / `const {a, b: c} = require("m")`.
function requireImport(declarator: Node, nameNode: Node, value: Node, text: string, lines: LineIndex, F: Fields): ImportRecord | null {
  const fn = fieldChild(value, F.function);
  if (!fn || fn.type !== "identifier" || slice(text, fn) !== "require") return null;
  const arg = fieldChild(value, F.arguments)?.namedChild(0);
  if (!arg || arg.type !== "string") return null;
  const module = unquote(slice(text, arg));
  const span = lines.nodeSpan(declarator);
  if (nameNode.type === "identifier") return { module, names: [], alias: slice(text, nameNode), span };
  if (nameNode.type === "object_pattern") {
    const names: ImportBinding[] = [];
    for (const p of nameNode.namedChildren) {
      if (!p) continue;
      if (p.type === "shorthand_property_identifier_pattern") names.push({ name: slice(text, p), alias: null });
      else if (p.type === "pair_pattern") {
        const k = p.childForFieldName("key");
        const v = p.childForFieldName("value");
        if (k) names.push({ name: propertyName(k, text), alias: v ? slice(text, v) : null });
      }
    }
    return { module, names, alias: null, span };
  }
  return null;
}

function extract(tree: Tree, text: string, path: string): ExtractedFile {
  const lines = new LineIndex(text);
  const F = fieldIds(tree.language, FIELDS);
  const scopes = new ScopeStack(path);
  const imports: ImportRecord[] = [];
  const comments: CommentRecord[] = [];
  const pending = new Map<number, Binding>(); // value node id -> the name it is bound to

  // The JSDoc the TypeScript compiler attaches to a declaration starting at `anchor`: of the comments between the
  // previous token and `anchor` (its leading comments, which may include // lines and blank lines), the last
  // /** */ block (ts.getJSDocCommentsAndTags lists them all; the last one is the declaration's documentation).
  const jsdocAbove = (anchor: number): Docstring | null => {
    let pos = anchor; // everything from here to anchor is blank space or comments
    for (let i = comments.length - 1; i >= 0; i--) {
      const c = comments[i] as CommentRecord;
      if (c.span.endOffset > pos) continue;
      if (!isBlank(text, c.span.endOffset, pos)) return null; // a token in between: no longer leading comments
      if (c.text.startsWith("/**") && !c.text.startsWith("/**/")) return { span: c.span, text: jsdocText(c.text), raw: c.text };
      pos = c.span.startOffset;
    }
    return null;
  };

  const define = (node: Node, kind: DefinitionKind, name: string, qualnamePart: string, nameNode: Node, spanStart: number, spanEnd: number, anchor: number, decorators: Node[]): void => {
    const body = fieldChild(node, F.body);
    const isClass = kind === "class";
    let sigStart = node.startIndex;
    let sigEnd: number;
    if (isClass) {
      const lastDecorator = decorators[decorators.length - 1];
      if (lastDecorator && lastDecorator.endIndex > sigStart) {
        sigStart = lastDecorator.endIndex;
        while (sigStart < text.length && /\s/.test(text[sigStart] as string)) sigStart++;
      }
      sigEnd = body ? trimEndOffset(text, body.startIndex) : node.endIndex;
    } else {
      const end = fieldChild(node, F.return_type) ?? fieldChild(node, F.parameters) ?? fieldChild(node, F.parameter) ?? nameNode;
      sigEnd = end.endIndex;
    }
    const firstDecorator = decorators[0];
    scopes.addDefinition(
      {
        kind,
        name,
        qualnamePart,
        span: lines.span(spanStart, spanEnd),
        signatureSpan: lines.span(sigStart, Math.max(sigStart, sigEnd)),
        bodySpan: body ? lines.nodeSpan(body) : null,
        decoratorSpan: firstDecorator ? lines.nodeSpan(firstDecorator) : null,
        nameSpan: lines.nodeSpan(nameNode),
        docstring: jsdocAbove(anchor),
        scopeEnd: node.endIndex,
      },
      body ? body.startIndex : node.endIndex,
    );
  };

  const bind = (value: Node | null, nameNode: Node, name: string, qualnamePart: string, spanStart: number, spanEnd: number, anchor: number, decorators: Node[] = []): void => {
    if (!value) return;
    if (FUNCTION_VALUES.has(value.type)) {
      pending.set(value.id, { name, qualnamePart, nameNode, spanStart, spanEnd, anchor, decorators });
    } else if (value.type === "object") {
      scopes.pushNamespace(qualnamePart, value.endIndex);
    }
  };

  const nodes = tree.rootNode.descendantsOfType(INTERESTING);
  for (const node of nodes) {
    if (!node) continue;
    const start = node.startIndex;
    const type = node.type;
    scopes.advance(start);
    switch (type) {
      case "comment":
        comments.push({ span: lines.nodeSpan(node), text: slice(text, node) });
        break;
      case "call_expression":
      case "new_expression": {
        const isNew = type === "new_expression";
        const callee = fieldChild(node, isNew ? F.constructor : F.function);
        if (!callee) break;
        // Every tree-sitter accessor is a wasm round trip, so ends are read once: a name ends where its
        // identifier / member-expression callee ends.
        const calleeEnd = callee.endIndex;
        const nameNode = calleeName(callee, F);
        const nameStart = nameNode ? nameNode.startIndex : callee.startIndex;
        // A string key (`obj["m"]`) is the name without its quotes; its span is the literal's, where the
        // resolver's request points.
        const keyEnd = nameNode?.type === "string" ? nameNode.endIndex : calleeEnd;
        scopes.addCall({
          callee: text.slice(callee.startIndex, calleeEnd),
          name: !nameNode ? "" : nameNode.type === "string" ? text.slice(nameStart + 1, keyEnd - 1) : text.slice(nameStart, calleeEnd),
          span: lines.span(start, node.endIndex),
          nameSpan: lines.span(nameStart, keyEnd),
          isNew,
        });
        break;
      }
      case "decorator":
      case "required_parameter":
      case "optional_parameter":
      case "assignment_pattern":
        scopes.suspendHeaderPart(start, node.endIndex);
        break;
      case "import_statement":
      case "export_statement": {
        const rec = importRecord(node, text, lines);
        if (rec) imports.push(rec);
        break;
      }
      case "internal_module":
      case "module": {
        const name = fieldChild(node, F.name);
        if (name) scopes.pushNamespace(slice(text, name), node.endIndex);
        break;
      }
      case "function_declaration":
      case "generator_function_declaration":
      case "class_declaration":
      case "abstract_class_declaration": {
        const nameNode = fieldChild(node, F.name);
        if (!nameNode) {
          scopes.pushAnonymous(node.endIndex, fieldChild(node, F.body)?.startIndex ?? start);
          break;
        }
        const isClass = type.endsWith("class_declaration");
        const parent = node.parent;
        const exported = parent?.type === "export_statement" ? parent : null;
        const decorators = isClass ? [...(exported ? leadingDecorators(exported) : []), ...leadingDecorators(node)] : [];
        const spanStart = Math.min(start, decorators[0]?.startIndex ?? start);
        const anchor = exported ? Math.min(exported.startIndex, spanStart) : spanStart;
        const isAsync = modifierWords(text, start, nameNode.startIndex).has("async");
        const kind: DefinitionKind = isClass ? "class" : isAsync ? "async_function" : "function";
        const name = slice(text, nameNode);
        define(node, kind, name, name, nameNode, spanStart, node.endIndex, anchor, decorators);
        break;
      }
      case "method_definition": {
        const nameNode = fieldChild(node, F.name);
        const body = fieldChild(node, F.body);
        if (!nameNode) {
          scopes.pushAnonymous(node.endIndex, body?.startIndex ?? start);
          break;
        }
        const decorators = memberDecorators(node);
        const lastDecorator = decorators[decorators.length - 1];
        const modStart = lastDecorator && lastDecorator.startIndex >= start ? lastDecorator.endIndex : start;
        const words = modifierWords(text, modStart, nameNode.startIndex);
        const name = propertyName(nameNode, text);
        const enclosing = scopes.top();
        const inClass = enclosing?.def?.kind === "class";
        let kind: DefinitionKind = words.has("async") ? "async_method" : "method";
        if (words.has("get")) kind = "getter";
        else if (words.has("set")) kind = "setter";
        else if (inClass && name === "constructor") kind = "constructor";
        const spanStart = Math.min(start, decorators[0]?.startIndex ?? start);
        define(node, kind, name, name, nameNode, spanStart, node.endIndex, spanStart, decorators);
        break;
      }
      case "variable_declarator": {
        const nameNode = fieldChild(node, F.name);
        const value = fieldChild(node, F.value);
        if (!nameNode || !value) break;
        if (value.type === "call_expression") {
          const rec = requireImport(node, nameNode, value, text, lines, F);
          if (rec) imports.push(rec);
          break;
        }
        if (nameNode.type !== "identifier") break;
        if (!FUNCTION_VALUES.has(value.type) && value.type !== "object") break;
        // The docstring sits above `const` (or above `export`) for the first declarator of a declaration.
        let spanStart = start;
        let spanEnd = node.endIndex;
        let anchor = start;
        const decl = node.parent;
        if (decl && (decl.type === "lexical_declaration" || decl.type === "variable_declaration")) {
          const declarators = decl.namedChildren.filter((c) => c?.type === "variable_declarator");
          if (declarators[0]?.id === node.id) {
            anchor = decl.startIndex;
            const exported = decl.parent;
            if (exported?.type === "export_statement") anchor = exported.startIndex;
          }
          if (declarators.length === 1) {
            spanStart = decl.startIndex;
            spanEnd = decl.endIndex;
          }
        }
        const name = slice(text, nameNode);
        bind(value, nameNode, name, name, spanStart, spanEnd, anchor);
        break;
      }
      case "public_field_definition":
      case "field_definition": {
        const nameNode = fieldChild(node, F.name) ?? fieldChild(node, F.property);
        const value = fieldChild(node, F.value);
        if (!nameNode || !value) break;
        const decorators = leadingDecorators(node);
        const name = propertyName(nameNode, text);
        bind(value, nameNode, name, name, start, node.endIndex, start, decorators);
        break;
      }
      case "pair": {
        const key = fieldChild(node, F.key);
        const value = fieldChild(node, F.value);
        if (!key || !value) break;
        const name = propertyName(key, text);
        bind(value, key, name, name, start, node.endIndex, start);
        break;
      }
      case "assignment_expression": {
        const left = fieldChild(node, F.left);
        const value = fieldChild(node, F.right);
        if (!left || !value || !FUNCTION_VALUES.has(value.type)) break;
        let nameNode: Node | null = null;
        if (left.type === "identifier") nameNode = left;
        else if (left.type === "member_expression") nameNode = fieldChild(left, F.property);
        if (!nameNode) break;
        const statement = node.parent?.type === "expression_statement" ? node.parent : node;
        bind(value, nameNode, slice(text, nameNode), slice(text, left), statement.startIndex, statement.endIndex, statement.startIndex);
        break;
      }
      case "arrow_function":
      case "function_expression":
      case "generator_function":
      case "class": {
        const b = pending.get(node.id);
        if (!b) {
          scopes.pushAnonymous(node.endIndex, fieldChild(node, F.body)?.startIndex ?? start);
          break;
        }
        pending.delete(node.id);
        let kind: DefinitionKind;
        if (type === "class") kind = "class";
        else if (type === "arrow_function") kind = "arrow_function";
        else kind = "function_expression";
        define(node, kind, b.name, b.qualnamePart, b.nameNode, Math.min(b.spanStart, b.decorators[0]?.startIndex ?? b.spanStart), b.spanEnd, b.anchor, b.decorators);
        break;
      }
    }
  }
  return { definitions: scopes.definitions, imports, comments };
}

function isComment(node: Node): boolean {
  return node.type === "comment" || node.type === "html_comment";
}

function makeAdapter(id: LanguageId, extensions: readonly string[]): LanguageAdapter {
  return {
    id,
    extensions,
    grammar: id,
    extract,
    isComment,
    commentTypes: new Set(["comment", "html_comment"]),
    docstringCandidateTypes: new Set(), // JSDoc blocks are comments, which the compare always drops
    isDocstring: (node) => node.type === "comment" && node.text.startsWith("/**"),
    atomicTypes: new Set(["string", "template_string"]),
    layoutTypes: new Set(),
  };
}

export const typescriptAdapter = makeAdapter("typescript", [".ts", ".mts", ".cts"]);
export const tsxAdapter = makeAdapter("tsx", [".tsx"]);
export const javascriptAdapter = makeAdapter("javascript", [".js", ".mjs", ".cjs", ".jsx"]);

