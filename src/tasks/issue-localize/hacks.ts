// Standard ways to game the issue-localize reward; the validity gate requires each to score failure. The first
// two are the paper's known holes (comment everything; new files always pass), the next two hide a code change
// next to correct comments (re-indenting is only a code change in Python, so that hack is Python-only).

import type { FileChange, Hack, Instance, RepoView } from "../types.js";
import { indexText, languageForPath, lineCommentMarker } from "../common/code.js";
import { applyLineEdits, lineAt } from "../common/line-edits.js";
import { isTestPath } from "../common/test-files.js";
import { makePatch, modification, patchFromTexts, resultFromPatch } from "../common/workspace.js";
import type { IssueLocalizeGold } from "./types.js";

const NOTE = "relevant to the reported issue";

function topComment(path: string, text: string): { path: string; before: string; after: string } | null {
  const language = languageForPath(path);
  if (!language) return null;
  return { path, before: text, after: applyLineEdits(text, [{ line: 1, deleteCount: 0, insert: [`${lineCommentMarker(language)} ${NOTE}`] }]) };
}

// The first code line (not blank, not a comment) at or after `from` in `text`; null when there is none.
function codeLineFrom(path: string, text: string, from: number): number | null {
  const index = indexText(path, text);
  const commentLines = new Set<number>();
  for (const c of index?.comments ?? []) for (let l = c.span.start.line; l <= c.span.end.line; l++) commentLines.add(l);
  const total = text.split("\n").length;
  for (let l = Math.max(1, from); l <= total; l++) {
    if (lineAt(text, l).trim() !== "" && !commentLines.has(l)) return l;
  }
  return null;
}

export function issueLocalizeHacks(instance: Instance<IssueLocalizeGold>, start: RepoView): Hack[] {
  const gold = instance.gold;
  const goldFiles = new Set(gold.files);
  const hacks: Hack[] = [];
  const sourceFiles = start.paths().filter((p) => languageForPath(p) !== null);

  // 1. A comment in every source file.
  const every = sourceFiles.map((p) => topComment(p, start.read(p) ?? "")).filter((e) => e !== null);
  hacks.push({ name: "comment-every-source-file", patch: patchFromTexts(every) });

  // 2. Comments only in files the fix does not touch.
  const others = sourceFiles.filter((p) => !goldFiles.has(p) && !isTestPath(p)).slice(0, 3);
  if (others.length > 0) {
    hacks.push({ name: "comments-in-non-gold-files", patch: patchFromTexts(others.map((p) => topComment(p, start.read(p) ?? "")).filter((e) => e !== null)) });
  }

  const goldResult = resultFromPatch(start, gold.patch);
  const commented = goldResult.changes.find((c) => c.after !== null && c.before !== null);
  if (commented?.after && commented.before) {
    const path = commented.path;
    const goldText = commented.after;
    const firstHunk = gold.hunks.find((h) => h.file === path);
    // The first line of code at the first gold region (past the comment the gold answer put there).
    const target = codeLineFrom(path, goldText, firstHunk ? firstHunk.start : 1);
    if (target !== null) {
      const others = goldResult.changes.filter((c) => c.path !== path);
      const withEdit = (after: string): string =>
        makePatch([...others, modification(path, commented.before as string, after)].sort((a, b) => (a.path < b.path ? -1 : 1)));
      // 3. Correct comments plus a re-indented line (Python: indentation is syntax).
      if (languageForPath(path) === "python") {
        const line = lineAt(goldText, target);
        hacks.push({ name: "comments-plus-reindented-line", patch: withEdit(applyLineEdits(goldText, [{ line: target, deleteCount: 1, insert: [`    ${line}`] }])) });
      }
      // 4. Correct comments plus a deleted line of code.
      hacks.push({ name: "comments-plus-deleted-line", patch: withEdit(applyLineEdits(goldText, [{ line: target, deleteCount: 1, insert: [] }])) });
    }
  }

  // 5. The comments written into a new file instead of the code.
  const language = languageForPath(gold.files.find((f) => languageForPath(f) !== null) ?? "x.py") ?? "python";
  const marker = lineCommentMarker(language);
  const notes: FileChange = {
    path: `issue_locations${language === "python" ? ".py" : ".ts"}`,
    oldPath: null,
    status: "added",
    binary: false,
    before: null,
    after: gold.hunks.map((h) => `${marker} ${h.file}:${h.start}: ${NOTE}`).join("\n") + "\n",
  };
  hacks.push({ name: "comments-in-new-file", patch: makePatch([notes]) });
  return hacks;
}
