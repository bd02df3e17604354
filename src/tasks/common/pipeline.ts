// The generation pipeline shared by every task family: ingest each repository into the snapshot store, index
// it, let the family propose instances, order them with seeded stratified sampling, run the validity gate until
// the per-repo quota is met, and return the kept instances sorted by id plus a report of what was dropped and
// why. One bad repository is reported and skipped; the batch goes on.

import type { LanguageId } from "../../lang/types.js";
import type { SnapshotStore } from "../../repo/store.js";
import type { Snapshot } from "../../repo/types.js";
import { snapshotView } from "../../repo/store.js";
import type { DropCounts, Instance, InstanceRepo, TaskFamily } from "../types.js";
import { instanceLine } from "../../core/schemas/instance.js";
import { ensureLanguages, indexView } from "./code.js";
import { stratifiedOrder } from "./sampling.js";
import { runValidityGate, type GateOutcome } from "./validity-gate.js";
import { startView } from "./workspace.js";
import { createVerifyContext, type VerifyContext } from "../verify-context.js";

export interface GenerateInstancesOptions<G, O> {
  family: TaskFamily<G, O>;
  repos: string[]; // ingest inputs: local path, git URL, optionally "@rev"
  store: SnapshotStore;
  seed: number;
  limit?: number | null; // total instances over all repos
  perRepo?: number | null; // instances per repository
  includeTests: boolean;
  language: LanguageId | null;
  taskOptions: O;
  log: (message: string) => void;
  // What the validity gate's verifications may use; default: `store`, the "auto" sandbox, no model endpoint.
  verify?: VerifyContext;
  // false keeps every proposed instance without the validity gate: only benchmarks use it, to measure the
  // gate's share of generation (bench/paper-builder.ts). Default true.
  gate?: boolean;
}

export interface RepoReport {
  input: string;
  name: string | null;
  commit: string | null;
  status: "ok" | "failed";
  error?: string;
  candidates: number; // targets the family considered
  proposed: number; // instances the family built (before sampling and the gate)
  gated: number; // instances that went through the validity gate
  kept: number; // instances that passed the gate and the per-repo quota
  dropped: DropCounts; // reason -> count (family reasons, then "validity:<failure>")
}

export interface GenerationReport {
  task: string;
  seed: number;
  repos: RepoReport[];
  totals: { repos: number; failedRepos: number; candidates: number; proposed: number; gated: number; kept: number; output: number; dropped: DropCounts };
}

export interface GenerationResult<G> {
  instances: Instance<G>[];
  report: GenerationReport;
}

// How many instances' gates may be in flight at once. Enough to keep every front-end worker and the main thread
// busy; more only holds more starting states in memory.
const GATE_WINDOW = 8;

// Which difficulty bucket and which file an instance belongs to, for stratified sampling.
function strataOf<G>(instance: Instance<G>): { stratum: string; group: string; id: string } {
  const d = instance.meta.difficulty;
  const stratum = typeof d.stratum === "string" ? d.stratum : JSON.stringify(d);
  const file = typeof instance.meta.target_file === "string" ? instance.meta.target_file : instance.instance_id;
  return { stratum, group: file, id: instance.instance_id };
}

export async function generateInstances<G, O>(opts: GenerateInstancesOptions<G, O>): Promise<GenerationResult<G>> {
  await ensureLanguages();
  const reports: RepoReport[] = [];
  const kept: Instance<G>[] = [];
  const perRepoCap = minDefined(opts.perRepo, opts.limit);
  const verifyContext = opts.verify ?? createVerifyContext({ store: opts.store });
  for (const input of opts.repos) {
    const one = await generateRepoInstances({ ...opts, input, perRepoCap, verify: verifyContext });
    reports.push(one.report);
    kept.push(...one.instances);
  }
  const output = selectOutput(kept, opts.limit ?? null, opts.seed);
  return { instances: output, report: summarize(opts.family.name, opts.seed, reports, output.length) };
}

export interface RepoGenerationOptions<G, O> {
  family: TaskFamily<G, O>;
  input: string; // one ingest input: local path, git URL, optionally "@rev"
  store: SnapshotStore;
  seed: number;
  perRepoCap: number | null; // instances kept from this repository at most
  includeTests: boolean;
  language: LanguageId | null;
  taskOptions: O;
  log: (message: string) => void;
  verify: VerifyContext;
  snapshot?: Snapshot; // `input` already ingested (a caller running several families on one repository)
  gate?: boolean; // see GenerateInstancesOptions.gate
}

// One repository through the pipeline: ingest, index, propose, order, gate until the quota is met. Never throws
// for a bad repository: the report says "failed" with the reason. `generate` runs it for each --repo in turn;
// `build` (src/build/) runs it per repository job and keeps its result in a shard.
export async function generateRepoInstances<G, O>(opts: RepoGenerationOptions<G, O>): Promise<{ report: RepoReport; instances: Instance<G>[] }> {
  await ensureLanguages();
  const { input, perRepoCap } = opts;
  const kept: Instance<G>[] = [];
  const report: RepoReport = { input, name: null, commit: null, status: "ok", candidates: 0, proposed: 0, gated: 0, kept: 0, dropped: {} };
  try {
    const snapshot = opts.snapshot ?? (await opts.store.ingest(input));
    const view = snapshotView(opts.store, snapshot);
    const repo: InstanceRepo = {
      name: snapshot.name,
      commit: snapshot.commit ?? snapshot.id,
      source: snapshot.source.location,
      snapshot: snapshot.id,
    };
    report.name = repo.name;
    report.commit = repo.commit;
    opts.log(`${input}: indexing ${view.paths().length} files`);
    const index = indexView(view, opts.language);
    const out = await opts.family.generate(
      { repo, language: opts.language, files: view, seed: opts.seed, includeTests: opts.includeTests, log: opts.log, index, quota: perRepoCap },
      opts.taskOptions,
    );
    report.candidates = out.candidates;
    report.proposed = out.instances.length;
    addCounts(report.dropped, out.dropped);
    const ordered = stratifiedOrder(dedupeById(out.instances), strataOf, opts.seed);
    // A family that runs code to verify (func-gen's `prepare` runs the tests) gates one instance at a time:
    // concurrent test runs would change the timings its verdicts are measured under.
    const gateOne = (instance: Instance<G>): Promise<GateOutcome | null> =>
      opts.gate === false ? Promise.resolve(null) : runValidityGate(opts.family, instance, startView(view, instance.setup_patch), opts.verify);
    const underQuota = () => perRepoCap === null || report.kept < perRepoCap;
    if (underQuota()) {
      await inOrder(ordered, gateOne, opts.family.prepare ? 1 : GATE_WINDOW, (instance, gate) => {
        report.gated++;
        if (gate !== null) instance.meta.validity = gate.record;
        if (gate !== null && !gate.passed) {
          for (const f of gate.failures) report.dropped[`validity:${f}`] = (report.dropped[`validity:${f}`] ?? 0) + 1;
        } else {
          report.kept++;
          kept.push(instance);
        }
        return underQuota();
      });
    }
    opts.log(`${input}: ${report.candidates} candidates, ${report.proposed} proposed, ${report.kept} kept`);
  } catch (e) {
    report.status = "failed";
    report.error = (e as Error).message;
    opts.log(`${input}: skipped: ${report.error}`);
  }
  return { report, instances: kept };
}

// Runs `work` on the items with up to `window` of them in flight, and hands each result to `take` in the items'
// order; `take` returns whether to go on. So what `take` sees is exactly what running the items one at a time
// (and stopping when `take` says so) would give, while the work of later items overlaps. Work started past the
// stop is awaited (nothing keeps running, nothing rejects unobserved) and its result dropped, rejections
// included; a rejection of a taken item is thrown at its turn, as it would have been one at a time.
export async function inOrder<T, R>(items: readonly T[], work: (item: T) => Promise<R>, window: number, take: (item: T, result: R) => boolean): Promise<void> {
  const inFlight: { item: T; result: Promise<R> }[] = [];
  let next = 0;
  const fill = () => {
    while (inFlight.length < Math.max(1, window) && next < items.length) {
      const item = items[next++] as T;
      const result = work(item);
      // A later item may fail while an earlier one is awaited: its rejection is handled at its turn (or dropped
      // past the stop), so it must not surface as an unhandled rejection in the meantime.
      result.catch(() => undefined);
      inFlight.push({ item, result });
    }
  };
  try {
    while (next < items.length || inFlight.length > 0) {
      fill();
      const head = inFlight.shift() as { item: T; result: Promise<R> };
      if (!take(head.item, await head.result)) break;
    }
  } finally {
    await Promise.allSettled(inFlight.map((w) => w.result));
  }
}

// The output from every repository's kept instances: duplicates removed, the global limit spread over
// repositories and difficulty buckets (seeded), sorted by id. Depends only on the instances, so the same
// repositories' results give the same bytes whatever order or process produced them.
export function selectOutput<G>(kept: Instance<G>[], limit: number | null, seed: number): Instance<G>[] {
  let output = dedupeById(kept);
  if (limit !== null && output.length > limit) {
    // Spread the global limit over repositories and difficulty buckets, not first-come-first-served.
    const byRepo = (i: Instance<G>) => ({ ...strataOf(i), group: i.repo.snapshot });
    output = stratifiedOrder(output, byRepo, seed).slice(0, limit);
  }
  output.sort((a, b) => (a.instance_id < b.instance_id ? -1 : a.instance_id > b.instance_id ? 1 : 0));
  return output;
}

// JSONL text for instances: one compact JSON object per line, tagged with the instance schema version
// (src/core/schemas/instance.ts), in the order given (already sorted by id).
export function instancesToJsonl(instances: readonly Instance<unknown>[]): string {
  return instances.map((i) => instanceLine(i)).join("\n") + (instances.length > 0 ? "\n" : "");
}

export function summarize(task: string, seed: number, repos: RepoReport[], output: number): GenerationReport {
  const dropped: DropCounts = {};
  for (const r of repos) addCounts(dropped, r.dropped);
  const sum = (f: (r: RepoReport) => number) => repos.reduce((a, r) => a + f(r), 0);
  return {
    task,
    seed,
    repos,
    totals: {
      repos: repos.length,
      failedRepos: repos.filter((r) => r.status === "failed").length,
      candidates: sum((r) => r.candidates),
      proposed: sum((r) => r.proposed),
      gated: sum((r) => r.gated),
      kept: sum((r) => r.kept),
      output,
      dropped: sortCounts(dropped),
    },
  };
}

function addCounts(into: DropCounts, from: DropCounts): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

function sortCounts(c: DropCounts): DropCounts {
  return Object.fromEntries(Object.entries(c).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

function dedupeById<G>(instances: Instance<G>[]): Instance<G>[] {
  const seen = new Set<string>();
  return instances.filter((i) => (seen.has(i.instance_id) ? false : (seen.add(i.instance_id), true)));
}

export function minDefined(...values: (number | null | undefined)[]): number | null {
  const defined = values.filter((v): v is number => typeof v === "number");
  return defined.length === 0 ? null : Math.min(...defined);
}
