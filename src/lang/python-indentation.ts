// Python indentation that tree-sitter tolerates but CPython rejects. tree-sitter-python parses an over-indented
// statement ("unexpected indent"), a dedent to a column no enclosing block uses ("unindent does not match any
// outer indentation level") or a misaligned `else:` without an ERROR node, often with the very same tree as the
// correct code; so "add comments plus re-indent one line" would pass a tree comparison. CPython's rule is checked
// here directly on a tree that parsed without errors:
//   - the statements of one block that start a logical line all start in the same column, module-level ones in
//     column 0;
//   - the clauses of a compound statement (elif/else/except/finally) and the decorators and definition of a
//     decorated definition that start a line start in the column of the statement they belong to.
// Columns are compared the way CPython's tokenizer does: a tab advances to the next multiple of 8 and, for the
// "alternate" column, by one; both must agree, otherwise CPython reports a TabError. Comment lines, blank lines,
// statements after `;` and lines continued with a backslash or inside brackets do not start a logical line
// (tree-sitter has no statement node there), so they are never flagged.

import type { Tree } from "web-tree-sitter";

// Children of these nodes must line up with the node itself when they start a line.
const ALIGNED_CHILDREN: Readonly<Record<string, ReadonlySet<string>>> = {
  if_statement: new Set(["elif_clause", "else_clause"]),
  for_statement: new Set(["else_clause"]),
  while_statement: new Set(["else_clause"]),
  try_statement: new Set(["except_clause", "except_group_clause", "else_clause", "finally_clause"]),
  decorated_definition: new Set(["decorator", "function_definition", "class_definition"]),
};

// Nodes that can hold blocks (statements never nest inside expressions, so the walk skips everything else).
function mayHoldStatements(type: string): boolean {
  return type === "module" || type === "block" || type.endsWith("_statement") || type.endsWith("_clause") || type.endsWith("_definition");
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
  const cursor = tree.walk();
  try {
    // The cursor starts on the module: check each container's children, then descend depth first.
    for (;;) {
      const type = cursor.nodeType;
      if (mayHoldStatements(type)) {
        const bad = checkChildren(cursor, type, text);
        if (bad !== null) return bad;
        if (gotoFirstContainerChild(cursor)) continue;
      }
      while (!gotoNextContainerSibling(cursor)) {
        if (!cursor.gotoParent()) return null;
      }
    }
  } finally {
    cursor.delete();
  }
}

type Cursor = ReturnType<Tree["walk"]>;

function gotoFirstContainerChild(cursor: Cursor): boolean {
  if (!cursor.gotoFirstChild()) return false;
  if (mayHoldStatements(cursor.nodeType)) return true;
  if (gotoNextContainerSibling(cursor)) return true;
  cursor.gotoParent();
  return false;
}

function gotoNextContainerSibling(cursor: Cursor): boolean {
  while (cursor.gotoNextSibling()) {
    if (mayHoldStatements(cursor.nodeType)) return true;
  }
  return false;
}

// Checks the children of the node under the cursor (left where it was found).
function checkChildren(cursor: Cursor, type: string, text: string): number | null {
  const isBlock = type === "module" || type === "block";
  const aligned = ALIGNED_CHILDREN[type];
  if (!isBlock && !aligned) return null;
  let expected: { col: number; alt: number } | null = null;
  if (type === "module") expected = { col: 0, alt: 0 };
  else if (aligned) {
    expected = lineIndent(text, cursor.startIndex);
    if (!expected) return null; // the statement itself is not at a line start: nothing to align with
  }
  if (!cursor.gotoFirstChild()) return null;
  let bad: number | null = null;
  do {
    if (!cursor.nodeIsNamed) continue;
    const childType = cursor.nodeType;
    if (childType === "comment" || (aligned && !aligned.has(childType))) continue;
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
  return bad;
}
