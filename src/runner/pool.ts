// A local worker pool: N async workers take items in order (rollouts are I/O-bound on the model and the sandbox,
// so concurrency, not threads). Stopping is graceful: stop() ends scheduling and lets in-flight items finish;
// abort() (or the grace period running out) signals in-flight items to give up. An item that was aborted produces
// nothing — the caller writes a record only for a completed item — so an interrupted run resumes cleanly.

export interface PoolOptions {
  concurrency: number;
  graceMs?: number; // after stop(), abort in-flight items when they take longer than this (default: wait forever)
}

export interface PoolItemContext {
  signal: AbortSignal; // aborted when the pool is aborted; the item should stop and throw or return quickly
  index: number; // position of the item in the input order
}

export interface PoolResult {
  completed: number; // items whose worker returned
  failed: number; // items whose worker threw (not counting aborted ones)
  notStarted: number; // items never scheduled because the pool was stopped
  aborted: number; // items in flight when the pool was aborted
  stopped: boolean; // stop() or abort() was called
}

export class WorkerPool<T> {
  private stopping = false;
  private readonly controller = new AbortController();
  private graceTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: PoolOptions) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
      throw new Error(`concurrency must be a positive integer, got ${opts.concurrency}`);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  // Stop taking new items. In-flight items continue; after graceMs (if set) they are aborted.
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    if (this.opts.graceMs !== undefined && !this.controller.signal.aborted) {
      this.graceTimer = setTimeout(() => this.abort(), this.opts.graceMs);
      this.graceTimer.unref();
    }
  }

  // Stop taking items and tell in-flight ones to give up now.
  abort(): void {
    this.stopping = true;
    if (!this.controller.signal.aborted) this.controller.abort(new Error("run interrupted"));
  }

  // Runs `work` on each item in input order with at most `concurrency` at a time. Errors thrown by `work` are
  // counted, reported through onError and do not stop the pool (one bad item must not end a batch).
  async run(items: readonly T[], work: (item: T, ctx: PoolItemContext) => Promise<void>, onError?: (item: T, err: unknown) => void): Promise<PoolResult> {
    let next = 0;
    const result: PoolResult = { completed: 0, failed: 0, notStarted: 0, aborted: 0, stopped: false };
    const worker = async (): Promise<void> => {
      while (!this.stopping && next < items.length) {
        const index = next++;
        const item = items[index] as T;
        try {
          await work(item, { signal: this.controller.signal, index });
          result.completed++;
        } catch (err) {
          if (this.controller.signal.aborted) result.aborted++;
          else {
            result.failed++;
            onError?.(item, err);
          }
        }
      }
    };
    const n = Math.min(this.opts.concurrency, items.length);
    await Promise.all(Array.from({ length: n }, () => worker()));
    if (this.graceTimer) clearTimeout(this.graceTimer);
    result.notStarted = items.length - next;
    result.stopped = this.stopping;
    return result;
  }
}
