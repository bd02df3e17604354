// dep-search reward (docs/DESIGN.md §3): comments only; each added annotation attaches to the definition right below
// it; the annotated set is compared with the gold set by (file, key) — one-to-one, so two dependencies on
// adjacent lines or with the same name in two files are each countable, and duplicates or annotations attached
// to nothing count against precision. Success = exact set match with no violations.

import type { Instance } from "../types.js";
import type { VerifyContext } from "../verify-context.js";
import type { Reward, Violation } from "../../core/reward.js";
import type { FileChange, WorkspaceResult } from "../../core/repo-view.js";
import { ensureLanguages, indexText } from "../common/code.js";
import { commentsOnlyCheck, earlyFailure } from "../common/comments-only.js";
import { frontendVersion } from "../../lang/frontend/index.js";
import { scoreSets } from "../common/similarity.js";
import { findAnnotations, namesTarget, type Annotation } from "./annotations.js";
import type { DepSearchGold } from "./types.js";

const refKey = (file: string, key: string) => `${file}::${key}`;

export async function verifyDepSearch(instance: Instance<DepSearchGold>, result: WorkspaceResult, ctx?: VerifyContext): Promise<Reward> {
  await ensureLanguages();
  const gold = instance.gold;
  const violations: Violation[] = await commentsOnlyCheck(result.changes, { allowDocstrings: false });
  const judge = await frontendVersion(instance.language); // the front end that judged comments-only
  const early = earlyFailure(violations, ctx, judge);
  if (early) return early;
  const goldKeys = gold.dependencies.map((d) => refKey(d.file, d.key));
  const predicted: string[] = [];
  let unattached = 0;
  let misnamed = 0;
  // When only `success` is read (the validity gate), indexing stops at the first annotation that cannot be part of
  // an exact match — one outside the gold set or a repeat — since success needs the exact set; the target's file
  // goes first, where most hacks put such an annotation. Indexing every edited file is most of a hack's cost.
  const outcomeOnly = ctx?.outcomeOnly === true;
  const changes = outcomeOnly ? targetFileFirst(result.changes, gold.target.file) : result.changes;
  for (const change of changes) {
    if (change.status !== "modified" || change.before === null || change.after === null) continue;
    const afterIndex = indexText(change.path, change.after, change.before);
    const beforeIndex = indexText(change.path, change.before);
    if (!afterIndex || !beforeIndex) continue;
    // Annotations already in the starting state are not the agent's: remove one match per pre-existing one.
    const existing = new Map<string, number>();
    for (const a of findAnnotations(beforeIndex, change.before)) existing.set(signature(a), (existing.get(signature(a)) ?? 0) + 1);
    for (const a of findAnnotations(afterIndex, change.after)) {
      const sig = signature(a);
      const left = existing.get(sig) ?? 0;
      if (left > 0) {
        existing.set(sig, left - 1);
        continue;
      }
      if (!namesTarget(a.name, gold.target)) {
        misnamed++;
        predicted.push(`misnamed:${change.path}:${a.line}`);
      } else if (a.attachedKey === null) {
        unattached++;
        predicted.push(`unattached:${change.path}:${a.line}`);
      } else {
        predicted.push(refKey(change.path, a.attachedKey));
      }
    }
    // A false positive (scoreSets counts repeats among them) can never be undone by a later file.
    if (outcomeOnly && scoreSets(predicted, goldKeys).falsePositives > 0) {
      return { success: false, score: 0, metrics: { judge, outcome_only: true }, violations };
    }
  }
  const s = scoreSets(predicted, goldKeys);
  const exact = s.precision === 1 && s.recall === 1 && s.duplicates === 0;
  const success = violations.length === 0 && exact;
  return {
    success,
    score: violations.length === 0 ? s.f1 : 0,
    metrics: {
      judge,
      precision: s.precision,
      recall: s.recall,
      f1: s.f1,
      annotations: predicted.length,
      true_positives: s.truePositives,
      false_positives: s.falsePositives,
      false_negatives: s.falseNegatives,
      duplicates: s.duplicates,
      unattached,
      misnamed,
    },
    violations,
  };
}

function targetFileFirst(changes: readonly FileChange[], targetFile: string): readonly FileChange[] {
  const first = changes.filter((c) => c.path === targetFile);
  return first.length === 0 ? changes : [...first, ...changes.filter((c) => c.path !== targetFile)];
}

function signature(a: Annotation): string {
  return `${a.attachedKey ?? "-"}|${a.name}`;
}
