// A fast, conservative pre-check for the comments-only rule. Full syntax-tree comparison costs tens of
// milliseconds per large file, and verification runs it for every changed file of every patch (the validity gate
// alone runs ~7 verifications per instance). Most correct answers only add whole comment lines, trailing comments
// or docstrings; for those, deleting the comment (and docstring) text from both versions gives byte-identical code,
// which proves the trees are equal without comparing them. Whenever the stripping is not obviously safe (a
// multi-line comment sharing its lines with code, a Python docstring next to code, overlapping ranges), this
// returns null and the caller falls back to the full tree comparison, which also explains any difference.

import type { FileIndex, Span } from "../../lang/types.js";

export function stripCommentsForCompare(index: FileIndex, text: string, dropDocstrings: boolean): string | null {
  const spans: Span[] = index.comments.map((c) => c.span);
  if (dropDocstrings) for (const d of index.definitions) if (d.docstring) spans.push(d.docstring.span);
  spans.sort((a, b) => a.startOffset - b.startOffset || b.endOffset - a.endOffset);
  let out = "";
  let cursor = 0; // everything before it has been copied or dropped
  for (const span of spans) {
    if (span.endOffset <= cursor) continue; // inside a range already removed (e.g. a JSDoc that is also a docstring)
    if (span.startOffset < cursor) return null; // partial overlap: do not guess
    const lineStart = text.lastIndexOf("\n", span.startOffset - 1) + 1;
    const nl = text.indexOf("\n", span.endOffset);
    const lineEnd = nl < 0 ? text.length : nl;
    const before = text.slice(lineStart, span.startOffset);
    const after = text.slice(span.endOffset, lineEnd);
    if (lineStart >= cursor && before.trim() === "" && after.trim() === "") {
      // The removed node owns its lines: drop them entirely, newline included.
      out += text.slice(cursor, lineStart);
      cursor = nl < 0 ? text.length : nl + 1;
      continue;
    }
    // A removal sharing its line with code must not span lines (a newline can matter, e.g. for JS semicolon
    // insertion), and a Python docstring next to code is not a comment that can be read as whitespace.
    if (text.slice(span.startOffset, span.endOffset).includes("\n") || index.language === "python" && !text.startsWith("#", span.startOffset)) {
      return null;
    }
    if (after.trim() === "") {
      // A trailing comment after code: drop it and the blanks around it.
      out += text.slice(cursor, span.startOffset).replace(/[ \t]+$/, "");
      cursor = lineEnd;
    } else {
      // A comment inside a line reads as whitespace.
      out += text.slice(cursor, span.startOffset) + " ";
      cursor = span.endOffset;
    }
  }
  return out + text.slice(cursor);
}
