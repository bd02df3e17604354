// "Comments only" checking on syntax trees: two versions of a file are equal when their concrete syntax trees,
// with comment nodes (and optionally docstrings) removed, have the same node types in the same structure and the
// same leaf text. Anonymous nodes (keywords, operators, punctuation) count, string literals count by their whole
// text, and positions do not count: whitespace inside a line and blank lines are free, while re-indenting a
// Python statement into or out of a block changes which block holds it, so it differs.
//
// Python decision: re-indenting a whole block consistently (every statement of a body moved from 4 to 2 spaces)
// keeps the same tree, so it compares equal; it cannot change what the code does.

import type { Node } from "web-tree-sitter";
import type { LanguageAdapter } from "./adapter.js";
import { LineIndex } from "./extract-common.js";
import { withTree } from "./parser.js";
import { adapterFor } from "./registry.js";
import type { LanguageId, TreeCompareOptions, TreeCompareResult } from "./types.js";

const MAX_SNIPPET = 40;

function snippet(s: string): string {
  const one = s.replace(/\s+/g, " ");
  return one.length > MAX_SNIPPET ? `${one.slice(0, MAX_SNIPPET)}…` : one;
}

function describe(node: Node, text: string): string {
  return node.isNamed ? `'${node.type}' (${snippet(text.slice(node.startIndex, node.endIndex))})` : `'${node.type}'`;
}

type Work = { kind: "pair"; a: Node; b: Node } | { kind: "extra"; a: Node | null; b: Node | null; parentA: Node; parentB: Node };

export function compareTrees(language: LanguageId, before: string, after: string, opts: TreeCompareOptions = {}): TreeCompareResult {
  const adapter = adapterFor(language);
  return withTree(adapter.grammar, before, (treeA) =>
    withTree(adapter.grammar, after, (treeB) => compareRoots(adapter, treeA.rootNode, before, treeB.rootNode, after, opts)),
  );
}

function compareRoots(adapter: LanguageAdapter, rootA: Node, textA: string, rootB: Node, textB: string, opts: TreeCompareOptions): TreeCompareResult {
  const linesA = new LineIndex(textA);
  const linesB = new LineIndex(textB);
  const ignoreDocstrings = opts.ignoreDocstrings === true;
  const significant = (node: Node): Node[] => {
    const out: Node[] = [];
    for (const c of node.children) {
      if (!c || adapter.isComment(c) || adapter.layoutTypes.has(c.type)) continue;
      if (ignoreDocstrings && adapter.isDocstring(c)) continue;
      out.push(c);
    }
    return out;
  };
  const differ = (a: Node | null, b: Node | null, reason: string, fallbackA: number, fallbackB: number): TreeCompareResult => ({
    equal: false,
    before: linesA.point(a ? a.startIndex : fallbackA),
    after: linesB.point(b ? b.startIndex : fallbackB),
    reason,
  });

  // Depth-first, in document order, with an explicit stack: deep trees (long operator chains) would overflow
  // the JS call stack with recursion.
  const stack: Work[] = [{ kind: "pair", a: rootA, b: rootB }];
  while (stack.length > 0) {
    const w = stack.pop() as Work;
    if (w.kind === "extra") {
      if (w.a) return differ(w.a, null, `extra node before: ${describe(w.a, textA)}`, 0, w.parentB.endIndex);
      if (w.b) return differ(null, w.b, `extra node after: ${describe(w.b, textB)}`, w.parentA.endIndex, 0);
      continue;
    }
    const { a, b } = w;
    if (a.type !== b.type) return differ(a, b, `node type differs: '${a.type}' vs '${b.type}'`, 0, 0);
    if (adapter.atomicTypes.has(a.type) || (a.childCount === 0 && b.childCount === 0)) {
      const ta = textA.slice(a.startIndex, a.endIndex);
      const tb = textB.slice(b.startIndex, b.endIndex);
      if (ta !== tb) return differ(a, b, `text differs: '${snippet(ta)}' vs '${snippet(tb)}'`, 0, 0);
      continue;
    }
    const ca = significant(a);
    const cb = significant(b);
    const common = Math.min(ca.length, cb.length);
    if (ca.length !== cb.length) {
      stack.push({ kind: "extra", a: ca[common] ?? null, b: cb[common] ?? null, parentA: a, parentB: b });
    }
    for (let i = common - 1; i >= 0; i--) stack.push({ kind: "pair", a: ca[i] as Node, b: cb[i] as Node });
  }
  return { equal: true };
}

// True when tree-sitter finds ERROR or MISSING nodes (the grammar must be loaded: see initLanguages).
export function hasSyntaxErrors(language: LanguageId, text: string): boolean {
  return withTree(adapterFor(language).grammar, text, (tree) => tree.rootNode.hasError);
}
