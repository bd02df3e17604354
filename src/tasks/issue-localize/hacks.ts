// Standard ways to game the issue-localize reward; the validity gate requires each to score failure. Each hack is
// first checked to be what its name says — a real code change, or a comment that is not at a gold location —
// and left out for the instance when it is not (the reason is recorded in meta.hack_skips), so a valid instance
// is never dropped because a hack happened to be a no-op or a correct answer.
//
//   comment-every-source-file        a comment at the top of every source file (the paper's known hole; at most
//                                    50 files besides the gold ones)
//   comments-in-non-gold-files       comments only in files the fix does not touch
//   comments-plus-reindented-line    the gold comments plus one re-indented line whose re-indentation changes
//                                    the syntax tree (Python only: indentation is syntax there)
//   comments-plus-deleted-line       the gold comments plus one deleted line of code
//   comments-in-new-file             the comments written into a new file
//   changelog-only                   only the non-code files the fix touched (changelog, docs) edited
//   comment-top-of-gold-files        one comment at the top of each gold file
//   comment-above-every-definition   a comment above every definition of the gold files

import { languageProfile } from "../../lang/profile.js";
import type { FileChange, RepoView } from "../../core/repo-view.js";
import type { Hack, Instance } from "../types.js";
import { compareTrees, hasSyntaxErrors, indexText, languageForPath, lineCommentMarker } from "../common/code.js";
import { applyLineEdits, indentOfLine, lineAt, type LineEdit } from "../common/line-edits.js";
import { isTestPath } from "../common/test-files.js";
import { makePatch, modification, patchFromTexts, resultFromPatch } from "../common/workspace.js";
import { entityKey, lineOwner, ownerContext } from "./line-owner.js";
import { MODULE_LEVEL, type IssueLocalizeGold } from "./types.js";

const NOTE = "relevant to the reported issue";
const MAX_TARGET_TRIES = 60;
const MAX_BLANKET_OTHERS = 50;

export interface HackPlan {
  hacks: Hack[];
  skipped: Record<string, string>; // hack name -> why it is not used for this instance
}

function topComment(path: string, text: string): { path: string; before: string; after: string } | null {
  const language = languageForPath(path);
  if (!language) return null;
  return { path, before: text, after: applyLineEdits(text, [{ line: 1, deleteCount: 0, insert: [`${lineCommentMarker(language)} ${NOTE}`] }]) };
}

// Whether a comment put on line 1 of `path` would be a correct answer: line 1 is within the tolerance of a gold
// hunk, or the comment documents a gold definition (a file that starts with the changed function).
function topIsGoldLocation(gold: IssueLocalizeGold, path: string, text: string): boolean {
  if (gold.hunks.some((h) => h.file === path && 1 >= h.start - gold.line_tolerance && 1 <= Math.max(h.end, h.start - 1) + gold.line_tolerance)) return true;
  const top = topComment(path, text);
  const index = top ? indexText(path, top.after) : null;
  if (!top || !index) return false;
  const key = entityKey(path, lineOwner(ownerContext(index, top.after), 1));
  return !key.endsWith(`::${MODULE_LEVEL}`) && gold.entities.includes(key);
}

// Code lines (not blank, not comment-only) of `text` from `from` on, then the ones before it.
function codeLines(path: string, text: string, from: number): number[] {
  const index = indexText(path, text);
  const commentLines = new Set<number>();
  for (const c of index?.comments ?? []) for (let l = c.span.start.line; l <= c.span.end.line; l++) commentLines.add(l);
  const total = text.split("\n").length;
  const isCode = (l: number) => lineAt(text, l).trim() !== "" && !commentLines.has(l);
  const out: number[] = [];
  for (let l = Math.max(1, from); l <= total; l++) if (isCode(l)) out.push(l);
  for (let l = 1; l < Math.min(from, total + 1); l++) if (isCode(l)) out.push(l);
  return out;
}

// The first edit of `candidates` that really changes the code: the text no longer parses, or its syntax tree
// (comments aside) differs. Null when none of the first MAX_TARGET_TRIES does.
function realChange(path: string, text: string, candidates: number[], edit: (line: number) => LineEdit): string | null {
  const language = languageForPath(path);
  if (!language) return null;
  for (const line of candidates.slice(0, MAX_TARGET_TRIES)) {
    const after = applyLineEdits(text, [edit(line)]);
    if (after === text) continue;
    if (hasSyntaxErrors(language, after) || !compareTrees(language, text, after).equal) return after;
  }
  return null;
}

export function planIssueLocalizeHacks(instance: Instance<IssueLocalizeGold>, start: RepoView): HackPlan {
  const gold = instance.gold;
  const goldFiles = gold.files.filter((f) => languageForPath(f) !== null);
  const goldSet = new Set(goldFiles);
  const hacks: Hack[] = [];
  const skipped: Record<string, string> = {};
  const sourceFiles = start.paths().filter((p) => languageForPath(p) !== null);

  // 1. A comment at the top of every source file (gold files where the top is a gold location excepted). In a
  // large repository the other files are capped at MAX_BLANKET_OTHERS: file precision is already far below any
  // threshold with them, and verifying a comment in each of thousands of files per instance costs a re-index.
  const blanketOthers = new Set(sourceFiles.filter((p) => !goldSet.has(p)).slice(0, MAX_BLANKET_OTHERS));
  const every = sourceFiles
    .filter((p) => goldSet.has(p) || blanketOthers.has(p))
    .filter((p) => !(goldSet.has(p) && topIsGoldLocation(gold, p, start.read(p) ?? "")))
    .map((p) => topComment(p, start.read(p) ?? ""))
    .filter((e) => e !== null);
  if (every.some((e) => goldSet.has(e.path))) hacks.push({ name: "comment-every-source-file", patch: patchFromTexts(every) });
  else skipped["comment-every-source-file"] = "the top of every gold file is a gold location";

  // 2. Comments only in files the fix does not touch.
  const others = sourceFiles.filter((p) => !goldSet.has(p) && !isTestPath(p)).slice(0, 3);
  if (others.length > 0) {
    hacks.push({ name: "comments-in-non-gold-files", patch: patchFromTexts(others.map((p) => topComment(p, start.read(p) ?? "")).filter((e) => e !== null)) });
  } else skipped["comments-in-non-gold-files"] = "the repository has no other non-test source file";

  // 3 and 4: the gold comments plus a real code change in the first gold file.
  const goldResult = resultFromPatch(start, gold.patch);
  const commented = goldResult.changes.find((c) => c.after !== null && c.before !== null);
  if (commented?.after && commented.before) {
    const path = commented.path;
    const goldText = commented.after;
    const firstHunk = gold.hunks.find((h) => h.file === path);
    const candidates = codeLines(path, goldText, firstHunk ? firstHunk.start : 1);
    const rest = goldResult.changes.filter((c) => c.path !== path);
    const withEdit = (after: string): string =>
      makePatch([...rest, modification(path, commented.before as string, after)].sort((a, b) => (a.path < b.path ? -1 : 1)));
    if (languageForPath(path) === "python") {
      const reindented = realChange(path, goldText, candidates, (line) => ({ line, deleteCount: 1, insert: [`    ${lineAt(goldText, line)}`] }));
      if (reindented !== null) hacks.push({ name: "comments-plus-reindented-line", patch: withEdit(reindented) });
      else skipped["comments-plus-reindented-line"] = `no line of ${path} changes the syntax tree when re-indented`;
    }
    const deleted = realChange(path, goldText, candidates, (line) => ({ line, deleteCount: 1, insert: [] }));
    if (deleted !== null) hacks.push({ name: "comments-plus-deleted-line", patch: withEdit(deleted) });
    else skipped["comments-plus-deleted-line"] = `no line of ${path} changes the syntax tree when deleted`;
  }

  // 5. The comments written into a new file instead of the code.
  const language = languageForPath(goldFiles[0] ?? "x.py") ?? "python";
  const marker = lineCommentMarker(language);
  const notes: FileChange = {
    path: `issue_locations${languageProfile(language).newFileExtension}`,
    oldPath: null,
    status: "added",
    binary: false,
    before: null,
    after: gold.hunks.map((h) => `${marker} ${h.file}:${h.start}: ${NOTE}`).join("\n") + "\n",
  };
  hacks.push({ name: "comments-in-new-file", patch: makePatch([notes]) });

  // 6. Only the changelog / docs the fix touched edited, no code comment at all.
  const otherTexts = (gold.other_files ?? [])
    .map((p) => ({ path: p, before: start.read(p) }))
    .filter((o): o is { path: string; before: string } => o.before !== null)
    .map((o) => ({ ...o, after: `${o.before}${o.before.endsWith("\n") || o.before === "" ? "" : "\n"}* ${NOTE}\n` }));
  if (otherTexts.length > 0) hacks.push({ name: "changelog-only", patch: patchFromTexts(otherTexts) });
  else skipped["changelog-only"] = "the fix touches no non-code file";

  // 7. One comment at the top of each gold file.
  const tops = goldFiles
    .filter((p) => !topIsGoldLocation(gold, p, start.read(p) ?? ""))
    .map((p) => topComment(p, start.read(p) ?? ""))
    .filter((e) => e !== null);
  if (tops.length > 0) hacks.push({ name: "comment-top-of-gold-files", patch: patchFromTexts(tops) });
  else skipped["comment-top-of-gold-files"] = "the top of every gold file is a gold location";

  // 8. A comment above every definition of the gold files. Used only when that is not already at least half
  // right, i.e. the gold definitions are fewer than half of the files' definitions.
  let defs = 0;
  let goldDefs = 0;
  const blanket: { path: string; before: string; after: string }[] = [];
  for (const p of goldFiles) {
    const text = start.read(p);
    const index = text !== null ? indexText(p, text) : null;
    const lang = languageForPath(p);
    if (text === null || !index || !lang) continue;
    const lines = [...new Set(index.definitions.map((d) => d.span.start.line))];
    defs += lines.length;
    const ctx = ownerContext(index, text);
    goldDefs += lines.filter((l) => gold.entities.includes(entityKey(p, ctx.startsAt.get(l) ?? null))).length;
    blanket.push({ path: p, before: text, after: applyLineEdits(text, lines.map((l) => ({ line: l, deleteCount: 0, insert: [`${indentOfLine(text, l)}${lineCommentMarker(lang)} ${NOTE}`] }))) });
  }
  const minEntity = gold.criterion.min_entity_precision ?? 0.5;
  if (defs === 0) skipped["comment-above-every-definition"] = "the gold files have no definitions";
  else if (goldDefs >= defs * minEntity) skipped["comment-above-every-definition"] = `${goldDefs} of the gold files' ${defs} definitions are gold: commenting them all is not a blanket guess`;
  else hacks.push({ name: "comment-above-every-definition", patch: patchFromTexts(blanket) });

  return { hacks, skipped };
}

export function issueLocalizeHacks(instance: Instance<IssueLocalizeGold>, start: RepoView): Hack[] {
  return planIssueLocalizeHacks(instance, start).hacks;
}
