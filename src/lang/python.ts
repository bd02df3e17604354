// Python: definitions (def, async def, class, decorated), docstrings (first statement string), calls, imports,
// comments.

import type { Node, Tree } from "web-tree-sitter";
import type { ExtractedFile, LanguageAdapter } from "./adapter.js";
import { LineIndex, ScopeStack, fieldChild, fieldIds, trimEndOffset } from "./extract-common.js";
import { pythonIndentationError } from "./python-indentation.js";
import { descendantRecords, scratchRecord } from "./wasm-nodes.js";
import type { CommentRecord, DefinitionKind, Docstring, ImportBinding, ImportRecord } from "./types.js";

const INTERESTING = [
  "function_definition",
  "class_definition",
  "decorated_definition",
  "call",
  "lambda",
  "default_parameter",
  "typed_default_parameter",
  "comment",
  "import_statement",
  "import_from_statement",
  "future_import_statement",
];

const STRING_PREFIX = /^([a-zA-Z]*)('''|"""|'|")/;

// Docstrings as CPython reads them (ast.get_docstring): the first statement of a module, class or function
// body when it is an expression statement whose value is a str constant. The parser folds implicit
// concatenation ("a" "b") and parentheses (("a")) into one constant, so both are docstrings; a bytes part or an
// f-string part makes it something else. The text is the string's value (escapes decoded) cleaned exactly like
// inspect.cleandoc.

// The string literal parts of a docstring-like expression, or null when CPython would not fold it into one str
// constant.
function docstringParts(expr: Node): Node[] | null {
  let node: Node | null = expr;
  while (node && node.type === "parenthesized_expression") {
    const inner: Node[] = node.namedChildren.filter((c): c is Node => !!c && c.type !== "comment");
    if (inner.length !== 1) return null;
    node = inner[0] as Node;
  }
  if (!node) return null;
  let parts: Node[];
  if (node.type === "string") parts = [node];
  else if (node.type === "concatenated_string") {
    parts = [];
    for (const c of node.namedChildren) {
      if (!c || c.type === "comment") continue;
      if (c.type !== "string") return null;
      parts.push(c);
    }
  } else return null;
  for (const part of parts) {
    const m = STRING_PREFIX.exec(part.text.slice(0, 8));
    if (!m || /[bf]/i.test(m[1] as string)) return null;
  }
  return parts;
}

const SIMPLE_ESCAPES: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

// The value of one non-bytes, non-f string literal, as CPython computes it; null for \N{...} (the name table
// is not at hand) and for escapes that do not compile.
function literalValue(raw: string): string | null {
  const m = STRING_PREFIX.exec(raw);
  if (!m) return null;
  const isRaw = /r/i.test(m[1] as string);
  const quote = m[2] as string;
  const open = (m[1] as string).length + quote.length;
  // Source line ends inside a literal read as "\n" (CPython translates them before tokenizing).
  const body = raw.slice(open, raw.length - quote.length).replace(/\r\n?/g, "\n");
  if (isRaw) return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== "\\" || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1] as string;
    if (next === "\n") {
      i++; // a backslash-newline continues the literal
    } else if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i++;
    } else if (/[0-7]/.test(next)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] as string;
      out += String.fromCodePoint(parseInt(oct, 8));
      i += oct.length;
    } else if (next === "x" || next === "u" || next === "U") {
      const len = next === "x" ? 2 : next === "u" ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + len);
      if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) return null;
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 1 + len;
    } else if (next === "N") {
      return null;
    } else {
      out += ch; // an unknown escape keeps its backslash
    }
  }
  return out;
}

// inspect.cleandoc, exactly: tabs expanded to columns of 8, the first line stripped on the left, the common
// indentation of the other non-blank lines removed, leading and trailing empty lines dropped.
export function pythonCleandoc(doc: string): string {
  const lines = expandTabs(doc).split("\n");
  let margin = Infinity;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const content = pyLstrip(line).length;
    if (content) margin = Math.min(margin, line.length - content);
  }
  if (lines.length > 0) lines[0] = pyLstrip(lines[0] as string);
  if (margin < Infinity) for (let i = 1; i < lines.length; i++) lines[i] = (lines[i] as string).slice(margin);
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  while (lines.length > 0 && lines[0] === "") lines.shift();
  return lines.join("\n");
}

// str.expandtabs(8): columns restart after "\n" and "\r".
function expandTabs(s: string): string {
  if (!s.includes("\t")) return s;
  let out = "";
  let col = 0;
  for (const ch of s) {
    if (ch === "\t") {
      const n = 8 - (col % 8);
      out += " ".repeat(n);
      col += n;
    } else {
      out += ch;
      col = ch === "\n" || ch === "\r" ? 0 : col + 1;
    }
  }
  return out;
}

// str.lstrip() with no argument: Python's whitespace, which includes \x1c-\x1f and \x85 unlike JavaScript's.
function pyLstrip(s: string): string {
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (!(/\s/.test(s[i] as string) || (c >= 0x1c && c <= 0x1f) || c === 0x85)) break;
    i++;
  }
  return s.slice(i);
}

// An expression's docstring reading, or null when Python would not treat it as a docstring.
function docstringOf(expr: Node, text: string, lines: LineIndex): Docstring | null {
  const parts = docstringParts(expr);
  if (!parts) return null;
  let value = "";
  for (const part of parts) {
    const v = literalValue(part.text);
    if (v === null) return null;
    value += v;
  }
  return { span: lines.nodeSpan(expr), text: pythonCleandoc(value), raw: text.slice(expr.startIndex, expr.endIndex) };
}

// The first statement of a block when it is a docstring-like expression statement (comments before it are
// allowed).
export function pythonDocstringNode(block: Node | null): Node | null {
  if (!block) return null;
  const count = block.namedChildCount;
  for (let i = 0; i < count; i++) {
    const stmt = block.namedChild(i);
    if (!stmt) return null;
    if (stmt.type === "comment") continue;
    if (stmt.type !== "expression_statement" || stmt.namedChildCount !== 1) return null;
    const expr = stmt.namedChild(0);
    return expr && docstringParts(expr) ? stmt : null;
  }
  return null;
}

// False when the text of a block, from `offset` on, certainly does not start (after blank space and comments)
// with a string literal, so it has no docstring. Reading the block's first statement takes several wasm round
// trips, and most definitions have no docstring. Anything unusual (a backslash, a non-ASCII character) answers
// true and leaves the decision to pythonDocstringNode.
function mayStartWithString(text: string, offset: number): boolean {
  let i = offset;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) i++;
    else if (c === 35 /* # */) {
      const eol = text.indexOf("\n", i);
      if (eol < 0) return false;
      i = eol + 1;
    } else break;
  }
  // A string may have a prefix of up to two letters (rb, Rb, u, f, ...): skip a few letters, then need a quote.
  for (let k = 0; k < 4 && i < text.length; k++, i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39 || c === 40) return true; // " or ' or ( (a parenthesized docstring)
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!letter) return c === 92 /* \ */ || c >= 128;
  }
  return false;
}

function isStringStatementDocstringLike(stmt: Node): boolean {
  const expr = stmt.namedChild(0);
  return !!expr && docstringParts(expr) !== null;
}

const FIELDS = ["function", "attribute", "body", "name", "superclasses", "return_type", "parameters"] as const;

function decoratorKind(decorators: Node[], text: string): "getter" | "setter" | null {
  for (const d of decorators) {
    const expr = text.slice(d.startIndex + 1, d.endIndex).trim();
    if (expr === "property" || expr === "functools.cached_property" || expr === "cached_property") return "getter";
    if (/\.setter$/.test(expr)) return "setter";
  }
  return null;
}

function importName(node: Node, text: string): ImportBinding {
  if (node.type === "aliased_import") {
    const name = node.childForFieldName("name");
    const alias = node.childForFieldName("alias");
    return {
      name: name ? text.slice(name.startIndex, name.endIndex) : "",
      alias: alias ? text.slice(alias.startIndex, alias.endIndex) : null,
    };
  }
  if (node.type === "wildcard_import") return { name: "*", alias: null };
  return { name: text.slice(node.startIndex, node.endIndex), alias: null };
}

function extractImports(node: Node, text: string, lines: LineIndex): ImportRecord[] {
  const span = lines.nodeSpan(node);
  const children = node.namedChildren.filter((c): c is Node => !!c && c.type !== "comment");
  if (node.type === "import_statement") {
    return children.map((c) => {
      const b = importName(c, text);
      return { module: b.name, names: [], alias: b.alias, span };
    });
  }
  // from-imports: the first named child is the module (dotted_name / relative_import), the rest are names.
  const moduleNode = node.type === "future_import_statement" ? null : node.childForFieldName("module_name");
  const module = moduleNode ? text.slice(moduleNode.startIndex, moduleNode.endIndex) : "__future__";
  const names = children.filter((c) => !moduleNode || c.id !== moduleNode.id).map((c) => importName(c, text));
  return [{ module, names, alias: null, span }];
}

function extract(tree: Tree, text: string, path: string): ExtractedFile {
  const lines = new LineIndex(text);
  const scopes = new ScopeStack(path);
  const imports: ImportRecord[] = [];
  const comments: CommentRecord[] = [];
  const decorated: Node[] = []; // decorated_definition nodes whose definition has not been reached yet
  const F = fieldIds(tree.language, FIELDS);
  // Records, not Node objects (wasm-nodes.ts): most of these are calls and comments, read through a few
  // accessors; a Node is made only for definitions and imports, which are explored further.
  const nodes = descendantRecords(tree, tree.rootNode, INTERESTING);
  const callee = scratchRecord(tree);
  const attribute = scratchRecord(tree);
  for (let i = 0; i < nodes.count; i++) {
    const start = nodes.start(i);
    scopes.advance(start);
    const type = nodes.type(i);
    switch (type) {
      case "comment": {
        const end = nodes.end(i);
        comments.push({ span: lines.span(start, end), text: text.slice(start, end) });
        break;
      }
      case "call": {
        if (!nodes.fieldChild(i, F.function, callee)) break;
        // A name ends where its identifier / attribute callee ends.
        const calleeStart = callee.start(0);
        const calleeEnd = callee.end(0);
        let nameStart = -1;
        const calleeType = callee.type(0);
        if (calleeType === "identifier") nameStart = calleeStart;
        else if (calleeType === "attribute" && callee.fieldChild(0, F.attribute, attribute) && attribute.type(0) === "identifier") nameStart = attribute.start(0);
        scopes.addCall({
          callee: text.slice(calleeStart, calleeEnd),
          name: nameStart >= 0 ? text.slice(nameStart, calleeEnd) : "",
          span: lines.span(start, nodes.end(i)),
          nameSpan: lines.span(nameStart >= 0 ? nameStart : calleeStart, calleeEnd),
          isNew: false,
        });
        break;
      }
      case "lambda": {
        const end = nodes.end(i);
        scopes.pushAnonymous(end, nodes.fieldChild(i, F.body, callee) ? callee.start(0) : start);
        break;
      }
      case "default_parameter":
      case "typed_default_parameter":
        scopes.suspendHeaderPart(start, nodes.end(i));
        break;
      default:
        extractDefinitionOrImport(nodes.node(i), type, start);
    }
  }
  return { definitions: scopes.definitions, imports, comments };

  function extractDefinitionOrImport(node: Node, type: string, start: number): void {
    switch (type) {
      case "decorated_definition":
        decorated.push(node);
        break;
      case "import_statement":
      case "import_from_statement":
      case "future_import_statement":
        imports.push(...extractImports(node, text, lines));
        break;
      case "function_definition":
      case "class_definition": {
        const end = node.endIndex;
        const nameNode = fieldChild(node, F.name);
        const body = fieldChild(node, F.body);
        if (!nameNode) break;
        let wrapper: Node | null = null;
        const last = decorated[decorated.length - 1];
        if (last && last.endIndex === end && last.startIndex < start) {
          wrapper = last;
          decorated.pop();
        }
        const decorators = wrapper ? wrapper.namedChildren.filter((c): c is Node => !!c && c.type === "decorator") : [];
        const isClass = node.type === "class_definition";
        const isAsync = !isClass && text.startsWith("async", start);
        const enclosing = scopes.top();
        const inClass = !!enclosing && enclosing.kind === "def" && enclosing.def?.kind === "class";
        let kind: DefinitionKind;
        if (isClass) kind = "class";
        else if (inClass) kind = decoratorKind(decorators, text) ?? (isAsync ? "async_method" : "method");
        else kind = isAsync ? "async_function" : "function";
        let sigEnd: number;
        if (isClass) {
          const sup = fieldChild(node, F.superclasses);
          sigEnd = (sup ?? nameNode).endIndex;
        } else {
          const ret = fieldChild(node, F.return_type);
          const params = fieldChild(node, F.parameters);
          sigEnd = (ret ?? params ?? nameNode).endIndex;
        }
        const docNode = body && mayStartWithString(text, body.startIndex) ? pythonDocstringNode(body) : null;
        const docString = docNode ? docNode.namedChild(0) : null;
        const firstDecorator = decorators[0];
        const defStart = wrapper ? wrapper.startIndex : start;
        scopes.addDefinition(
          {
            kind,
            name: text.slice(nameNode.startIndex, nameNode.endIndex),
            span: lines.span(defStart, end),
            signatureSpan: lines.span(start, sigEnd),
            bodySpan: body ? lines.span(body.startIndex, trimEndOffset(text, body.endIndex)) : null,
            decoratorSpan: firstDecorator ? lines.nodeSpan(firstDecorator) : null,
            nameSpan: lines.nodeSpan(nameNode),
            docstring: docString ? docstringOf(docString, text, lines) : null,
            scopeEnd: end,
          },
          body ? body.startIndex : end,
        );
        break;
      }
    }
  }
}

// True for the expression statement holding a docstring: the first statement of a module, class or function
// body when it is a lone (non-bytes, non-f) string.
function isDocstring(node: Node): boolean {
  if (node.type !== "expression_statement" || node.namedChildCount !== 1) return false;
  const parent = node.parent;
  if (!parent) return false;
  let container: Node | null = null;
  if (parent.type === "module") container = parent;
  else if (parent.type === "block") {
    const owner = parent.parent;
    if (owner && (owner.type === "function_definition" || owner.type === "class_definition")) container = parent;
  }
  if (!container) return false;
  const first = pythonDocstringNode(container);
  return !!first && first.id === node.id && isStringStatementDocstringLike(node);
}

export const pythonAdapter: LanguageAdapter = {
  id: "python",
  extensions: [".py", ".pyi"],
  grammar: "python",
  extract,
  isComment: (node) => node.type === "comment",
  commentTypes: new Set(["comment"]),
  docstringCandidateTypes: new Set(["expression_statement"]),
  isDocstring,
  atomicTypes: new Set(["string", "concatenated_string"]),
  layoutTypes: new Set(["line_continuation"]),
  languageError: (tree, text) => {
    const offset = pythonIndentationError(tree, text);
    return offset === null ? null : { offset, message: "indented differently from the statements around it (Python rejects it)" };
  },
};
