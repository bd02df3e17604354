// Runs build jobs on N child processes (job-process.ts), one job per child at a time, handing the next job to
// whichever child answers first. Child processes rather than worker threads: pyright language servers and the
// Python front-end worker are per-process anyway, a repository that exhausts memory kills one child and not the
// build, and the kernel reclaims everything a child held when it is replaced. A child that dies mid-job is
// replaced; its job is reported failed for this run (no shard is written, so the next run tries it again).

import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BuildJob } from "./job.js";
import type { ChildMessage, JobProcessSettings, ParentMessage } from "./job-process.js";
import type { ShardSummary } from "./summary.js";

export type JobOutcome = { ok: true; shards: ShardSummary[]; elapsedMs: number } | { ok: false; error: string };

export interface PoolOptions {
  processes: number;
  settings: JobProcessSettings;
  onOutcome: (job: BuildJob, outcome: JobOutcome) => void;
  onLog?: (message: string) => void;
  // A child is replaced by a fresh one after this many jobs (default 25), so whatever a process accumulates over
  // repositories (the snapshot store's in-memory manifests, V8's heap high-water mark) stays bounded however
  // long the build runs.
  jobsPerProcess?: number;
}

export interface PoolJob {
  job: BuildJob;
  done: string[]; // shard keys of this job already on disk
}

// Where the child's entry point is: the compiled .js next to this file, or under tsx/vitest the .ts source
// (then the child loads tsx's ESM hooks first).
function childEntry(): { script: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith(".ts")) return { script: here.replace(/pool\.js$/, "job-process.js"), execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  return { script: here.replace(/pool\.ts$/, "job-process.ts"), execArgv: ["--import", tsx] };
}

export async function runJobsInProcesses(jobs: PoolJob[], opts: PoolOptions): Promise<void> {
  const entry = childEntry();
  const pending = [...jobs];
  let nextId = 0;
  const start = (): Promise<void> =>
    new Promise<void>((resolveWorker) => {
      let child: ChildProcess | null = null;
      let current: { id: number; job: PoolJob } | null = null;
      let served = 0; // jobs given to the current child
      const recycleAfter = opts.jobsPerProcess ?? 25;
      const spawnChild = () => {
        child = fork(entry.script, [], { execArgv: entry.execArgv, stdio: ["ignore", "ignore", "inherit", "ipc"], serialization: "advanced" });
        served = 0;
        let ready = false;
        const c = child;
        c.on("message", (m: ChildMessage) => {
          if (m.type === "ready") {
            ready = true;
            return giveNext();
          }
          if (m.type === "log") return opts.onLog?.(m.message);
          if (current === null || m.id !== current.id) return;
          const job = current.job.job;
          current = null;
          opts.onOutcome(job, m.type === "result" ? { ok: true, shards: m.shards, elapsedMs: m.elapsedMs } : { ok: false, error: m.message });
          giveNext();
        });
        c.on("exit", (code, signal) => {
          if (child !== c) return;
          child = null;
          if (current !== null) {
            const job = current.job.job;
            current = null;
            opts.onOutcome(job, { ok: false, error: `the job's process died (${signal ?? `exit ${code}`}); not saved, the next run tries it again` });
          }
          // A child that cannot even start would fail the same way forever: this slot stops, and the jobs it leaves
          // are reported unfinished by the merge.
          if (!ready) opts.onLog?.(`a job process failed to start (${signal ?? `exit ${code}`})`);
          else if (pending.length > 0) return spawnChild(); // died mid-job, or recycled
          resolveWorker();
        });
        c.send({ type: "init", settings: opts.settings } satisfies ParentMessage);
      };
      const giveNext = () => {
        const c = child;
        if (!c) return;
        if (pending.length === 0 || served >= recycleAfter) {
          c.disconnect(); // the child exits on disconnect; "exit" then resolves this worker or starts a fresh child
          return;
        }
        const next = pending.shift() as PoolJob;
        served++;
        current = { id: nextId++, job: next };
        c.send({ type: "job", id: current.id, job: next.job, done: next.done } satisfies ParentMessage);
      };
      spawnChild();
    });
  const n = Math.max(1, Math.min(opts.processes, jobs.length));
  await Promise.all(Array.from({ length: n }, () => start()));
}
