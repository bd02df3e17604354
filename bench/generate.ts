// Generation benchmark: func-localize and dep-search on Python's stdlib `json`, `email` and `http` packages and on
// a real TypeScript code base (the openai SDK sources shipped in node_modules). Prints instances/s (full pipeline
// including the validity gate), resolved functions/s (dep-search call resolution), verifications/s and peak
// memory. Run: node --import tsx bench/generate.ts
// Targets on 2 cores: dep-search resolves >= 50 functions/s; verify >= 500 instances/s.

import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SnapshotStore, snapshotView } from "../src/repo/store.js";
import { generateInstances } from "../src/tasks/common/pipeline.js";
import { ensureLanguages, indexView } from "../src/tasks/common/code.js";
import { resultFromPatch, startView } from "../src/tasks/common/workspace.js";
import { funcLocalize } from "../src/tasks/func-localize/index.js";
import { depSearch } from "../src/tasks/dep-search/index.js";
import { generateDepSearch, type DepSearchStats } from "../src/tasks/dep-search/generate.js";
import type { Instance, RepoView, TaskFamily } from "../src/tasks/types.js";

// The validity gate verifies every kept instance about seven times; a cap keeps the run to a few minutes.
const PER_REPO = Number(process.env.HGYM_BENCH_PER_REPO ?? 100);

function pythonStdlibDir(): string {
  return execFileSync("python3", ["-c", "import json, os; print(os.path.dirname(os.path.dirname(json.__file__)))"], { encoding: "utf8" }).trim();
}

function prepareRepos(root: string): { name: string; dir: string }[] {
  const repos: { name: string; dir: string }[] = [];
  const lib = pythonStdlibDir();
  const py = join(root, "pystdlib");
  for (const pkg of ["json", "email", "http"]) cpSync(join(lib, pkg), join(py, pkg), { recursive: true, filter: (p) => !p.includes("__pycache__") });
  repos.push({ name: "python stdlib json+email+http", dir: py });
  const openaiSrc = join(process.cwd(), "node_modules", "openai", "src");
  if (existsSync(openaiSrc)) {
    const ts = join(root, "openai-src");
    cpSync(openaiSrc, join(ts, "src"), { recursive: true });
    writeFileSync(join(ts, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: true } }));
    repos.push({ name: "openai-node src (TypeScript)", dir: ts });
  } else {
    console.log("node_modules/openai/src not found: skipping the TypeScript benchmark");
  }
  return repos;
}

function peakMb(): string {
  return (process.resourceUsage().maxRSS / 1024).toFixed(0) + " MB";
}

async function timeVerify<G>(family: TaskFamily<G, unknown>, instances: Instance<G>[], starts: Map<string, RepoView>): Promise<number> {
  const rounds = Math.max(1, Math.ceil(300 / Math.max(1, instances.length)));
  const t = performance.now();
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    for (const inst of instances) {
      await family.verify(inst, resultFromPatch(starts.get(inst.instance_id) as RepoView, family.goldPatch(inst)));
      n++;
    }
  }
  return n / ((performance.now() - t) / 1000);
}

async function main(): Promise<void> {
  await ensureLanguages();
  const root = mkdtempSync(join(tmpdir(), "hgym-bench-generate-"));
  try {
    const store = new SnapshotStore(join(root, "store"));
    // HGYM_BENCH_ONLY=python|typescript runs one of the two code bases.
    const only = process.env.HGYM_BENCH_ONLY;
    const repos = prepareRepos(root).filter((r) => !only || r.name.toLowerCase().includes(only.toLowerCase()));
    for (const repo of repos) {
      console.log(`\n== ${repo.name}`);
      const snapshot = await store.ingest(repo.dir);
      const view = snapshotView(store, snapshot);
      for (const family of [funcLocalize, depSearch] as TaskFamily<unknown, unknown>[]) {
        const t0 = performance.now();
        const result = await generateInstances({
          family,
          repos: [repo.dir],
          store,
          seed: 1,
          perRepo: PER_REPO,
          includeTests: false,
          language: null,
          taskOptions: family.name === "func-localize" ? { distractors: 3, description: "docstring" } : { maxDeps: 5 },
          log: () => {},
        });
        const secs = (performance.now() - t0) / 1000;
        const t = result.report.totals;
        console.log(
          `${family.name}: ${t.output} instances from ${t.candidates} candidates in ${secs.toFixed(1)} s = ${(t.output / secs).toFixed(1)} instances/s` +
            ` (gated ${t.gated}); drops: ${JSON.stringify(t.dropped)}`,
        );
        const starts = new Map(result.instances.map((i) => [i.instance_id, startView(view, i.setup_patch)]));
        if (result.instances.length > 0) console.log(`${family.name}: verify ${(await timeVerify(family, result.instances, starts)).toFixed(0)} instances/s`);
      }
      // Call resolution alone (one long-lived resolver for the repository).
      const stats: DepSearchStats = { resolvedTargets: 0, resolvedCalls: 0 };
      const index = indexView(view, null);
      const t1 = performance.now();
      const repoInfo = { name: snapshot.name, commit: snapshot.commit ?? snapshot.id, source: repo.dir, snapshot: snapshot.id };
      await generateDepSearch({ repo: repoInfo, language: null, files: view, seed: 1, includeTests: false, log: () => {}, index }, { maxDeps: 5 }, stats);
      const rs = (performance.now() - t1) / 1000;
      console.log(
        `dep-search resolution: ${stats.resolvedTargets} functions (${stats.resolvedCalls} call sites) in ${rs.toFixed(1)} s = ${(stats.resolvedTargets / rs).toFixed(1)} functions/s (resolver start-up included)`,
      );
      console.log(`peak memory so far: ${peakMb()}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
