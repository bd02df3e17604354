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
import { loadedLanguage, withTree } from "./parser.js";
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
  return withTree(adapter.grammar, before, (treeA) =>
    withTree(adapter.grammar, after, (treeB) => compareParsed(adapter, treeA, before, treeB, after, opts)),
  );
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

  // One side has a node the other does not (`extra` is on it); `other` has just run out of siblings.
  private extra(extra: TreeCursor, other: TreeCursor, extraIsBefore: boolean): TreeCompareResult {
    const text = extraIsBefore ? this.textA : this.textB;
    const what = `extra node ${extraIsBefore ? "before" : "after"}: ${describe(extra, text)}`;
    const at = extra.startIndex;
    // The other side is reported at the end of the parent that lacks the node.
    const otherAt = other.gotoParent() ? other.endIndex : other.endIndex;
    return extraIsBefore ? this.differ(what, at, otherAt) : this.differ(what, otherAt, at);
  }

  run(): TreeCompareResult {
    const { a, b, textA, textB } = this;
    for (;;) {
      // Both cursors are on nodes to compare.
      const id = a.nodeTypeId;
      if (id !== b.nodeTypeId) return this.differ(`node type differs: '${a.nodeType}' vs '${b.nodeType}'`, a.startIndex, b.startIndex);
      let leaf = (this.flags(id) & ATOMIC) !== 0;
      if (!leaf) {
        const downA = a.gotoFirstChild();
        const downB = b.gotoFirstChild();
        if (!downA && !downB) leaf = true;
        else {
          const hasA = downA && this.firstSignificant(a);
          const hasB = downB && this.firstSignificant(b);
          if (hasA && hasB) continue;
          if (hasA) return downB ? this.extra(a, b, true) : this.extraBelow(a, b, true);
          if (hasB) return downA ? this.extra(b, a, false) : this.extraBelow(b, a, false);
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
        if (nextA) return this.extra(a, b, true);
        if (nextB) return this.extra(b, a, false);
        const upA = a.gotoParent();
        const upB = b.gotoParent();
        if (!upA || !upB) return { equal: true };
      }
    }
  }

  // Like extra(), when the other side's node has no children at all (its cursor is still on that node).
  private extraBelow(extra: TreeCursor, other: TreeCursor, extraIsBefore: boolean): TreeCompareResult {
    const text = extraIsBefore ? this.textA : this.textB;
    const what = `extra node ${extraIsBefore ? "before" : "after"}: ${describe(extra, text)}`;
    const at = extra.startIndex;
    const otherAt = other.endIndex;
    return extraIsBefore ? this.differ(what, at, otherAt) : this.differ(what, otherAt, at);
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

// True when tree-sitter finds ERROR or MISSING nodes, or the language rejects what the grammar accepted (Python:
// inconsistent indentation). The grammar must be loaded: see initLanguages.
export function hasSyntaxErrors(language: LanguageId, text: string): boolean {
  const adapter = adapterFor(language);
  return withTree(adapter.grammar, text, (tree) => tree.rootNode.hasError || (adapter.languageError?.(tree, text) ?? null) !== null);
}
