// Build benchmark: `hgym build` (the real command, as a child process) over local repositories — packages under
// node_modules with JS/TS sources, Python standard-library packages, and the bundled example with its history
// (issue-localize mines it; the folders have no history of their own) — with all four families. Prints, at
// --jobs 1 and --jobs 2: wall time, instances/hour, peak RSS of the whole process tree (the build and its job
// processes, language servers included); the cost of a resume after a SIGKILL at 50% of the shards (time to
// redo vs time lost); and time per repository against repository size (source files).
// Run: npm run bench:build   (HGYM_BENCH_REPOS=200 repositories by default; HGYM_BENCH_PER_REPO=2 instances per
// repository and family; HGYM_BENCH_DEP_SEARCH=every Nth repository also runs dep-search, default 10)

import { treeRssKb } from "./process-tree.js";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildExampleRepo } from "../src/repo/example-repo.js";
import { SnapshotStore } from "../src/repo/store.js";
import { nodeModulesRepos, pythonStdlibRepos, type LocalRepo } from "../src/build/test-support/local-repos.js";

const ROOT = join(import.meta.dirname, "..");
const REPOS = Number(process.env.HGYM_BENCH_REPOS ?? 200);
const PER_REPO = Number(process.env.HGYM_BENCH_PER_REPO ?? 2);
const DEP_EVERY = Number(process.env.HGYM_BENCH_DEP_SEARCH ?? 10);

interface RunFigures {
  wallS: number;
  peakRssMb: number;
  code: number | null;
  signal: string | null;
  stderr: string;
}

function runBuild(recipe: string, out: string, jobs: number, cache: string, killAtShards: number | null = null): Promise<RunFigures> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "build", recipe, "--out", out, "--jobs", String(jobs)], {
    cwd: ROOT,
    env: { ...process.env, HGYM_CACHE: cache, CI: "true" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  let peak = 0;
  const poll = setInterval(() => {
    peak = Math.max(peak, treeRssKb(child.pid as number, { includeRoot: true }) / 1024);
    if (killAtShards !== null && shardCount(out) >= killAtShards) child.kill("SIGKILL");
  }, 200);
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      resolve({ wallS: (performance.now() - started) / 1000, peakRssMb: peak, code, signal, stderr });
    }),
  );
}

function shardCount(out: string): number {
  const d = join(out, "shards");
  return existsSync(d) ? readdirSync(d).filter((n) => /^[0-9a-f]{64}\.json$/.test(n)).length : 0;
}

function totalInstances(out: string): number {
  return (JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as { total: number }).total;
}

function sameOutputs(a: string, b: string): boolean {
  return ["instances.jsonl", "report.json", "README.md"].every((f) => readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "hgym-bench-build-"));
  try {
    const shelf = buildExampleRepo(join(dir, "shelf"));
    const locals: LocalRepo[] = [...nodeModulesRepos(ROOT, 1, 400), ...pythonStdlibRepos(1, 150)];
    const repos = [{ path: shelf, language: "python" as const, files: 9 }, ...locals].slice(0, REPOS);
    if (repos.length < REPOS) console.log(`note: only ${repos.length} local repositories on this machine`);
    const dep = repos.filter((_r, i) => i % DEP_EVERY === 0).map((r) => r.path);
    const recipe = join(dir, "recipe.json");
    writeFileSync(
      recipe,
      JSON.stringify({
        name: "bench",
        repositories: repos.map((r) => r.path),
        families: {
          "func-localize": { per_repo: PER_REPO, options: { description: "docstring" } },
          "func-gen": { per_repo: PER_REPO, options: { "verify-mode": "static" } },
          "dep-search": { per_repo: PER_REPO, repositories: dep },
          // Every repository: folders without history of their own count a drop, the example gives instances.
          "issue-localize": { per_repo: PER_REPO },
        },
      }),
    );
    const cache = join(dir, "cache");
    const store = new SnapshotStore(cache);
    for (const r of repos) await store.ingest(r.path); // warm store: every run ingests from the same cache
    const files = repos.reduce((a, r) => a + r.files, 0);
    console.log(`${repos.length} repositories (${files} source files; dep-search on ${dep.length}), ${PER_REPO} instances per repository and family`);

    const figures: Record<number, RunFigures & { instances: number }> = {};
    for (const jobs of [1, 2]) {
      const out = join(dir, `jobs${jobs}`);
      const f = await runBuild(recipe, out, jobs, cache);
      if (f.code !== 0) throw new Error(`build --jobs ${jobs} failed: ${f.stderr.slice(-2000)}`);
      figures[jobs] = { ...f, instances: totalInstances(out) };
      console.log(`--jobs ${jobs}: ${f.wallS.toFixed(1)} s wall, ${figures[jobs].instances} instances, ${((figures[jobs].instances / f.wallS) * 3600).toFixed(0)} instances/hour, ${(repos.length / f.wallS * 3600).toFixed(0)} repositories/hour, peak RSS ${f.peakRssMb.toFixed(0)} MB (process tree)`);
    }
    console.log(`--jobs 2 vs 1: ${((figures[1] as RunFigures).wallS / (figures[2] as RunFigures).wallS).toFixed(2)}× faster; outputs byte-identical: ${sameOutputs(join(dir, "jobs1"), join(dir, "jobs2"))}`);

    // Resume: kill -9 at half the shards, then run again.
    const totalShards = shardCount(join(dir, "jobs2"));
    const out = join(dir, "killed");
    const killed = await runBuild(recipe, out, 2, cache, Math.ceil(totalShards / 2));
    const atKill = shardCount(out);
    const resumed = await runBuild(recipe, out, 2, cache);
    if (resumed.code !== 0) throw new Error(`resume failed: ${resumed.stderr.slice(-2000)}`);
    const clean = (figures[2] as RunFigures).wallS;
    console.log(
      `resume after SIGKILL at ${atKill}/${totalShards} shards (${killed.signal}): killed run ${killed.wallS.toFixed(1)} s + resume ${resumed.wallS.toFixed(1)} s vs clean ${clean.toFixed(1)} s → time lost ${(killed.wallS + resumed.wallS - clean).toFixed(1)} s (${(((killed.wallS + resumed.wallS) / clean - 1) * 100).toFixed(1)}%); resumed output identical: ${sameOutputs(out, join(dir, "jobs2"))}`,
    );

    // Time per repository vs its size, from the --jobs 1 shards (each shard records its family's time).
    const perRepo = new Map<string, number>();
    const shardDir = join(dir, "jobs1", "shards");
    for (const name of readdirSync(shardDir)) {
      const s = JSON.parse(readFileSync(join(shardDir, name), "utf8")) as { input: string; family: string; elapsed_ms: number };
      if (s.family === "dep-search") continue; // only on some repositories: compared apart
      perRepo.set(s.input, (perRepo.get(s.input) ?? 0) + s.elapsed_ms);
    }
    const points = repos.filter((r) => perRepo.has(r.path)).map((r) => ({ files: r.files, ms: perRepo.get(r.path) as number }));
    const buckets: [number, number][] = [[1, 5], [6, 20], [21, 50], [51, 100], [101, 400]];
    console.log("time per repository (func-localize + func-gen + issue-localize) by size:");
    for (const [lo, hi] of buckets) {
      const b = points.filter((p) => p.files >= lo && p.files <= hi);
      if (b.length === 0) continue;
      const meanFiles = b.reduce((a, p) => a + p.files, 0) / b.length;
      const meanMs = b.reduce((a, p) => a + p.ms, 0) / b.length;
      console.log(`  ${String(lo).padStart(3)}-${String(hi).padEnd(3)} files: ${String(b.length).padStart(3)} repos, mean ${meanFiles.toFixed(0)} files, ${meanMs.toFixed(0)} ms/repo, ${(meanMs / meanFiles).toFixed(0)} ms/file`);
    }
    const n = points.length;
    const mx = points.reduce((a, p) => a + p.files, 0) / n;
    const my = points.reduce((a, p) => a + p.ms, 0) / n;
    const sxy = points.reduce((a, p) => a + (p.files - mx) * (p.ms - my), 0);
    const sxx = points.reduce((a, p) => a + (p.files - mx) ** 2, 0);
    const syy = points.reduce((a, p) => a + (p.ms - my) ** 2, 0);
    const slope = sxy / sxx;
    console.log(`linear fit: ${(my - slope * mx).toFixed(0)} ms + ${slope.toFixed(1)} ms/file, r² = ${((sxy * sxy) / (sxx * syy)).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
