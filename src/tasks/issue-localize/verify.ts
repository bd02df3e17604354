// issue-localize reward (docs/DESIGN.md §3): changes are comments only (syntax-tree check; a non-code file may change
// only when the fix touches it, and such an edit never earns credit), and the commented locations are compared
// with the gold: file and entity precision/recall, and the share of gold regions with a comment within
// ±tolerance lines. A comment's entity follows line-owner.ts, the rule the gold itself is built with.
//
// Success (criterion stored in the instance, so verification needs nothing but the instance and the result):
//   default: comments only; at least one comment at a gold location — within `line_tolerance` lines of a gold
//            hunk, or owned by a gold definition (a comment on `<module>` is a location only near a hunk, since
//            the module spans the whole file); file precision >= min_file_precision; entity precision >=
//            min_entity_precision. One comment at the top of a gold file, a comment above every definition of a
//            gold file or a comment in every file therefore fail.
//   paper:   comments only and at least one gold file commented.

import type { FileChange, WorkspaceResult } from "../../core/repo-view.js";
import type { Instance } from "../types.js";
import type { VerifyContext } from "../verify-context.js";
import type { Reward, Violation } from "../../core/reward.js";
import { ensureLanguages, languageForPath } from "../common/code.js";
import { commentsOnlyCheck, earlyFailure } from "../common/comments-only.js";
import { frontendVersion } from "../../lang/frontend/index.js";
import { scoreSets } from "../common/similarity.js";
import { newComments, type NewComment } from "./comment-locations.js";
import { DEFAULT_CRITERION, MODULE_LEVEL, type GoldHunk, type IssueLocalizeGold } from "./types.js";

function f1(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

export function nearHunk(c: NewComment, h: GoldHunk, tol: number): boolean {
  return c.file === h.file && c.beforeLine >= h.start - tol && c.beforeLine <= Math.max(h.end, h.start - 1) + tol;
}

// Whether a comment is at a gold location (see the header).
export function atGoldLocation(c: NewComment, gold: IssueLocalizeGold): boolean {
  if (gold.hunks.some((h) => nearHunk(c, h, gold.line_tolerance))) return true;
  return !c.entity.endsWith(`::${MODULE_LEVEL}`) && gold.entities.includes(c.entity);
}

export async function verifyIssueLocalize(instance: Instance<IssueLocalizeGold>, result: WorkspaceResult, ctx?: VerifyContext): Promise<Reward> {
  await ensureLanguages();
  const gold = instance.gold;
  const goldCode = gold.files.filter((f) => languageForPath(f) !== null);
  // Non-code files the fix itself changes (docs, changelogs) may be edited, for no credit; every other change goes
  // through the comments-only check. (Instances written before other_files existed listed them in files.)
  const otherFiles = new Set([...(gold.other_files ?? []), ...gold.files.filter((f) => languageForPath(f) === null)]);
  const allowedNonCode = (c: FileChange) => c.status === "modified" && !c.binary && languageForPath(c.path) === null && otherFiles.has(c.path);
  const checked = result.changes.filter((c) => !allowedNonCode(c));
  const violations: Violation[] = await commentsOnlyCheck(checked, { allowDocstrings: false });
  const judge = await frontendVersion(instance.language); // the front end that judged comments-only
  const early = earlyFailure(violations, ctx, judge);
  if (early) return early;

  const comments: NewComment[] = [];
  const touchedFiles = new Set<string>();
  for (const c of result.changes) {
    if (c.status !== "modified" || c.before === null || c.after === null || languageForPath(c.path) === null) continue;
    const found = newComments(c.path, c.before, c.after);
    if (found.length > 0) touchedFiles.add(c.path);
    comments.push(...found);
  }
  const predictedFiles = [...touchedFiles].sort();
  const files = scoreSets(predictedFiles, goldCode);
  const entities = scoreSets([...new Set(comments.map((c) => c.entity))].sort(), gold.entities);
  const tol = gold.line_tolerance;
  const codeHunks = gold.hunks.filter((h) => languageForPath(h.file) !== null);
  const hit = codeHunks.filter((h) => comments.some((c) => nearHunk(c, h, tol))).length;
  const lineHitRate = codeHunks.length === 0 ? 0 : hit / codeHunks.length;
  const commentsInHunks = comments.filter((c) => codeHunks.some((h) => nearHunk(c, h, tol))).length;
  const atLocation = comments.filter((c) => atGoldLocation(c, gold)).length;

  const criterion = gold.criterion;
  const goldFileHit = files.truePositives > 0;
  if (!goldFileHit) {
    violations.push({ code: "no-gold-file-commented", message: "no source file that the fix changes received a comment" });
  }
  if (criterion.name !== "paper" && goldFileHit) {
    if (atLocation === 0) {
      violations.push({
        code: "no-comment-at-gold-location",
        message: `no comment is within ${tol} lines of a changed region or on a definition the fix changes`,
      });
    }
    if (files.precision < criterion.min_file_precision) {
      violations.push({
        code: "low-file-precision",
        message: `only ${files.truePositives} of ${predictedFiles.length} commented files are files the fix changes (precision ${files.precision.toFixed(2)} < ${criterion.min_file_precision})`,
      });
    }
    const minEntity = criterion.min_entity_precision ?? DEFAULT_CRITERION.min_entity_precision ?? 0.5;
    if (entities.precision < minEntity) {
      violations.push({
        code: "low-entity-precision",
        message: `only ${entities.truePositives} of ${entities.truePositives + entities.falsePositives} commented entities are entities the fix changes (precision ${entities.precision.toFixed(2)} < ${minEntity})`,
      });
    }
  }
  const success = violations.length === 0;
  const scoring = new Set(["no-gold-file-commented", "low-file-precision", "no-comment-at-gold-location", "low-entity-precision"]);
  const codeOk = !violations.some((v) => !scoring.has(v.code));
  return {
    success,
    score: codeOk ? (f1(files.precision, files.recall) + f1(entities.precision, entities.recall) + lineHitRate) / 3 : 0,
    metrics: {
      judge,
      criterion: criterion.name,
      file_precision: files.precision,
      file_recall: files.recall,
      entity_precision: entities.precision,
      entity_recall: entities.recall,
      line_hit_rate: lineHitRate,
      comments: comments.length,
      comments_in_gold_hunks: commentsInHunks,
      comments_at_gold_locations: atLocation,
      commented_files: predictedFiles.length,
    },
    violations,
  };
}
