// Python indentation that tree-sitter tolerates but CPython rejects. tree-sitter-python parses an over-indented
// statement ("unexpected indent"), a dedent to a column no enclosing block uses ("unindent does not match any
// outer indentation level") or a misaligned `else:` without an ERROR node, often with the very same tree as the
// correct code; so "add comments plus re-indent one line" would pass a tree comparison. CPython's rule is checked
// here directly on a tree that parsed without errors:
//   - the statements of one block that start a logical line all start in the same column, module-level ones in
//     column 0;
//   - a block has at least one statement ("expected an indented block": tree-sitter ends an unindented body at
//     once and leaves an empty block);
//   - the clauses of a compound statement (elif/else/except/finally) and the decorators and definition of a
//     decorated definition that start a line start in the column of the statement they belong to.
// Columns are compared the way CPython's tokenizer does: a tab advances to the next multiple of 8 and, for the
// "alternate" column, by one; both must agree, otherwise CPython reports a TabError. Comment lines, blank lines,
// statements after `;` and lines continued with a backslash or inside brackets do not start a logical line
// (tree-sitter has no statement node there), so they are never flagged.

import type { Language, Tree, TreeCursor } from "web-tree-sitter";

// Children of these nodes must line up with the node itself when they start a line.
const ALIGNED_CHILDREN: Readonly<Record<string, readonly string[]>> = {
  if_statement: ["elif_clause", "else_clause"],
  for_statement: ["else_clause"],
  while_statement: ["else_clause"],
  try_statement: ["except_clause", "except_group_clause", "else_clause", "finally_clause"],
  decorated_definition: ["decorator", "function_definition", "class_definition"],
};

// Nodes that can hold blocks (statements never nest inside expressions, so the walk skips everything else).
function mayHoldStatements(type: string): boolean {
  return type === "module" || type === "block" || type.endsWith("_statement") || type.endsWith("_clause") || type.endsWith("_definition");
}

// What the walk needs to know per node type id, computed once: reading a type name through the cursor costs a
// string decode per node, which on large files is most of the check's time.
interface TypeTables {
  container: Uint8Array; // 1 = may hold statements (see mayHoldStatements)
  statementLike: Uint8Array; // 1 = a named node that is not a comment: a statement or clause when in a block
  module: number;
  block: Set<number>; // the grammar has more than one id named "block"
  aligned: Map<number, Set<number>>; // compound statement id -> ids of children that align with it
}
const tablesByLanguage = new WeakMap<Language, TypeTables>();

function typeTables(language: Language): TypeTables {
  const known = tablesByLanguage.get(language);
  if (known) return known;
  const n = language.nodeTypeCount;
  const container = new Uint8Array(n);
  const statementLike = new Uint8Array(n);
  const idsByName = new Map<string, number[]>();
  for (let id = 0; id < n; id++) {
    const name = language.nodeTypeForId(id);
    if (name === null || !language.nodeTypeIsNamed(id)) continue;
    if (mayHoldStatements(name)) container[id] = 1;
    if (name !== "comment") statementLike[id] = 1;
    idsByName.set(name, [...(idsByName.get(name) ?? []), id]);
  }
  const ids = (name: string) => idsByName.get(name) ?? [];
  const aligned = new Map<number, Set<number>>();
  for (const [parent, children] of Object.entries(ALIGNED_CHILDREN)) {
    for (const p of ids(parent)) aligned.set(p, new Set(children.flatMap(ids)));
  }
  const tables = { container, statementLike, module: ids("module")[0] ?? -1, block: new Set(ids("block")), aligned };
  tablesByLanguage.set(language, tables);
  return tables;
}

// The indentation of the line `start` is on, as CPython measures it, or null when `start` does not begin a
// logical line (code before it on the line, or the previous line ends with a backslash continuation).
function lineIndent(text: string, start: number): { col: number; alt: number } | null {
  let i = start - 1;
  while (i >= 0) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */) break;
    if (ch !== 32 && ch !== 9 && ch !== 12 && ch !== 13) return null; // code (or `;`) before it on this line
    i--;
  }
  if (i > 0) {
    let j = i - 1;
    if (text.charCodeAt(j) === 13) j--;
    // A backslash at the end of the previous line joins the lines. (One inside a comment does not, but then
    // the next line is ordinary code that the block rule checks in its turn; missing it only errs on the lenient
    // side.)
    if (j >= 0 && text.charCodeAt(j) === 92 /* \ */) return null;
  }
  let col = 0;
  let alt = 0;
  for (let k = i + 1; k < start; k++) {
    const ch = text.charCodeAt(k);
    if (ch === 32) {
      col++;
      alt++;
    } else if (ch === 9) {
      col = (Math.floor(col / 8) + 1) * 8;
      alt++;
    } else if (ch === 12) {
      col = 0; // a form feed resets the column, as in CPython
      alt = 0;
    }
  }
  return { col, alt };
}

// The offset of the first statement (or clause) whose indentation CPython would reject, or null when the
// indentation is consistent. Expects a tree without ERROR nodes.
export function pythonIndentationError(tree: Tree, text: string): number | null {
  const t = typeTables(tree.language);
  const cursor = tree.walk();
  const isContainer = (id: number) => id < t.container.length && t.container[id] === 1;
  try {
    // The cursor starts on the module: check each container's children, then descend depth first.
    for (;;) {
      const id = cursor.nodeTypeId;
      if (isContainer(id)) {
        const bad = checkChildren(cursor, id, t, text);
        if (bad !== null) return bad;
        if (gotoFirstContainerChild(cursor, isContainer)) continue;
      }
      while (!gotoNextContainerSibling(cursor, isContainer)) {
        if (!cursor.gotoParent()) return null;
      }
    }
  } finally {
    cursor.delete();
  }
}

function gotoFirstContainerChild(cursor: TreeCursor, isContainer: (id: number) => boolean): boolean {
  if (!cursor.gotoFirstChild()) return false;
  if (isContainer(cursor.nodeTypeId)) return true;
  if (gotoNextContainerSibling(cursor, isContainer)) return true;
  cursor.gotoParent();
  return false;
}

function gotoNextContainerSibling(cursor: TreeCursor, isContainer: (id: number) => boolean): boolean {
  while (cursor.gotoNextSibling()) {
    if (isContainer(cursor.nodeTypeId)) return true;
  }
  return false;
}

// Checks the children of the node under the cursor (left where it was found).
function checkChildren(cursor: TreeCursor, id: number, t: TypeTables, text: string): number | null {
  const isBlock = id === t.module || t.block.has(id);
  const aligned = t.aligned.get(id);
  if (!isBlock && !aligned) return null;
  let expected: { col: number; alt: number } | null = null;
  if (id === t.module) expected = { col: 0, alt: 0 };
  else if (aligned) {
    expected = lineIndent(text, cursor.startIndex);
    if (!expected) return null; // the statement itself is not at a line start: nothing to align with
  }
  const blockStart = cursor.startIndex;
  // A block without statements (its body is not indented, so it ended at once): "expected an indented block".
  if (!cursor.gotoFirstChild()) return t.block.has(id) ? blockStart : null;
  let bad: number | null = null;
  let statements = 0;
  do {
    const childId = cursor.nodeTypeId;
    if (childId >= t.statementLike.length || t.statementLike[childId] !== 1 || (aligned && !aligned.has(childId))) continue;
    statements++;
    const start = cursor.startIndex;
    const indent = lineIndent(text, start);
    if (!indent) continue;
    if (expected === null) expected = indent;
    else if (indent.col !== expected.col || indent.alt !== expected.alt) {
      bad = start;
      break;
    }
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  if (bad === null && t.block.has(id) && statements === 0) return blockStart;
  return bad;
}
