// Python indentation that tree-sitter tolerates but Python rejects. tree-sitter-python parses an over-indented
// statement inside a block ("unexpected indent" for CPython) without an ERROR node and with the same tree, so a
// tree comparison alone lets "correct comments plus one re-indented line" through. Python's rule is checked here
// directly: the statements of one block (and of the module) that start a line all start in the same column, and
// module-level statements in column 0.
//
// This belongs with the shared comments-only check (src/tasks/common/comments-only.ts); it lives here until the
// owner of that file adopts it.

import { withTree } from "../../lang/parser.js";
import type { Violation } from "../types.js";

const COMMENT = "comment";

// The first line (1-based) whose statement breaks the block's indentation, or null when all is consistent.
// Walks with a TreeCursor: materializing a Node object per syntax node costs ~10x more on large files.
export function inconsistentPythonIndentation(text: string): number | null {
  return withTree("python", text, (tree) => {
    const cursor = tree.walk();
    try {
      for (;;) {
        const type = cursor.nodeType;
        if ((type === "module" || type === "block") && cursor.gotoFirstChild()) {
          let column: number | null = type === "module" ? 0 : null;
          do {
            if (!cursor.nodeIsNamed || cursor.nodeType === COMMENT) continue;
            const start = cursor.startIndex;
            const lineStart = text.lastIndexOf("\n", start - 1) + 1;
            if (text.slice(lineStart, start).trim() !== "") continue;
            const col = cursor.startPosition.column;
            if (column === null) column = col;
            else if (col !== column) return cursor.startPosition.row + 1;
          } while (cursor.gotoNextSibling());
          cursor.gotoParent();
        }
        // Depth-first, document order.
        if (cursor.gotoFirstChild()) continue;
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) return null;
        }
      }
    } finally {
      cursor.delete();
    }
  });
}

export function pythonIndentationViolations(changes: readonly { path: string; before: string | null; after: string | null }[]): Violation[] {
  const out: Violation[] = [];
  for (const c of changes) {
    if (!/\.pyi?$/i.test(c.path) || c.after === null || c.before === c.after) continue;
    const line = inconsistentPythonIndentation(c.after);
    // Only new problems count: a file that was already inconsistent (tree-sitter is lenient) is not the agent's.
    if (line !== null && (c.before === null || inconsistentPythonIndentation(c.before) === null)) {
      out.push({ code: "code-changed", message: `${c.path}: line ${line} is indented differently from the statements around it (Python would reject it)`, file: c.path, line });
    }
  }
  return out;
}
