// The limit on episodes holding a sandbox at once, with a first-come first-served queue behind it. A waiter whose
// request is abandoned (the client hung up) leaves the queue; a full queue refuses at once (429) instead of
// piling up requests without end.

import { ServeError } from "./errors.js";

export type Release = () => void;

interface Waiter {
  grant: (release: Release) => void;
  fail: (e: Error) => void;
}

export class Slots {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    readonly limit: number,
    readonly maxQueue: number,
  ) {}

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length;
  }

  acquire(signal?: AbortSignal): Promise<Release> {
    if (this.active < this.limit) return Promise.resolve(this.grant());
    if (this.waiters.length >= this.maxQueue) {
      return Promise.reject(new ServeError(429, `all ${this.limit} episode slots are busy and ${this.waiters.length} requests are queued (--max-queue); retry later or close finished episodes`));
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(release);
        },
        fail: reject,
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i !== -1) this.waiters.splice(i, 1);
        reject(new ServeError(409, "the request was abandoned while it waited for an episode slot"));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  // A slot handed straight to the next waiter keeps `active` unchanged; released twice, it counts once.
  private grant(): Release {
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      const next = this.waiters.shift();
      if (next) next.grant(this.grant());
    };
  }
}
