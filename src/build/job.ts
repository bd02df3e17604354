// For G2 (queue worker, issue 10 part 4): this is the per-repository job API. A queue worker runs
// `runBuildJob(job, deps)` on a BuildJob it received and writes each returned shard with `writeShard(shardDir,
// shard)` (src/build/shard.ts) — exactly what a local `hgym build --jobs N` child process does
// (src/build/job-process.ts) — so the merge (src/build/merge.ts) cannot tell who ran a job. Jobs are plain JSON
// (safe to put on a queue); `deps` is built on the worker's machine (its own snapshot store and sandbox).
//
// One job = one repository (one ingest input) × the recipe's families. The repository is ingested and indexed
// once; each family then runs the generation pipeline's per-repository step (the one `hgym generate` uses:
// src/tasks/common/pipeline.ts generateRepoInstances) and yields one shard, keyed by (repository, commit, family,
// options, seed, generator version). A family whose shard key is in `deps.done` is already done and not run.

import type { Snapshot } from "../repo/types.js";
import { sha256 } from "../util/hash.js";
import { generateRepoInstances, minDefined } from "../tasks/common/pipeline.js";
import { getTaskEntry } from "../tasks/registry.js";
import { BUILD_SHARD_VERSION } from "../core/schemas/build-shard.js";
import { generatorVersion } from "./generator-version.js";
import { issueLocalizeInputs } from "./issue-inputs.js";
import type { BuildJob, FamilyPlan, BuildJobDeps, FamilyShard, ShardResult } from "./types.js";

export type { BuildIssue, BuildJob, BuildJobDeps, FamilyPlan, FamilyShard, ShardResult } from "./types.js";

// The shard key: everything that decides a shard's content. Canonical JSON (sorted keys) so the same plan
// written in another order has the same key.
export function shardKey(job: BuildJob, plan: FamilyPlan): string {
  return sha256(
    canonicalJson({
      shard: BUILD_SHARD_VERSION,
      input: job.input,
      commit: job.commit,
      family: plan.family,
      values: plan.values,
      perRepo: perRepoCap(plan),
      seed: job.seed,
      includeTests: job.includeTests,
      language: job.language,
      issues: plan.family === "issue-localize" ? job.issues : [],
      generator: generatorVersion(plan.family),
    }),
  );
}

// Per-repository cap: the pipeline never keeps more from one repository than the whole target.
export function perRepoCap(plan: FamilyPlan): number | null {
  return minDefined(plan.perRepo, plan.target);
}

export async function runBuildJob(job: BuildJob, deps: BuildJobDeps): Promise<ShardResult> {
  const started = Date.now();
  const todo = job.families.filter((p) => !deps.done?.has(shardKey(job, p)));
  const shards: FamilyShard[] = [];
  // Ingested once for every family that generates from the repository as it is; a failure is every such
  // family's failed report (the repository is reported and skipped, the build goes on).
  let snapshot: Snapshot | null = null;
  let ingestError: string | null = null;
  if (todo.some((p) => p.family !== "issue-localize")) {
    try {
      snapshot = await deps.store.ingest(job.input);
    } catch (e) {
      ingestError = (e as Error).message;
    }
  }
  for (const plan of todo) {
    const familyStarted = Date.now();
    const shard: FamilyShard = {
      key: shardKey(job, plan),
      input: job.input,
      family: plan.family,
      generator_version: generatorVersion(plan.family),
      reports: [],
      skipped: [],
      dropped: {},
      instances: [],
      elapsed_ms: 0,
    };
    const entry = getTaskEntry(plan.family);
    const common = {
      family: entry.family,
      store: deps.store,
      seed: job.seed,
      includeTests: job.includeTests,
      language: job.language,
      log: deps.log,
      verify: deps.verify,
    };
    // A family that throws (its input preparation, its options) is this repository's failed row for that family,
    // written like any result: the failure is deterministic, so a rerun would only fail again.
    try {
      if (plan.family === "issue-localize") {
        const prepared = await issueLocalizeInputs(job, plan.values);
        shard.skipped.push(...prepared.skipped);
        Object.assign(shard.dropped, prepared.dropped);
        let remaining = perRepoCap(plan);
        for (const input of prepared.repos) {
          if (remaining !== null && remaining <= 0) break;
          const one = await generateRepoInstances({ ...common, input, perRepoCap: remaining, taskOptions: prepared.options });
          shard.reports.push(one.report);
          shard.instances.push(...one.instances);
          if (remaining !== null) remaining -= one.instances.length;
        }
      } else if (snapshot === null) {
        shard.reports.push({ input: job.input, name: null, commit: null, status: "failed", error: ingestError ?? "not ingested", candidates: 0, proposed: 0, gated: 0, kept: 0, dropped: {} });
      } else {
        const one = await generateRepoInstances({ ...common, input: job.input, snapshot, perRepoCap: perRepoCap(plan), taskOptions: entry.cli.toOptions(plan.values) });
        shard.reports.push(one.report);
        shard.instances.push(...one.instances);
      }
    } catch (e) {
      shard.reports.push({ input: job.input, name: null, commit: null, status: "failed", error: (e as Error).message, candidates: 0, proposed: 0, gated: 0, kept: 0, dropped: {} });
    }
    shard.elapsed_ms = Date.now() - familyStarted;
    shards.push(shard);
  }
  return { input: job.input, shards, elapsed_ms: Date.now() - started };
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
