// The gold answer of an issue, computed from its fix against the pre-patch tree with the code index.
//
// Files: the source files in an indexed language (Python, TypeScript, TSX, JavaScript) that the fix changes,
// renamed files by their old path; test files are left out (as the family defines them), documentation folders'
// code (docs/conf.py, website/sidebars.js: source-files.ts) is not source, and added files cannot be commented.
// Every other file the fix touches (changelogs, AUTHORS, docs, configuration) is recorded apart in `other_files`
// and can never earn credit.
//
// Entities (the rule of line-owner.ts, the same one the verifier applies to comments):
//   - blank lines count only in a region that changes nothing else (their place between two definitions is an
//     accident of the diff);
//   - a removed or modified line belongs to the definition owning it in the pre-patch text;
//   - an inserted line belongs to the definition owning it in the post-patch text, mapped to the pre-patch
//     entity by the fix's line alignment (definition-match.ts, never by key: keys of repeated names shift): if
//     that definition is new, its enclosing definition is tried, and so on up to `<module>` — a method appended
//     to a class credits the class, a new top-level function or overload credits `<module>`, a class inserted
//     above another class never credits the other. A definition whose name line replaces the name line of a
//     definition that disappears (a rename, a rewritten signature) maps to the old one.
// Hunks: every contiguous run of changed lines, as pre-patch line ranges. Then the gold patch: one comment at
// each region, in the starting state.

import type { Definition, FileIndex, LanguageId } from "../../lang/types.js";
import { PatchError } from "../../core/errors.js";
import { applyPatch } from "../../patch/apply.js";
import { parsePatch } from "../../patch/parse.js";
import type { Hunk } from "../../patch/types.js";
import type { RepoView } from "../../core/repo-view.js";
import { compareTrees, hasSyntaxErrors, indexText, languageForPath, lineCommentMarker } from "../common/code.js";
import { applyLineEdits, indentOfLine, lineAt, type LineEdit } from "../common/line-edits.js";
import { isTestPath } from "../common/test-files.js";
import { isGoldSourcePath } from "./source-files.js";
import { patchFromTexts } from "../common/workspace.js";
import { entityKey, lineOwner, ownerContext, type OwnerContext } from "./line-owner.js";
import { alignLines, hunkStarts, matchDefinitions, type DefinitionMatch } from "./definition-match.js";
import { DEFAULT_LINE_TOLERANCE, type GoldHunk } from "./types.js";

export { entityKey, innermostAt } from "./line-owner.js";

export interface ComputedGold {
  files: string[]; // code files
  other_files: string[]; // non-code, non-test files the fix changes (never earn credit)
  entities: string[];
  hunks: GoldHunk[];
  patch: string;
  languages: LanguageId[]; // languages of the gold code files
}

export type GoldOutcome = ComputedGold | { reason: string };

// One changed region of a hunk: the pre-patch lines it removes and the post-patch lines it adds.
export interface Region {
  hunk: GoldHunk; // pre-patch range (end == start - 1 for a pure insertion before line start)
  removed: number[]; // pre-patch line numbers
  added: number[]; // post-patch line numbers
}

function regionsOf(file: string, hunk: Hunk): Region[] {
  const out: Region[] = [];
  let { oldStart: oldLine, newStart: newLine } = hunkStarts(hunk);
  let current: { start: number; removed: number[]; added: number[] } | null = null;
  const close = () => {
    if (current) {
      const end = current.removed.length > 0 ? (current.removed[current.removed.length - 1] as number) : current.start - 1;
      out.push({ hunk: { file, start: current.start, end }, removed: current.removed, added: current.added });
    }
    current = null;
  };
  for (const l of hunk.lines) {
    if (l.op === " ") {
      close();
      oldLine++;
      newLine++;
      continue;
    }
    current ??= { start: oldLine, removed: [], added: [] };
    if (l.op === "-") current.removed.push(oldLine++);
    else current.added.push(newLine++);
  }
  close();
  return out;
}

// Contiguous runs of removed/added lines of a hunk, as pre-patch line ranges.
export function changedRegions(file: string, hunk: Hunk): GoldHunk[] {
  return regionsOf(file, hunk).map((r) => r.hunk);
}

// Entities a file's regions touch, under the rule in the header. `defs` says which pre-fix definition each
// post-fix one is (definition-match.ts).
export function regionEntities(file: string, pre: OwnerContext, post: OwnerContext | null, regions: readonly Region[], defs: DefinitionMatch): string[] {
  const { match, unchanged } = defs;
  const keys = new Set<string>();
  const postByKey = new Map((post?.index.definitions ?? []).map((d) => [d.key, d]));
  for (const r of regions) {
    // Blank lines carry no code: where they sit between two definitions is an accident of the diff's alignment.
    // They count only when the region changes nothing else.
    const removed = nonBlank(pre, r.removed);
    const added = post ? nonBlank(post, r.added) : [];
    for (const l of removed) keys.add(entityKey(file, lineOwner(pre, l)));
    if (!post) continue;
    // An inserted line: the definition holding it after the fix, or the nearest enclosing one that existed before.
    // A definition the fix leaves byte for byte is not changed by a line inside it, whatever lines the diff
    // aligned into it (a new overload's lines shown inside the old overload below it): its enclosing definition
    // is. (A comment line above it that documents it is a change of it.)
    for (const l of added) {
      let d: Definition | null = lineOwner(post, l);
      const aligned = (x: Definition): boolean => unchanged.has(x.key) && x.span.start.line <= l && l <= x.span.end.line;
      while (d && (!match.get(d.key) || aligned(d))) d = d.parent ? (postByKey.get(d.parent) ?? null) : null;
      keys.add(entityKey(file, d ? (match.get(d.key) ?? null) : null));
    }
  }
  return [...keys];
}

function nonBlank(ctx: OwnerContext, lines: number[]): number[] {
  const kept = lines.filter((l) => (ctx.lines[l - 1] ?? "").trim() !== "");
  return kept.length > 0 ? kept : lines;
}

const GOLD_COMMENT = "issue: this code has to change to resolve the reported problem";

// One comment line per region, placed so that the verifier credits it with an entity the region changes (the
// gold patch is a correct answer under the same rule it is graded by):
//   1. above the region's first line, or up to `tolerance` lines higher, or on a line inside a modified region;
//   2. else directly above the definition the region changes (a method appended to a class: above the class);
//   3. else the first spot at or above the region where a comment is a real comment (the old placement).
// Each comment takes the indentation of the next non-blank line; a spot where it would not be a comment (inside a
// multi-line string) or would change the code is skipped.
export interface CommentRegion {
  hunk: GoldHunk;
  entities: string[]; // "<file>::<key>" the region changes
}

export function goldCommentEdits(text: string, regions: readonly (GoldHunk | CommentRegion)[], language: LanguageId, tolerance = 3): LineEdit[] {
  const total = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
  const seen = new Set<number>();
  const edits: LineEdit[] = [];
  const editAt = (line: number): LineEdit | null => {
    if (line < 1 || line > total + 1 || seen.has(line)) return null;
    let probe = line;
    while (probe <= total && lineAt(text, probe).trim() === "") probe++;
    const indent = probe <= total ? indentOfLine(text, probe) : "";
    const edit: LineEdit = { line, deleteCount: 0, insert: [`${indent}${lineCommentMarker(language)} ${GOLD_COMMENT}`] };
    const after = applyLineEdits(text, [edit]);
    if (hasSyntaxErrors(language, after) || !compareTrees(language, text, after).equal) return null;
    return edit;
  };
  for (const raw of regions) {
    const region: CommentRegion = "hunk" in raw ? raw : { hunk: raw, entities: [] };
    const r = region.hunk;
    const wanted = Math.min(Math.max(r.start, 1), total + 1);
    let chosen: LineEdit | null = null;
    if (region.entities.length > 0) {
      const file = r.file;
      const credited = (edit: LineEdit): string | null => {
        const after = applyLineEdits(text, [edit]);
        const index = indexText(file, after, text);
        return index === null ? null : entityKey(file, lineOwner(ownerContext(index, after), edit.line));
      };
      const near: number[] = [];
      for (let l = wanted; l >= wanted - tolerance; l--) near.push(l);
      for (let l = wanted + 1; l <= r.end; l++) near.push(l);
      const before = indexText(file, text);
      const above = region.entities
        .map((e) => before?.definitions.find((d) => entityKey(file, d) === e)?.span.start.line)
        .filter((l): l is number => l !== undefined);
      // A region that changes several definitions (the end of one method and the start of the next) gets a
      // comment credited to each, so the gold answer itself earns full entity recall.
      const remaining = new Set(region.entities);
      // The module as an entity (new top-level definitions inserted) is credited only by a comment that is not
      // above or inside any definition, which may be far from the region: look further, a bounded distance.
      const wide: number[] = [];
      if (remaining.has(entityKey(file, null))) {
        for (let l = wanted - tolerance - 1; l >= Math.max(1, wanted - MODULE_SEARCH); l--) wide.push(l);
        for (let l = Math.max(r.end, wanted) + 1; l <= Math.min(total + 1, wanted + MODULE_SEARCH); l++) wide.push(l);
      }
      // Each candidate costs three parses of the file; the entity a comment inserted at a line would get is
      // first read off the starting text's index (the comment documents the definition starting at the next code
      // line, else belongs to the definition spanning both neighbours), and only the lines that read as wanted
      // are tried, in order. The parses confirm; if none of those lines does, every line is tried.
      const beforeCtx = before ? ownerContext(before, text) : null;
      const foreseen = (l: number): string | null => {
        if (!beforeCtx) return null;
        let next = l;
        while (next <= total && (beforeCtx.commentOnly.has(next) || lineAt(text, next).trim() === "")) next++;
        const documented = beforeCtx.startsAt.get(next);
        if (documented) return entityKey(file, documented);
        let holder: Definition | null = null;
        for (const d of beforeCtx.index.definitions) {
          if (d.span.start.line <= l - 1 && d.span.end.line >= l && (!holder || d.span.endOffset - d.span.startOffset < holder.span.endOffset - holder.span.startOffset)) holder = d;
        }
        return entityKey(file, holder);
      };
      const candidates = [...near, ...above, ...wide];
      while (remaining.size > 0) {
        let next: { edit: LineEdit; entity: string } | null = null;
        const likely = candidates.filter((l) => remaining.has(foreseen(l) ?? ""));
        for (const list of [likely, candidates]) {
          for (const l of list) {
            const edit = editAt(l);
            const entity = edit ? credited(edit) : null;
            if (edit && entity !== null && remaining.has(entity)) {
              next = { edit, entity };
              break;
            }
          }
          if (next) break;
        }
        if (!next) break;
        remaining.delete(next.entity);
        seen.add(next.edit.line);
        edits.push(next.edit);
        chosen = next.edit;
      }
      if (chosen) continue;
    }
    for (let line = wanted; !chosen && line >= Math.max(1, wanted - MAX_MOVE_UP); line--) {
      if (seen.has(line)) break;
      chosen = editAt(line);
    }
    if (chosen) {
      seen.add(chosen.line);
      edits.push(chosen);
    }
  }
  return edits;
}

const MAX_MOVE_UP = 200;
const MODULE_SEARCH = 150;

// `start`: the starting state (= the pre-patch tree, issue-localize has no setup patch).
export function computeGold(fixPatch: string, start: RepoView, includeTests = false): GoldOutcome {
  let parsed;
  let fixed;
  try {
    parsed = parsePatch(fixPatch);
    fixed = applyPatch(start, fixPatch);
  } catch (e) {
    // Only a fix that truly does not apply drops the issue; a crash in the patch code is a bug and surfaces.
    if (e instanceof PatchError) return { reason: "fix-does-not-apply" };
    throw e;
  }
  const files = new Set<string>();
  const others = new Set<string>();
  const entities = new Set<string>();
  const hunks: GoldHunk[] = [];
  const edits: { path: string; before: string; after: string }[] = [];
  const languages = new Set<LanguageId>();
  for (const fp of parsed) {
    const path = fp.oldPath;
    if (path === null || fp.status === "copied") continue; // added files do not exist before the fix
    if (!includeTests && isTestPath(path)) continue;
    const language = languageForPath(path);
    if (!language || !isGoldSourcePath(path, true)) {
      others.add(path);
      continue;
    }
    const text = start.read(path);
    if (text === null) continue; // binary or filtered out of the snapshot
    const index = indexText(path, text);
    if (!index) continue;
    if (index.hasErrors) return { reason: "gold-file-does-not-parse" };
    files.add(path);
    const regions = fp.hunks.flatMap((h) => regionsOf(path, h));
    // A pure rename or mode change: the file is gold, with no line to point at; comment its top.
    if (regions.length === 0) regions.push({ hunk: { file: path, start: 1, end: 0 }, removed: [], added: [] });
    hunks.push(...regions.map((r) => r.hunk));
    const postText = fp.newPath !== null && !fixed.isBinary(fp.newPath) ? fixed.read(fp.newPath) : null;
    const postIndex: FileIndex | null = postText !== null ? indexText(path, postText, text) : null;
    const post = postIndex && postText !== null ? ownerContext(postIndex, postText) : null;
    const pre = ownerContext(index, text);
    const match = matchDefinitions(pre.index.definitions, post?.index.definitions ?? [], alignLines(fp.hunks), text, postText ?? "");
    // A region without lines (a pure rename) changes the file as a whole: the module.
    const commentRegions = regions.map((r) => {
      const found = regionEntities(path, pre, post, [r], match);
      return { hunk: r.hunk, entities: found.length > 0 ? found : [entityKey(path, null)] };
    });
    for (const c of commentRegions) for (const e of c.entities) entities.add(e);
    languages.add(language);
    edits.push({ path, before: text, after: applyLineEdits(text, goldCommentEdits(text, commentRegions, language, DEFAULT_LINE_TOLERANCE)) });
  }
  if (files.size === 0) return { reason: others.size > 0 ? "fix-touches-no-source-file" : "fix-touches-only-tests-or-new-files" };
  return {
    files: [...files].sort(),
    other_files: [...others].sort(),
    entities: [...entities].sort(),
    hunks: hunks.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start)),
    patch: patchFromTexts(edits),
    languages: [...languages].sort(),
  };
}
