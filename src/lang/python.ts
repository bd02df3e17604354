// Python: definitions (def, async def, class, decorated), docstrings (first statement string), calls, imports,
// comments.

import type { Node, Tree } from "web-tree-sitter";
import type { ExtractedFile, LanguageAdapter } from "./adapter.js";
import { LineIndex, ScopeStack, cleandoc, fieldChild, fieldIds, trimEndOffset } from "./extract-common.js";
import { pythonIndentationError } from "./python-indentation.js";
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

// A string literal node's docstring reading, or null when Python would not treat it as a docstring (bytes and
// f-strings are not docstrings; raw and unicode prefixes are fine).
function docstringOf(stringNode: Node, text: string, lines: LineIndex): Docstring | null {
  const raw = text.slice(stringNode.startIndex, stringNode.endIndex);
  const m = STRING_PREFIX.exec(raw);
  if (!m) return null;
  const prefix = (m[1] as string).toLowerCase();
  if (/[bf]/.test(prefix)) return null;
  const quote = m[2] as string;
  const open = prefix.length + quote.length;
  const close = raw.endsWith(quote) && raw.length >= open + quote.length ? quote.length : 0;
  const content = raw.slice(open, raw.length - close);
  return { span: lines.nodeSpan(stringNode), text: cleandoc(content), raw };
}

// The first statement of a block when it is a lone string expression (comments before it are allowed).
export function pythonDocstringNode(block: Node | null): Node | null {
  if (!block) return null;
  const count = block.namedChildCount;
  for (let i = 0; i < count; i++) {
    const stmt = block.namedChild(i);
    if (!stmt) return null;
    if (stmt.type === "comment") continue;
    if (stmt.type !== "expression_statement" || stmt.namedChildCount !== 1) return null;
    const expr = stmt.namedChild(0);
    return expr && expr.type === "string" ? stmt : null;
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
    if (c === 34 || c === 39) return true; // " or '
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!letter) return c === 92 /* \ */ || c >= 128;
  }
  return false;
}

function isStringStatementDocstringLike(stmt: Node): boolean {
  const expr = stmt.namedChild(0);
  if (!expr) return false;
  const m = STRING_PREFIX.exec(expr.text.slice(0, 8));
  return !!m && !/[bf]/i.test(m[1] as string);
}

const FIELDS = ["function", "attribute", "body", "name", "superclasses", "return_type", "parameters"] as const;
type Fields = Record<(typeof FIELDS)[number], number>;

function calleeName(callee: Node, F: Fields): Node | null {
  switch (callee.type) {
    case "identifier":
      return callee;
    case "attribute": {
      const attr = fieldChild(callee, F.attribute);
      return attr && attr.type === "identifier" ? attr : null;
    }
    default:
      return null;
  }
}

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
  const nodes = tree.rootNode.descendantsOfType(INTERESTING);
  for (const node of nodes) {
    if (!node) continue;
    const start = node.startIndex;
    scopes.advance(start);
    switch (node.type) {
      case "comment":
        comments.push({ span: lines.nodeSpan(node), text: text.slice(start, node.endIndex) });
        break;
      case "call": {
        const callee = fieldChild(node, F.function);
        if (!callee) break;
        // Every tree-sitter accessor is a wasm round trip, so ends are read once: a name ends where its
        // identifier / attribute callee ends.
        const calleeEnd = callee.endIndex;
        const nameNode = calleeName(callee, F);
        const nameStart = nameNode ? nameNode.startIndex : callee.startIndex;
        const name = nameNode ? text.slice(nameStart, calleeEnd) : "";
        const nameSpan = lines.span(nameStart, calleeEnd);
        scopes.addCall({
          callee: text.slice(callee.startIndex, calleeEnd),
          name,
          span: lines.span(start, node.endIndex),
          nameSpan,
          isNew: false,
        });
        break;
      }
      case "lambda": {
        const body = fieldChild(node, F.body);
        scopes.pushAnonymous(node.endIndex, body ? body.startIndex : start);
        break;
      }
      case "default_parameter":
      case "typed_default_parameter":
        scopes.suspendHeaderPart(start, node.endIndex);
        break;
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
  return { definitions: scopes.definitions, imports, comments };
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
  commentMarker: "#",
  bodyPlaceholder: "pass  # TODO: Implement this function",
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
