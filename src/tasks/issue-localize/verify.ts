// issue-localize reward (DESIGN.md §3): changes are comments only (syntax-tree check; a non-code file may change
// only when the fix touches it), and the commented locations are compared with the gold: file and entity
// precision/recall, and the share of gold regions with a comment within ±tolerance lines. Success follows the
// criterion stored in the instance, so verification needs nothing but the instance and the result.

import type { FileChange, Instance, Reward, Violation, WorkspaceResult } from "../types.js";
import { ensureLanguages, languageForPath } from "../common/code.js";
import { commentsOnlyCheck } from "../common/comments-only.js";
import { scoreSets } from "../common/similarity.js";
import { newComments, type NewComment } from "./comment-locations.js";
import type { IssueLocalizeGold } from "./types.js";

function f1(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

export async function verifyIssueLocalize(instance: Instance<IssueLocalizeGold>, result: WorkspaceResult): Promise<Reward> {
  await ensureLanguages();
  const gold = instance.gold;
  const goldFiles = new Set(gold.files);
  // Non-code files the fix itself changes (docs, changelogs) may be edited; every other change goes through the
  // comments-only check.
  const allowedNonCode = (c: FileChange) => c.status === "modified" && !c.binary && languageForPath(c.path) === null && goldFiles.has(c.path);
  const checked = result.changes.filter((c) => !allowedNonCode(c));
  // Python indentation CPython would reject (which tree-sitter tolerates) counts as a parse error there.
  const violations: Violation[] = commentsOnlyCheck(checked, { allowDocstrings: false });

  const comments: NewComment[] = [];
  const touchedFiles = new Set<string>();
  for (const c of result.changes) {
    if (allowedNonCode(c) && c.before !== c.after) touchedFiles.add(c.path);
    if (c.status !== "modified" || c.before === null || c.after === null || languageForPath(c.path) === null) continue;
    const found = newComments(c.path, c.before, c.after);
    if (found.length > 0) touchedFiles.add(c.path);
    comments.push(...found);
  }
  const predictedFiles = [...touchedFiles].sort();
  const files = scoreSets(predictedFiles, gold.files);
  const entities = scoreSets([...new Set(comments.map((c) => c.entity))].sort(), gold.entities);
  const tol = gold.line_tolerance;
  const codeHunks = gold.hunks.filter((h) => languageForPath(h.file) !== null);
  const hit = codeHunks.filter((h) =>
    comments.some((c) => c.file === h.file && c.beforeLine >= h.start - tol && c.beforeLine <= Math.max(h.end, h.start - 1) + tol),
  ).length;
  const lineHitRate = codeHunks.length === 0 ? 0 : hit / codeHunks.length;
  const commentsInHunks = comments.filter((c) =>
    codeHunks.some((h) => c.file === h.file && c.beforeLine >= h.start - tol && c.beforeLine <= Math.max(h.end, h.start - 1) + tol),
  ).length;

  const goldFileHit = files.truePositives > 0;
  if (!goldFileHit) {
    violations.push({ code: "no-gold-file-commented", message: "no file that the fix changes received a comment" });
  }
  const criterion = gold.criterion;
  const precisionOk = criterion.name === "paper" || files.precision >= criterion.min_file_precision;
  if (goldFileHit && !precisionOk) {
    violations.push({
      code: "low-file-precision",
      message: `only ${files.truePositives} of ${predictedFiles.length} commented files are files the fix changes (precision ${files.precision.toFixed(2)} < ${criterion.min_file_precision})`,
    });
  }
  const success = violations.length === 0;
  const codeOk = !violations.some((v) => v.code !== "no-gold-file-commented" && v.code !== "low-file-precision");
  return {
    success,
    score: codeOk ? (f1(files.precision, files.recall) + f1(entities.precision, entities.recall) + lineHitRate) / 3 : 0,
    metrics: {
      criterion: criterion.name,
      file_precision: files.precision,
      file_recall: files.recall,
      entity_precision: entities.precision,
      entity_recall: entities.recall,
      line_hit_rate: lineHitRate,
      comments: comments.length,
      comments_in_gold_hunks: commentsInHunks,
      commented_files: predictedFiles.length,
    },
    violations,
  };
}
