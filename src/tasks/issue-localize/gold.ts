// The gold answer of an issue, computed from its fix against the pre-patch tree with the code index: the non-test
// files the fix changes (renamed files by their old path; added files cannot be commented and do not count), the
// innermost enclosing definition of every changed or inserted line (module level outside any definition), and
// the line range of every changed region. Then the gold patch: one comment at each region, in the starting state.

import type { Definition, FileIndex, LanguageId } from "../../lang/types.js";
import { applyPatch, parsePatch, type Hunk } from "../../repo/patch.js";
import type { RepoView } from "../types.js";
import { compareTrees, hasSyntaxErrors, indexText, languageForPath, lineCommentMarker } from "../common/code.js";
import { applyLineEdits, indentOfLine, lineAt, type LineEdit } from "../common/line-edits.js";
import { isTestPath } from "../common/test-files.js";
import { patchFromTexts } from "../common/workspace.js";
import { MODULE_LEVEL, type GoldHunk } from "./types.js";

export interface ComputedGold {
  files: string[];
  entities: string[];
  hunks: GoldHunk[];
  patch: string;
  languages: LanguageId[]; // languages of the gold code files
}

export type GoldOutcome = ComputedGold | { reason: string };

// Contiguous runs of removed/added lines of a hunk, as pre-patch line ranges.
export function changedRegions(file: string, hunk: Hunk): GoldHunk[] {
  const out: GoldHunk[] = [];
  let oldLine = hunk.oldStart;
  let current: { start: number; end: number; removed: boolean } | null = null;
  const close = () => {
    if (current) out.push({ file, start: current.start, end: current.removed ? current.end : current.start - 1 });
    current = null;
  };
  for (const l of hunk.lines) {
    if (l.op === " ") {
      close();
      oldLine++;
    } else if (l.op === "-") {
      if (!current) current = { start: oldLine, end: oldLine, removed: true };
      else if (!current.removed) current = { start: current.start, end: oldLine, removed: true };
      else current.end = oldLine;
      oldLine++;
    } else if (!current) {
      current = { start: oldLine, end: oldLine - 1, removed: false };
    }
  }
  close();
  return out;
}

// The innermost definition whose span holds `line`.
export function innermostAt(index: FileIndex, line: number): Definition | null {
  let best: Definition | null = null;
  for (const d of index.definitions) {
    if (d.span.start.line > line || d.span.end.line < line) continue;
    if (!best || d.span.endOffset - d.span.startOffset < best.span.endOffset - best.span.startOffset) best = d;
  }
  return best;
}

export function entityKey(file: string, def: Definition | null): string {
  return `${file}::${def ? def.key : MODULE_LEVEL}`;
}

// Entities a region touches: each removed line's definition; for a pure insertion, the definition holding the
// line before it (else the line after it).
function regionEntities(index: FileIndex, region: GoldHunk): string[] {
  if (region.end >= region.start) {
    const keys = new Set<string>();
    for (let l = region.start; l <= region.end; l++) keys.add(entityKey(region.file, innermostAt(index, l)));
    return [...keys];
  }
  const before = region.start - 1 >= 1 ? innermostAt(index, region.start - 1) : null;
  return [entityKey(region.file, before ?? innermostAt(index, region.start))];
}

const GOLD_COMMENT = "issue: this code has to change to resolve the reported problem";

// One comment line above the first line of each region (above the insertion point for pure insertions), with
// that line's indentation (the next non-blank line's when it is blank). When that spot is inside a multi-line
// string (a docstring being edited, say), the comment moves up line by line until it is a real comment.
export function goldCommentEdits(text: string, regions: GoldHunk[], language: LanguageId): LineEdit[] {
  const total = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
  const seen = new Set<number>();
  const edits: LineEdit[] = [];
  for (const r of regions) {
    const wanted = Math.min(Math.max(r.start, 1), total + 1);
    for (let line = wanted; line >= Math.max(1, wanted - MAX_MOVE_UP); line--) {
      if (seen.has(line)) break;
      let probe = line;
      while (probe <= total && lineAt(text, probe).trim() === "") probe++;
      const indent = probe <= total ? indentOfLine(text, probe) : "";
      const edit: LineEdit = { line, deleteCount: 0, insert: [`${indent}${lineCommentMarker(language)} ${GOLD_COMMENT}`] };
      const after = applyLineEdits(text, [edit]);
      if (hasSyntaxErrors(language, after) || !compareTrees(language, text, after).equal) continue;
      seen.add(line);
      edits.push(edit);
      break;
    }
  }
  return edits;
}

const MAX_MOVE_UP = 200;

// `start`: the starting state (= the pre-patch tree, issue-localize has no setup patch).
export function computeGold(fixPatch: string, start: RepoView, includeTests = false): GoldOutcome {
  let parsed;
  try {
    parsed = parsePatch(fixPatch);
    applyPatch(start, fixPatch);
  } catch {
    return { reason: "fix-does-not-apply" };
  }
  const files = new Set<string>();
  const entities = new Set<string>();
  const hunks: GoldHunk[] = [];
  const edits: { path: string; before: string; after: string }[] = [];
  const languages = new Set<LanguageId>();
  for (const fp of parsed) {
    const path = fp.oldPath;
    if (path === null || fp.status === "copied") continue; // added files do not exist before the fix
    if (!includeTests && isTestPath(path)) continue;
    const text = start.read(path);
    if (text === null) continue; // binary or filtered out of the snapshot
    files.add(path);
    const regions = fp.hunks.flatMap((h) => changedRegions(path, h));
    hunks.push(...regions);
    const language = languageForPath(path);
    const index = language ? indexText(path, text) : null;
    if (!language || !index) continue;
    if (index.hasErrors) return { reason: "gold-file-does-not-parse" };
    if (regions.length === 0) {
      // A pure rename or mode change: the file is gold, with no line to point at; comment its top.
      regions.push({ file: path, start: 1, end: 0 });
    }
    for (const r of regions) for (const e of regionEntities(index, r)) entities.add(e);
    languages.add(language);
    edits.push({ path, before: text, after: applyLineEdits(text, goldCommentEdits(text, regions, language)) });
  }
  if (files.size === 0) return { reason: "fix-touches-only-tests-or-new-files" };
  if (edits.length === 0) return { reason: "fix-touches-no-source-file" };
  return {
    files: [...files].sort(),
    entities: [...entities].sort(),
    hunks: hunks.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start)),
    patch: patchFromTexts(edits),
    languages: [...languages].sort(),
  };
}
