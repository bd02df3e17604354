// "Comments only" checking on syntax trees: two versions of a file are equal when their concrete syntax trees,
// with comment nodes (and optionally docstrings) removed, have the same node types in the same structure and the
// same leaf text. Anonymous nodes (keywords, operators, punctuation) count, string literals count by their whole
// text, and positions do not count: whitespace inside a line and blank lines are free, while re-indenting a
// Python statement into or out of a block changes which block holds it, so it differs.
//
// Python decision: re-indenting a whole block consistently (every statement of a body moved from 4 to 2 spaces)
// keeps the same tree, so it compares equal; it cannot change what the code does. Re-indenting one statement
// inconsistently (which CPython rejects but tree-sitter parses to the same tree) is a syntax error: see
// hasSyntaxErrors and python-indentation.ts.
//
// Speed: verification compares every changed file of every patch, and large files have 100k+ nodes. The two
// trees are walked with TreeCursors in lockstep; a JS Node object is only made for the rare docstring candidate,
// node types are compared by numeric id through per-language lookup tables, and leaf text by source offsets.

import type { Tree, TreeCursor } from "web-tree-sitter";
import type { LanguageAdapter } from "./adapter.js";
import { LineIndex } from "./extract-common.js";
import { loadedLanguage, parseAsEditOf, withCachedTree } from "./parser.js";
import { adapterFor } from "./registry.js";
import type { LanguageId, TreeCompareOptions, TreeCompareResult } from "./types.js";

const MAX_SNIPPET = 40;

// Per node type id: what the compare does with it.
const SKIP = 1; // comments and layout: never compared
const COMMENT = 2; // (with SKIP) a comment: does not stop a following statement from being a docstring
const ATOMIC = 4; // compared by its whole text
const DOC_CANDIDATE = 8; // may be a docstring (asks adapter.isDocstring when docstrings are ignored)

const typeTables = new Map<LanguageId, Uint8Array>();

function typeTable(adapter: LanguageAdapter): Uint8Array {
  let table = typeTables.get(adapter.grammar);
  if (table) return table;
  const lang = loadedLanguage(adapter.grammar);
  table = new Uint8Array(lang.nodeTypeCount);
  for (let id = 0; id < table.length; id++) {
    const name = lang.nodeTypeForId(id);
    if (name === null) continue;
    let flags = 0;
    if (adapter.commentTypes.has(name)) flags |= SKIP | COMMENT;
    if (adapter.layoutTypes.has(name)) flags |= SKIP;
    if (adapter.atomicTypes.has(name)) flags |= ATOMIC;
    if (adapter.docstringCandidateTypes.has(name)) flags |= DOC_CANDIDATE;
    table[id] = flags;
  }
  typeTables.set(adapter.grammar, table);
  return table;
}

function snippet(s: string): string {
  const one = s.replace(/\s+/g, " ");
  return one.length > MAX_SNIPPET ? `${one.slice(0, MAX_SNIPPET)}…` : one;
}

function describe(cursor: TreeCursor, text: string): string {
  return cursor.nodeIsNamed ? `'${cursor.nodeType}' (${snippet(text.slice(cursor.startIndex, cursor.endIndex))})` : `'${cursor.nodeType}'`;
}

export function compareTrees(language: LanguageId, before: string, after: string, opts: TreeCompareOptions = {}): TreeCompareResult {
  const adapter = adapterFor(language);
  return withCachedTree(adapter.grammar, before, (treeA) => {
    // Parsed as an edit of `before`: faster, and every subtree outside the edit is shared with treeA, which the
    // walk recognises by node id and skips.
    const treeB = parseAsEditOf(adapter.grammar, treeA, before, after);
    try {
      return compareParsed(adapter, treeA, before, treeB, after, opts);
    } finally {
      treeB.delete();
    }
  });
}

class LockstepCompare {
  private readonly table: Uint8Array;
  private readonly ignoreDocstrings: boolean;

  constructor(
    private readonly adapter: LanguageAdapter,
    private readonly a: TreeCursor,
    private readonly textA: string,
    private readonly b: TreeCursor,
    private readonly textB: string,
    opts: TreeCompareOptions,
  ) {
    this.table = typeTable(adapter);
    this.ignoreDocstrings = opts.ignoreDocstrings === true;
  }

  private flags(id: number): number {
    return id < this.table.length ? (this.table[id] as number) : 0; // ERROR (65535) and the like: compared as is
  }

  // From the first child of a node, moves to the first child that is compared. False when there is none.
  private firstSignificant(cursor: TreeCursor): boolean {
    let first = true; // still before the first statement: a docstring may come
    do {
      const f = this.flags(cursor.nodeTypeId);
      if (f & SKIP) {
        if (!(f & COMMENT)) first = false;
        continue;
      }
      if (first && f & DOC_CANDIDATE && this.ignoreDocstrings && this.adapter.isDocstring(cursor.currentNode)) {
        first = false;
        continue;
      }
      return true;
    } while (cursor.gotoNextSibling());
    return false;
  }

  // Moves to the next sibling that is compared. False when there is none (the cursor is then on the last sibling).
  private nextSignificant(cursor: TreeCursor): boolean {
    while (cursor.gotoNextSibling()) {
      if (!(this.flags(cursor.nodeTypeId) & SKIP)) return true;
    }
    return false;
  }

  private differ(reason: string, offsetA: number, offsetB: number): TreeCompareResult {
    return { equal: false, before: new LineIndex(this.textA).point(offsetA), after: new LineIndex(this.textB).point(offsetB), reason };
  }

  // One side has a node the other does not (`extra` is on it). `other` is on the last child of the parent that
  // lacks the node (otherOnChild) or on that parent itself (it has no children at all); it is reported at the
  // parent's end.
  private extra(extra: TreeCursor, other: TreeCursor, extraIsBefore: boolean, otherOnChild: boolean): TreeCompareResult {
    const text = extraIsBefore ? this.textA : this.textB;
    const what = `extra node ${extraIsBefore ? "before" : "after"}: ${describe(extra, text)}`;
    const at = extra.startIndex;
    if (otherOnChild) other.gotoParent();
    const otherAt = other.endIndex;
    return extraIsBefore ? this.differ(what, at, otherAt) : this.differ(what, otherAt, at);
  }

  run(): TreeCompareResult {
    const { a, b, textA, textB } = this;
    for (;;) {
      // Both cursors are on nodes to compare.
      const id = a.nodeTypeId;
      if (id !== b.nodeTypeId) return this.differ(`node type differs: '${a.nodeType}' vs '${b.nodeType}'`, a.startIndex, b.startIndex);
      // The same node id on both sides means the same subtree, shared by the incremental parse: equal.
      const shared = a.nodeId === b.nodeId;
      let leaf = !shared && (this.flags(id) & ATOMIC) !== 0;
      if (!leaf && !shared) {
        const downA = a.gotoFirstChild();
        const downB = b.gotoFirstChild();
        if (!downA && !downB) leaf = true;
        else {
          const hasA = downA && this.firstSignificant(a);
          const hasB = downB && this.firstSignificant(b);
          if (hasA && hasB) continue;
          if (hasA) return this.extra(a, b, true, downB);
          if (hasB) return this.extra(b, a, false, downA);
          if (downA) a.gotoParent();
          if (downB) b.gotoParent();
        }
      }
      if (leaf) {
        const sa = a.startIndex;
        const ea = a.endIndex;
        const sb = b.startIndex;
        const eb = b.endIndex;
        if (ea - sa !== eb - sb || textA.slice(sa, ea) !== textB.slice(sb, eb)) {
          return this.differ(`text differs: '${snippet(textA.slice(sa, ea))}' vs '${snippet(textB.slice(sb, eb))}'`, sa, sb);
        }
      }
      // Advance both to the next node in document order.
      for (;;) {
        const nextA = this.nextSignificant(a);
        const nextB = this.nextSignificant(b);
        if (nextA && nextB) break;
        if (nextA) return this.extra(a, b, true, true);
        if (nextB) return this.extra(b, a, false, true);
        const upA = a.gotoParent();
        const upB = b.gotoParent();
        if (!upA || !upB) return { equal: true };
      }
    }
  }
}

function compareParsed(adapter: LanguageAdapter, treeA: Tree, textA: string, treeB: Tree, textB: string, opts: TreeCompareOptions): TreeCompareResult {
  const a = treeA.walk();
  const b = treeB.walk();
  try {
    return new LockstepCompare(adapter, a, textA, b, textB, opts).run();
  } finally {
    a.delete();
    b.delete();
  }
}

export interface SyntaxErrorInfo {
  line: number; // 1-based
  column: number; // 0-based
  message: string; // what is wrong, for violation messages
}

// The first syntax error of a text, or null when it parses: ERROR or MISSING nodes from tree-sitter, or what the
// language rejects although the grammar accepted it (Python: inconsistent indentation, which CPython reports as
// "unexpected indent" / "unindent does not match any outer indentation level"). The grammar must be loaded: see
// initLanguages. `base` (optional) is a version `text` was probably edited from, for a faster parse.
export function findSyntaxError(language: LanguageId, text: string, base?: string): SyntaxErrorInfo | null {
  const adapter = adapterFor(language);
  return withCachedTree(adapter.grammar, text, (tree) => {
    const root = tree.rootNode;
    if (root.hasError) {
      const at = firstErrorOffset(tree);
      const p = new LineIndex(text).point(at);
      return { ...p, message: `syntax error at line ${p.line}` };
    }
    const error = adapter.languageError?.(tree, text) ?? null;
    if (error === null) return null;
    const p = new LineIndex(text).point(error.offset);
    return { ...p, message: `line ${p.line}: ${error.message}` };
  }, base);
}

// True when findSyntaxError finds an error.
export function hasSyntaxErrors(language: LanguageId, text: string, base?: string): boolean {
  const adapter = adapterFor(language);
  return withCachedTree(adapter.grammar, text, (tree) => tree.rootNode.hasError || (adapter.languageError?.(tree, text) ?? null) !== null, base);
}

// Start of the first ERROR or MISSING node in document order.
function firstErrorOffset(tree: Tree): number {
  const cursor = tree.walk();
  try {
    for (;;) {
      if (cursor.nodeType === "ERROR" || cursor.nodeIsMissing) return cursor.startIndex;
      // Only descend into nodes that contain an error.
      if (cursor.currentNode.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return 0;
      }
    }
  } finally {
    cursor.delete();
  }
}
