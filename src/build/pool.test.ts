// The local process pool: job processes are recycled after their quota of jobs, and one killed mid-job (a crash,
// the out-of-memory killer) costs only its job — reported as failed with no shard written — while a fresh
// process takes the rest.

import { readFileSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SnapshotStore } from "../repo/store.js";
import { shardKey } from "./job.js";
import { runJobsInProcesses, type JobOutcome } from "./pool.js";
import { listShardKeys } from "./shard.js";
import { nodeModulesRepos } from "./test-support/local-repos.js";
import type { BuildJob } from "./types.js";

const ROOT = join(import.meta.dirname, "..", "..");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hgym-pool-test-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function jobs(n: number): BuildJob[] {
  return nodeModulesRepos(ROOT, 2, 6)
    .slice(0, n)
    .map((r) => ({
      input: r.path,
      commit: null,
      families: [{ family: "func-gen", values: { verifyMode: "auto", timeoutMs: 60000, similarityThreshold: 0.8, minBodyLines: 3, maxBodyLines: 60, exitStatusVerdict: false }, perRepo: 1, target: null }],
      seed: 0,
      includeTests: false,
      language: null,
      issues: [],
    }));
}

// Our own job processes (children of this process running job-process.ts).
function jobProcessPids(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === process.pid && readFileSync(`/proc/${name}/cmdline`, "utf8").includes("job-process")) pids.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return pids;
}

describe("runJobsInProcesses", () => {
  it("recycles processes, and a process killed mid-job fails only that job", async () => {
    const list = jobs(3);
    expect(list).toHaveLength(3);
    const shardDir = join(dir, "shards");
    const outcomes: { input: string; outcome: JobOutcome }[] = [];
    const seenPids = new Set<number>();
    let killed = false;
    await runJobsInProcesses(
      list.map((job) => ({ job, done: [] })),
      {
        processes: 1,
        jobsPerProcess: 1,
        settings: { storeRoot: new SnapshotStore(join(dir, "cache")).root, shardDir, sandbox: "local", workspaceRoot: join(dir, "ws"), endpointEnv: {}, verbose: true },
        onOutcome: (job, outcome) => outcomes.push({ input: job.input, outcome }),
        // The first log line of the first job: that process is working on it; kill it there.
        onLog: () => {
          for (const pid of jobProcessPids()) seenPids.add(pid);
          if (!killed) {
            killed = true;
            for (const pid of jobProcessPids()) process.kill(pid, "SIGKILL");
          }
        },
      },
    );
    expect(outcomes.map((o) => o.input)).toEqual(list.map((j) => j.input));
    const [first, ...rest] = outcomes;
    expect(first?.outcome).toEqual({ ok: false, error: expect.stringContaining("died (SIGKILL)") as string });
    for (const r of rest) expect(r.outcome.ok).toBe(true);
    // One process per job (recycled after each), and no shard for the killed job.
    expect(seenPids.size).toBeGreaterThanOrEqual(3);
    const keys = listShardKeys(shardDir);
    expect(keys.has(shardKey(list[0] as BuildJob, (list[0] as BuildJob).families[0] as BuildJob["families"][number]))).toBe(false);
    for (const j of list.slice(1)) expect(keys.has(shardKey(j, j.families[0] as BuildJob["families"][number]))).toBe(true);
    expect(jobProcessPids()).toEqual([]);
  }, 120_000);
});
