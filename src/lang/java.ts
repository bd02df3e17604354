// Java: classes, records, interfaces, annotation types, enums, methods, constructors (compact ones too), nested,
// inner, local and anonymous classes, lambdas bound to a field or variable; Javadoc; calls (method invocations,
// `new`, `this(...)`/`super(...)`); imports; comments.
//
// Decisions (docs/LANGUAGES.md, Java):
// - Kinds: class and record → "class"; interface and @interface → "interface"; enum → "enum"; every method
//   (static or not, annotation elements too) → "method"; constructors (compact ones too) → "constructor". An
//   abstract or interface method has no body (bodySpan null): func-gen and func-localize skip it.
// - Javadoc is what javac attaches: the last `/** */` comment among the comments directly before the
//   declaration's first token (its first annotation or modifier), so `/** doc */ @Override public void f()` is
//   documented and `@Override /** doc */ public void f()` is not (javac reads the doc comment where the modifiers
//   start). `/**/` is an empty block comment, never Javadoc.
// - A lambda bound to a field or local variable (`Runnable r = () -> {...}`) is a definition named after the
//   variable (kind "arrow_function"), like a TS arrow bound to a const: it can carry Javadoc on its field and has
//   a body. Any other lambda is an anonymous function (calls in it are nested).
// - An anonymous class body (`new Foo() { ... }`) is an anonymous scope: its methods are nested definitions of
//   the enclosing one, named without a part of their own (javac's `Outer$1`). An enum constant's body adds the
//   constant's name (`Color.RED.label`).

import type { Node, Tree } from "web-tree-sitter";
import type { ExtractedFile, LanguageAdapter } from "./adapter.js";
import { LineIndex, ScopeStack, fieldChild, fieldIds, isBlank, jsdocText, trimEndOffset } from "./extract-common.js";
import type { CommentRecord, DefinitionKind, Docstring, ImportRecord } from "./types.js";

const DECLARATION_KINDS: Record<string, DefinitionKind> = {
  class_declaration: "class",
  record_declaration: "class",
  interface_declaration: "interface",
  annotation_type_declaration: "interface",
  enum_declaration: "enum",
  method_declaration: "method",
  annotation_type_element_declaration: "method",
  constructor_declaration: "constructor",
  compact_constructor_declaration: "constructor",
};

const INTERESTING = [
  ...Object.keys(DECLARATION_KINDS),
  "method_invocation",
  "object_creation_expression",
  "explicit_constructor_invocation",
  "lambda_expression",
  "variable_declarator",
  "enum_constant",
  "class_body",
  "line_comment",
  "block_comment",
  "import_declaration",
];

const COMMENT_TYPES = new Set(["line_comment", "block_comment"]);
const ANNOTATION_TYPES = new Set(["annotation", "marker_annotation"]);

const FIELDS = ["body", "name", "parameters", "value", "object", "arguments", "type", "constructor"] as const;
type Fields = Record<(typeof FIELDS)[number], number>;

interface LambdaBinding {
  nameNode: Node;
  spanStart: number;
  spanEnd: number;
  anchor: number; // the Javadoc must end right before this offset
}

function slice(text: string, node: Node): string {
  return text.slice(node.startIndex, node.endIndex);
}

function isJavadoc(raw: string): boolean {
  return raw.startsWith("/**") && raw !== "/**/";
}

// Java reads unicode escapes (`\u00e9`, also `\uu00e9`) everywhere before anything else (JLS 3.3): this is the text
// javac lexes. A Javadoc's text is the decoded one (what javac's doc comment holds), and func-gen's similarity
// reads a body decoded. A backslash preceded by an odd number of backslashes starts no escape.
export function decodeJavaUnicodeEscapes(raw: string): string {
  if (!raw.includes("\\u")) return raw;
  return raw.replace(/(\\+)(u+)([0-9a-fA-F]{4})/g, (all, slashes: string, _u: string, hex: string) =>
    slashes.length % 2 === 1 ? slashes.slice(1) + String.fromCharCode(parseInt(hex, 16)) : all,
  );
}

// A unicode escape of a line terminator (`\u000a`, `\u000d`): javac ends the line there, so in a `//` comment the
// rest of the line is code, which tree-sitter reads as comment. (Never valid in a string or char literal, where a
// raw line end is an error too; legal but rare in a text block or a block comment.)
export function hasEscapedLineTerminator(text: string): boolean {
  return /(?<!\\)(?:\\\\)*\\u+000[aAdD]/.test(text);
}

// Top-level commas + 1 of a parenthesized list's inside (0 for an empty one), skipping strings, chars and nested
// (), [], {}; `<>` nest too when `angles` (a signature's generic types; in arguments `<` may be a comparison).
function listLength(inside: string, angles: boolean): number {
  if (inside.trim() === "") return 0;
  let depth = 0;
  let n = 1;
  for (let i = 0; i < inside.length; i++) {
    const c = inside[i] as string;
    if (c === '"' || c === "'") {
      for (i++; i < inside.length && inside[i] !== c; i++) if (inside[i] === "\\") i++;
    } else if (c === "(" || c === "[" || c === "{" || (angles && c === "<")) depth++;
    else if (c === ")" || c === "]" || c === "}" || (angles && c === ">")) depth--;
    else if (c === "," && depth === 0) n++;
  }
  return n;
}

// Whether a call of `def`'s own name (in `text`) cannot be `def` itself because its argument count does not fit
// `def`'s parameters: Java overloads share a name, and `add(e, data, size)` inside `add(E e)` is another method.
// A varargs method accepts any count from its fixed parameters up. False when either list cannot be read.
export function javaArityRulesOut(callSpan: { startOffset: number; endOffset: number }, nameEnd: number, signature: string, text: string): boolean {
  const call = text.slice(nameEnd, callSpan.endOffset);
  if (!call.trimStart().startsWith("(") || !call.endsWith(")")) return false;
  const args = listLength(call.trimStart().slice(1, -1), false);
  const open = signature.indexOf("(");
  const close = signature.lastIndexOf(")");
  if (open < 0 || close < open) return false;
  const paramText = signature.slice(open + 1, close);
  const params = listLength(paramText, true);
  if (paramText.includes("...")) return args < params - 1;
  return args !== params;
}

function modifiersOf(node: Node): Node | null {
  for (const c of node.namedChildren) if (c?.type === "modifiers") return c;
  return null;
}

// The identifier naming the type created by `new T(...)`: the last simple name of T (generic arguments and
// qualifiers dropped).
function createdTypeName(type: Node): Node | null {
  switch (type.type) {
    case "type_identifier":
    case "identifier":
      return type;
    case "scoped_type_identifier": {
      const last = type.namedChild(type.namedChildCount - 1);
      return last ? createdTypeName(last) : null;
    }
    case "generic_type": {
      const base = type.namedChild(0);
      return base ? createdTypeName(base) : null;
    }
    case "annotated_type": {
      const last = type.namedChild(type.namedChildCount - 1);
      return last ? createdTypeName(last) : null;
    }
    default:
      return null;
  }
}

// `import a.b.C;` → module "a.b", name C; `import a.b.*;` → module "a.b", name "*"; `import static a.B.m;` →
// module "a.B", name m (static imports name a member of a type, the type is the module).
function importRecord(node: Node, text: string, lines: LineIndex): ImportRecord | null {
  let path: string | null = null;
  let star = false;
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === "scoped_identifier" || c.type === "identifier") path = slice(text, c).replace(/\s+/g, "");
    else if (c.type === "asterisk") star = true;
  }
  if (path === null) return null;
  const span = lines.nodeSpan(node);
  if (star) return { module: path, names: [{ name: "*", alias: null }], alias: null, span };
  const dot = path.lastIndexOf(".");
  if (dot < 0) return { module: path, names: [], alias: null, span };
  return { module: path.slice(0, dot), names: [{ name: path.slice(dot + 1), alias: null }], alias: null, span };
}

function extract(tree: Tree, text: string, path: string): ExtractedFile {
  const lines = new LineIndex(text);
  const F: Fields = fieldIds(tree.language, FIELDS);
  const scopes = new ScopeStack(path);
  const imports: ImportRecord[] = [];
  const comments: CommentRecord[] = [];
  const lambdas = new Map<number, LambdaBinding>(); // lambda node id -> the variable it is bound to

  // javac's doc comment for a declaration starting at `anchor`: of the comments between the previous token and
  // `anchor`, the last /** */ one.
  const javadocAbove = (anchor: number): Docstring | null => {
    let pos = anchor;
    for (let i = comments.length - 1; i >= 0; i--) {
      const c = comments[i] as CommentRecord;
      if (c.span.endOffset > pos) continue;
      if (!isBlank(text, c.span.endOffset, pos)) return null;
      if (isJavadoc(c.text)) return { span: c.span, text: jsdocText(decodeJavaUnicodeEscapes(c.text)), raw: c.text };
      pos = c.span.startOffset;
    }
    return null;
  };

  // Where the signature starts: after the declaration's annotations (modifier keywords belong to it).
  const signatureStart = (node: Node): { start: number; firstAnnotation: Node | null } => {
    const mods = modifiersOf(node);
    let start = node.startIndex;
    let firstAnnotation: Node | null = null;
    if (mods) {
      for (const c of mods.children) {
        if (!c) continue;
        if (ANNOTATION_TYPES.has(c.type)) {
          firstAnnotation ??= c;
          start = c.endIndex;
        } else if (!COMMENT_TYPES.has(c.type)) break;
      }
      while (start < text.length && /\s/.test(text[start] as string)) start++;
    }
    return { start, firstAnnotation };
  };

  const defineDeclaration = (node: Node, kind: DefinitionKind): void => {
    const nameNode = fieldChild(node, F.name);
    const body = fieldChild(node, F.body);
    if (!nameNode) {
      scopes.pushAnonymous(node.endIndex, body?.startIndex ?? node.startIndex);
      return;
    }
    const { start: sigStart, firstAnnotation } = signatureStart(node);
    let sigEnd: number;
    if (body) sigEnd = trimEndOffset(text, body.startIndex);
    else sigEnd = text[node.endIndex - 1] === ";" ? trimEndOffset(text, node.endIndex - 1) : node.endIndex;
    const name = slice(text, nameNode);
    scopes.addDefinition(
      {
        kind,
        name,
        span: lines.nodeSpan(node),
        signatureSpan: lines.span(sigStart, Math.max(sigStart, sigEnd)),
        bodySpan: body ? lines.nodeSpan(body) : null,
        decoratorSpan: firstAnnotation ? lines.nodeSpan(firstAnnotation) : null,
        nameSpan: lines.nodeSpan(nameNode),
        docstring: javadocAbove(node.startIndex),
        scopeEnd: node.endIndex,
      },
      body ? body.startIndex : node.endIndex,
    );
  };

  const nodes = tree.rootNode.descendantsOfType(INTERESTING);
  for (const node of nodes) {
    if (!node) continue;
    const start = node.startIndex;
    const type = node.type;
    scopes.advance(start);
    const declKind = DECLARATION_KINDS[type];
    if (declKind) {
      defineDeclaration(node, declKind);
      continue;
    }
    switch (type) {
      case "line_comment":
      case "block_comment":
        comments.push({ span: lines.nodeSpan(node), text: slice(text, node) });
        break;
      case "import_declaration": {
        const rec = importRecord(node, text, lines);
        if (rec) imports.push(rec);
        break;
      }
      case "method_invocation": {
        const nameNode = fieldChild(node, F.name);
        if (!nameNode) break;
        const nameEnd = nameNode.endIndex;
        scopes.addCall({
          callee: text.slice(start, nameEnd),
          name: text.slice(nameNode.startIndex, nameEnd),
          span: lines.span(start, node.endIndex),
          nameSpan: lines.span(nameNode.startIndex, nameEnd),
          isNew: false,
        });
        break;
      }
      case "object_creation_expression": {
        const typeNode = fieldChild(node, F.type);
        if (!typeNode) break;
        const nameNode = createdTypeName(typeNode);
        const nameStart = nameNode ? nameNode.startIndex : typeNode.startIndex;
        const nameEnd = nameNode ? nameNode.endIndex : typeNode.endIndex;
        scopes.addCall({
          callee: slice(text, typeNode),
          name: nameNode ? text.slice(nameStart, nameEnd) : "",
          span: lines.span(start, node.endIndex),
          nameSpan: lines.span(nameStart, nameEnd),
          isNew: true,
        });
        break;
      }
      case "explicit_constructor_invocation": {
        const ctor = fieldChild(node, F.constructor);
        if (!ctor) break;
        scopes.addCall({
          callee: text.slice(start, ctor.endIndex),
          name: slice(text, ctor),
          span: lines.span(start, node.endIndex),
          nameSpan: lines.nodeSpan(ctor),
          isNew: false,
        });
        break;
      }
      case "class_body":
        // Only an anonymous class's body opens a scope here; declared classes opened theirs at the declaration.
        if (node.parent?.type === "object_creation_expression") scopes.pushAnonymous(node.endIndex, start);
        break;
      case "enum_constant": {
        const nameNode = fieldChild(node, F.name);
        if (nameNode && fieldChild(node, F.body)) scopes.pushNamespace(slice(text, nameNode), node.endIndex);
        break;
      }
      case "variable_declarator": {
        const nameNode = fieldChild(node, F.name);
        const value = fieldChild(node, F.value);
        if (!nameNode || value?.type !== "lambda_expression") break;
        let spanStart = start;
        let spanEnd = node.endIndex;
        let anchor = start;
        const decl = node.parent;
        if (decl && (decl.type === "field_declaration" || decl.type === "local_variable_declaration" || decl.type === "constant_declaration")) {
          const declarators = decl.namedChildren.filter((c) => c?.type === "variable_declarator");
          if (declarators[0]?.id === node.id) anchor = decl.startIndex;
          if (declarators.length === 1) {
            spanStart = decl.startIndex;
            spanEnd = decl.endIndex;
          }
        }
        lambdas.set(value.id, { nameNode, spanStart, spanEnd, anchor });
        break;
      }
      case "lambda_expression": {
        const body = fieldChild(node, F.body);
        const binding = lambdas.get(node.id);
        if (!binding) {
          scopes.pushAnonymous(node.endIndex, body?.startIndex ?? start);
          break;
        }
        lambdas.delete(node.id);
        const params = fieldChild(node, F.parameters);
        const name = slice(text, binding.nameNode);
        scopes.addDefinition(
          {
            kind: "arrow_function",
            name,
            span: lines.span(binding.spanStart, binding.spanEnd),
            signatureSpan: lines.span(start, params ? params.endIndex : start),
            bodySpan: body ? lines.nodeSpan(body) : null,
            decoratorSpan: null,
            nameSpan: lines.nodeSpan(binding.nameNode),
            docstring: javadocAbove(binding.anchor),
            scopeEnd: node.endIndex,
          },
          body ? body.startIndex : node.endIndex,
        );
        break;
      }
    }
  }
  return { definitions: scopes.definitions, imports, comments };
}

export const javaAdapter: LanguageAdapter = {
  id: "java",
  extensions: [".java"],
  grammar: "java",
  extract,
  isComment: (node) => COMMENT_TYPES.has(node.type),
  commentTypes: COMMENT_TYPES,
  docstringCandidateTypes: new Set(), // Javadoc blocks are comments, which the compare always drops
  isDocstring: (node) => node.type === "block_comment" && isJavadoc(node.text),
  atomicTypes: new Set(["string_literal", "character_literal"]),
  layoutTypes: new Set(),
};
