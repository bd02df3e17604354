// func-localize reward (docs/DESIGN.md §3): every changed file parses and changed only in comments/docstrings; the
// target, found again by key in its final text (lines may have moved), has a docstring; no other definition
// gained one. One-line docstrings are as good as long ones. Docstring similarity to the original is a metric.

import type { FileIndex } from "../../lang/types.js";
import type { Instance } from "../types.js";
import type { VerifyContext } from "../verify-context.js";
import type { Reward, Violation } from "../../core/reward.js";
import type { WorkspaceResult } from "../../core/repo-view.js";
import { ensureLanguages, findByKey, indexText } from "../common/code.js";
import { commentsOnlyCheck, earlyFailure } from "../common/comments-only.js";
import { frontendVersion } from "../../lang/frontend/index.js";
import { tokenF1 } from "../common/similarity.js";
import type { FuncLocalizeGold } from "./types.js";

export async function verifyFuncLocalize(instance: Instance<FuncLocalizeGold>, result: WorkspaceResult, ctx?: VerifyContext): Promise<Reward> {
  await ensureLanguages();
  const gold = instance.gold;
  const violations: Violation[] = await commentsOnlyCheck(result.changes, { allowDocstrings: true });
  const judge = await frontendVersion(instance.language); // the front end that judged comments-only
  const early = earlyFailure(violations, ctx, judge);
  if (early) return early;
  let targetDocumented = false;
  let similarity: number | null = null;
  let extraDocstrings = 0;
  const targetChange = result.changes.find((c) => c.path === gold.file && c.status === "modified" && c.after !== null);
  for (const change of result.changes) {
    if (change.status !== "modified" || change.before === null || change.after === null) continue;
    const before = indexText(change.path, change.before);
    const after = indexText(change.path, change.after, change.before);
    if (!before || !after) continue;
    for (const def of gainedDocstrings(before, after)) {
      if (change.path === gold.file && def === gold.key) continue;
      extraDocstrings++;
      violations.push({
        code: "other-docstring-added",
        message: `${change.path}: ${def} gained a docstring, but only the described definition should be documented`,
        file: change.path,
      });
    }
  }
  if (targetChange?.after) {
    const index = indexText(gold.file, targetChange.after, targetChange.before ?? undefined);
    const target = index ? findByKey(index, gold.key) : null;
    if (!target) {
      violations.push({ code: "target-missing", message: `the definition ${gold.qualifiedName} is gone`, file: gold.file });
    } else if (target.docstring && target.docstring.text.trim() !== "") {
      targetDocumented = true;
      similarity = tokenF1(target.docstring.text, gold.docstring);
    }
  }
  if (!targetDocumented) {
    violations.push({ code: "target-not-documented", message: "the described definition did not get a docstring", file: gold.file });
  }
  const success = violations.length === 0;
  return {
    success,
    score: success ? 1 : 0,
    metrics: { judge, target_documented: targetDocumented, extra_docstrings: extraDocstrings, docstring_similarity: similarity },
    violations,
  };
}

// Keys of definitions that have a (non-empty) docstring after but had none before (or did not exist before).
function gainedDocstrings(before: FileIndex, after: FileIndex): string[] {
  const had = new Set(before.definitions.filter((d) => d.docstring && d.docstring.text.trim() !== "").map((d) => d.key));
  return after.definitions.filter((d) => d.docstring && d.docstring.text.trim() !== "" && !had.has(d.key)).map((d) => d.key);
}
