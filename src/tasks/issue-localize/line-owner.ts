// The one rule that says which entity (definition, or the module) a line of a file belongs to. The gold uses it
// for the lines a fix changes and the verifier for the comments an agent leaves, so a comment written where the
// fix happened always earns the entity the gold names.
//
// The rule, for line L of a text and its index:
//   1. L is a comment-only line (only whitespace before a comment on it) and, going down from L past blank and
//      comment-only lines, the first other line is where a definition starts (its first decorator, or its
//      keyword line): L documents that definition (the outermost one starting there, e.g. a class rather than
//      a method written on the same line). A comment "directly below" nothing is not matched by this step.
//   2. Otherwise the innermost definition whose span (first decorator to end of body) holds L.
//   3. Otherwise the module: `<module>`.
// In TypeScript a definition's span starts at its first overload signature: `function f(a: string): string;`
// lines directly above `function f(a: any) {...}` (past blank and comment lines), and a class's
// `m(x: string): T;` above `m(x: any) {...}`, are part of f / m (the index has no entity for a signature alone), so
// a JSDoc above the first overload documents f, and a fix to an overload changes f.

import type { Node } from "web-tree-sitter";
import type { Definition, FileIndex } from "../../lang/types.js";
import { withCachedTree } from "../../lang/parser.js";
import { MODULE_LEVEL } from "./types.js";

export interface OwnerContext {
  index: FileIndex;
  lines: string[]; // the text's lines (without the newline), lines[0] is line 1
  commentOnly: Set<number>; // 1-based lines that hold nothing but (part of) a comment
  startsAt: Map<number, Definition>; // line -> the outermost definition starting on it (or on its first overload)
  firstLine: Map<string, number>; // definition key -> its first line (first overload signature, decorator or keyword)
}

export function textLines(text: string): string[] {
  const l = text.split("\n");
  if (text.endsWith("\n")) l.pop();
  return l.map((s) => (s.endsWith("\r") ? s.slice(0, -1) : s));
}

export function ownerContext(index: FileIndex, text: string): OwnerContext {
  const lines = textLines(text);
  const commentOnly = new Set<number>();
  for (const c of index.comments) {
    for (let l = c.span.start.line; l <= c.span.end.line; l++) {
      // The first line of a comment counts only when nothing but whitespace precedes the comment on it (a
      // trailing `x = 1  # note` belongs to its code line, not to the definition below it).
      if (l === c.span.start.line && (lines[l - 1] ?? "").slice(0, c.span.start.column).trim() !== "") continue;
      // The last line of a block comment counts only when nothing follows the comment on it.
      if (l === c.span.end.line && l !== c.span.start.line && (lines[l - 1] ?? "").slice(c.span.end.column).trim() !== "") continue;
      commentOnly.add(l);
    }
  }
  const firstLine = new Map<string, number>();
  const overloads = index.language === "typescript" || index.language === "tsx" ? overloadSignatures(index, text) : [];
  for (const d of index.definitions) {
    let first = d.span.start.line;
    for (;;) {
      let above = first - 1;
      while (above >= 1 && (commentOnly.has(above) || (lines[above - 1] ?? "").trim() === "")) above--;
      const sig = overloads.find((o) => o.end === above && o.name === d.name);
      if (!sig) break;
      first = sig.start;
    }
    firstLine.set(d.key, first);
  }
  const startsAt = new Map<number, Definition>();
  const claim = (line: number, d: Definition): void => {
    const prev = startsAt.get(line);
    if (!prev || size(d) > size(prev)) startsAt.set(line, d);
  };
  for (const d of index.definitions) claim(firstLine.get(d.key) ?? d.span.start.line, d);
  for (const d of index.definitions) if (!startsAt.has(d.span.start.line)) claim(d.span.start.line, d);
  return { index, lines, commentOnly, startsAt, firstLine };
}

// Overload signatures of a TypeScript text (`function f(...): T;`, exported or not, and a class's `m(...): T;`):
// name and line range of each statement.
function overloadSignatures(index: FileIndex, text: string): { name: string; start: number; end: number }[] {
  if (!/;/.test(text)) return [];
  const out: { name: string; start: number; end: number }[] = [];
  withCachedTree(index.language, text, (tree) => {
    const visit = (n: Node): void => {
      if (n.type === "function_signature" || n.type === "method_signature") {
        const name = n.childForFieldName("name")?.text;
        const stmt = n.parent?.type === "export_statement" ? n.parent : n;
        if (name) out.push({ name, start: stmt.startPosition.row + 1, end: stmt.endPosition.row + 1 });
        return;
      }
      for (const c of n.namedChildren) if (c) visit(c);
    };
    visit(tree.rootNode);
  });
  return out;
}

function size(d: Definition): number {
  return d.span.endOffset - d.span.startOffset;
}

// The innermost definition whose span holds `line`.
export function innermostAt(index: FileIndex, line: number): Definition | null {
  let best: Definition | null = null;
  for (const d of index.definitions) {
    if (d.span.start.line > line || d.span.end.line < line) continue;
    if (!best || size(d) < size(best)) best = d;
  }
  return best;
}

// The definition a comment-only line documents (rule 1), or null.
export function documentedBelow(ctx: OwnerContext, line: number): Definition | null {
  if (!ctx.commentOnly.has(line)) return null;
  let next = line + 1;
  while (next <= ctx.lines.length && (ctx.commentOnly.has(next) || (ctx.lines[next - 1] ?? "").trim() === "")) next++;
  return ctx.startsAt.get(next) ?? null;
}

// The definition line `line` belongs to under the rule above; null = the module.
export function lineOwner(ctx: OwnerContext, line: number): Definition | null {
  const documented = documentedBelow(ctx, line);
  if (documented) return documented;
  let best: Definition | null = null;
  for (const d of ctx.index.definitions) {
    if ((ctx.firstLine.get(d.key) ?? d.span.start.line) > line || d.span.end.line < line) continue;
    if (!best || size(d) < size(best)) best = d;
  }
  return best;
}

export function entityKey(file: string, def: Definition | null): string {
  return `${file}::${def ? def.key : MODULE_LEVEL}`;
}
