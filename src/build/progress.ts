// Progress of a build: repositories done / total, instances kept, drops by their top reasons, failures, rate and
// ETA — a live bar on a terminal, a plain line every few seconds otherwise (src/util/progress.ts).

import { startProgress, type Progress } from "../util/progress.js";
import type { DropCounts } from "../tasks/types.js";
import type { JobOutcome } from "./pool.js";

export interface BuildProgress {
  record(outcome: JobOutcome): void;
  stop(): void;
  readonly kept: number;
  readonly failed: number;
}

export function startBuildProgress(opts: { total: number; alreadyDone: number; stream?: NodeJS.WriteStream; intervalMs?: number }): BuildProgress {
  let kept = 0;
  let failed = 0;
  const dropped: DropCounts = {};
  const extra = () => {
    const top = Object.entries(dropped)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 3)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    return `kept ${kept}${failed > 0 ? ` · failed ${failed}` : ""}${top ? ` · drops: ${top}` : ""}`;
  };
  const label = opts.alreadyDone > 0 ? `build (${opts.alreadyDone} repos already done)` : "build";
  const bar: Progress = startProgress({ label: `${label} repos`, total: opts.total, extra, ...(opts.stream ? { stream: opts.stream } : {}), ...(opts.intervalMs !== undefined ? { intervalMs: opts.intervalMs } : {}) });
  // A line (or a bar refresh) every interval even while no repository finishes: a large repository can take
  // minutes, and a silent log looks hung.
  const heartbeat = setInterval(() => bar.tick(0), opts.intervalMs ?? 5000);
  heartbeat.unref();
  return {
    record(outcome) {
      if (!outcome.ok) failed++;
      else {
        if (outcome.shards.some((s) => s.failed !== null)) failed++;
        for (const s of outcome.shards) {
          kept += s.kept;
          for (const [k, v] of Object.entries(s.dropped)) dropped[k] = (dropped[k] ?? 0) + v;
        }
      }
      bar.tick();
    },
    stop: () => {
      clearInterval(heartbeat);
      bar.stop();
    },
    get kept() {
      return kept;
    },
    get failed() {
      return failed;
    },
  };
}
