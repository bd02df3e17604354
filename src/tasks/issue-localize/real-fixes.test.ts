// issue-localize gold against hand labels on real fixes: 15 consecutive releases of npm packages (express,
// body-parser, cookie, semver, ...) whose diff is one fix, written as SWE-bench records (testdata/npm-fixes:
// records.jsonl, the pre-fix files the fix touches stored as <path>.txt, changelogs cut to their head). labels.json was written by
// hand from the diffs under the rules of docs/LABELS.md (section issue-localize), not by this code. The test
// builds the gold with the real code, prints the agreement, and checks that the gameable strategies fail on these
// real instances while a correct comment on each gold entity succeeds.

import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureLanguages, indexText, languageForPath, lineCommentMarker } from "../common/code.js";
import { scorePatch, throwawayContext } from "../common/test-support.js";
import { runValidityGate } from "../common/validity-gate.js";
import { patchFromTexts } from "../common/workspace.js";
import { applyLineEdits, indentOfLine } from "../common/line-edits.js";
import type { Instance } from "../types.js";
import type { RepoView } from "../../core/repo-view.js";
import { computeGold, type ComputedGold } from "./gold.js";
import { instanceForRecord } from "./record-instance.js";
import { planIssueLocalizeHacks } from "./hacks.js";
import { issueLocalize } from "./index.js";
import { MODULE_LEVEL, type IssueLocalizeGold, type IssueRecord } from "./types.js";

const DATA = join(dirname(fileURLToPath(import.meta.url)), "testdata", "npm-fixes");

interface Label {
  files: string[];
  other_files: string[];
  entities: string[];
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

// Each stored file carries a `.txt` suffix so that linters and tools do not treat the packages' code as ours.
function viewOf(dir: string): RepoView {
  const files = new Map(walk(dir).map((f) => [relative(dir, f).replace(/\.txt$/, ""), readFileSync(f, "utf8")]));
  return { paths: () => [...files.keys()].sort(), read: (p) => files.get(p) ?? null };
}

const records: IssueRecord[] = readFileSync(join(DATA, "records.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as IssueRecord);
const labels = JSON.parse(readFileSync(join(DATA, "labels.json"), "utf8")) as Record<string, Label>;


// One comment directly above the definition an entity names; for `<module>`, above a module-level code line at a
// gold hunk that lies outside every definition (the hunk's first line, or the nearest code line above it: a
// comment right above a JSDoc block documents the function below it, which is not `<module>`), else the nearest
// module-level code line.
function commentOn(view: RepoView, inst: Instance<IssueLocalizeGold>, entity: string): { path: string; before: string; after: string } {
  const [path, key] = entity.split("::") as [string, string];
  const text = view.read(path) as string;
  const index = indexText(path, text);
  const marker = lineCommentMarker(languageForPath(path) ?? "javascript");
  let line: number;
  if (key === MODULE_LEVEL) {
    const hunk = inst.gold.hunks.find((h) => h.file === path && !index?.definitions.some((d) => d.span.start.line <= h.start && d.span.end.line >= h.start));
    if (!hunk) throw new Error(`no module-level hunk in ${path}`);
    const lines = text.split("\n");
    const moduleCode = (l: number) => {
      const t = (lines[l - 1] ?? "").trim();
      return t !== "" && !/^(\/\/|\/\*|\*)/.test(t) && !index?.definitions.some((d) => d.span.start.line <= l && d.span.end.line >= l);
    };
    // The nearest module-level code line (statuses: the new functions go between two functions, where every
    // comment documents the function below; the module is then commented elsewhere).
    line = hunk.start;
    for (let d = 0; d < lines.length; d++) {
      const hit = [hunk.start - d, hunk.start + d].find((l) => l >= 1 && l <= lines.length && moduleCode(l));
      if (hit !== undefined) {
        line = hit;
        break;
      }
    }
  } else {
    const def = index?.definitions.find((d) => d.key === key);
    if (!def) throw new Error(`no definition ${key} in ${path}`);
    line = def.span.start.line;
  }
  return { path, before: text, after: applyLineEdits(text, [{ line, deleteCount: 0, insert: [`${indentOfLine(text, line)}${marker} the reported problem comes from here`] }]) };
}

describe("issue-localize gold on 15 real npm fixes, against hand labels", () => {
  const golds = new Map<string, ComputedGold>();
  beforeAll(async () => {
    await ensureLanguages();
    for (const r of records) {
      const gold = computeGold(r.patch, viewOf(join(DATA, r.instance_id)));
      if ("reason" in gold) throw new Error(`${r.instance_id}: ${gold.reason}`);
      golds.set(r.instance_id, gold);
    }
  });

  it("has a hand label for every record and at least 10 records", () => {
    expect(records.length).toBeGreaterThanOrEqual(10);
    expect(records.map((r) => r.instance_id).sort()).toEqual(Object.keys(labels).filter((k) => !k.startsWith("_")).sort());
  });

  it("agrees with the hand labels on files and entities for >= 95% of the fixes", () => {
    let filesExact = 0;
    let entitiesExact = 0;
    let otherExact = 0;
    let tp = 0;
    let predicted = 0;
    let labelled = 0;
    const disagreements: string[] = [];
    for (const r of records) {
      const gold = golds.get(r.instance_id) as ComputedGold;
      const label = labels[r.instance_id] as Label;
      const sameFiles = JSON.stringify(gold.files) === JSON.stringify([...label.files].sort());
      const sameEntities = JSON.stringify(gold.entities) === JSON.stringify([...label.entities].sort());
      if (sameFiles) filesExact++;
      if (sameEntities) entitiesExact++;
      if (JSON.stringify(gold.other_files) === JSON.stringify([...label.other_files].sort())) otherExact++;
      tp += gold.entities.filter((e) => label.entities.includes(e)).length;
      predicted += gold.entities.length;
      labelled += label.entities.length;
      if (!sameFiles || !sameEntities) disagreements.push(`${r.instance_id}: gold ${JSON.stringify(gold.entities)} label ${JSON.stringify(label.entities)}`);
    }
    const n = records.length;
    console.log(
      `issue-localize real fixes: ${n} records; files exact ${filesExact}/${n}, entities exact ${entitiesExact}/${n}, ` +
        `other files exact ${otherExact}/${n}; entity precision ${(tp / predicted).toFixed(3)}, recall ${(tp / labelled).toFixed(3)}` +
        (disagreements.length > 0 ? `\n  ${disagreements.join("\n  ")}` : ""),
    );
    expect(filesExact / n).toBeGreaterThanOrEqual(0.95);
    expect(entitiesExact / n).toBeGreaterThanOrEqual(0.95);
    expect(otherExact).toBe(n);
  });

  it("every instance passes the validity gate; the changelog-only and blanket strategies are among the hacks and fail", async () => {
    const used = new Map<string, number>();
    for (const r of records) {
      const view = viewOf(join(DATA, r.instance_id));
      const inst = instanceForRecord(r, golds.get(r.instance_id) as ComputedGold, "javascript");
      const gate = await runValidityGate(issueLocalize, inst, view, throwawayContext());
      expect(gate.failures, r.instance_id).toEqual([]);
      const plan = planIssueLocalizeHacks(inst, view);
      for (const h of plan.hacks) used.set(h.name, (used.get(h.name) ?? 0) + 1);
      if (inst.gold.other_files && inst.gold.other_files.length > 0) expect(plan.hacks.map((h) => h.name), r.instance_id).toContain("changelog-only");
      expect(plan.hacks.map((h) => h.name), r.instance_id).toContain("comment-top-of-gold-files");
    }
    const withChangelog = records.filter((r) => (golds.get(r.instance_id)?.other_files.length ?? 0) > 0).length;
    expect(used.get("changelog-only")).toBe(withChangelog);
    expect(withChangelog).toBeGreaterThanOrEqual(10);
    // Blanket commenting is a real hack on most of them (a file of one or two functions is the exception).
    expect(used.get("comment-above-every-definition") ?? 0).toBeGreaterThanOrEqual(records.length - 3);
  });

  it("the changelog edit alone, a top-of-file comment and a comment above every definition each score failure", async () => {
    for (const r of records) {
      const view = viewOf(join(DATA, r.instance_id));
      const inst = instanceForRecord(r, golds.get(r.instance_id) as ComputedGold, "javascript");
      const hacks = new Map(planIssueLocalizeHacks(inst, view).hacks.map((h) => [h.name, h.patch]));
      for (const name of ["changelog-only", "comment-top-of-gold-files", "comment-above-every-definition", "comment-every-source-file"]) {
        const patch = hacks.get(name);
        if (patch === undefined) continue;
        const reward = await scorePatch(issueLocalize, inst, view, patch);
        expect(reward.success, `${r.instance_id} ${name}`).toBe(false);
      }
      const changelog = hacks.get("changelog-only");
      if (changelog) {
        const reward = await scorePatch(issueLocalize, inst, view, changelog);
        expect(reward.violations.map((v) => v.code)).toEqual(["no-gold-file-commented"]); // allowed edit, no credit
      }
    }
  });

  it("the gold patch (the oracle's answer) earns full entity recall and precision: a region changing two definitions is commented for both", async () => {
    for (const r of records) {
      const view = viewOf(join(DATA, r.instance_id));
      const inst = instanceForRecord(r, golds.get(r.instance_id) as ComputedGold, "javascript");
      const reward = await scorePatch(issueLocalize, inst, view, inst.gold.patch);
      expect(reward.success, r.instance_id).toBe(true);
      expect(reward.metrics.entity_recall, r.instance_id).toBe(1);
      expect(reward.metrics.entity_precision, r.instance_id).toBe(1);
    }
  });

  it("a comment on each gold entity succeeds, and so does a single comment on any one gold definition", async () => {
    for (const r of records) {
      const view = viewOf(join(DATA, r.instance_id));
      const inst = instanceForRecord(r, golds.get(r.instance_id) as ComputedGold, "javascript");
      // All gold entities of a file commented at once (edits to one file merged).
      const byFile = new Map<string, string>();
      for (const e of inst.gold.entities) {
        const path = e.split("::")[0] as string;
        const current = byFile.get(path) ?? (view.read(path) as string);
        const one = commentOn({ paths: view.paths, read: (p) => (p === path ? current : view.read(p)) }, inst, e);
        byFile.set(path, one.after);
      }
      const all = patchFromTexts([...byFile].map(([path, after]) => ({ path, before: view.read(path) as string, after })));
      const reward = await scorePatch(issueLocalize, inst, view, all);
      expect(reward.violations, r.instance_id).toEqual([]);
      expect(reward.success, r.instance_id).toBe(true);
      expect(reward.metrics.entity_recall, r.instance_id).toBe(1);
      expect(reward.metrics.entity_precision, r.instance_id).toBe(1);
      for (const e of inst.gold.entities.filter((x) => !x.endsWith(`::${MODULE_LEVEL}`))) {
        const single = await scorePatch(issueLocalize, inst, view, patchFromTexts([commentOn(view, inst, e)]));
        expect(single.success, `${r.instance_id} ${e}`).toBe(true);
      }
    }
  });
});
