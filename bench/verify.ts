// Verifier throughput with the languages' own front ends in the loop (CPython's parser in the long-lived worker,
// the TypeScript compiler's parser in process). For each family it generates instances from real code (Python's
// stdlib json/email/http, the openai SDK's TypeScript sources in node_modules, the bundled example's history for
// issue-localize), then scores the mix the validity gate scores — the gold patch and every hack of the instance —
// (and, separately, the gold patches alone: what scoring a right answer costs)
// and prints verifications per wall second and per CPU second (node + the Python worker together, so a result
// "per core" counts the front end's process too). The reference measured in the same run is tree-sitter's own
// tree comparison of the same changed files: the ratio says what the front end costs on top of the index.
// Run: node --import tsx bench/verify.ts   (HGYM_BENCH_PER_REPO caps instances per family, default 60)
// Target (issue 8): >= 200 verifications per CPU second for func-localize and dep-search.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SnapshotStore, snapshotView } from "../src/repo/store.js";
import { createVerifyContext, type VerifyContext } from "../src/tasks/verify-context.js";
import { generateForBench, prepareBenchRepos } from "./corpus.js";
import { generateInstances } from "../src/tasks/common/pipeline.js";
import { compareTrees, ensureLanguages, languageForPath } from "../src/tasks/common/code.js";
import { resultFromPatch, startView } from "../src/tasks/common/workspace.js";
import { funcLocalize } from "../src/tasks/func-localize/index.js";
import { depSearch } from "../src/tasks/dep-search/index.js";
import { funcGen } from "../src/tasks/func-gen/index.js";
import { issueLocalize } from "../src/tasks/issue-localize/index.js";
import { prepareIssueLocalizeInputs } from "../src/tasks/issue-localize/inputs.js";
import { buildExampleRepo } from "../src/repo/example-repo.js";
import { frontendVersion, sharedPythonFrontend } from "../src/lang/frontend/index.js";
import type { Instance, TaskFamily } from "../src/tasks/types.js";
import type { RepoView, WorkspaceResult } from "../src/core/repo-view.js";

const PER_REPO = Number(process.env.HGYM_BENCH_PER_REPO ?? 60);
const MIN_VERIFICATIONS = 400; // rounds over the instances until at least this many verifications were timed
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

// CPU seconds used so far by a child process (user + system), read from /proc; 0 when it is gone.
function childCpuSeconds(pid: number | null): number {
  if (pid === null) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime (fields 14 and 15 of stat)
  } catch {
    return 0;
  }
}

function nodeCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

interface Workload {
  instance: Instance<unknown>;
  result: WorkspaceResult;
}

// Ready-made workspace results for each instance: its gold patch (what a right answer costs to score), or the
// validity gate's whole mix (the gold and every hack; some hacks touch every file of the repository).
function workloads(family: TaskFamily<unknown, unknown>, instances: Instance<unknown>[], starts: Map<string, RepoView>, mix: "gold" | "gate"): Workload[] {
  const out: Workload[] = [];
  for (const instance of instances) {
    const start = starts.get(instance.instance_id) as RepoView;
    const hacks = mix === "gate" ? family.hacks(instance, start).map((h) => h.patch) : [];
    for (const patch of [family.goldPatch(instance), ...hacks]) {
      try {
        out.push({ instance, result: resultFromPatch(start, patch) });
      } catch {
        // a hack that does not apply is the gate's concern, not a verification to time
      }
    }
  }
  return out;
}

interface Timing {
  verifications: number;
  wallSeconds: number;
  cpuSeconds: number;
}

async function timeVerifications(family: TaskFamily<unknown, unknown>, work: Workload[], minVerifications: number, ctx: VerifyContext): Promise<{ cold: Timing; warm: Timing }> {
  const pid = () => sharedPythonFrontend().pid;
  // The first round sees every starting text for the first time (the worker compiles and parses each start once,
  // node indexes it): what scoring an instance once costs. The later rounds are what the validity gate (~7
  // patches per start) and an RL run (many rollouts per instance) pay.
  await sharedPythonFrontend().forget(); // generation's validity gate already showed the worker these starts
  let cpu0 = nodeCpuSeconds() + childCpuSeconds(pid());
  let t0 = performance.now();
  for (const w of work) await family.verify(w.instance, w.result, ctx);
  const cold = { verifications: work.length, wallSeconds: (performance.now() - t0) / 1000, cpuSeconds: nodeCpuSeconds() + childCpuSeconds(pid()) - cpu0 };
  const rounds = Math.max(1, Math.ceil(minVerifications / work.length));
  cpu0 = nodeCpuSeconds() + childCpuSeconds(pid());
  t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const w of work) await family.verify(w.instance, w.result, ctx);
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpuSeconds = nodeCpuSeconds() + childCpuSeconds(pid()) - cpu0;
  return { cold, warm: { verifications: rounds * work.length, wallSeconds, cpuSeconds } };
}

// The reference: tree-sitter's comparison of every changed source file of the same workloads, in this process.
function timeTreeSitterReference(work: Workload[], minVerifications: number): Timing {
  const rounds = Math.max(1, Math.ceil(minVerifications / work.length));
  const cpu0 = nodeCpuSeconds();
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const w of work) {
      for (const c of w.result.changes) {
        const language = languageForPath(c.path);
        if (language && c.before !== null && c.after !== null) compareTrees(language, c.before, c.after, { ignoreDocstrings: true });
      }
    }
  }
  return { verifications: rounds * work.length, wallSeconds: (performance.now() - t0) / 1000, cpuSeconds: nodeCpuSeconds() - cpu0 };
}

function rate(t: Timing, per: "wall" | "cpu"): number {
  return t.verifications / (per === "wall" ? t.wallSeconds : t.cpuSeconds);
}

async function benchFamily(family: TaskFamily<unknown, unknown>, instances: Instance<unknown>[], starts: Map<string, RepoView>, ctx: VerifyContext): Promise<void> {
  if (instances.length === 0) {
    console.log(`${family.name}: no instances generated; nothing to time`);
    return;
  }
  for (const mix of ["gold", "gate"] as const) {
    const work = workloads(family, instances, starts, mix);
    const minVerifications = mix === "gold" ? MIN_VERIFICATIONS : 1;
    const { cold, warm: t } = await timeVerifications(family, work, minVerifications, ctx);
    const ref = timeTreeSitterReference(work, minVerifications);
    console.log(
      `${family.name} [${mix === "gold" ? "gold answers" : "gate mix: gold + every hack"}]: ${work.length} verifications a round; ` +
        `starts seen before: ${rate(t, "wall").toFixed(0)}/s wall, ${rate(t, "cpu").toFixed(0)} per CPU second (node + python worker); ` +
        `first sight of each start: ${rate(cold, "cpu").toFixed(0)} per CPU second; ` +
        `reference, tree-sitter's compare of the same files alone: ${rate(ref, "cpu").toFixed(0)} per CPU second (ratio ${(rate(t, "cpu") / rate(ref, "cpu")).toFixed(2)})`,
    );
  }
}

async function main(): Promise<void> {
  await ensureLanguages();
  console.log(`front ends: ${await frontendVersion("python")}, ${await frontendVersion("typescript")}`);
  const root = mkdtempSync(join(tmpdir(), "hgym-bench-verify-"));
  try {
    const store = new SnapshotStore(join(root, "store"));
    const ctx = createVerifyContext({ store });
    const repos = prepareBenchRepos(root);
    for (const repo of repos) {
      console.log(`\n== ${repo.name}`);
      const view = snapshotView(store, await store.ingest(repo.dir));
      for (const family of [funcLocalize, depSearch, funcGen] as TaskFamily<unknown, unknown>[]) {
        const result = await generateForBench(family, repo.dir, store, PER_REPO);
        const starts = new Map(result.instances.map((i) => [i.instance_id, startView(view, i.setup_patch)]));
        await benchFamily(family, result.instances, starts, ctx);
      }
    }
    console.log("\n== issue-localize mined from the example repository's history");
    const shelf = buildExampleRepo(join(root, "shelf"));
    const prepared = await prepareIssueLocalizeInputs({ repo: [shelf], fromHistory: true });
    const il = await generateInstances({ family: issueLocalize, repos: prepared.repos, store, seed: 1, includeTests: false, language: null, taskOptions: prepared.options, log: () => {} });
    const starts = new Map<string, RepoView>();
    for (const i of il.instances) starts.set(i.instance_id, startView(snapshotView(store, store.get(i.repo.snapshot)), i.setup_patch));
    await benchFamily(issueLocalize as TaskFamily<unknown, unknown>, il.instances as Instance<unknown>[], starts, ctx);
  } finally {
    await sharedPythonFrontend().close();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
