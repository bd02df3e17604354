// `hgym rollout --queue` end to end on a real redis-server (password, private port, no persistence): two real
// `hgym worker` processes, each with its own snapshot store (no shared disk), share an oracle rollout of real
// func-localize instances; one is killed with SIGKILL mid-job. The run directory must hold every (instance, sample)
// exactly once and equal a local run's records apart from timings.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { buildExampleRepo } from "../repo/example-repo.js";
import { SnapshotStore } from "../repo/store.js";
import { createSandbox } from "../sandbox/index.js";
import { generateInstances, instancesToJsonl } from "../tasks/common/pipeline.js";
import { getTaskFamily } from "../tasks/registry.js";
import { readJsonlRecords } from "../util/jsonl.js";
import { rolloutSchema } from "../core/schemas/rollout.js";
import * as rolloutCmd from "../cli/rollout-command.js";
import { rolloutSettings, type RolloutCliOptions } from "../cli/rollout.js";
import { loadInstances } from "../runner/instances.js";
import { parseRedisUrl, ROLLOUT_QUEUE } from "./connection.js";
import { ROLLOUT_JOB_TAG, type RolloutJobInput } from "./rollout-job.js";
import { queueRunId, runQueuedBatch } from "./rollout-producer.js";
import { runIdentity } from "../runner/run-dir.js";
import { Redis } from "ioredis";
import { startTestRedis, type TestRedis } from "./test-support/redis-server.js";

const MAIN = join(import.meta.dirname, "..", "cli", "main.ts");
let tmp: string;
let instancesPath: string;
let backend: "bwrap" | "local";
let redis: TestRedis;
const savedCache = process.env.HGYM_CACHE;
const children: ChildProcess[] = [];

async function hgym(...args: string[]): Promise<{ out: string; err: string }> {
  const p = new Command();
  p.exitOverride();
  p.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  rolloutCmd.register(p);
  const out: string[] = [];
  const err: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    await p.parseAsync(["node", "hgym", ...args]);
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
  return { out: out.join(""), err: err.join("") };
}

interface WorkerProc {
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

// A real `hgym worker` process with a snapshot store of its own. Short lock and stalled-check times so a killed
// worker's job is back in the queue within seconds.
function startWorker(name: string, prefix: string): WorkerProc {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", MAIN, "worker", "--queue", redis.url, "--prefix", prefix, "--concurrency", "1", "--lock-duration", "2000", "--stalled-interval", "1000"],
    { env: { ...process.env, HGYM_CACHE: join(tmp, `cache-${name}`) }, stdio: ["ignore", "ignore", "pipe"] },
  );
  children.push(child);
  let log = "";
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { child, log: () => log, exited };
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// A record without what differs between any two runs: times, durations, usage timings.
function comparable(line: Record<string, unknown>): Record<string, unknown> {
  const { started_at: _s, finished_at: _f, wall_ms: _w, steps, model_calls, ...rest } = line;
  return {
    ...rest,
    steps: (steps as Record<string, unknown>[]).map(({ started_at: _a, duration_ms: _d, ...s }) => s),
    model_calls: (model_calls as unknown[]).length,
  };
}

function recordsOf(run: string): Record<string, unknown>[] {
  return readJsonlRecords(join(run, "rollouts.jsonl"), rolloutSchema)
    .map((r) => comparable(r as unknown as Record<string, unknown>))
    .sort((a, b) => `${String(a.instance_id)}#${String(a.sample)}`.localeCompare(`${String(b.instance_id)}#${String(b.sample)}`));
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-queue-rollout-"));
  process.env.HGYM_CACHE = join(tmp, "cache-producer");
  redis = await startTestRedis();
  const repo = buildExampleRepo(join(tmp, "shelf"));
  const { instances } = await generateInstances({
    family: getTaskFamily("func-localize"),
    repos: [repo],
    store: new SnapshotStore(),
    seed: 1,
    limit: 4,
    includeTests: false,
    language: null,
    taskOptions: { description: "docstring" },
    log: () => undefined,
  });
  expect(instances.length).toBe(4);
  instancesPath = join(tmp, "instances.jsonl");
  writeFileSync(instancesPath, instancesToJsonl(instances));
  backend = (await createSandbox("bwrap").available()).ok ? "bwrap" : "local";
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await redis?.stop();
  if (savedCache === undefined) delete process.env.HGYM_CACHE;
  else process.env.HGYM_CACHE = savedCache;
  rmSync(tmp, { recursive: true, force: true });
});

describe("hgym rollout --queue with hgym worker", () => {
  it("shares a rollout between two workers, one killed mid-job, with no record lost or duplicated", async () => {
    const common = ["--model", "oracle", "--sandbox", backend, "--samples", "3"];
    const local = join(tmp, "runs", "local");
    await hgym("rollout", instancesPath, "--out", local, "--concurrency", "2", ...common);

    const prefix = "test-run-1";
    const a = startWorker("a", prefix);
    const b = startWorker("b", prefix);
    await waitFor("both workers ready", () => /ready on/.test(a.log()) && /ready on/.test(b.log()));
    // The password never shows in a log.
    expect(a.log()).not.toContain(redis.password);

    const queued = join(tmp, "runs", "queued");
    const producer = hgym("rollout", instancesPath, "--out", queued, ...common, "--queue", redis.url, "--prefix", prefix);
    // Kill worker a the moment it starts its second job: that job is mid-way and its lock still held.
    let killedJob = "";
    await waitFor("worker a's second job", () => (a.log().match(/job \S+ started/g) ?? []).length >= 2);
    a.child.kill("SIGKILL");
    killedJob = [...a.log().matchAll(/job (\S+) started/g)].pop()?.[1] ?? "";
    expect(await a.exited).toBeNull(); // killed by the signal
    const { out, err } = await producer;
    expect(out).toContain("12 of 12 rollouts done (12 successful");
    expect(err).toContain("queued 12 rollouts");
    // The killed worker's job was taken again by the other one after its lock ran out.
    expect(b.log()).toContain(`job ${killedJob} started`);

    const q = recordsOf(queued);
    expect(q).toHaveLength(12);
    expect(new Set(q.map((r) => `${String(r.instance_id)}#${String(r.sample)}`)).size).toBe(12);
    expect(q).toEqual(recordsOf(local));
    const manifest = JSON.parse(readFileSync(join(queued, "run.json"), "utf8")) as { counts: { final: number }; finished_at: string | null };
    expect(manifest.counts.final).toBe(12);
    expect(manifest.finished_at).not.toBeNull();

    // Nothing of the run is left in Redis: every job was collected and removed.
    const queue = new Queue(ROLLOUT_QUEUE, { connection: parseRedisUrl(redis.url), prefix });
    try {
      const counts = await queue.getJobCounts("waiting", "active", "completed", "failed", "delayed");
      expect(counts).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 });
    } finally {
      await queue.close();
    }

    // Each worker ingested the repository into its own store (from the source path and commit in the job).
    const snapshot = (JSON.parse(readFileSync(instancesPath, "utf8").split("\n")[0] ?? "") as { repo: { snapshot: string } }).repo.snapshot;
    expect(existsSync(join(tmp, "cache-b", "snapshots", `${snapshot}.json`))).toBe(true);

    // A job that finishes a second time (as when a worker lost its lock but still completed): its records are
    // not written again. The duplicate is a real job run by worker b, left in Redis for the next session.
    const first = JSON.parse(readFileSync(instancesPath, "utf8").split("\n")[0] ?? "") as Record<string, unknown>;
    const dup = new Queue(ROLLOUT_QUEUE, { connection: parseRedisUrl(redis.url), prefix });
    try {
      const data: RolloutJobInput = {
        schema: ROLLOUT_JOB_TAG,
        run_id: queueRunId(queued, loadInstances(instancesPath).sha256),
        instance: first,
        sample: 1,
        first_attempt: 1,
        settings: rolloutSettings({ model: "oracle", sandbox: backend, toolFormat: "native", maxSteps: 30, maxInfraRetries: 2 } as RolloutCliOptions, null, undefined),
      };
      await dup.add("rollout", data, { jobId: "duplicate-1" });
      const completed = async (): Promise<number> => (await dup.getJobCounts("completed")).completed ?? 0;
      for (let i = 0; i < 600 && (await completed()) < 1; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await completed()).toBe(1);
      expect(b.log()).toContain("job duplicate-1 started");
    } finally {
      await dup.close();
    }
    // A rerun finds everything done, drops the duplicate and queues nothing.
    const again = await hgym("rollout", instancesPath, "--out", queued, ...common, "--queue", redis.url, "--prefix", prefix);
    expect(again.out).toContain("0 run now, 12 from earlier sessions");
    expect(again.err).toContain("collected 1 finished jobs of an earlier session");
    expect(again.err).toContain("1 duplicate records from jobs that ran twice were not written again");
    expect(recordsOf(queued)).toHaveLength(12);
    b.child.kill("SIGTERM");
    expect(await b.exited).toBe(0);
  }, 300_000);

  it("queues again the jobs Redis lost (restarted without persistence) and still finishes every pair once", async () => {
    const prefix = "test-run-2";
    const out = join(tmp, "runs", "lost");
    const logs: string[] = [];
    const batch = runQueuedBatch({
      instancesPath,
      outDir: out,
      identity: runIdentity({ model: "oracle" }),
      options: {},
      samples: 1,
      limit: null,
      maxInfraRetries: 2,
      force: false,
      log: (m) => logs.push(m),
      progressStream: { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream,
      queue: { url: redis.url, connection: parseRedisUrl(redis.url), prefix },
      settings: rolloutSettings({ model: "oracle", sandbox: backend, toolFormat: "native", maxSteps: 30, maxInfraRetries: 2 } as RolloutCliOptions, null, undefined),
      auditMs: 500,
    });
    await waitFor("the jobs to be queued", () => logs.some((l) => l.startsWith("queued 4 rollouts")));
    // No worker has run anything yet: wipe Redis as a restart without persistence would.
    const client = new Redis({ ...parseRedisUrl(redis.url) });
    await client.flushall();
    client.disconnect();
    const w = startWorker("c", prefix);
    const result = await batch;
    expect(logs.join("\n")).toContain("4 queued rollouts had vanished from Redis");
    expect(result.counts.final).toBe(4);
    expect(result.ran).toBe(4);
    const recs = recordsOf(out);
    expect(new Set(recs.map((r) => String(r.instance_id))).size).toBe(4);
    expect(recs).toHaveLength(4);
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(0);
  }, 180_000);

  it("refuses a wrong password and a malformed URL with one clear line", async () => {
    const wrong = redis.url.replace(/:[0-9a-f]+@/, ":nope@");
    await expect(hgym("rollout", instancesPath, "--out", join(tmp, "runs", "bad"), "--model", "oracle", "--queue", wrong)).rejects.toThrow(
      /cannot reach the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(prefix hgym\)/,
    );
    await expect(hgym("rollout", instancesPath, "--out", join(tmp, "runs", "bad2"), "--model", "oracle", "--queue", "http://x")).rejects.toThrow(
      /only redis:\/\/ URLs are supported/,
    );
    await expect(hgym("rollout", instancesPath, "--out", join(tmp, "runs", "bad3"), "--model", "oracle", "--prefix", "p")).rejects.toThrow(/use it with --queue/);
  }, 60_000);
});
