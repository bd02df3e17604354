// Chooses which rollouts of one or more run directories become training rows: never infra/model failures, oracle
// runs only when asked, optional success/reward filters, one row per (run, instance, sample), at most K per
// instance, in a deterministic order. Every record left out is counted by reason for the manifest.
// The data recipe (ExportRecipe) adds the paper's knobs: a minimum trajectory length, a teacher list, at most K
// rows per repository, and per-family ratios with a total size; capped choices are made in a seeded shuffled
// order (so a cap does not always keep the alphabetically first instances) and the rows keep the sorted order.

import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RolloutRecord } from "../agent/types.js";
import { UserError } from "../core/errors.js";
import { MANIFEST_FILE, ROLLOUTS_FILE, readManifest, type RunIdentity } from "../runner/run-dir.js";
import { digestOf, type RecordDigest } from "../runner/summary.js";
import { rng, seedFrom, sha256, shuffle } from "../util/hash.js";
import { readJsonlRecordAt, readJsonlSync, type RecordLocation } from "../util/jsonl.js";
import { rolloutSchema } from "../core/schemas/rollout.js";

export interface ExportFilters {
  onlySuccess: boolean;
  includeOracle: boolean;
  maxPerInstance: number | null;
  minReward: number | null;
}

export interface ExportRecipe {
  minSteps: number | null; // at least this many agent actions (longer trajectories transferred better)
  maxPerRepo: number | null; // repository diversity
  teachers: string[] | null; // only rollouts of these models
  taskRatios: Record<string, number> | null; // family -> weight; families not listed are left out
  total: number | null; // rows wanted in all (split by taskRatios when given)
  dropEditTurns: boolean; // ablation: remove file-editing assistant turns and their results
  mix: string[]; // external datasets (same format, JSONL) appended after de-duplication
  seed: number; // for the shuffled order capped choices are made in
}

export const NO_RECIPE: ExportRecipe = { minSteps: null, maxPerRepo: null, teachers: null, taskRatios: null, total: null, dropEditTurns: false, mix: [], seed: 0 };

export interface SourceRun {
  dir: string; // absolute
  manifest_sha256: string; // of run.json as read
  identity: RunIdentity; // the run's settings (model, tool format, limits, sampling)
  identity_sha256: string; // of the run's identity: records of one identity are duplicates of each other
  records: number;
  malformed_lines: number;
}

// What selection and statistics need of a record. Exports read run files twice (digests first, then each selected
// record when its row is written), so a dataset of any size is never held in memory as a whole.
export interface ExportDigest extends RecordDigest {
  repo: string;
  language: string;
  model: string;
  oracle: boolean;
  prompt_hash: string;
  prompt_tokens: number;
  completion_tokens: number;
  turns: number; // assistant messages
  steps: number; // actions (agent steps), as `hgym analyze` counts them
  cost: number; // USD
}

// The runner's digest (ids, outcome, reward) plus what the dataset card and filters need.
export function exportDigest(r: RolloutRecord): ExportDigest {
  return {
    ...digestOf(r),
    repo: r.repo,
    language: r.language,
    model: r.model,
    oracle: r.oracle,
    prompt_hash: r.prompt_hash,
    prompt_tokens: r.usage?.prompt_tokens ?? 0,
    completion_tokens: r.usage?.completion_tokens ?? 0,
    turns: r.messages.filter((m) => m.role === "assistant").length,
    steps: r.steps.length,
    cost: r.cost,
  };
}

export interface SelectedRecord {
  digest: ExportDigest;
  run: SourceRun;
  where: RecordLocation;
}

// The full record of a selected row, read back from its run file.
export function loadSelected(sel: SelectedRecord): RolloutRecord {
  return readJsonlRecordAt(join(sel.run.dir, ROLLOUTS_FILE), sel.where, rolloutSchema);
}

export interface Selection {
  selected: SelectedRecord[];
  sources: SourceRun[];
  records_in: number;
  dropped: Record<string, number>; // reason -> count
  quotas: Record<string, { wanted: number; got: number }> | null; // per family, when a total was asked for
}

export const DROP_REASONS = [
  "failure_infra",
  "failure_model",
  "oracle",
  "unsuccessful",
  "below_min_reward",
  "duplicate",
  "over_max_per_instance",
  "not_a_teacher",
  "below_min_steps",
  "over_max_per_repo",
  "family_not_in_ratios",
  "over_quota",
] as const;

export function loadRun(dir: string): { run: SourceRun; records: { digest: ExportDigest; where: RecordLocation }[] } {
  const abs = resolve(dir);
  const manifest = readManifest(abs);
  const rolloutsPath = join(abs, ROLLOUTS_FILE);
  if (!existsSync(rolloutsPath)) throw new UserError(`${abs} has no ${ROLLOUTS_FILE}; has a rollout run been started there?`);
  const records: { digest: ExportDigest; where: RecordLocation }[] = [];
  // Bad lines (a torn tail of a killed run, a hand edit) are left out and counted in the manifest.
  let malformed = 0;
  for (const { value, ...where } of readJsonlSync(rolloutsPath, rolloutSchema, { badLines: "skip", onSkip: () => malformed++ })) {
    records.push({ digest: exportDigest(value), where });
  }
  const run: SourceRun = {
    dir: abs,
    manifest_sha256: sha256(readFileSync(join(abs, MANIFEST_FILE))),
    identity: manifest.identity,
    identity_sha256: sha256(JSON.stringify(manifest.identity)),
    records: records.length,
    malformed_lines: malformed,
  };
  return { run, records };
}

export function selectRecords(dirs: string[], filters: ExportFilters, recipe: ExportRecipe = NO_RECIPE): Selection {
  if (dirs.length === 0) throw new UserError("no run directory given; pass one or more directories made by `hgym rollout --out`");
  const dropped: Record<string, number> = Object.fromEntries(DROP_REASONS.map((r) => [r, 0]));
  const sources: SourceRun[] = [];
  const candidates: SelectedRecord[] = [];
  let recordsIn = 0;
  for (const dir of dirs) {
    const { run, records } = loadRun(dir);
    sources.push(run);
    for (const { digest, where } of records) {
      recordsIn++;
      const reason = dropReason(digest, filters) ?? recipeDropReason(digest, recipe);
      if (reason) dropped[reason] = (dropped[reason] ?? 0) + 1;
      else candidates.push({ digest, run, where });
    }
  }
  // Deterministic order: instance, sample, then the order runs were given, then the record's own order.
  const order = new Map(sources.map((s, i) => [s, i]));
  const indexed = candidates.map((c, i) => ({ c, i }));
  indexed.sort(
    (a, b) =>
      cmp(a.c.digest.instance_id, b.c.digest.instance_id) ||
      a.c.digest.sample - b.c.digest.sample ||
      (order.get(a.c.run) ?? 0) - (order.get(b.c.run) ?? 0) ||
      a.i - b.i,
  );
  const seen = new Set<string>();
  const perInstance = new Map<string, number>();
  const selected: SelectedRecord[] = [];
  for (const { c } of indexed) {
    // The same run given twice (or a copy of it) holds the same (instance, sample); different runs (another
    // model or prompt) are distinct samples of the instance and are all kept.
    const key = `${c.run.identity_sha256}\u0000${c.digest.instance_id}\u0000${c.digest.sample}`;
    if (seen.has(key)) {
      dropped.duplicate = (dropped.duplicate ?? 0) + 1;
      continue;
    }
    seen.add(key);
    const n = perInstance.get(c.digest.instance_id) ?? 0;
    if (filters.maxPerInstance !== null && n >= filters.maxPerInstance) {
      dropped.over_max_per_instance = (dropped.over_max_per_instance ?? 0) + 1;
      continue;
    }
    perInstance.set(c.digest.instance_id, n + 1);
    selected.push(c);
  }
  const capped = applyCaps(selected, recipe, dropped);
  return { selected: capped.selected, sources, records_in: recordsIn, dropped, quotas: capped.quotas };
}

function recipeDropReason(r: ExportDigest, recipe: ExportRecipe): string | null {
  if (recipe.teachers && !recipe.teachers.includes(r.model)) return "not_a_teacher";
  if (recipe.minSteps !== null && r.steps < recipe.minSteps) return "below_min_steps";
  if (recipe.taskRatios && !(r.task in recipe.taskRatios)) return "family_not_in_ratios";
  return null;
}

// Largest-remainder split of `total` by weight, so the quotas add up to the total exactly.
export function splitQuotas(total: number, weights: Record<string, number>): Record<string, number> {
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  const entries = Object.entries(weights).sort(([a], [b]) => cmp(a, b));
  const exact = entries.map(([k, w]) => ({ k, v: sum > 0 ? (total * w) / sum : 0 }));
  const out: Record<string, number> = Object.fromEntries(exact.map((e) => [e.k, Math.floor(e.v)]));
  let left = total - Object.values(out).reduce((a, b) => a + b, 0);
  for (const e of [...exact].sort((a, b) => b.v - Math.floor(b.v) - (a.v - Math.floor(a.v)) || cmp(a.k, b.k))) {
    if (left <= 0) break;
    out[e.k] = (out[e.k] ?? 0) + 1;
    left--;
  }
  return out;
}

function applyCaps(selected: SelectedRecord[], recipe: ExportRecipe, dropped: Record<string, number>): { selected: SelectedRecord[]; quotas: Selection["quotas"] } {
  if (recipe.maxPerRepo === null && recipe.total === null) return { selected, quotas: null };
  const position = new Map(selected.map((s, i) => [s, i]));
  const order = shuffle([...selected], rng(seedFrom("export-recipe", recipe.seed)));
  const perRepo = new Map<string, number>();
  let kept: SelectedRecord[] = [];
  for (const s of order) {
    const n = perRepo.get(s.digest.repo) ?? 0;
    if (recipe.maxPerRepo !== null && n >= recipe.maxPerRepo) {
      dropped.over_max_per_repo = (dropped.over_max_per_repo ?? 0) + 1;
      continue;
    }
    perRepo.set(s.digest.repo, n + 1);
    kept.push(s);
  }
  let quotas: Selection["quotas"] = null;
  if (recipe.total !== null) {
    const families = recipe.taskRatios ?? { all: 1 };
    const wanted = splitQuotas(recipe.total, families);
    const got: Record<string, number> = {};
    const familyOf = (s: SelectedRecord) => (recipe.taskRatios ? s.digest.task : "all");
    kept = kept.filter((s) => {
      const f = familyOf(s);
      if ((got[f] ?? 0) >= (wanted[f] ?? 0)) {
        dropped.over_quota = (dropped.over_quota ?? 0) + 1;
        return false;
      }
      got[f] = (got[f] ?? 0) + 1;
      return true;
    });
    quotas = Object.fromEntries(Object.keys(wanted).sort(cmp).map((f) => [f, { wanted: wanted[f] ?? 0, got: got[f] ?? 0 }]));
  }
  kept.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
  return { selected: kept, quotas };
}

function dropReason(r: ExportDigest, f: ExportFilters): string | null {
  if (r.failure === "infra") return "failure_infra";
  if (r.failure === "model") return "failure_model";
  if (r.failure !== "none") return "failure_model";
  if (r.oracle && !f.includeOracle) return "oracle";
  if (f.onlySuccess && !r.success) return "unsuccessful";
  if (f.minReward !== null && r.score < f.minReward) return "below_min_reward";
  return null;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
