// The conformance suite every task family runs (in the spirit of hono's shared router tests): one call from a
// family's test file registers the checks the TaskFamily contract promises, over instances the family's own
// generator proposed WITHOUT the validity gate. A fifth family gets them by adding one describe block.
//
// Checks: the gold succeeds and the untouched workspace fails on every instance; every declared hack is a real
// change (non-empty, not the gold, a different final state) and fails; verify is deterministic, does not mutate
// the instance or the result it is given, and gives the same reward after a JSON round trip of the instance; the
// right answer plus a file created, deleted, renamed, or a mode change fails; instance ids are unique, stable
// across two generations, and shaped "<task>/<repo>@<commit12>/<target>".

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePatch } from "../../patch/make.js";
import { parsePatch } from "../../patch/parse.js";
import { SnapshotStore, snapshotView } from "../../repo/store.js";
import type { Instance, InstanceRepo, TaskFamily } from "../types.js";
import type { RepoView, WorkspaceResult } from "../../core/repo-view.js";
import type { Reward } from "../../core/reward.js";
import { ensureLanguages, indexView, languageForPath } from "./code.js";
import { resultFromPatch, startView, untouchedResult } from "./workspace.js";
import { createVerifyContext, outcomeOnlyContext, type VerifyContext } from "../verify-context.js";

export interface ConformanceInstances<G> {
  instances: Instance<G>[];
  start(instance: Instance<G>): RepoView;
  // What verify gets; absent: a context over an empty throwaway store (enough for families that never read it).
  verifyContext?: VerifyContext;
}

export interface ConformanceOptions<G> {
  family: TaskFamily<G, never> | TaskFamily<G, unknown>;
  // Builds the instances (ungated: call the family's generate directly). Called twice, to check id stability.
  makeInstances(): Promise<ConformanceInstances<G>>;
  minInstances?: number; // default 2
}

export interface UngatedInstances<G> extends ConformanceInstances<G> {
  view: RepoView;
  verifyContext: VerifyContext; // over the store the instances were generated into
}

// Ingests `input` (a directory or path@rev) and asks the family for instances, with no sampling and no gate.
// `keep` narrows the proposals; the family's `prepare` step (what the gate records before scoring, e.g. func-gen
// exec's test verdicts of the gold run) runs on each kept instance, but its verdict drops nothing.
export async function generateUngated<G, O>(
  family: TaskFamily<G, O>,
  store: SnapshotStore,
  input: string,
  opts: O,
  seed = 11,
  keep: (instance: Instance<G>) => boolean = () => true,
): Promise<UngatedInstances<G>> {
  await ensureLanguages();
  const snapshot = await store.ingest(input);
  const view = snapshotView(store, snapshot);
  const repo: InstanceRepo = { name: snapshot.name, commit: snapshot.commit ?? snapshot.id, source: snapshot.source.location, snapshot: snapshot.id };
  const out = await family.generate({ repo, language: null, files: view, seed, includeTests: false, log: () => {}, index: indexView(view, null), quota: null }, opts);
  const instances = out.instances.filter(keep).sort((a, b) => (a.instance_id < b.instance_id ? -1 : a.instance_id > b.instance_id ? 1 : 0));
  const start = (i: Instance<G>) => startView(view, i.setup_patch);
  const verifyContext = createVerifyContext({ store });
  if (family.prepare) for (const i of instances) await family.prepare(i, start(i), verifyContext);
  return { instances, view, start, verifyContext };
}

const tempRoots: string[] = [];

function throwawayRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "hgym-conformance-"));
  tempRoots.push(root);
  return root;
}

// Ungated instances of a small repository given as files (written to a temp directory, removed after the suite).
export async function instancesFromFiles<G, O>(family: TaskFamily<G, O>, files: Record<string, string>, opts: O, name = "conformance"): Promise<ConformanceInstances<G>> {
  const root = mkdtempSync(join(tmpdir(), "hgym-conformance-"));
  tempRoots.push(root);
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return generateUngated(family, new SnapshotStore(join(root, "store")), dir, opts);
}

// The final texts a patch leaves, for comparing states.
function finalState(start: RepoView, patch: string): string {
  const out: string[] = [];
  for (const c of resultFromPatch(start, patch).changes) out.push(`${c.status}:${c.oldPath ?? ""}:${c.path}:${c.after ?? "<none>"}`);
  return out.sort().join("\n");
}

function stable(reward: Reward): string {
  // Output captured from a run (exec) may hold timings; the verdict, score, violations and mode must not vary.
  return JSON.stringify({ success: reward.success, score: reward.score, violations: reward.violations, mode: reward.mode ?? null });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

export function runFamilyConformance<G>(opts: ConformanceOptions<G>): void {
  const family = opts.family as TaskFamily<G, unknown>;
  describe(`conformance: ${family.name}`, () => {
    let first: ConformanceInstances<G>;
    let secondIds: string[];
    let context: VerifyContext;
    const verify = async (inst: Instance<G>, result: WorkspaceResult): Promise<Reward> => family.verify(inst, result, context);
    const score = (inst: Instance<G>, patch: string) => verify(inst, resultFromPatch(first.start(inst), patch));
    beforeAll(async () => {
      first = await opts.makeInstances();
      context = first.verifyContext ?? createVerifyContext({ store: new SnapshotStore(join(throwawayRoot(), "store")) });
      secondIds = (await opts.makeInstances()).instances.map((i) => i.instance_id);
    }, 180_000);
    afterAll(() => {
      for (const r of tempRoots.splice(0)) rmSync(r, { recursive: true, force: true });
    });

    it("proposes instances with unique, stable, well-formed ids", () => {
      const ids = first.instances.map((i) => i.instance_id);
      expect(ids.length).toBeGreaterThanOrEqual(opts.minInstances ?? 2);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...secondIds].sort()).toEqual([...ids].sort());
      for (const i of first.instances) {
        expect(i.task).toBe(family.name);
        expect(i.instance_id).toMatch(new RegExp(`^${family.name}/[a-z0-9._-]+@[0-9a-f]{12}/.+$`));
        expect(i.instance_id.includes(i.repo.commit.slice(0, 12))).toBe(true);
      }
    });

    it("the gold succeeds and the untouched workspace fails, on every instance", async () => {
      const bad: string[] = [];
      for (const inst of first.instances) {
        const gold = await score(inst, family.goldPatch(inst));
        if (!gold.success) bad.push(`gold fails: ${inst.instance_id}: ${gold.violations.map((v) => v.code).join(",")}`);
        if (family.goldPatch(inst).trim() === "") bad.push(`empty gold: ${inst.instance_id}`);
        const untouched = await verify(inst, untouchedResult(first.start(inst)));
        if (untouched.success) bad.push(`untouched succeeds: ${inst.instance_id}`);
      }
      expect(bad).toEqual([]);
    }, 180_000);

    it("every declared hack is a real change and fails, on every instance", async () => {
      const bad: string[] = [];
      let hacks = 0;
      for (const inst of first.instances) {
        const start = first.start(inst);
        const goldPatch = family.goldPatch(inst);
        const goldState = finalState(start, goldPatch);
        for (const hack of family.hacks(inst, start)) {
          hacks++;
          const where = `${inst.instance_id} ${hack.name}`;
          if (hack.patch.trim() === "") bad.push(`empty hack: ${where}`);
          else if (hack.patch === goldPatch) bad.push(`hack is the gold: ${where}`);
          let reward: Reward;
          try {
            if (finalState(start, hack.patch) === goldState && !parsePatch(hack.patch).some((fp) => fp.oldMode !== fp.newMode)) bad.push(`hack leaves the gold state: ${where}`);
            reward = await score(inst, hack.patch);
          } catch (e) {
            bad.push(`hack does not apply: ${where}: ${(e as Error).message}`);
            continue;
          }
          if (reward.success) bad.push(`hack accepted: ${where}`);
          // The gate scores with an outcome-only context (verifiers may stop early): the success must not change.
          const quick = await family.verify(inst, resultFromPatch(start, hack.patch), outcomeOnlyContext(context));
          if (quick.success !== reward.success) bad.push(`outcome-only verify disagrees: ${where}`);
        }
        const quickGold = await family.verify(inst, resultFromPatch(start, goldPatch), outcomeOnlyContext(context));
        if (!quickGold.success) bad.push(`outcome-only verify fails the gold: ${inst.instance_id}`);
      }
      expect(hacks).toBeGreaterThan(0);
      expect(bad).toEqual([]);
    }, 300_000);

    it("verify is deterministic, pure, and survives a JSON round trip of the instance", async () => {
      for (const inst of first.instances.slice(0, 3)) {
        const start = first.start(inst);
        const patch = family.goldPatch(inst);
        const snapshot = JSON.stringify(inst);
        const result = resultFromPatch(start, patch);
        const changesBefore = JSON.stringify(result.changes);
        const a = await verify(inst, result);
        const b = await verify(inst, result);
        expect(stable(b)).toBe(stable(a));
        expect(JSON.stringify(inst), "verify mutated the instance").toBe(snapshot);
        expect(JSON.stringify(result.changes), "verify mutated the result").toBe(changesBefore);
        const frozen = deepFreeze(JSON.parse(snapshot) as Instance<G>);
        const c = await verify(frozen, deepFreeze(resultFromPatch(start, patch)));
        expect(stable(c)).toBe(stable(a));
      }
    }, 180_000);

    it("the right answer plus a file created, deleted, renamed, or a mode change fails", async () => {
      const bad: string[] = [];
      for (const inst of first.instances.slice(0, 3)) {
        const start = first.start(inst);
        const gold = family.goldPatch(inst);
        const touched = new Set(parsePatch(gold).flatMap((fp) => [fp.oldPath, fp.newPath]).filter((p): p is string => p !== null));
        const other = start.paths().find((p) => languageForPath(p) !== null && !touched.has(p) && !p.startsWith("tests/"));
        const goldFile = [...touched][0] as string;
        const variants: Record<string, string> = {
          created: gold + makePatch([{ path: `${goldFile.includes("/") ? goldFile.slice(0, goldFile.lastIndexOf("/") + 1) : ""}hgym_conformance_note.txt`, before: null, after: "note\n" }]),
          "mode change": gold.replace(/^(diff --git [^\n]*\n)/, "$1old mode 100644\nnew mode 100755\n"),
        };
        if (other) {
          const text = start.read(other) as string;
          variants.deleted = gold + makePatch([{ path: other, before: text, after: null }]);
          variants.renamed = gold + makePatch([{ path: other.replace(/(\.[a-z]+)$/, "_moved$1"), before: text, after: text, oldPath: other }]);
        }
        for (const [name, patch] of Object.entries(variants)) {
          const r = await score(inst, patch);
          if (r.success) bad.push(`${name} accepted: ${inst.instance_id}`);
        }
      }
      expect(bad).toEqual([]);
    }, 180_000);
  });
}
