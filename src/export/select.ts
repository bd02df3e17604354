// Chooses which rollouts of one or more run directories become training rows: never infra/model failures, oracle
// runs only when asked, optional success/reward filters, one row per (run, instance, sample), at most K per
// instance, in a deterministic order. Every record left out is counted by reason for the manifest.

import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RolloutRecord } from "../agent/types.js";
import { UserError } from "../repo/types.js";
import { MANIFEST_FILE, ROLLOUTS_FILE, readManifest } from "../runner/run-dir.js";
import { sha256 } from "../util/hash.js";
import { readJsonl } from "../util/jsonl.js";

export interface ExportFilters {
  onlySuccess: boolean;
  includeOracle: boolean;
  maxPerInstance: number | null;
  minReward: number | null;
}

export interface SourceRun {
  dir: string; // absolute
  manifest_sha256: string; // of run.json as read
  identity_sha256: string; // of the run's identity: records of one identity are duplicates of each other
  records: number;
  malformed_lines: number;
}

export interface SelectedRecord {
  record: RolloutRecord;
  run: SourceRun;
}

export interface Selection {
  selected: SelectedRecord[];
  sources: SourceRun[];
  records_in: number;
  dropped: Record<string, number>; // reason -> count
}

export const DROP_REASONS = [
  "failure_infra",
  "failure_model",
  "oracle",
  "unsuccessful",
  "below_min_reward",
  "duplicate",
  "over_max_per_instance",
] as const;

export function loadRun(dir: string): { run: SourceRun; records: RolloutRecord[] } {
  const abs = resolve(dir);
  const manifest = readManifest(abs);
  const rolloutsPath = join(abs, ROLLOUTS_FILE);
  if (!existsSync(rolloutsPath)) throw new UserError(`${abs} has no ${ROLLOUTS_FILE}; has a rollout run been started there?`);
  const { records, errors } = readJsonl<RolloutRecord>(rolloutsPath);
  const run: SourceRun = {
    dir: abs,
    manifest_sha256: sha256(readFileSync(join(abs, MANIFEST_FILE))),
    identity_sha256: sha256(JSON.stringify(manifest.identity)),
    records: records.length,
    malformed_lines: errors.length,
  };
  return { run, records };
}

export function selectRecords(dirs: string[], filters: ExportFilters): Selection {
  if (dirs.length === 0) throw new UserError("no run directory given; pass one or more directories made by `hgym rollout --out`");
  const dropped: Record<string, number> = Object.fromEntries(DROP_REASONS.map((r) => [r, 0]));
  const sources: SourceRun[] = [];
  const candidates: SelectedRecord[] = [];
  let recordsIn = 0;
  for (const dir of dirs) {
    const { run, records } = loadRun(dir);
    sources.push(run);
    for (const record of records) {
      recordsIn++;
      const reason = dropReason(record, filters);
      if (reason) dropped[reason] = (dropped[reason] ?? 0) + 1;
      else candidates.push({ record, run });
    }
  }
  // Deterministic order: instance, sample, then the order runs were given, then the record's own order.
  const order = new Map(sources.map((s, i) => [s, i]));
  const indexed = candidates.map((c, i) => ({ c, i }));
  indexed.sort(
    (a, b) =>
      cmp(a.c.record.instance_id, b.c.record.instance_id) ||
      a.c.record.sample - b.c.record.sample ||
      (order.get(a.c.run) ?? 0) - (order.get(b.c.run) ?? 0) ||
      a.i - b.i,
  );
  const seen = new Set<string>();
  const perInstance = new Map<string, number>();
  const selected: SelectedRecord[] = [];
  for (const { c } of indexed) {
    // The same run given twice (or a copy of it) holds the same (instance, sample); different runs (another
    // model or prompt) are distinct samples of the instance and are all kept.
    const key = `${c.run.identity_sha256}\u0000${c.record.instance_id}\u0000${c.record.sample}`;
    if (seen.has(key)) {
      dropped.duplicate = (dropped.duplicate ?? 0) + 1;
      continue;
    }
    seen.add(key);
    const n = perInstance.get(c.record.instance_id) ?? 0;
    if (filters.maxPerInstance !== null && n >= filters.maxPerInstance) {
      dropped.over_max_per_instance = (dropped.over_max_per_instance ?? 0) + 1;
      continue;
    }
    perInstance.set(c.record.instance_id, n + 1);
    selected.push(c);
  }
  return { selected, sources, records_in: recordsIn, dropped };
}

function dropReason(r: RolloutRecord, f: ExportFilters): string | null {
  if (r.failure === "infra") return "failure_infra";
  if (r.failure === "model") return "failure_model";
  if (r.failure !== "none") return "failure_model";
  if (r.oracle && !f.includeOracle) return "oracle";
  if (f.onlySuccess && !r.reward?.success) return "unsuccessful";
  if (f.minReward !== null && (r.reward?.score ?? 0) < f.minReward) return "below_min_reward";
  return null;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
