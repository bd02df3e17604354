// Where an agent left comments: the comments of a file's final text that sit on added lines, each with the
// pre-edit line it was placed at (so it can be compared with gold hunks, which are in pre-edit lines) and the
// entity it belongs to. The entity comes from line-owner.ts, the same rule the gold uses for changed lines: a
// comment-only line directly above a definition (past blank and comment-only lines) documents that definition;
// any other comment belongs to the innermost definition whose span holds it; else to the module.

import { diffArrays } from "diff";
import { indexText } from "../common/code.js";
import { entityKey, lineOwner, ownerContext, textLines } from "./line-owner.js";

export interface NewComment {
  file: string;
  afterLine: number; // line in the final text
  beforeLine: number; // the pre-edit line it sits at (the comment is above or on this line; n+1 at the end)
  entity: string; // "<file>::<key>" or "<file>::<module>"
}

// For each line of `after` that is new (added or changed), the pre-edit line it sits at.
function addedLineMap(before: string, after: string): Map<number, number> {
  const map = new Map<number, number>();
  let oldLine = 1;
  let newLine = 1;
  for (const part of diffArrays(textLines(before), textLines(after))) {
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

export function newComments(file: string, before: string, after: string): NewComment[] {
  const index = indexText(file, after, before);
  if (!index) return [];
  const added = addedLineMap(before, after);
  const ctx = ownerContext(index, after);
  const out: NewComment[] = [];
  for (const c of index.comments) {
    // A comment counts when any of its lines is new (a line appended to an existing block comment included).
    let line = -1;
    for (let l = c.span.start.line; l <= c.span.end.line && line < 0; l++) if (added.has(l)) line = l;
    if (line < 0) continue;
    out.push({ file, afterLine: line, beforeLine: added.get(line) as number, entity: entityKey(file, lineOwner(ctx, line)) });
  }
  return out;
}
