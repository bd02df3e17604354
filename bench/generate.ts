// Generation benchmark: func-localize, dep-search and func-gen (static mode) on Python's stdlib `json`, `email` and
// `http` packages and on a real TypeScript code base (the openai SDK sources shipped in node_modules), and
// issue-localize mined from the bundled example repository's history. Prints instances/s (full pipeline
// including the validity gate), resolved functions/s (dep-search call resolution), verifications/s and peak
// memory. Run: node --import tsx bench/generate.ts
// Targets on 2 cores: dep-search resolves >= 50 functions/s; verify >= 500 instances/s.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SnapshotStore, snapshotView } from "../src/repo/store.js";
import { createVerifyContext, type VerifyContext } from "../src/tasks/verify-context.js";
import { generateForBench, prepareBenchRepos } from "./corpus.js";
import { generateInstances } from "../src/tasks/common/pipeline.js";
import { ensureLanguages, indexView } from "../src/tasks/common/code.js";
import { resultFromPatch, startView } from "../src/tasks/common/workspace.js";
import { funcLocalize } from "../src/tasks/func-localize/index.js";
import { depSearch } from "../src/tasks/dep-search/index.js";
import { funcGen } from "../src/tasks/func-gen/index.js";
import { issueLocalize } from "../src/tasks/issue-localize/index.js";
import { prepareIssueLocalizeInputs } from "../src/tasks/issue-localize/inputs.js";
import { buildExampleRepo } from "../src/repo/example-repo.js";
import { generateDepSearch, type DepSearchStats } from "../src/tasks/dep-search/generate.js";
import type { Instance, TaskFamily } from "../src/tasks/types.js";
import type { RepoView } from "../src/core/repo-view.js";

// The validity gate verifies every kept instance about seven times; a cap keeps the run to a few minutes.
const PER_REPO = Number(process.env.HGYM_BENCH_PER_REPO ?? 100);

function peakMb(): string {
  return (process.resourceUsage().maxRSS / 1024).toFixed(0) + " MB";
}

async function timeVerify<G>(family: TaskFamily<G, unknown>, instances: Instance<G>[], starts: Map<string, RepoView>, ctx: VerifyContext): Promise<number> {
  const rounds = Math.max(1, Math.ceil(300 / Math.max(1, instances.length)));
  const t = performance.now();
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    for (const inst of instances) {
      await family.verify(inst, resultFromPatch(starts.get(inst.instance_id) as RepoView, family.goldPatch(inst)), ctx);
      n++;
    }
  }
  return n / ((performance.now() - t) / 1000);
}

// issue-localize needs history: the fix commits of the bundled example.
async function benchIssueLocalize(root: string, store: SnapshotStore): Promise<void> {
  console.log("\n== issue-localize mined from the example repository's history");
  const shelf = buildExampleRepo(join(root, "shelf"));
  const t0 = performance.now();
  const prepared = await prepareIssueLocalizeInputs({ repo: [shelf], fromHistory: true });
  const result = await generateInstances({ family: issueLocalize, repos: prepared.repos, store, seed: 1, includeTests: false, language: null, taskOptions: prepared.options, log: () => {} });
  const secs = (performance.now() - t0) / 1000;
  console.log(`issue-localize: ${result.instances.length} instances in ${secs.toFixed(2)} s = ${(result.instances.length / secs).toFixed(1)} instances/s`);
  const starts = new Map<string, RepoView>();
  for (const i of result.instances) starts.set(i.instance_id, startView(snapshotView(store, store.get(i.repo.snapshot)), i.setup_patch));
  if (result.instances.length > 0) {
    console.log(`issue-localize: verify ${(await timeVerify(issueLocalize as TaskFamily<unknown, unknown>, result.instances as Instance<unknown>[], starts, createVerifyContext({ store }))).toFixed(0)} instances/s`);
  }
}

async function main(): Promise<void> {
  await ensureLanguages();
  const root = mkdtempSync(join(tmpdir(), "hgym-bench-generate-"));
  try {
    const store = new SnapshotStore(join(root, "store"));
    // HGYM_BENCH_ONLY=python|typescript runs one of the two code bases.
    const only = process.env.HGYM_BENCH_ONLY;
    const repos = prepareBenchRepos(root).filter((r) => !only || r.name.toLowerCase().includes(only.toLowerCase()));
    for (const repo of repos) {
      console.log(`\n== ${repo.name}`);
      const snapshot = await store.ingest(repo.dir);
      const view = snapshotView(store, snapshot);
      for (const family of [funcLocalize, depSearch, funcGen] as TaskFamily<unknown, unknown>[]) {
        const t0 = performance.now();
        const result = await generateForBench(family, repo.dir, store, PER_REPO);
        const secs = (performance.now() - t0) / 1000;
        const t = result.report.totals;
        console.log(
          `${family.name}: ${t.output} instances from ${t.candidates} candidates in ${secs.toFixed(1)} s = ${(t.output / secs).toFixed(1)} instances/s` +
            ` (gated ${t.gated}); drops: ${JSON.stringify(t.dropped)}`,
        );
        const starts = new Map(result.instances.map((i) => [i.instance_id, startView(view, i.setup_patch)]));
        if (result.instances.length > 0) console.log(`${family.name}: verify ${(await timeVerify(family, result.instances, starts, createVerifyContext({ store }))).toFixed(0)} instances/s`);
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
    if (!only || only === "issue-localize") await benchIssueLocalize(root, store);
    console.log(`\npeak memory: ${peakMb()}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
