// Where an agent left comments: the comments of a file's final text that sit on added lines, each with the
// pre-edit line it was placed at (so it can be compared with gold hunks, which are in pre-edit lines) and the
// definition it belongs to. A comment on the lines directly above a definition (only comments or blank lines in
// between) belongs to that definition; otherwise to the innermost definition around it; else to the module.

import { diffArrays } from "diff";
import type { Definition, FileIndex } from "../../lang/types.js";
import { indexText } from "../common/code.js";
import { entityKey, innermostAt } from "./gold.js";

export interface NewComment {
  file: string;
  afterLine: number; // line in the final text
  beforeLine: number; // the pre-edit line it sits at (the comment is above or on this line; n+1 at the end)
  entity: string; // "<file>::<key>" or "<file>::<module>"
}

function lines(text: string): string[] {
  const l = text.split("\n");
  if (text.endsWith("\n")) l.pop();
  return l;
}

// For each line of `after` that is new (added or changed), the pre-edit line it sits at.
function addedLineMap(before: string, after: string): Map<number, number> {
  const map = new Map<number, number>();
  let oldLine = 1;
  let newLine = 1;
  for (const part of diffArrays(lines(before), lines(after))) {
    const n = part.value.length;
    if (part.added) {
      for (let i = 0; i < n; i++) map.set(newLine + i, oldLine);
      newLine += n;
    } else if (part.removed) {
      oldLine += n;
    } else {
      oldLine += n;
      newLine += n;
    }
  }
  return map;
}

// The definition a comment on `line` documents: one starting right below it (past blank and comment lines), or
// the innermost one around it.
function ownerOf(index: FileIndex, text: string[], line: number, commentLines: Set<number>): Definition | null {
  let next = line + 1;
  while (next <= text.length && ((text[next - 1] ?? "").trim() === "" || commentLines.has(next))) next++;
  const below = index.definitions.filter((d) => d.span.start.line === next);
  if (below.length > 0 && (text[line - 1] ?? "").trim().length > 0) {
    const whole = /^\s*(#|\/\/|\/\*)/.test(text[line - 1] ?? "");
    if (whole) return below.reduce((a, b) => (a.span.endOffset - a.span.startOffset >= b.span.endOffset - b.span.startOffset ? a : b));
  }
  return innermostAt(index, line);
}

export function newComments(file: string, before: string, after: string): NewComment[] {
  const index = indexText(file, after);
  if (!index) return [];
  const added = addedLineMap(before, after);
  const text = lines(after);
  const commentLines = new Set<number>();
  for (const c of index.comments) for (let l = c.span.start.line; l <= c.span.end.line; l++) commentLines.add(l);
  const out: NewComment[] = [];
  for (const c of index.comments) {
    const beforeLine = added.get(c.span.start.line);
    if (beforeLine === undefined) continue;
    const owner = ownerOf(index, text, c.span.start.line, commentLines);
    out.push({ file, afterLine: c.span.start.line, beforeLine, entity: entityKey(file, owner) });
  }
  return out;
}
