// The edits that turn one text into another, as tree-sitter's Tree.edit wants them, for incremental re-parsing.
// An edited file is usually its starting version with a few lines inserted or changed here and there (a docstring,
// an annotation above each of several definitions, a line appended). Describing it as ONE edit from the first
// difference to the last makes tree-sitter re-parse everything in between; describing each changed run of lines
// lets it reuse every subtree between them.
//
// Any list of edits that exactly turns `base` into `text` gives the same tree (tree-sitter's guarantee), so the
// alignment below only has to be valid, not minimal: equal lines are matched greedily with a short look-ahead,
// and whatever does not match becomes part of an edit.

import { splitLines } from "../patch/lines.js";

export interface TextEdit {
  startIndex: number; // in base, UTF-16 code units
  oldEndIndex: number; // in base
  newEndIndex: number; // startIndex + length of the replacement
  startPosition: { row: number; column: number };
  oldEndPosition: { row: number; column: number };
  newEndPosition: { row: number; column: number };
}

// How far ahead a removed or inserted run of lines is looked for. A longer run is described as a replacement,
// which is still exact, only less incremental.
const LOOKAHEAD = 32;

// Row and column of the end of `s` when it starts at row `row`, column 0 (columns in UTF-16 code units).
function endPoint(row: number, s: string): { row: number; column: number } {
  let rows = 0;
  let last = -1;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) {
    rows++;
    last = i;
  }
  return { row: row + rows, column: s.length - last - 1 };
}

// The edits, in increasing order of position, each in the coordinates of `base`. Apply them to a tree from the
// last to the first: an edit never moves what lies before it, so each one's base coordinates stay valid.
export function editRanges(base: string, text: string): TextEdit[] {
  if (base === text) return [];
  const a = splitLines(base);
  const b = splitLines(text);
  const edits: TextEdit[] = [];
  let i = 0;
  let j = 0;
  let offset = 0; // base offset of line i
  let pending: { i: number; offset: number; removed: string; inserted: string } | null = null;
  const flush = () => {
    if (!pending) return;
    const startPosition = { row: pending.i, column: 0 };
    edits.push({
      startIndex: pending.offset,
      oldEndIndex: pending.offset + pending.removed.length,
      newEndIndex: pending.offset + pending.inserted.length,
      startPosition,
      oldEndPosition: endPoint(pending.i, pending.removed),
      newEndPosition: endPoint(pending.i, pending.inserted),
    });
    pending = null;
  };
  const change = (removed: string, inserted: string) => {
    pending ??= { i, offset, removed: "", inserted: "" };
    pending.removed += removed;
    pending.inserted += inserted;
  };
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      flush();
      offset += (a[i] as string).length;
      i++;
      j++;
      continue;
    }
    // The nearest resynchronisation: k lines inserted (b[j+k] === a[i]) or k lines removed (a[i+k] === b[j]).
    let inserted = 0;
    let removed = 0;
    for (let k = 1; k <= LOOKAHEAD; k++) {
      if (i < a.length && j + k < b.length && b[j + k] === a[i]) {
        inserted = k;
        break;
      }
      if (j < b.length && i + k < a.length && a[i + k] === b[j]) {
        removed = k;
        break;
      }
    }
    if (inserted > 0) {
      change("", b.slice(j, j + inserted).join(""));
      j += inserted;
    } else if (removed > 0) {
      const gone = a.slice(i, i + removed).join("");
      change(gone, "");
      offset += gone.length;
      i += removed;
    } else {
      // One line replaced by another (or what is left at the end of either text).
      const gone = i < a.length ? (a[i] as string) : "";
      change(gone, j < b.length ? (b[j] as string) : "");
      offset += gone.length;
      if (i < a.length) i++;
      if (j < b.length) j++;
    }
  }
  flush();
  return edits;
}

// `base` with each edit's span replaced by the matching span of `text`. Equal to `text` exactly when the edits
// describe the change correctly (the unchanged stretches between them agree), which the tests check.
export function applyEditRanges(base: string, text: string, edits: readonly TextEdit[]): string {
  let out = "";
  let pos = 0; // in base
  let delta = 0; // text offset minus base offset, before the current edit
  for (const e of edits) {
    out += base.slice(pos, e.startIndex) + text.slice(e.startIndex + delta, e.newEndIndex + delta);
    delta += e.newEndIndex - e.oldEndIndex;
    pos = e.oldEndIndex;
  }
  return out + base.slice(pos);
}
