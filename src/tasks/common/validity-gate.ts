// The validity gate (docs/DESIGN.md §2): an instance is kept only if its gold patch scores success, the untouched
// workspace scores failure, and every standard hack of its family scores failure. This is what makes the reward
// trustworthy: an instance whose checker accepts a hack, or rejects the right answer, is never shipped.

import type { Instance, TaskFamily, ValidityRecord } from "../types.js";
import type { RepoView } from "../../core/repo-view.js";
import type { Reward } from "../../core/reward.js";
import { PatchError } from "../../core/errors.js";
import { resultFromPatch, untouchedResult } from "./workspace.js";
import { outcomeOnlyContext, type VerifyContext } from "../verify-context.js";

export interface GateOutcome {
  record: ValidityRecord;
  passed: boolean;
  failures: string[]; // "gold-failed", "null-passed", "hack-passed:<name>"; empty when passed
}

export async function runValidityGate<G, O>(family: TaskFamily<G, O>, instance: Instance<G>, start: RepoView, fullCtx: VerifyContext): Promise<GateOutcome> {
  // The gate keeps only each reward's success, so verifiers may skip the metrics (VerifyContext.outcomeOnly).
  const ctx = outcomeOnlyContext(fullCtx);
  const failures: string[] = [];
  const unusable = family.prepare ? await family.prepare(instance, start, ctx) : null;
  if (unusable) return { record: { gold: false, null: false, hacks: {} }, passed: false, failures: [unusable] };
  const hackList = family.hacks(instance, start);
  // The gold, the untouched workspace and every hack are scored concurrently (the front ends answer batched
  // requests while the main thread reads the next result); a family that runs code to verify (it has
  // `prepare`) scores them one at a time, so test runs never compete. Either way the record is the same.
  const jobs: (() => Promise<Reward | null>)[] = [
    () => scorePatch(family, instance, start, family.goldPatch(instance), ctx),
    async () => family.verify(instance, untouchedResult(start), ctx),
    ...hackList.map((hack) => () => scorePatch(family, instance, start, hack.patch, ctx)),
  ];
  const rewards = family.prepare ? await inSequence(jobs) : await Promise.all(jobs.map((job) => job()));
  const [gold, untouched, ...hackRewards] = rewards;
  if (!gold?.success) failures.push("gold-failed");
  if (untouched?.success) failures.push("null-passed");
  const hacks: Record<string, boolean> = {};
  hackList.forEach((hack, i) => {
    const reward = hackRewards[i] ?? null;
    // A hack patch that does not even apply proves nothing about the checker; count it as not rejected so the
    // generator bug shows up in the report instead of hiding.
    const rejected = reward !== null && !reward.success;
    hacks[hack.name] = rejected;
    if (!rejected) failures.push(`hack-passed:${hack.name}`);
  });
  const record: ValidityRecord = { gold: gold?.success ?? false, null: !(untouched?.success ?? false), hacks };
  return { record, passed: failures.length === 0, failures };
}

async function inSequence<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (const job of jobs) out.push(await job());
  return out;
}

// Verifies `patch` against the starting state; null when the patch does not apply (a PatchError). Any other
// exception is a bug in the patch code and propagates, so it is never mistaken for a rejected hack.
async function scorePatch<G, O>(family: TaskFamily<G, O>, instance: Instance<G>, start: RepoView, patch: string, ctx: VerifyContext): Promise<Reward | null> {
  let result;
  try {
    result = resultFromPatch(start, patch);
  } catch (e) {
    if (e instanceof PatchError) return null;
    throw e;
  }
  return family.verify(instance, result, ctx);
}
