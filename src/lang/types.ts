// The code index data model. Every other module (tasks, resolve, verifiers) reads these shapes, so they are
// plain JSON-serialisable objects: an index written as JSONL by `hgym index` can be read back unchanged.
//
// Coordinates: lines are 1-based (what a person and an editor show), columns are 0-based and counted in
// UTF-16 code units, and offsets are JavaScript string indices into the file's text. UTF-16 columns are what the
// LSP (pyright) and the TypeScript language service use by default, so positions pass between them unconverted;
// byte columns would break on non-ASCII lines.

export type LanguageId = "python" | "typescript" | "tsx" | "javascript" | "go" | "java" | "rust";

export interface Point {
  line: number; // 1-based
  column: number; // 0-based, UTF-16 code units
}

export interface Span {
  start: Point;
  end: Point;
  startOffset: number; // string index of the first character
  endOffset: number; // string index one past the last character
}

export type DefinitionKind =
  | "function" // def f / function f
  | "async_function" // async def f / async function f
  | "method" // a function defined directly in a class body (or object literal method)
  | "async_method"
  | "getter"
  | "setter"
  | "constructor"
  | "class" // also a Java record
  | "struct" // Go struct type, Rust struct
  | "interface" // Go/Java/TS interface, Java annotation type
  | "enum" // Java/Rust enum
  | "trait" // Rust trait
  | "impl" // Rust impl block (its methods are its children)
  | "arrow_function" // const f = () => ...
  | "function_expression"; // const f = function () {...}

export interface Docstring {
  span: Span; // the whole string literal (Python) or the whole /** */ comment (TS/JS)
  text: string; // the content with quotes / comment markers and common indentation removed
  raw: string; // the exact source text of span
}

export interface CallSite {
  callee: string; // source text of the callee expression, e.g. "self.helper" or "utils.parse"
  name: string; // the called name: last identifier of the callee ("helper", "parse"); "" if none
  span: Span; // the whole call expression
  nameSpan: Span; // the `name` identifier (where a resolver should ask "go to definition")
  inNested: boolean; // true when the call sits inside a nested definition (def / lambda / arrow) of the owner
  isNew: boolean; // `new X()` in TS/JS; always false in Python (instantiation is a plain call there)
}

export interface Definition {
  kind: DefinitionKind;
  name: string;
  qualname: string; // "Outer.method", "outer.<locals>.inner" is NOT used: nesting is "outer.inner"
  key: string; // qualname, made unique within the file: the n-th (n >= 2) repeat gets "#n" appended
  qualifiedName: string; // "<path>::<key>"
  parent: string | null; // key of the enclosing definition, null at module level
  isNested: boolean; // enclosed by a function (not only by classes)
  span: Span; // the whole definition, from the first decorator (if any) to the end of the body
  signatureSpan: Span; // from the def/function/class keyword (or name) through the parameters / return type
  bodySpan: Span | null; // the body block (Python: the statements; TS/JS: the { } block or arrow expression)
  decoratorSpan: Span | null; // the first decorator
  nameSpan: Span;
  docstring: Docstring | null;
  calls: CallSite[]; // every call lexically inside this definition, including nested ones (flagged)
}

export interface ImportBinding {
  name: string; // imported name ("*" for star, "default" for default import)
  alias: string | null;
}

export interface ImportRecord {
  module: string; // "os.path", "./util", "..pkg.mod"
  names: ImportBinding[]; // empty for `import x` / `import "x"`
  alias: string | null; // `import numpy as np`, `import * as ns from`
  span: Span;
}

export interface CommentRecord {
  span: Span;
  text: string;
}

export interface FileIndex {
  path: string; // repository-relative, forward slashes
  language: LanguageId;
  bytes: number;
  hasErrors: boolean; // tree-sitter found ERROR or MISSING nodes; the index holds what it recovered
  errorPoints: Point[]; // first few error positions, for reporting
  definitions: Definition[];
  imports: ImportRecord[];
  comments: CommentRecord[];
}

export interface TreeCompareOptions {
  ignoreDocstrings?: boolean; // also drop docstrings (Python first-statement strings, TS/JS /** */ blocks)
}

export type TreeCompareResult =
  | { equal: true }
  | { equal: false; before: Point | null; after: Point | null; reason: string };
