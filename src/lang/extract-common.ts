// Machinery shared by the language adapters: offset -> Point conversion, spans, and the scope stack that turns a
// flat, document-ordered list of interesting nodes into nested definitions with qualified names and call lists.
//
// Why a flat list: walking every node of a tree from JavaScript costs a wasm round trip per node, which is as
// slow as parsing itself. `descendantsOfType` collects the few node types we care about in one wasm call, in
// document (pre-)order, and nesting is recovered from offsets: a node is inside a scope iff it starts before the
// scope's end.

import type { Language, Node } from "web-tree-sitter";
import type { CallSite, Definition, DefinitionKind, Docstring, Point, Span } from "./types.js";

// Maps string offsets to 1-based lines and 0-based UTF-16 columns. Computing columns from JS string offsets makes
// them UTF-16 code units by construction, whatever unit the parser uses internally.
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    let i = text.indexOf("\n");
    while (i >= 0) {
      this.starts.push(i + 1);
      i = text.indexOf("\n", i + 1);
    }
  }
  private lastLine = 0; // offsets mostly arrive in increasing order: try the last line and the next first

  point(offset: number): Point {
    const starts = this.starts;
    const last = this.lastLine;
    const lastStart = starts[last] as number;
    if (offset >= lastStart) {
      const next = starts[last + 1];
      if (next === undefined || offset < next) return { line: last + 1, column: offset - lastStart };
      const after = starts[last + 2];
      if (after === undefined || offset < after) {
        this.lastLine = last + 1;
        return { line: last + 2, column: offset - next };
      }
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.lastLine = lo;
    return { line: lo + 1, column: offset - (starts[lo] as number) };
  }
  span(startOffset: number, endOffset: number): Span {
    return { start: this.point(startOffset), end: this.point(endOffset), startOffset, endOffset };
  }
  nodeSpan(node: Node): Span {
    return this.span(node.startIndex, node.endIndex);
  }
}

// Position of the first non-whitespace character at or before `offset` (exclusive end), scanning backwards.
export function trimEndOffset(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && /\s/.test(text[i - 1] as string)) i--;
  return i;
}

export function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11) return false;
  }
  return true;
}

// Like Python's inspect.cleandoc: tabs expanded, first line stripped on the left, the common indentation of the
// other lines removed, leading and trailing blank lines dropped.
export function cleandoc(content: string): string {
  const lines = content.replace(/\t/g, "        ").split(/\r?\n/);
  let margin = Infinity;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const stripped = line.trimStart();
    if (stripped.length > 0) margin = Math.min(margin, line.length - stripped.length);
  }
  const out = lines.map((line, i) => (i === 0 ? line.trimStart() : margin === Infinity ? line.trim() : line.slice(margin).trimEnd()));
  while (out.length > 0 && (out[0] as string).trim() === "") out.shift();
  while (out.length > 0 && (out[out.length - 1] as string).trim() === "") out.pop();
  return out.join("\n");
}

// Text of a /** ... */ block: markers and the leading " * " of each line removed, then common indentation.
export function jsdocText(raw: string): string {
  const inner = raw.replace(/^\/\*\*/, "").replace(/\*\/$/, "");
  const lines = inner.split(/\r?\n/).map((line) => line.replace(/^\s*\* ?/, "").trimEnd());
  return cleandoc(lines.join("\n"));
}

// Definitions that declare a type (their members are not nested definitions), as opposed to functions.
const TYPE_KINDS: ReadonlySet<DefinitionKind> = new Set<DefinitionKind>(["class", "struct", "interface", "enum", "trait", "impl"]);

interface ScopeEntry {
  end: number; // string offset one past the scope's last character
  kind: "def" | "anon" | "namespace";
  name: string; // qualname part ("" for anon)
  def: Definition | null;
  isFunction: boolean; // functions (of any kind) make what they enclose nested; classes and namespaces do not
  bodyStart: number; // calls before this (decorators, default values) run in the enclosing scope
  suspendedUntil: number; // while a call starts before this offset, the scope does not own it
}

export interface NewDefinition {
  kind: DefinitionKind;
  name: string;
  qualnamePart?: string; // what this definition adds to qualnames when it differs from `name` (`Foo.prototype.bar`)
  span: Span;
  signatureSpan: Span;
  bodySpan: Span | null;
  decoratorSpan: Span | null;
  nameSpan: Span;
  docstring: Docstring | null;
  scopeEnd: number; // where its scope ends (usually span.endOffset)
}

// Keeps the stack of open definitions / anonymous functions / namespaces while a document-ordered node list is
// processed, names definitions, makes keys unique, and hands each call to every definition that owns it.
export class ScopeStack {
  private readonly stack: ScopeEntry[] = [];
  private readonly seen = new Map<string, number>();
  readonly definitions: Definition[] = [];

  // `separator` joins qualname parts: "." (Python, TS/JS, Go, Java) or "::" (Rust's `Type::method`).
  constructor(
    private readonly path: string,
    private readonly separator = ".",
  ) {}

  // Closes every scope that ends at or before `offset`; call it before handling a node that starts at `offset`.
  advance(offset: number): void {
    const stack = this.stack;
    while (stack.length > 0 && (stack[stack.length - 1] as ScopeEntry).end <= offset) stack.pop();
  }

  top(): ScopeEntry | undefined {
    return this.stack[this.stack.length - 1];
  }

  // The innermost definition (not namespace or anonymous function) enclosing the current position.
  innermostDefinition(): Definition | null {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const e = this.stack[i] as ScopeEntry;
      if (e.def) return e.def;
    }
    return null;
  }

  addDefinition(d: NewDefinition, bodyStart: number): Definition {
    let parent: Definition | null = null;
    let isNested = false;
    const parts: string[] = [];
    for (const e of this.stack) {
      if (e.name) parts.push(e.name);
      if (e.def) parent = e.def;
      if (e.isFunction) isNested = true;
    }
    parts.push(d.qualnamePart ?? d.name);
    const qualname = parts.join(this.separator);
    const n = (this.seen.get(qualname) ?? 0) + 1;
    this.seen.set(qualname, n);
    const key = n === 1 ? qualname : `${qualname}#${n}`;
    const def: Definition = {
      kind: d.kind,
      name: d.name,
      qualname,
      key,
      qualifiedName: `${this.path}::${key}`,
      parent: parent ? parent.key : null,
      isNested,
      span: d.span,
      signatureSpan: d.signatureSpan,
      bodySpan: d.bodySpan,
      decoratorSpan: d.decoratorSpan,
      nameSpan: d.nameSpan,
      docstring: d.docstring,
      calls: [],
    };
    this.definitions.push(def);
    this.stack.push({
      end: d.scopeEnd,
      kind: "def",
      name: d.qualnamePart ?? d.name,
      def,
      isFunction: !TYPE_KINDS.has(d.kind), // a function's contents are nested; a type's members are not
      bodyStart,
      suspendedUntil: -1,
    });
    return def;
  }

  // A function without a name of its own (lambda, callback arrow): calls in it are nested for the enclosing ones.
  pushAnonymous(end: number, bodyStart: number): void {
    this.stack.push({ end, kind: "anon", name: "", def: null, isFunction: true, bodyStart, suspendedUntil: -1 });
  }

  // A named container that is not a definition (`const obj = {...}`, a TS namespace): only adds a qualname part.
  pushNamespace(name: string, end: number): void {
    this.stack.push({ end, kind: "namespace", name, def: null, isFunction: false, bodyStart: -1, suspendedUntil: -1 });
  }

  // A decorator or parameter default value at [start, end): if it belongs to the header of the innermost scope
  // (it starts before that scope's body), the calls in it are evaluated in the enclosing scope, so the innermost
  // scope stops owning calls until `end`.
  suspendHeaderPart(start: number, end: number): void {
    const top = this.top();
    if (top && top.kind !== "namespace" && start < top.bodyStart) top.suspendedUntil = Math.max(top.suspendedUntil, end);
  }

  addCall(call: Omit<CallSite, "inNested">): void {
    const at = call.span.startOffset;
    let nestedAbove = false;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const e = this.stack[i] as ScopeEntry;
      if (e.suspendedUntil > at) continue;
      // A literal, not a spread: spreading shows in profiles, once per enclosing definition of every call. The
      // key order is the one `{ ...call, inNested }` gave (callers build `call` in CallSite's order), so the JSON
      // of an index does not change.
      if (e.def) e.def.calls.push({ callee: call.callee, name: call.name, span: call.span, nameSpan: call.nameSpan, isNew: call.isNew, inNested: nestedAbove });
      if (e.kind !== "namespace") nestedAbove = true;
    }
  }
}

// Field ids per grammar. `Node.childForFieldName` looks the name up in the grammar's field list on every call,
// which shows in profiles of the extraction loop; adapters resolve their field names once.
const fieldIdCache = new WeakMap<Language, Map<string, number>>();

export function fieldIds<K extends string>(language: Language, names: readonly K[]): Record<K, number> {
  let cache = fieldIdCache.get(language);
  if (!cache) {
    cache = new Map();
    fieldIdCache.set(language, cache);
  }
  const out = {} as Record<K, number>;
  for (const name of names) {
    let id = cache.get(name);
    if (id === undefined) {
      id = language.fieldIdForName(name) ?? -1; // -1: this grammar has no such field; childForFieldId gives null
      cache.set(name, id);
    }
    out[name] = id;
  }
  return out;
}

export function fieldChild(node: Node, fieldId: number): Node | null {
  return fieldId < 0 ? null : node.childForFieldId(fieldId);
}
