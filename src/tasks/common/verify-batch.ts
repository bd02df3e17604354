// Batch verification of agent patches against instances (`hgym verify`): rebuild each instance's starting state
// from the snapshot store (re-ingesting the recorded source when the snapshot is missing), apply the patch in
// memory, and score it with the instance's family. A patch that does not apply (a PatchError from the patch code)
// is a failed attempt; any other exception is a bug and propagates. Input lines that fail their schema
// (src/core/schemas) are reported by file, line and field and skipped; the command exits 1 at the end.

import type { SnapshotStore } from "../../repo/store.js";
import { snapshotView } from "../../repo/store.js";
import { PatchError, UserError } from "../../core/errors.js";
import { instanceSchema } from "../../core/schemas/instance.js";
import { predictionSchema } from "../../core/schemas/prediction.js";
import { readJsonl } from "../../util/jsonl.js";
import type { Instance } from "../types.js";
import type { RepoView } from "../../core/repo-view.js";
import type { Reward } from "../../core/reward.js";
import { getTaskFamily } from "../registry.js";
import { resultFromPatch, startView } from "./workspace.js";
import type { VerifyContext } from "../verify-context.js";

export interface PatchRecord {
  instance_id: string;
  patch: string;
  line: number; // 1-based line in the patches file, for messages
}

export interface LineProblem {
  file: string;
  line: number;
  message: string;
}

export interface VerifyResultRecord {
  instance_id: string;
  task: string;
  reward: Reward;
}

export interface TaskSummary {
  task: string;
  count: number;
  successRate: number;
  meanScore: number;
  topViolations: { code: string; count: number }[];
}

// Streams a predictions file: `{instance_id, patch}` (or SWE-bench's `model_patch`) per line.
export async function readPatchRecords(file: string): Promise<{ records: PatchRecord[]; problems: LineProblem[] }> {
  const records: PatchRecord[] = [];
  const problems: LineProblem[] = [];
  const lines = readJsonl(file, predictionSchema, { badLines: "skip", onSkip: (e) => problems.push({ file, line: e.line, message: e.message }) });
  for await (const { value, line } of lines) records.push({ ...value, line });
  return { records, problems };
}

// Streams an instance file. `invalid` holds the ids of lines that failed the schema but named an id, so their
// patches are left out quietly instead of reported a second time as "no instance".
export async function readInstanceRecords(file: string): Promise<{ instances: Map<string, Instance>; invalid: Set<string>; problems: LineProblem[] }> {
  const instances = new Map<string, Instance>();
  const invalid = new Set<string>();
  const problems: LineProblem[] = [];
  const onSkip = (e: { line: number; message: string; json?: unknown }): void => {
    problems.push({ file, line: e.line, message: e.message });
    const id = (e.json as { instance_id?: unknown } | null | undefined)?.instance_id;
    if (typeof id === "string") invalid.add(id);
  };
  for await (const { value } of readJsonl(file, instanceSchema, { badLines: "skip", onSkip })) instances.set(value.instance_id, value);
  return { instances, invalid, problems };
}

// Starting states, cached per snapshot (repo view) and per instance (setup patch applied).
export class StartStates {
  private views = new Map<string, Promise<RepoView>>();
  constructor(private readonly store: SnapshotStore) {}

  async repoView(instance: Instance): Promise<RepoView> {
    const id = instance.repo.snapshot;
    let view = this.views.get(id);
    if (!view) {
      view = this.load(instance);
      this.views.set(id, view);
    }
    return view;
  }

  async start(instance: Instance): Promise<RepoView> {
    return startView(await this.repoView(instance), instance.setup_patch);
  }

  private async load(instance: Instance): Promise<RepoView> {
    const { snapshot: id, source, commit } = instance.repo;
    if (this.store.has(id)) return snapshotView(this.store, this.store.get(id));
    // Not in this store: ingest the recorded source again, at the recorded commit when it is a git commit.
    const isGitCommit = /^[0-9a-f]{40}$/.test(commit) && commit !== id;
    const input = isGitCommit ? `${source}@${commit}` : source;
    let snapshot;
    try {
      snapshot = await this.store.ingest(input);
    } catch (e) {
      throw new UserError(`snapshot ${id.slice(0, 12)} of ${instance.repo.name} is not in the store and re-ingesting ${input} failed: ${(e as Error).message}`);
    }
    if (snapshot.id !== id) {
      throw new UserError(
        `snapshot ${id.slice(0, 12)} of ${instance.repo.name} is not in the store, and ${input} now gives different content (snapshot ${snapshot.id.slice(0, 12)}); use the snapshot store the instances were generated with (--cache or HGYM_CACHE)`,
      );
    }
    return snapshotView(this.store, snapshot);
  }
}

const NOT_APPLIED = (message: string): Reward => ({
  success: false,
  score: 0,
  metrics: {},
  violations: [{ code: "patch-does-not-apply", message }],
});

// Scores one patch against one instance; `ctx` is what the family's verifier may use (see TaskFamily.verify).
export async function verifyPatch(instance: Instance, patch: string, states: StartStates, ctx: VerifyContext): Promise<Reward> {
  const family = getTaskFamily(instance.task);
  const start = await states.start(instance);
  let result;
  try {
    result = resultFromPatch(start, patch);
  } catch (e) {
    if (e instanceof PatchError) return NOT_APPLIED(e.message);
    throw e;
  }
  return family.verify(instance, result, ctx);
}

export function summarizeResults(results: VerifyResultRecord[]): TaskSummary[] {
  const byTask = new Map<string, VerifyResultRecord[]>();
  for (const r of results) byTask.set(r.task, [...(byTask.get(r.task) ?? []), r]);
  return [...byTask.keys()].sort().map((task) => {
    const rs = byTask.get(task) as VerifyResultRecord[];
    const codes = new Map<string, number>();
    for (const r of rs) for (const code of new Set(r.reward.violations.map((v) => v.code))) codes.set(code, (codes.get(code) ?? 0) + 1);
    return {
      task,
      count: rs.length,
      successRate: rs.filter((r) => r.reward.success).length / rs.length,
      meanScore: rs.reduce((a, r) => a + r.reward.score, 0) / rs.length,
      topViolations: [...codes]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 5)
        .map(([code, count]) => ({ code, count })),
    };
  });
}
