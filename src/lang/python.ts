// Python: definitions (def, async def, class, decorated), docstrings (first statement string), calls, imports,
// comments.

import type { Node, Tree } from "web-tree-sitter";
import type { ExtractedFile, LanguageAdapter } from "./adapter.js";
import { LineIndex, ScopeStack, fieldIds, trimEndOffset } from "./extract-common.js";
import { pythonIndentationError } from "./python-indentation.js";
import { descendantRecords, scratchRecord, type NodeRecords } from "./wasm-nodes.js";
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
  // Runs without a backslash are copied whole; most docstrings have none.
  let out = "";
  let i = 0;
  for (;;) {
    const at = body.indexOf("\\", i);
    if (at < 0 || at + 1 >= body.length) return out + body.slice(i); // a backslash at the very end stays as it is
    out += body.slice(i, at);
    const next = body[at + 1] as string;
    i = at + 2;
    if (next === "\n") {
      // a backslash-newline continues the literal
    } else if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
    } else if (/[0-7]/.test(next)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(at + 1))?.[0] as string;
      out += String.fromCodePoint(parseInt(oct, 8));
      i = at + 1 + oct.length;
    } else if (next === "x" || next === "u" || next === "U") {
      const len = next === "x" ? 2 : next === "u" ? 4 : 8;
      const hex = body.slice(at + 2, at + 2 + len);
      if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) return null;
      out += String.fromCodePoint(parseInt(hex, 16));
      i = at + 2 + len;
    } else if (next === "N") {
      return null;
    } else {
      out += "\\"; // an unknown escape keeps its backslash; the character after it is read as usual
      i = at + 1;
    }
  }
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
    if (c === 32) {
      i++; // the common case, without the regular expression
      continue;
    }
    if (!(/\s/.test(s[i] as string) || (c >= 0x1c && c <= 0x1f) || c === 0x85)) break;
    i++;
  }
  return s.slice(i);
}

// The docstring of the body block in record 0 of `body` (docstringParts' rule, read from records: a few wasm calls
// instead of a Node per child), or null when Python would not treat its first statement as one. `statement` is
// scratch.
function bodyDocstring(body: NodeRecords, statement: NodeRecords, text: string, lines: LineIndex): Docstring | null {
  // Child by child (a body can have thousands of statements; only the first that is not a comment matters).
  for (let i = 0; body.namedChild(0, i, statement); i++) {
    const type = statement.type(0);
    if (type === "comment") continue;
    if (type !== "expression_statement") return null;
    const inner = statement.namedChildren(0);
    if (inner.count !== 1) return null;
    const parts = docstringPartRecords(inner, 0, text);
    if (!parts) return null;
    let value = "";
    for (let k = 0; k < parts.length; k += 2) {
      const v = literalValue(text.slice(parts[k] as number, parts[k + 1] as number));
      if (v === null) return null;
      value += v;
    }
    const start = inner.start(0);
    const end = inner.end(0);
    return { span: lines.span(start, end), text: pythonCleandoc(value), raw: text.slice(start, end) };
  }
  return null;
}

// docstringParts for record `at` of `records`: the parts' start and end offsets, flat, or null.
function docstringPartRecords(records: NodeRecords, at: number, text: string): number[] | null {
  let recs = records;
  let k = at;
  let type = recs.type(k);
  while (type === "parenthesized_expression") {
    const inner = recs.namedChildren(k);
    let only = -1;
    let n = 0;
    for (let j = 0; j < inner.count; j++) {
      if (inner.type(j) === "comment") continue;
      only = j;
      n++;
    }
    if (n !== 1) return null;
    recs = inner;
    k = only;
    type = recs.type(k);
  }
  const parts: number[] = [];
  if (type === "string") parts.push(recs.start(k), recs.end(k));
  else if (type === "concatenated_string") {
    const children = recs.namedChildren(k);
    for (let j = 0; j < children.count; j++) {
      const t = children.type(j);
      if (t === "comment") continue;
      if (t !== "string") return null;
      parts.push(children.start(j), children.end(j));
    }
  } else return null;
  for (let j = 0; j < parts.length; j += 2) {
    const start = parts[j] as number;
    const m = STRING_PREFIX.exec(text.slice(start, Math.min(start + 8, parts[j + 1] as number)));
    if (!m || /[bf]/i.test(m[1] as string)) return null;
  }
  return parts;
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
  // decorated_definition nodes whose definition has not been reached yet: their record and offsets.
  const decorated: { at: number; start: number; end: number }[] = [];
  const F = fieldIds(tree.language, FIELDS);
  // Records, not Node objects (wasm-nodes.ts): calls, comments and definitions are read through a few accessors,
  // each one wasm call; a Node is made only for imports, a decorated definition's decorators and a body that may
  // hold a docstring, which are explored further.
  const nodes = descendantRecords(tree, tree.rootNode, INTERESTING);
  const callee = scratchRecord(tree);
  const attribute = scratchRecord(tree);
  const nameRecord = scratchRecord(tree);
  const bodyRecord = scratchRecord(tree);
  const part = scratchRecord(tree);
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
      case "decorated_definition":
        decorated.push({ at: i, start, end: nodes.end(i) });
        break;
      case "function_definition":
      case "class_definition":
        extractDefinition(i, type === "class_definition", start);
        break;
      case "import_statement":
      case "import_from_statement":
      case "future_import_statement":
        imports.push(...extractImports(nodes.node(i), text, lines));
        break;
    }
  }
  return { definitions: scopes.definitions, imports, comments };

  function extractDefinition(i: number, isClass: boolean, start: number): void {
    const end = nodes.end(i);
    const hasBody = nodes.fieldChild(i, F.body, bodyRecord);
    if (!nodes.fieldChild(i, F.name, nameRecord)) return;
    const nameStart = nameRecord.start(0);
    const nameEnd = nameRecord.end(0);
    let wrapper: { at: number; start: number; end: number } | null = null;
    const last = decorated[decorated.length - 1];
    if (last && last.end === end && last.start < start) {
      wrapper = last;
      decorated.pop();
    }
    const decorators = wrapper ? nodes.node(wrapper.at).namedChildren.filter((c): c is Node => !!c && c.type === "decorator") : [];
    const isAsync = !isClass && text.startsWith("async", start);
    const enclosing = scopes.top();
    const inClass = !!enclosing && enclosing.kind === "def" && enclosing.def?.kind === "class";
    let kind: DefinitionKind;
    if (isClass) kind = "class";
    else if (inClass) kind = decoratorKind(decorators, text) ?? (isAsync ? "async_method" : "method");
    else kind = isAsync ? "async_function" : "function";
    // The signature ends with the superclasses (class), or the return type, else the parameters (function).
    let sigEnd = nameEnd;
    if (isClass) {
      if (nodes.fieldChild(i, F.superclasses, part)) sigEnd = part.end(0);
    } else if (nodes.fieldChild(i, F.return_type, part) || nodes.fieldChild(i, F.parameters, part)) sigEnd = part.end(0);
    const bodyStart = hasBody ? bodyRecord.start(0) : -1;
    const firstDecorator = decorators[0];
    const defStart = wrapper ? wrapper.start : start;
    scopes.addDefinition(
      {
        kind,
        name: text.slice(nameStart, nameEnd),
        span: lines.span(defStart, end),
        signatureSpan: lines.span(start, sigEnd),
        bodySpan: hasBody ? lines.span(bodyStart, trimEndOffset(text, bodyRecord.end(0))) : null,
        decoratorSpan: firstDecorator ? lines.nodeSpan(firstDecorator) : null,
        nameSpan: lines.span(nameStart, nameEnd),
        docstring: hasBody && mayStartWithString(text, bodyStart) ? bodyDocstring(bodyRecord, part, text, lines) : null,
        scopeEnd: end,
      },
      hasBody ? bodyStart : end,
    );
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
