// Generation benchmark for the second pair of families (bench/generate.ts covers func-localize and dep-search):
// func-gen (static mode) on Python's stdlib json+email+http and on the openai SDK's TypeScript sources, and
// issue-localize mined from the history of the bundled example repository. Prints instances/s (full pipeline with
// the validity gate), verifications/s (gold patches) and peak memory. Run: node --import tsx bench/generate-families2.ts

import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SnapshotStore, snapshotView } from "../src/repo/store.js";
import { buildExampleRepo } from "../src/repo/example-repo.js";
import { generateInstances } from "../src/tasks/common/pipeline.js";
import { resultFromPatch, startView } from "../src/tasks/common/workspace.js";
import { funcGen } from "../src/tasks/func-gen/index.js";
import { DEFAULT_FUNC_GEN_OPTIONS } from "../src/tasks/func-gen/types.js";
import { issueLocalize } from "../src/tasks/issue-localize/index.js";
import { prepareIssueLocalizeInputs } from "../src/tasks/issue-localize/inputs.js";
import type { Instance, TaskFamily } from "../src/tasks/types.js";

const PER_REPO = Number(process.env.HGYM_BENCH_PER_REPO ?? 100);

function peakMb(): string {
  return (process.resourceUsage().maxRSS / 1024).toFixed(0) + " MB";
}

async function verifyRate<G>(family: TaskFamily<G, unknown>, store: SnapshotStore, instances: Instance<G>[]): Promise<number> {
  if (instances.length === 0) return 0;
  const t = performance.now();
  for (const inst of instances) {
    const start = startView(snapshotView(store, store.get(inst.repo.snapshot)), inst.setup_patch);
    await family.verify(inst, resultFromPatch(start, family.goldPatch(inst)));
  }
  return instances.length / ((performance.now() - t) / 1000);
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "hgym-bench-families2-"));
  try {
    const store = new SnapshotStore(join(root, "store"));
    const lib = execFileSync("python3", ["-c", "import json, os; print(os.path.dirname(os.path.dirname(json.__file__)))"], { encoding: "utf8" }).trim();
    const py = join(root, "pystdlib");
    for (const pkg of ["json", "email", "http"]) cpSync(join(lib, pkg), join(py, pkg), { recursive: true, filter: (p) => !p.includes("__pycache__") });
    const repos = [py];
    const openaiSrc = join(process.cwd(), "node_modules", "openai", "src");
    if (existsSync(openaiSrc)) {
      cpSync(openaiSrc, join(root, "openai-src", "src"), { recursive: true });
      repos.push(join(root, "openai-src"));
    }
    for (const repo of repos) {
      const t = performance.now();
      const res = await generateInstances({ family: funcGen, repos: [repo], store, seed: 0, perRepo: PER_REPO, includeTests: false, language: null, taskOptions: DEFAULT_FUNC_GEN_OPTIONS, log: () => {} });
      const s = (performance.now() - t) / 1000;
      const rate = await verifyRate(funcGen as TaskFamily<unknown, unknown>, store, res.instances as Instance<unknown>[]);
      console.log(`func-gen ${repo.split("/").pop()}: ${res.report.totals.candidates} candidates, ${res.instances.length} kept in ${s.toFixed(1)} s (${(res.instances.length / s).toFixed(1)} instances/s), verify ${rate.toFixed(0)}/s, dropped ${JSON.stringify(res.report.totals.dropped)}`);
    }
    const shelf = buildExampleRepo(join(root, "shelf"));
    const t = performance.now();
    const prepared = await prepareIssueLocalizeInputs({ repo: [shelf], fromHistory: true });
    const res = await generateInstances({ family: issueLocalize, repos: prepared.repos, store, seed: 0, includeTests: false, language: null, taskOptions: prepared.options, log: () => {} });
    const s = (performance.now() - t) / 1000;
    const rate = await verifyRate(issueLocalize as TaskFamily<unknown, unknown>, store, res.instances as Instance<unknown>[]);
    console.log(`issue-localize --from-history (example repo): ${res.instances.length} instances in ${s.toFixed(2)} s, verify ${rate.toFixed(0)}/s`);
    console.log(`peak memory ${peakMb()}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
