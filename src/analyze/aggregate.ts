// Statistics over a group of analysed rollouts (a task, a teacher, an outcome, or all), and the steps histogram.
// Shares are of all actions in the group (a long rollout weighs more, as in the paper's action counts); rates are
// of rollouts.

import { COMPONENTS, FAILURE_CAUSES, type Component, type FailureCause, type GroupStats, type RolloutAnalysis } from "./types.js";

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export function groupStats(key: string, rollouts: readonly RolloutAnalysis[]): GroupStats {
  const counts = zeros<Component>(COMPONENTS);
  const causes = zeros<FailureCause>(FAILURE_CAUSES);
  let actions = 0;
  let successes = 0;
  let loops = 0;
  let editAttempts = 0;
  let editFailures = 0;
  let cost = 0;
  const repos = new Set<string>();
  const instances = new Set<string>();
  for (const r of rollouts) {
    for (const c of COMPONENTS) counts[c] += r.components[c];
    actions += r.steps;
    if (r.outcome === "success") successes++;
    if (r.loop) loops++;
    editAttempts += r.edits.attempted;
    editFailures += r.edits.failed;
    cost += r.cost;
    if (r.failure) causes[r.failure.cause]++;
    repos.add(r.repo);
    instances.add(r.instance_id);
  }
  const n = rollouts.length;
  return {
    key,
    rollouts: n,
    successes,
    success_rate: ratio(successes, n),
    actions,
    avg_steps: ratio(actions, n),
    component_counts: counts,
    component_share: Object.fromEntries(COMPONENTS.map((c) => [c, ratio(counts[c], actions)])) as Record<Component, number>,
    loops,
    non_loop_rate: n === 0 ? 0 : (n - loops) / n,
    edit_attempts: editAttempts,
    edit_failures: editFailures,
    edit_failure_rate: ratio(editFailures, editAttempts),
    failure_causes: causes,
    cost,
    avg_cost: ratio(cost, n),
    repos: repos.size,
    instances: instances.size,
  };
}

// Groups by `keyOf`, sorted by key.
export function groupBy(rollouts: readonly RolloutAnalysis[], keyOf: (r: RolloutAnalysis) => string): GroupStats[] {
  const groups = new Map<string, RolloutAnalysis[]>();
  for (const r of rollouts) {
    const k = keyOf(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.keys()].sort().map((k) => groupStats(k, groups.get(k) as RolloutAnalysis[]));
}

// Steps per rollout in `bins` equal-width bins [from, to) covering 0..max.
export function stepHistogram(steps: readonly number[], bins: number): { from: number; to: number; count: number }[] {
  if (steps.length === 0) return [];
  const max = steps.reduce((m, s) => Math.max(m, s), 0);
  const width = Math.max(1, Math.ceil((max + 1) / Math.max(1, bins)));
  const n = Math.ceil((max + 1) / width);
  const out = Array.from({ length: n }, (_, k) => ({ from: k * width, to: (k + 1) * width, count: 0 }));
  for (const s of steps) (out[Math.floor(s / width)] as { count: number }).count++;
  return out;
}
