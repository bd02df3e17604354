// The issue-localize user message (our own wording of the paper's task): read the issue, explore, find the
// non-test files, definitions and lines that must change or hold the key information, and comment each one.

import type { LanguageId } from "../../lang/types.js";

const SYNTAX: Record<LanguageId, string> = {
  python: "Python: a line starting with `#`",
  typescript: "TypeScript: a line starting with `//`",
  tsx: "TSX: a line starting with `//`",
  javascript: "JavaScript: a line starting with `//`",
  go: "Go: a line starting with `//`",
  java: "Java: a line starting with `//`",
  rust: "Rust: a line starting with `//` (not `///` or `//!`, which are doc comments)",
};

export function issueLocalizeInstruction(problemStatement: string, languages: readonly LanguageId[]): string {
  const syntax = [...new Set(languages.map((l) => SYNTAX[l]))].join("; ");
  return [
    "A user reported the following issue about this repository:",
    "",
    "<issue>",
    problemStatement.trim(),
    "</issue>",
    "",
    "Your job is to localize the problem, not to fix it. Explore the repository and find the places that would have " +
      "to change to resolve this issue, or that hold information someone fixing it must know: the non-test source " +
      "files, the classes and functions inside them, and the specific lines.",
    "",
    "At each location you find, add a comment right above the relevant line explaining why this location matters " +
      `for the issue. Comment syntax: ${syntax}.`,
    "",
    "Rules: only add comments. Do not modify, re-indent, move or delete any code, do not create, delete or rename " +
      "files, and do not edit test files. Comment only locations you believe are relevant; commenting unrelated files " +
      "or definitions counts against you. A comment directly above a function or class is about that definition; a " +
      "comment inside a body is about the innermost function or class around it.",
  ].join("\n");
}
