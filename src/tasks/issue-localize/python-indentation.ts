// Python indentation that tree-sitter tolerates but Python rejects. tree-sitter-python parses an over-indented
// statement inside a block ("unexpected indent" for CPython) without an ERROR node and with the same tree, so a
// tree comparison alone lets "correct comments plus one re-indented line" through. Python's rule is checked here
// directly: the statements of one block (and of the module) that start a line all start in the same column, and
// module-level statements in column 0.
//
// This belongs with the shared comments-only check (src/tasks/common/comments-only.ts); it lives here until the
// owner of that file adopts it.

import type { Node } from "web-tree-sitter";
import { withTree } from "../../lang/parser.js";
import type { Violation } from "../types.js";

const COMMENT = "comment";

function startsLine(text: string, node: Node): boolean {
  const lineStart = text.lastIndexOf("\n", node.startIndex - 1) + 1;
  return text.slice(lineStart, node.startIndex).trim() === "";
}

// The first line (1-based) whose statement breaks the block's indentation, or null when all is consistent.
export function inconsistentPythonIndentation(text: string): number | null {
  return withTree("python", text, (tree) => {
    const stack: Node[] = [tree.rootNode];
    while (stack.length > 0) {
      const node = stack.pop() as Node;
      if (node.type === "module" || node.type === "block") {
        let column: number | null = node.type === "module" ? 0 : null;
        for (const child of node.namedChildren) {
          if (!child || child.type === COMMENT || !startsLine(text, child)) continue;
          if (column === null) column = child.startPosition.column;
          else if (child.startPosition.column !== column) return child.startPosition.row + 1;
        }
      }
      for (const child of node.namedChildren) if (child) stack.push(child);
    }
    return null;
  });
}

export function pythonIndentationViolations(changes: readonly { path: string; before: string | null; after: string | null }[]): Violation[] {
  const out: Violation[] = [];
  for (const c of changes) {
    if (!/\.pyi?$/i.test(c.path) || c.after === null || c.before === c.after) continue;
    // Only new problems count: a file that was already inconsistent (tree-sitter is lenient) is not the agent's.
    if (c.before !== null && inconsistentPythonIndentation(c.before) !== null) continue;
    const line = inconsistentPythonIndentation(c.after);
    if (line !== null) {
      out.push({ code: "code-changed", message: `${c.path}: line ${line} is indented differently from the statements around it (Python would reject it)`, file: c.path, line });
    }
  }
  return out;
}
