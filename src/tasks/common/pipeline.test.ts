// The validity gate's in-order window (`inOrder` in pipeline.ts): with work finishing out of order (real timers
// with varying delays), the results taken, where it stops and which errors surface are those of running the
// items one at a time; no more than `window` items are in flight.

import { describe, it, expect } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { inOrder } from "./pipeline.js";

// Item i "passes" unless i % 3 === 0; it takes a delay that makes later items often finish first.
const delayOf = (i: number) => ((i * 7919) % 13) + 1;

async function run(items: number[], window: number, quota: number, failing: Set<number> = new Set()) {
  const taken: number[] = [];
  let kept = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const started: number[] = [];
  const work = async (i: number) => {
    started.push(i);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await sleep(delayOf(i));
    inFlight--;
    if (failing.has(i)) throw new Error(`item ${i} failed`);
    return i % 3 !== 0;
  };
  let error: string | null = null;
  try {
    await inOrder(items, work, window, (i, passed) => {
      taken.push(i);
      if (passed) kept++;
      return kept < quota;
    });
  } catch (e) {
    error = (e as Error).message;
  }
  return { taken, kept, maxInFlight, started, error, inFlightAtEnd: inFlight };
}

describe("inOrder (the gate's window)", () => {
  const items = Array.from({ length: 40 }, (_, i) => i);

  it("takes the same items in the same order as one at a time, stopping at the quota", async () => {
    for (const quota of [1, 5, 17, 100]) {
      const one = await run(items, 1, quota);
      const eight = await run(items, 8, quota);
      expect(eight.taken).toEqual(one.taken);
      expect(eight.kept).toBe(one.kept);
      expect(eight.maxInFlight).toBeLessThanOrEqual(8);
      expect(eight.maxInFlight).toBeGreaterThan(1);
      expect(one.maxInFlight).toBe(1);
      // Nothing is left running when it returns.
      expect(eight.inFlightAtEnd).toBe(0);
    }
    expect((await run(items, 8, 5)).taken).toEqual([0, 1, 2, 3, 4, 5, 6, 7]); // items 0, 3 and 6 do not pass
  });

  it("throws a failure at its item's turn, and drops failures of items past the stop", async () => {
    // Item 9 fails: one at a time reaches it (quota 100) and throws there; with quota 3 it stops at item 4.
    const reached = await run(items, 8, 100, new Set([9]));
    expect(reached.error).toBe("item 9 failed");
    expect(reached.taken).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const notReached = await run(items, 8, 3, new Set([9]));
    expect(notReached.error).toBeNull();
    expect(notReached.taken).toEqual([0, 1, 2, 3, 4]);
    expect(notReached.started).toContain(9); // started in the window, its failure dropped
  });
});
