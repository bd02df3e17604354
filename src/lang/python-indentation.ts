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

import type { Language, Tree } from "web-tree-sitter";
import { ChildStack } from "./wasm-nodes.js";

// Children of these nodes must line up with the node itself when they start a line.
const ALIGNED_CHILDREN: Readonly<Record<string, readonly string[]>> = {
  if_statement: ["elif_clause", "else_clause"],
  for_statement: ["else_clause"],
  while_statement: ["else_clause"],
  try_statement: ["except_clause", "except_group_clause", "else_clause", "finally_clause"],
  decorated_definition: ["decorator", "function_definition", "class_definition"],
};

// Nodes that can hold blocks (statements never nest inside expressions, so the walk skips everything else).
// Simple statements and the clauses of comprehensions and `with` end in "_statement" / "_clause" too, but the
// grammar (node-types.json) lets no block, module or aligned compound statement occur anywhere under them, so
// the walk does not enter them: visiting their children is most of a naive walk's wasm round trips.
const NEVER_HOLDS_BLOCKS = new Set([
  "assert_statement",
  "break_statement",
  "continue_statement",
  "delete_statement",
  "exec_statement",
  "expression_statement",
  "future_import_statement",
  "global_statement",
  "import_from_statement",
  "import_statement",
  "nonlocal_statement",
  "pass_statement",
  "print_statement",
  "raise_statement",
  "return_statement",
  "type_alias_statement",
  "for_in_clause",
  "if_clause",
  "with_clause",
]);
function mayHoldStatements(type: string): boolean {
  if (NEVER_HOLDS_BLOCKS.has(type)) return false;
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
  bodyLast: Uint8Array; // 1 = a container whose only container child is its body block, normally its last child
}
// Containers whose only possible container child (per the grammar's node-types.json) is one body block, which
// ends the node unless a comment follows it. The walk jumps to their last child instead of reading the type of
// each part of the header (`def`, name, parameters, `:`...), one wasm round trip per child.
const BODY_LAST = ["function_definition", "class_definition", "with_statement", "match_statement", "case_clause", "elif_clause", "else_clause", "except_clause", "except_group_clause", "finally_clause"];

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
  const bodyLast = new Uint8Array(n);
  for (const id of BODY_LAST.flatMap(ids)) bodyLast[id] = 1;
  const tables = { container, statementLike, module: ids("module")[0] ?? -1, block: new Set(ids("block")), aligned, bodyLast };
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

// What is known about one container while its children are walked.
interface Frame {
  order: number; // pre-order number of the container: the first container (in this order) with a bad child wins
  checked: boolean; // its children must line up (a block, the module, or an aligned compound statement)
  isBlock: boolean;
  aligned: Set<number> | undefined;
  expected: { col: number; alt: number } | null;
  statements: number;
  start: number;
  bad: number | null;
}

// The offset of the first statement (or clause) whose indentation CPython would reject, or null when the
// indentation is consistent. Expects a tree without ERROR nodes. "First" means: in the first container, in
// pre-order, holding a misaligned child (or being an empty block), its first misaligned child.
//
// A depth-first walk over the containers checks each container's children while passing them on the way down.
// It reads node records (wasm-nodes.ts, ChildStack): one wasm call lists a container's named children (only named
// nodes are statements or containers) and one reads each child's type id. A tree cursor costs several calls per child
// (the cursor and the node are marshalled through web-tree-sitter's generic setValue/getValue on every step),
// which made this check cost a third of the extraction.
export function pythonIndentationError(tree: Tree, text: string): number | null {
  const t = typeTables(tree.language);
  const isContainer = (id: number) => id < t.container.length && t.container[id] === 1;
  const nodes = new ChildStack(tree, tree.rootNode); // position 0: the root
  const rootId = nodes.symbol(0);
  if (!isContainer(rootId)) return null;
  let order = 0;
  let best: { order: number; offset: number } | null = null;
  // The open containers: their frame, where their named children sit on `nodes`, and the next child to look at.
  const stack: { frame: Frame; first: number; end: number; next: number }[] = [];
  const enter = (at: number, id: number): void => {
    const start = nodes.start(at);
    const isBlock = id === t.module || t.block.has(id);
    const aligned = t.aligned.get(id);
    let expected: { col: number; alt: number } | null = null;
    let checked = isBlock || !!aligned;
    if (id === t.module) expected = { col: 0, alt: 0 };
    else if (aligned) {
      expected = lineIndent(text, start);
      if (!expected) checked = false; // the statement itself is not at a line start: nothing to align with
    }
    const frame: Frame = { order: order++, checked, isBlock: t.block.has(id), aligned, expected, statements: 0, start, bad: null };
    const first = nodes.length;
    const end = first + nodes.pushNamedChildren(at);
    // A container walked only to reach its body: when its last child is a container (the body), skip the header.
    const last = end - 1;
    const next = !checked && id < t.bodyLast.length && t.bodyLast[id] === 1 && last > first && isContainer(nodes.symbol(last)) ? last : first;
    stack.push({ frame, first, end, next });
  };
  const finish = (frame: Frame): void => {
    // A block without statements (its body is not indented, so it ended at once): "expected an indented block".
    if (frame.bad === null && frame.isBlock && frame.statements === 0) frame.bad = frame.start;
    if (frame.bad !== null && (best === null || frame.order < best.order)) best = { order: frame.order, offset: frame.bad };
  };
  enter(0, rootId);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { frame: Frame; first: number; end: number; next: number };
    const frame = top.frame;
    if (top.next >= top.end) {
      stack.pop();
      nodes.truncate(top.first); // its children are the last records on the stack
      finish(frame);
      continue;
    }
    const at = top.next++;
    const childId = nodes.symbol(at);
    if (frame.checked && frame.bad === null && childId < t.statementLike.length && t.statementLike[childId] === 1 && !(frame.aligned && !frame.aligned.has(childId))) {
      frame.statements++;
      const start = nodes.start(at);
      const indent = lineIndent(text, start);
      if (indent) {
        if (frame.expected === null) frame.expected = indent;
        else if (indent.col !== frame.expected.col || indent.alt !== frame.expected.alt) frame.bad = start;
      }
    }
    // Containers opened after a bad child was found come later in pre-order and cannot win: not entered.
    if (best === null && isContainer(childId)) enter(at, childId);
  }
  return best === null ? null : (best as { offset: number }).offset;
}
