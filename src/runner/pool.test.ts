import { describe, expect, it } from "vitest";
import { WorkerPool } from "./pool.js";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("WorkerPool", () => {
  it("starts items in input order with at most N in flight, and survives a failing item", async () => {
    const pool = new WorkerPool<number>({ concurrency: 3 });
    const started: number[] = [];
    let inFlight = 0;
    let peak = 0;
    const errors: number[] = [];
    const res = await pool.run(
      Array.from({ length: 10 }, (_, i) => i),
      async (item) => {
        started.push(item);
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        if (item === 4) throw new Error("boom");
      },
      (item) => errors.push(item),
    );
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
    expect(errors).toEqual([4]);
    expect(res).toEqual({ completed: 9, failed: 1, notStarted: 0, aborted: 0, stopped: false });
  });

  it("stop() lets in-flight items finish and schedules nothing more", async () => {
    const pool = new WorkerPool<number>({ concurrency: 2 });
    const gates = [deferred(), deferred()];
    const finished: number[] = [];
    const running = pool.run([0, 1, 2, 3, 4], async (item) => {
      if (item < 2) await gates[item]?.promise;
      finished.push(item);
    });
    await new Promise((r) => setImmediate(r));
    pool.stop();
    gates[0]?.resolve();
    gates[1]?.resolve();
    const res = await running;
    expect(finished.sort()).toEqual([0, 1]);
    expect(res).toEqual({ completed: 2, failed: 0, notStarted: 3, aborted: 0, stopped: true });
  });

  it("aborts in-flight items when the grace period runs out", async () => {
    const pool = new WorkerPool<number>({ concurrency: 2, graceMs: 10 });
    const running = pool.run([0, 1, 2], (_item, ctx) => {
      return new Promise<void>((_resolve, reject) => {
        ctx.signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
      });
    });
    await new Promise((r) => setImmediate(r));
    pool.stop();
    const res = await running;
    expect(res).toEqual({ completed: 0, failed: 0, notStarted: 1, aborted: 2, stopped: true });
    expect(pool.signal.aborted).toBe(true);
  });

  it("rejects a concurrency that is not a positive integer", () => {
    expect(() => new WorkerPool({ concurrency: 0 })).toThrow(/positive integer/);
  });
});
