// Edits that several families build on: where a docstring goes for a definition, how to remove one, and a
// guaranteed code change for hacks. All return LineEdits against the text they were computed from.

import { languageProfile } from "../../lang/profile.js";
import type { Definition, Docstring, LanguageId } from "../../lang/types.js";
import { indentOfLine, lineAt, type LineEdit } from "./line-edits.js";

// True when the lines of `span` hold nothing but the span itself (plus whitespace), so deleting those whole lines
// removes exactly that node.
export function occupiesWholeLines(text: string, doc: Docstring): boolean {
  const first = lineAt(text, doc.span.start.line);
  const last = lineAt(text, doc.span.end.line);
  return first.slice(0, doc.span.start.column).trim() === "" && last.slice(doc.span.end.column).trim() === "";
}

// Deletes the lines a docstring occupies (call occupiesWholeLines first).
export function docstringRemoval(doc: Docstring): LineEdit {
  return { line: doc.span.start.line, deleteCount: doc.span.end.line - doc.span.start.line + 1, insert: [] };
}

// Inserts a docstring for `def` in the language's convention, or null when there is no line to put it on
// (a Python body on the same line as its `def`).
export function docstringInsertion(text: string, def: Definition, language: LanguageId, content: string): LineEdit | null {
  const clean = content.replace(/\s+/g, " ").trim();
  const profile = languageProfile(language);
  if (profile.bodyStyle === "indent") {
    if (!def.bodySpan || def.bodySpan.start.line <= def.signatureSpan.end.line) return null;
    const indent = indentOfLine(text, def.bodySpan.start.line);
    return { line: def.bodySpan.start.line, deleteCount: 0, insert: [`${indent}${profile.docLine(clean)}`] };
  }
  const indent = indentOfLine(text, def.span.start.line);
  return { line: def.span.start.line, deleteCount: 0, insert: [`${indent}${profile.docLine(clean)}`] };
}

// A plain line comment as the first line inside a definition's body (not a docstring).
export function commentInsideBody(text: string, def: Definition, language: LanguageId, content: string): LineEdit | null {
  if (!def.bodySpan) return null;
  const clean = content.replace(/\s+/g, " ").trim();
  const profile = languageProfile(language);
  if (profile.bodyStyle === "indent") {
    if (def.bodySpan.start.line <= def.signatureSpan.end.line) return null;
    const indent = indentOfLine(text, def.bodySpan.start.line);
    return { line: def.bodySpan.start.line, deleteCount: 0, insert: [`${indent}${profile.lineComment} ${clean}`] };
  }
  // A `{ ... }` body: put the comment on the line after the opening brace.
  const line = def.bodySpan.start.line + 1;
  if (line > def.bodySpan.end.line) return null;
  const indent = indentOfLine(text, line);
  return { line, deleteCount: 0, insert: [`${indent}${profile.lineComment} ${clean}`] };
}

// One new line of code at the end of a file: valid at module level in every supported language, so it always
// parses and always changes the syntax tree.
export function appendedCodeLine(text: string, language: LanguageId): LineEdit {
  const lines = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
  return { line: lines + 1, deleteCount: 0, insert: [languageProfile(language).probeLine] };
}
