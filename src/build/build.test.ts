// `hgym build` end to end on real local repositories (packages under node_modules, Python's standard library,
// the bundled example rebuilt with its git history): a clean build of 30+ repositories with every family, then
// the same recipe built by a real `hgym build` process killed with SIGKILL mid-way and started again, whose
// output must be byte-identical to the clean build's.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { instanceSchema } from "../core/schemas/instance.js";
import { buildExampleRepo } from "../repo/example-repo.js";
import { readJsonlRecords } from "../util/jsonl.js";
import { nodeModulesRepos, pythonStdlibRepos } from "./test-support/local-repos.js";

const ROOT = join(import.meta.dirname, "..", "..");
const OUTPUTS = ["instances.jsonl", "dep-search.jsonl", "func-gen.jsonl", "func-localize.jsonl", "issue-localize.jsonl", "report.json", "report.txt", "README.md"];

let dir: string;
let recipe: string;
let repoCount: number;
let shardTotal: number;

function hgym(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/main.ts"), ...args], { cwd: ROOT, env: { ...process.env, ...env, CI: "true" }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

function shardCount(out: string): number {
  const d = join(out, "shards");
  return existsSync(d) ? readdirSync(d).filter((n) => n.endsWith(".json") && !n.startsWith(".")).length : 0;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hgym-build-test-"));
  const shelf = buildExampleRepo(join(dir, "shelf"));
  // Small packages keep the test in CI time; the bench (bench/build.ts) takes 200+.
  const js = nodeModulesRepos(ROOT, 1, 4).slice(0, 16).map((r) => r.path);
  const py = pythonStdlibRepos(1, 5).slice(0, 14).map((r) => r.path);
  const repos = [shelf, ...js, ...py, join(dir, "no-such-repository")];
  repoCount = repos.length;
  writeFileSync(join(dir, "repos.txt"), `# one repository per line\n${repos.join("\n")}\n`);
  writeFileSync(
    recipe = join(dir, "recipe.json"),
    JSON.stringify({
      name: "scale-test",
      seed: 3,
      repositories: [{ list: "repos.txt" }],
      families: {
        "func-localize": { per_repo: 1, options: { description: "docstring" } },
        "func-gen": { per_repo: 1, target: 20, options: { "verify-mode": "static" } },
        // Language servers are the slow part (pyright: ~25 s a repository here): a few JS repositories only.
        "dep-search": { per_repo: 1, repositories: [js[0], js[1], js[2]] },
        "issue-localize": { per_repo: 2, repositories: [shelf, py[0]] },
      },
    }),
  );
  shardTotal = 2 * (repoCount) + 3 + 2;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hgym build", () => {
  it("builds every family from 30+ local repositories, reporting and skipping the bad one", async () => {
    expect(repoCount).toBeGreaterThanOrEqual(32);
    const run = hgym(["build", recipe, "--out", join(dir, "clean"), "--jobs", "2"], { HGYM_CACHE: join(dir, "cache") });
    const r = await run.done;
    expect(r.stderr).toContain("build scale-test");
    expect(r.stderr).toMatch(/build repos: \d+\/32 · [\d.]+\/s · ETA .* · kept \d+/); // plain progress lines (CI)
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, "clean");
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as {
      total: number;
      unfinished: string[];
      families: { task: string; repos: { input: string; status: string; kept: number; error?: string }[]; totals: { output: number } }[];
    };
    expect(report.unfinished).toEqual([]);
    const counts = Object.fromEntries(report.families.map((f) => [f.task, f.totals.output]));
    for (const family of ["func-localize", "func-gen", "dep-search", "issue-localize"]) expect(counts[family], family).toBeGreaterThan(0);
    expect(counts["func-gen"]).toBe(20); // the target, spread over repositories
    const funcLocalize = report.families.find((f) => f.task === "func-localize");
    expect(funcLocalize?.repos.filter((x) => x.status === "ok").length).toBe(31);
    expect(funcLocalize?.repos.filter((x) => x.kept === 1).length).toBeGreaterThanOrEqual(15); // small packages often lack docstrings
    const bad = funcLocalize?.repos.find((x) => x.input.endsWith("no-such-repository"));
    expect(bad?.status).toBe("failed");
    expect(bad?.error).toContain("does not exist");
    // Every file is checked instances; the combined file is the families' files together, sorted by id.
    let all: string[] = [];
    for (const family of ["dep-search", "func-gen", "func-localize", "issue-localize"]) {
      const records = readJsonlRecords(join(out, `${family}.jsonl`), instanceSchema);
      expect(records.length).toBe(counts[family]);
      expect(records.every((i) => i.task === family)).toBe(true);
      all = all.concat(records.map((i) => i.instance_id));
    }
    const combined = readJsonlRecords(join(out, "instances.jsonl"), instanceSchema).map((i) => i.instance_id);
    expect(combined).toEqual([...all].sort());
    expect(report.total).toBe(combined.length);
    expect(readFileSync(join(out, "README.md"), "utf8")).toContain(`# scale-test`);
  }, 240_000);

  it("a build killed with SIGKILL mid-way and started again writes the same bytes as the clean build", async () => {
    const out = join(dir, "killed");
    const env = { HGYM_CACHE: join(dir, "cache") };
    const first = hgym(["build", recipe, "--out", out, "--jobs", "2"], env);
    // Kill once part of the shards are on disk (not all): a real kill of the real process.
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (shardCount(out) >= 8) {
          clearInterval(poll);
          first.child.kill("SIGKILL");
          resolve();
        }
      }, 50);
      void first.done.then(() => {
        clearInterval(poll);
        reject(new Error("the build finished before it could be killed"));
      });
    });
    const killed = await first.done;
    expect(killed.signal).toBe("SIGKILL");
    const partial = shardCount(out);
    expect(partial).toBeGreaterThanOrEqual(8);
    expect(partial).toBeLessThan(shardTotal);
    expect(existsSync(join(out, "instances.jsonl"))).toBe(false);
    const second = await hgym(["build", recipe, "--out", out, "--jobs", "2"], env).done;
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/\d+ already done/);
    for (const f of OUTPUTS) expect(readFileSync(join(out, f)), f).toEqual(readFileSync(join(dir, "clean", f)));
    // Nothing half-written is left beside the shards.
    expect(readdirSync(join(out, "shards")).filter((n) => n.startsWith("."))).toEqual([]);
  }, 300_000);
});
