// Queue overhead benchmark: `npm run bench:queue [-- --instances N --samples K --rounds R --build-repos M]`.
//
// The same oracle rollouts (func-localize instances of the bundled example repository, in the bwrap sandbox, or
// local when bwrap is missing) run four ways on this machine, against a private local redis-server:
//   local pool, concurrency 1   vs   `--queue` with 1 `hgym worker` (concurrency 1)
//   local pool, concurrency 2   vs   `--queue` with 2 `hgym worker`s (concurrency 1 each)
// Workers are started (and have ingested the repository into their own stores, by a warm-up run) before the clock
// starts, as on a cluster where workers run all day. Per-job overhead = (queue wall − local wall) / jobs, also as
// a share of the local time per job, in wall time and in CPU time of all our processes (wall time on a shared
// machine swings too much to see a few percent). Target: < 5 %.
// Then the same for `hgym build` over --build-repos small local repositories (default 20; 0 skips it): the local
// process pool at --jobs 1/2 vs --queue with 1/2 workers.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rolloutCommand, type RolloutCliOptions } from "../src/cli/rollout.js";
import { nodeModulesRepos, pythonStdlibRepos } from "../src/build/test-support/local-repos.js";
import { startTestRedis, type TestRedis } from "../src/queue/test-support/redis-server.js";
import { buildExampleRepo } from "../src/repo/example-repo.js";
import { SnapshotStore } from "../src/repo/store.js";
import { createSandbox } from "../src/sandbox/index.js";
import { generateInstances, instancesToJsonl } from "../src/tasks/common/pipeline.js";
import { getTaskFamily } from "../src/tasks/registry.js";

function flag(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  return Number.isFinite(v) && v > 0 ? v : dflt;
}

const INSTANCES = flag("--instances", 6);
const SAMPLES = flag("--samples", 4);
const ROUNDS = flag("--rounds", 3);
const BUILD_REPOS = flag("--build-repos", 20); // 0 skips the build part
const MAIN = join(import.meta.dirname, "..", "src", "cli", "main.ts");

// CPU seconds of a process and of its reaped descendants (sandboxes, front ends): /proc/<pid>/stat utime, stime,
// cutime, cstime. Wall time on a shared machine swings by 2-3x between identical runs; CPU time does not.
function cpuSeconds(pid: number | "self"): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return 0;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "hgym-bench-queue-"));
  process.env.HGYM_CACHE = join(tmp, "cache-producer");
  const redis = await startTestRedis();
  const workers: ChildProcess[] = [];
  try {
    const repo = buildExampleRepo(join(tmp, "shelf"));
    const { instances } = await generateInstances({
      family: getTaskFamily("func-localize"),
      repos: [repo],
      store: new SnapshotStore(),
      seed: 1,
      limit: INSTANCES,
      includeTests: false,
      language: null,
      taskOptions: { description: "docstring" },
      log: () => undefined,
    });
    const instancesPath = join(tmp, "instances.jsonl");
    writeFileSync(instancesPath, instancesToJsonl(instances));
    const backend = (await createSandbox("bwrap").available()).ok ? "bwrap" : "local";
    const jobs = instances.length * SAMPLES;
    const base: RolloutCliOptions = {
      out: "",
      model: "oracle",
      concurrency: 1,
      samples: SAMPLES,
      maxSteps: 30,
      toolFormat: "native",
      sandbox: backend,
      maxInfraRetries: 2,
      force: false,
    };
    const quiet = async <T>(f: () => Promise<T>): Promise<T> => {
      const out = process.stdout.write.bind(process.stdout);
      const err = process.stderr.write.bind(process.stderr);
      process.stdout.write = (() => true) as typeof process.stdout.write;
      process.stderr.write = (() => true) as typeof process.stderr.write;
      try {
        return await f();
      } finally {
        process.stdout.write = out;
        process.stderr.write = err;
      }
    };
    // Every process of ours that works on the rollouts: this one, the workers, redis-server.
    const cpuNow = (): number => cpuSeconds("self") + cpuSeconds(redis.pid) + workers.reduce((sum, w) => sum + cpuSeconds(w.pid ?? 0), 0);
    const cpuRuns = new Map<string, number>();
    const timed = async (name: string, opts: Partial<RolloutCliOptions>): Promise<number> => {
      const c0 = cpuNow();
      const t0 = performance.now();
      await quiet(() => rolloutCommand(instancesPath, { ...base, ...opts, out: join(tmp, "runs", name) }));
      cpuRuns.set(name, cpuNow() - c0);
      return performance.now() - t0;
    };
    const startWorker = (name: string, prefix: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", MAIN, "worker", "--queue", redis.url, "--prefix", prefix, "--concurrency", "1"], {
          env: { ...process.env, HGYM_CACHE: join(tmp, `cache-${name}`) },
          stdio: ["ignore", "ignore", "pipe"],
        });
        workers.push(child);
        let log = "";
        child.stderr?.on("data", (d: Buffer) => {
          log += d.toString();
          if (/ready on/.test(log)) resolve();
        });
        child.once("exit", (code) => reject(new Error(`worker ${name} exited (${code}): ${log}`)));
      });

    console.log(`queue bench: ${instances.length} instances × ${SAMPLES} samples = ${jobs} oracle rollouts per configuration, sandbox ${backend}, median of ${ROUNDS} rounds`);
    // Warm-up: language front ends, sandbox, the page cache.
    await timed("warm-local", { limit: 1, samples: 1 });
    const rows: string[] = [];
    for (const n of [1, 2]) {
      const prefix = `bench-${n}`;
      await Promise.all(Array.from({ length: n }, (_, i) => startWorker(`w${n}-${i}`, prefix)));
      // Warm-up of the workers: each ingests the repository into its own store once.
      await timed(`warm-queue-${n}`, { samples: n * 2, limit: 1, queue: redis.url, prefix });
      // Alternating rounds, medians: the machine is shared, so one pair of runs says little.
      const locals: number[] = [];
      const queues: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        locals.push(await timed(`local-${n}-${r}`, { concurrency: n }));
        queues.push(await timed(`queue-${n}-${r}`, { queue: redis.url, prefix }));
      }
      const local = median(locals);
      const queued = median(queues);
      const cpuOf = (kind: string): number => median(Array.from({ length: ROUNDS }, (_, r) => cpuRuns.get(`${kind}-${n}-${r}`) ?? 0));
      const cpuLocal = cpuOf("local");
      const cpuQueue = cpuOf("queue");
      const perJobLocal = local / jobs;
      const overhead = (queued - local) / jobs;
      rows.push(
        `${n} worker${n > 1 ? "s" : " "} | rounds local ${locals.map((t) => (t / 1000).toFixed(2)).join("/")} s, queue ${queues.map((t) => (t / 1000).toFixed(2)).join("/")} s`,
        `${n} worker${n > 1 ? "s" : " "} | local pool (concurrency ${n}) ${(local / 1000).toFixed(2)} s, ${perJobLocal.toFixed(0)} ms/job | queue ${(queued / 1000).toFixed(2)} s, ${(queued / jobs).toFixed(0)} ms/job | overhead ${overhead.toFixed(1)} ms/job = ${((100 * overhead) / perJobLocal).toFixed(1)} %`,
      );
      rows.push(
        `${n} worker${n > 1 ? "s" : " "} | CPU (all our processes) local ${((1000 * cpuLocal) / jobs).toFixed(0)} ms/job, queue ${((1000 * cpuQueue) / jobs).toFixed(0)} ms/job | overhead ${((1000 * (cpuQueue - cpuLocal)) / jobs).toFixed(1)} ms/job = ${((100 * (cpuQueue - cpuLocal)) / cpuLocal).toFixed(1)} %`,
      );
      for (const w of workers.splice(0)) w.kill("SIGTERM");
    }
    for (const r of rows) console.log(r);
    if (BUILD_REPOS > 0) for (const r of await buildRows(tmp, redis, workers)) console.log(r);
    console.log("target: overhead < 5 % of the local time per job");
  } finally {
    for (const w of workers) w.kill("SIGKILL");
    await redis.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

// `hgym build` of small local repositories (func-localize + func-gen static), as processes: the local pool at
// --jobs n vs --queue with n workers. CPU: this process's reaped children (the build and its job processes) plus
// the live workers and redis-server.
async function buildRows(tmp: string, redis: TestRedis, workers: ChildProcess[]): Promise<string[]> {
  const root = join(import.meta.dirname, "..");
  const repos = [...nodeModulesRepos(root, 2, 8).slice(0, Math.ceil(BUILD_REPOS / 2)), ...pythonStdlibRepos(2, 8).slice(0, Math.floor(BUILD_REPOS / 2))].map((r) => r.path);
  writeFileSync(join(tmp, "repos.txt"), `${repos.join("\n")}\n`);
  const recipe = join(tmp, "recipe.json");
  writeFileSync(
    recipe,
    JSON.stringify({ name: "queue-bench", seed: 1, repositories: [{ list: "repos.txt" }], families: { "func-localize": { per_repo: 2 }, "func-gen": { per_repo: 2, options: { "verify-mode": "static" } } } }),
  );
  const run = (args: string[], cache: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], { env: { ...process.env, HGYM_CACHE: cache, CI: "true" }, stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
      child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`hgym ${args[0]} exited ${code}: ${err.slice(-1500)}`))));
    });
  const cpuNow = (): number => cpuSeconds("self") + cpuSeconds(redis.pid) + workers.reduce((sum, w) => sum + cpuSeconds(w.pid ?? 0), 0);
  const measure = async (f: () => Promise<void>): Promise<{ wall: number; cpu: number }> => {
    const c0 = cpuNow();
    const t0 = performance.now();
    await f();
    return { wall: performance.now() - t0, cpu: cpuNow() - c0 };
  };
  const producerCache = join(tmp, "cache-build-producer");
  await run(["build", recipe, "--out", join(tmp, "build-warm"), "--jobs", "2", "--quiet"], producerCache);
  const rows: string[] = [`build: ${repos.length} local repositories × func-localize + func-gen (static), one run per configuration`];
  for (const n of [1, 2]) {
    const prefix = `bench-build-${n}`;
    for (let i = 0; i < n; i++) {
      const child = spawn(process.execPath, ["--import", "tsx", MAIN, "worker", "--queue", redis.url, "--prefix", prefix, "--concurrency", "1"], {
        env: { ...process.env, HGYM_CACHE: join(tmp, `cache-build-w${i}`) },
        stdio: ["ignore", "ignore", "ignore"],
      });
      workers.push(child);
    }
    // Warm-up: the workers take the repositories into their own stores.
    await run(["build", recipe, "--out", join(tmp, `build-qwarm-${n}`), "--queue", redis.url, "--prefix", prefix, "--quiet"], producerCache);
    const local = await measure(() => run(["build", recipe, "--out", join(tmp, `build-local-${n}`), "--jobs", String(n), "--quiet"], producerCache));
    const queued = await measure(() => run(["build", recipe, "--out", join(tmp, `build-queue-${n}`), "--queue", redis.url, "--prefix", prefix, "--quiet"], producerCache));
    const per = (ms: number): string => `${(ms / repos.length).toFixed(0)} ms/repo`;
    rows.push(
      `build ${n} worker${n > 1 ? "s" : " "} | local --jobs ${n} ${(local.wall / 1000).toFixed(2)} s (${per(local.wall)}), CPU ${per(1000 * local.cpu)} | queue ${(queued.wall / 1000).toFixed(2)} s (${per(queued.wall)}), CPU ${per(1000 * queued.cpu)} | overhead wall ${((100 * (queued.wall - local.wall)) / local.wall).toFixed(1)} %, CPU ${((100 * (queued.cpu - local.cpu)) / local.cpu).toFixed(1)} %`,
    );
    for (const w of workers.splice(0)) w.kill("SIGTERM");
  }
  return rows;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
