// Batch verification of agent patches against instances (`hgym verify`): rebuild each instance's starting state
// from the snapshot store (re-ingesting the recorded source when the snapshot is missing), apply the patch in
// memory, and score it with the instance's family. A patch that does not apply is a failed attempt, not a crash;
// malformed input lines are reported by number and skipped.

import type { SnapshotStore } from "../../repo/store.js";
import { snapshotView } from "../../repo/store.js";
import { UserError } from "../../repo/types.js";
import type { Instance, RepoView, Reward } from "../types.js";
import { getTaskFamily } from "../registry.js";
import { resultFromPatch, startView } from "./workspace.js";

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

// Parses a JSONL text of `{instance_id, patch}` (or SWE-bench's `model_patch`) records, line by line.
export function parsePatchRecords(text: string, file: string): { records: PatchRecord[]; problems: LineProblem[] } {
  const records: PatchRecord[] = [];
  const problems: LineProblem[] = [];
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      problems.push({ file, line: i + 1, message: `not valid JSON: ${(e as Error).message}` });
      return;
    }
    const rec = (value ?? {}) as Record<string, unknown>;
    const patch = typeof rec.patch === "string" ? rec.patch : typeof rec.model_patch === "string" ? rec.model_patch : null;
    if (typeof rec.instance_id !== "string" || patch === null) {
      problems.push({ file, line: i + 1, message: "expected an object with a string instance_id and a string patch (or model_patch)" });
      return;
    }
    records.push({ instance_id: rec.instance_id, patch, line: i + 1 });
  });
  return { records, problems };
}

export function parseInstanceRecords(text: string, file: string): { instances: Map<string, Instance>; problems: LineProblem[] } {
  const instances = new Map<string, Instance>();
  const problems: LineProblem[] = [];
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    try {
      const inst = JSON.parse(raw) as Instance;
      if (typeof inst?.instance_id !== "string" || typeof inst.task !== "string" || typeof inst.repo?.snapshot !== "string") {
        throw new Error("missing instance_id, task or repo.snapshot");
      }
      instances.set(inst.instance_id, inst);
    } catch (e) {
      problems.push({ file, line: i + 1, message: `not an instance: ${(e as Error).message}` });
    }
  });
  return { instances, problems };
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
        `snapshot ${id.slice(0, 12)} of ${instance.repo.name} is not in the store, and ${input} now gives different content (snapshot ${snapshot.id.slice(0, 12)}); point HGYM_CACHE at the store used for generation`,
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

// Scores one patch against one instance.
export async function verifyPatch(instance: Instance, patch: string, states: StartStates): Promise<Reward> {
  const family = getTaskFamily(instance.task);
  const start = await states.start(instance);
  let result;
  try {
    result = resultFromPatch(start, patch);
  } catch (e) {
    return NOT_APPLIED((e as Error).message);
  }
  return family.verify(instance, result);
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
