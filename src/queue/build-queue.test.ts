// `hgym build --queue` end to end on a real redis-server: two real `hgym worker` processes (each with its own
// snapshot store) share a build of real local repositories (the bundled example with history, small packages
// under node_modules, modules of Python's standard library); one worker is killed with SIGKILL mid-job. The
// output must be byte-identical to a local build's, with every shard written once.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExampleRepo } from "../repo/example-repo.js";
import { nodeModulesRepos, pythonStdlibRepos } from "../build/test-support/local-repos.js";
import { startTestRedis, type TestRedis } from "./test-support/redis-server.js";

const ROOT = join(import.meta.dirname, "..", "..");
const MAIN = join(ROOT, "src", "cli", "main.ts");
const OUTPUTS = ["instances.jsonl", "func-gen.jsonl", "func-localize.jsonl", "issue-localize.jsonl", "report.json", "report.txt", "README.md"];

let dir: string;
let recipe: string;
let redis: TestRedis;
const children: ChildProcess[] = [];

function hgym(args: string[], cache: string): { child: ChildProcess; log: () => string; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], { cwd: ROOT, env: { ...process.env, HGYM_CACHE: cache, CI: "true" }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
  return { child, log: () => stderr, done };
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 120_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hgym-queue-build-"));
  redis = await startTestRedis();
  const shelf = buildExampleRepo(join(dir, "shelf"));
  const js = nodeModulesRepos(ROOT, 1, 4).slice(0, 4).map((r) => r.path);
  const py = pythonStdlibRepos(1, 5).slice(0, 3).map((r) => r.path);
  writeFileSync(join(dir, "repos.txt"), `${[shelf, ...js, ...py].join("\n")}\n`);
  writeFileSync(
    (recipe = join(dir, "recipe.json")),
    JSON.stringify({
      name: "queue-test",
      seed: 5,
      repositories: [{ list: "repos.txt" }],
      families: {
        "func-localize": { per_repo: 1, options: { description: "docstring" } },
        "func-gen": { per_repo: 1, options: { "verify-mode": "static" } },
        "issue-localize": { per_repo: 2, repositories: [shelf] },
      },
    }),
  );
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("hgym build --queue with hgym worker", () => {
  it("shares a build between two workers, one killed mid-job, and writes the local build's bytes", async () => {
    const local = await hgym(["build", recipe, "--out", join(dir, "local"), "--jobs", "2"], join(dir, "cache-local")).done;
    expect(local.code, local.stderr).toBe(0);

    const prefix = "build-test-1";
    const workerArgs = ["worker", "--queue", redis.url, "--prefix", prefix, "--concurrency", "1", "--lock-duration", "2000", "--stalled-interval", "1000"];
    const a = hgym(workerArgs, join(dir, "cache-a"));
    const b = hgym(workerArgs, join(dir, "cache-b"));
    await waitFor("both workers ready", () => /ready on/.test(a.log()) && /ready on/.test(b.log()));

    const out = join(dir, "queued");
    const producer = hgym(["build", recipe, "--out", out, "--queue", redis.url, "--prefix", prefix], join(dir, "cache-producer"));
    await waitFor("worker a's second job", () => (a.log().match(/build job \S+ started/g) ?? []).length >= 2);
    a.child.kill("SIGKILL");
    const killedJob = [...a.log().matchAll(/build job (\S+) started/g)].pop()?.[1] ?? "";
    const r = await producer.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("queued 8 repositories");
    // The killed worker's job went back to the queue and the other worker ran it.
    expect(b.log()).toContain(`build job ${killedJob} started`);
    for (const f of OUTPUTS) expect(readFileSync(join(out, f)), f).toEqual(readFileSync(join(dir, "local", f)));
    const shards = (d: string) => readdirSync(join(d, "shards")).filter((n) => n.endsWith(".json")).sort();
    expect(shards(out)).toEqual(shards(join(dir, "local")));
    b.child.kill("SIGTERM");
    await b.done;
  }, 600_000);
});
