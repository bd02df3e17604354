// The few numbers of a finished shard the progress line and the bench need (kept, drops by reason, failure),
// small enough to send over IPC or a queue instead of the shard itself.

import type { TaskName } from "../core/reward.js";
import type { DropCounts } from "../tasks/types.js";
import type { FamilyShard } from "./job.js";

export interface ShardSummary {
  key: string;
  family: TaskName;
  kept: number;
  dropped: DropCounts;
  failed: string | null; // the first failure's reason, when the repository could not be used for this family
  elapsedMs: number;
}

export function summarizeShard(shard: FamilyShard): ShardSummary {
  const dropped: DropCounts = { ...shard.dropped };
  for (const r of shard.reports) for (const [k, v] of Object.entries(r.dropped)) dropped[k] = (dropped[k] ?? 0) + v;
  const failed = shard.reports.find((r) => r.status === "failed");
  return {
    key: shard.key,
    family: shard.family,
    kept: shard.instances.length,
    dropped,
    failed: failed ? (failed.error ?? "failed") : null,
    elapsedMs: shard.elapsed_ms,
  };
}
