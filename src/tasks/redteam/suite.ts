// One red-team suite per family: build the instance pool once (real generators, no gate), check that the gold
// answer of EVERY proposed instance succeeds and the untouched workspace fails (a gold failure is a generator
// bug the gate would only have hidden), then run the family's cases against the pool.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskFamily } from "../types.js";
import { resultFromPatch, untouchedResult } from "../common/workspace.js";
import { registerCases, type RedTeamCase } from "./case.js";
import { makeWorkbench, type Pool, type Workbench } from "./corpus.js";

const HACK_SAMPLE = 10;

export interface SuiteOptions<G> {
  family: TaskFamily<G, unknown>;
  build(bench: Workbench): Promise<Pool<G>>;
  cases: readonly RedTeamCase<G>[];
  minInstances: Record<string, number>; // language -> at least this many instances proposed
  checkAllGolds?: boolean; // default true; exec families check a sample instead (each gold runs tests)
}

export function redTeamSuite<G>(opts: SuiteOptions<G>): void {
  describe(`red team: ${opts.family.name}`, () => {
    let bench: Workbench;
    let pool: Pool<G> | null = null;
    beforeAll(async () => {
      bench = makeWorkbench();
      pool = await opts.build(bench);
    }, 120_000);
    afterAll(() => bench?.cleanup());
    const get = (): Pool<G> => {
      if (!pool) throw new Error("the instance pool was not built");
      return pool;
    };

    it("the generators propose instances in every language of the suite", () => {
      const counts: Record<string, number> = {};
      for (const i of get().instances) counts[i.language] = (counts[i.language] ?? 0) + 1;
      for (const [lang, n] of Object.entries(opts.minInstances)) expect(counts[lang] ?? 0, `${lang}: ${JSON.stringify(counts)}`).toBeGreaterThanOrEqual(n);
    });

    if (opts.checkAllGolds !== false) {
      it("every proposed instance: the gold succeeds and the untouched workspace fails", async () => {
        const bad: string[] = [];
        for (const inst of get().instances) {
          const start = get().start(inst);
          const gold = await opts.family.verify(inst, resultFromPatch(start, opts.family.goldPatch(inst)), get().verifyContext);
          if (!gold.success) bad.push(`gold fails: ${inst.instance_id}: ${gold.violations.map((v) => `${v.code}: ${v.message}`).join("; ")}`);
          const untouched = await opts.family.verify(inst, untouchedResult(start), get().verifyContext);
          if (untouched.success) bad.push(`untouched succeeds: ${inst.instance_id}`);
        }
        expect(bad).toEqual([]);
      }, 120_000);

      // The gate's own hacks on the first instances of each language (all of them would double the suite's time).
      it(`every hack the family declares fails (first ${HACK_SAMPLE} proposed instances of each language)`, async () => {
        const bad: string[] = [];
        const seen: Record<string, number> = {};
        const sample = get().instances.filter((i) => (seen[i.language] = (seen[i.language] ?? 0) + 1) <= HACK_SAMPLE);
        for (const inst of sample) {
          const start = get().start(inst);
          for (const hack of opts.family.hacks(inst, start)) {
            const r = await opts.family.verify(inst, resultFromPatch(start, hack.patch), get().verifyContext);
            if (r.success) bad.push(`${hack.name} accepted on ${inst.instance_id}`);
          }
        }
        expect(bad).toEqual([]);
      }, 120_000);
    }

    registerCases(opts.family, get, opts.cases);
  });
}
