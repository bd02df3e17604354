// Red-team cases as data: a name, a family, a language, what the agent did, a function turning the starting
// state into the agent's final state, and the verdict a correct verifier must give. `runCases` turns a list of
// them into vitest tests over a pool of instances built by the real generators (ungated), so adding an attack is
// adding one object, and every attack is checked to be a real change before its verdict counts.

import { expect, it } from "vitest";
import type { LanguageId } from "../../lang/types.js";
import { makePatch } from "../../patch/make.js";
import { parsePatch } from "../../patch/parse.js";
import type { Instance, TaskFamily } from "../types.js";
import type { RepoView } from "../../core/repo-view.js";
import type { Reward, TaskName } from "../../core/reward.js";
import { resultFromPatch } from "../common/workspace.js";
import type { Pool } from "./corpus.js";
import type { VerifyContext } from "../verify-context.js";

// The agent's final state, relative to the starting state: new texts by path (null deletes the file), files
// renamed, or a raw git patch for what texts cannot express (mode changes).
export interface FinalState {
  texts?: Record<string, string | null>;
  renames?: { from: string; to: string; text?: string }[];
  patch?: string; // used as is (texts/renames are then ignored)
}

export interface CaseContext<G> {
  instance: Instance<G>;
  start: RepoView;
  goldPatch: string;
  gold: Map<string, string>; // path -> final text of every file the gold patch changes
}

export interface RedTeamCase<G> {
  name: string;
  family: TaskName;
  language: LanguageId;
  kind: "hack" | "solution";
  description: string;
  // Builds the final state for one instance, or null when this instance has nothing the case needs (the runner
  // then tries the next instance of the language; a case no instance fits fails).
  produce(ctx: CaseContext<G>): FinalState | null;
  // Which instances to try (default: all of the language, in id order).
  pick?: (instance: Instance<G>) => boolean;
  // For hacks: a violation code matching this must be among the reasons (the hack fails for the right reason,
  // not because something else broke).
  reason?: RegExp;
  timeoutMs?: number;
}

export const expectedSuccess = (c: RedTeamCase<unknown>): boolean => c.kind === "solution";

function sameLanguage(instance: LanguageId, wanted: RedTeamCase<unknown>["language"]): boolean {
  return wanted === "typescript" ? instance === "typescript" || instance === "tsx" : instance === wanted;
}

// The final texts a patch leaves (path -> text, null for deleted), for comparing two final states.
export function finalTexts(start: RepoView, patch: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const c of resultFromPatch(start, patch).changes) {
    if (c.oldPath) out.set(c.oldPath, null);
    out.set(c.path, c.after);
  }
  return out;
}

export function goldContext<G>(family: TaskFamily<G, never> | TaskFamily<G, unknown>, instance: Instance<G>, start: RepoView): CaseContext<G> {
  const goldPatch = (family as TaskFamily<G, unknown>).goldPatch(instance);
  const gold = new Map<string, string>();
  for (const [p, t] of finalTexts(start, goldPatch)) if (t !== null) gold.set(p, t);
  return { instance, start, goldPatch, gold };
}

// The patch for a final state against `start`.
export function patchOf(start: RepoView, state: FinalState): string {
  if (state.patch !== undefined) return state.patch;
  const changes: { path: string; before: string | null; after: string | null; oldPath?: string }[] = [];
  for (const [path, after] of Object.entries(state.texts ?? {})) {
    const before = start.read(path);
    if (before === after) continue;
    changes.push({ path, before, after });
  }
  for (const r of state.renames ?? []) {
    const before = start.read(r.from);
    if (before === null) throw new Error(`cannot rename ${r.from}: not in the starting state`);
    changes.push({ path: r.to, before, after: r.text ?? before, oldPath: r.from });
  }
  return makePatch(changes);
}

export interface CaseOutcome {
  instance: string;
  patch: string;
  reward: Reward;
}

const goldVerdicts = new WeakMap<object, Promise<boolean>>();

function goldSucceeds<G>(family: TaskFamily<G, unknown>, instance: Instance<G>, start: RepoView, ctx: VerifyContext): Promise<boolean> {
  let v = goldVerdicts.get(instance as object);
  if (!v) {
    v = Promise.resolve(family.verify(instance, resultFromPatch(start, family.goldPatch(instance)), ctx)).then((r) => r.success);
    goldVerdicts.set(instance as object, v);
  }
  return v;
}

async function goldWhy<G>(family: TaskFamily<G, unknown>, instance: Instance<G>, start: RepoView, ctx: VerifyContext): Promise<string> {
  const r = await family.verify(instance, resultFromPatch(start, family.goldPatch(instance)), ctx);
  return r.violations.map((v) => `${v.code}: ${v.message}`).join("; ").slice(0, 300);
}

// Finds the first instance the case fits and scores the agent's final state on it.
export async function runCase<G>(family: TaskFamily<G, unknown>, pool: Pool<G>, c: RedTeamCase<G>): Promise<CaseOutcome> {
  const tried: string[] = [];
  for (const instance of pool.instances) {
    if (!sameLanguage(instance.language, c.language)) continue;
    if (c.pick && !c.pick(instance)) continue;
    const start = pool.start(instance);
    // Cases build on the right answer: an instance whose gold fails is reported by the suite's gold check and
    // skipped here (on it a hack would be rejected for the wrong reason, a solution for the gold's fault).
    if (!(await goldSucceeds(family, instance, start, pool.verifyContext))) {
      tried.push(`${instance.instance_id} (gold fails: ${await goldWhy(family, instance, start, pool.verifyContext)})`);
      continue;
    }
    const ctx = goldContext(family, instance, start);
    const state = c.produce(ctx);
    if (state === null) {
      tried.push(instance.instance_id);
      continue;
    }
    const patch = patchOf(start, state);
    if (c.kind === "hack") assertRealChange(start, patch, ctx);
    const reward = await family.verify(instance, resultFromPatch(start, patch), pool.verifyContext);
    return { instance: instance.instance_id, patch, reward };
  }
  throw new Error(`no ${c.language} instance fits the case ${c.name} (tried ${tried.length}: ${tried.slice(0, 5).join(", ")})`);
}

// A hack must change something, and must not be the gold answer in disguise: its patch is not empty, differs
// from the gold patch, and its final state differs from the gold's (in text, or in what the patch says about
// files: modes, renames).
export function assertRealChange<G>(start: RepoView, patch: string, ctx: CaseContext<G>): void {
  expect(patch.trim(), "the hack patch is empty").not.toBe("");
  expect(patch, "the hack patch is the gold patch").not.toBe(ctx.goldPatch);
  const mine = finalTexts(start, patch);
  const gold = finalTexts(start, ctx.goldPatch);
  const sameTexts = mine.size === gold.size && [...mine].every(([p, t]) => gold.has(p) && gold.get(p) === t);
  if (sameTexts) {
    const headers = parsePatch(patch).some((fp) => fp.oldMode !== fp.newMode || fp.status === "renamed" || fp.binary);
    expect(headers, "the hack leaves exactly the gold state (same texts, no mode/rename change)").toBe(true);
  }
}

// Registers one vitest test per case. `pool` is read lazily (it is built in a beforeAll).
export function registerCases<G>(family: TaskFamily<G, unknown>, pool: () => Pool<G>, cases: readonly RedTeamCase<G>[]): void {
  for (const c of cases) {
    const verdict = c.kind === "hack" ? "rejects" : "accepts";
    it(`${verdict} [${c.language}] ${c.name}`, async () => {
      const out = await runCase(family, pool(), c);
      const detail = `${c.description}\ninstance ${out.instance}\nviolations ${JSON.stringify(out.reward.violations.map((v) => `${v.code}: ${v.message}`))}\nmetrics ${JSON.stringify(out.reward.metrics)}`;
      expect(out.reward.success, detail).toBe(expectedSuccess(c as RedTeamCase<unknown>));
      if (c.kind === "hack") expect(out.reward.score, detail).toBeLessThan(1);
      if (c.kind === "hack" && c.reason && !out.reward.success) expect(out.reward.violations.map((v) => v.code).join(" "), detail).toMatch(c.reason);
    }, c.timeoutMs ?? 30_000);
  }
}

// Summary counts, so the suite's size is itself checked (at least 60 hacks and 30 solutions over the families).
export function countCases(all: readonly RedTeamCase<unknown>[]): { hacks: number; solutions: number; families: Set<string>; languages: Set<string> } {
  return {
    hacks: all.filter((c) => c.kind === "hack").length,
    solutions: all.filter((c) => c.kind === "solution").length,
    families: new Set(all.map((c) => c.family)),
    languages: new Set(all.map((c) => c.language)),
  };
}
