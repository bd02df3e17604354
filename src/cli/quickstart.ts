// `hgym quickstart`: the whole pipeline on the bundled example repository, offline, in one command —
// build the example (a real git repository with history) → snapshot + index → generate instances of every task
// family (each through the validity gate) → rollouts (the oracle by default; a real model when an endpoint is
// configured) in the sandbox → verified rewards → training-data exports. It is both the first thing a new user
// runs and an end-to-end check that a machine is set up correctly.

import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { resolveEndpoint } from "../agent/model-client.js";
import { ORACLE_MODEL } from "../agent/oracle.js";
import { runExport } from "../export/export.js";
import { EXPORT_FORMATS } from "../export/formats.js";
import { buildExampleRepo } from "../repo/example-repo.js";
import { SnapshotStore } from "../repo/store.js";
import { runBatch } from "../runner/batch.js";
import { LocalRolloutEnvironment } from "../runner/environment.js";
import { runIdentity } from "../runner/run-dir.js";
import { formatSummary } from "../runner/summary.js";
import { createSandbox } from "../sandbox/index.js";
import type { SandboxBackend } from "../sandbox/types.js";
import { generateInstances, instancesToJsonl } from "../tasks/common/pipeline.js";
import { formatGenerationReport } from "../tasks/common/report.js";
import { mergeSkippedInputs } from "../tasks/common/inputs.js";
import { getTaskEntry, getTaskFamily, prepareTaskInputs, taskNames } from "../tasks/registry.js";
import type { Instance } from "../tasks/types.js";
import { prepareOutputDir, writeOutputFile } from "../util/output-file.js";
import { indexCommand } from "./index-cmd.js";
import { verifyContextFromEnvironment } from "./verify-context.js";
import { viewCommandLine } from "./view.js";

export interface QuickstartOptions {
  out: string;
  model?: string;
  baseUrl?: string;
  sandbox: SandboxBackend | "auto";
  concurrency: number;
  seed: number;
  perTask: number;
}

// Family options for the example. The test command runs the example's own unit tests inside the sandbox, so the
// func-gen instances use execution-based verification; issue-localize mines the example's fix commits.
const EXAMPLE_TASK_VALUES: Record<string, Record<string, unknown>> = {
  "func-gen": { testCmd: "python3 -m unittest discover -s tests -t ." },
  "issue-localize": { fromHistory: true },
};

export interface QuickstartResult {
  instances: number;
  byTask: Record<string, number>;
  rollouts: number;
  successes: number;
  exports: string[];
}

export async function quickstart(opts: QuickstartOptions, log: (s: string) => void = (s) => void process.stdout.write(s + "\n")): Promise<QuickstartResult> {
  const out = prepareOutputDir(resolve(opts.out), { option: "--out" });
  const step = (n: number, title: string) => log(`\n== ${n}/5 ${title}`);

  step(1, "example repository");
  const repoDir = join(out, "shelf");
  if (existsSync(repoDir)) rmSync(repoDir, { recursive: true, force: true });
  buildExampleRepo(repoDir);
  log(`built ${repoDir} (git history replayed from examples/shelf-history)`);

  step(2, "snapshot and index");
  await indexCommand(repoDir, { out: join(out, "shelf.index.jsonl") }, log);

  step(3, "generate instances (every one passes the validity gate)");
  const store = new SnapshotStore();
  const verify = verifyContextFromEnvironment(store, process.env);
  const endpoint = resolveEndpoint({ baseURL: opts.baseUrl, model: opts.model === ORACLE_MODEL ? undefined : opts.model });
  const instances: Instance[] = [];
  const byTask: Record<string, number> = {};
  for (const name of taskNames()) {
    const entry = getTaskEntry(name);
    const prepared = await prepareTaskInputs(entry, { repo: [repoDir], ...(EXAMPLE_TASK_VALUES[name] ?? {}) });
    const result = await generateInstances({
      family: entry.family,
      repos: prepared.repos,
      store,
      verify,
      seed: opts.seed,
      limit: opts.perTask,
      perRepo: opts.perTask,
      includeTests: false,
      language: null,
      taskOptions: prepared.options,
      log: () => undefined,
    });
    mergeSkippedInputs(result.report, prepared);
    log(formatGenerationReport(result.report).trimEnd());
    byTask[name] = result.instances.length;
    instances.push(...result.instances);
  }
  const instancesPath = join(out, "instances.jsonl");
  writeOutputFile(instancesPath, instancesToJsonl(instances), { option: "--out" });
  log(`wrote ${instances.length} instances to ${instancesPath}`);

  const model = endpoint && opts.model !== ORACLE_MODEL ? endpoint.model : ORACLE_MODEL;
  step(4, `rollouts (${model === ORACLE_MODEL ? "oracle: replays each gold patch through the agent's tools" : `model ${model} at ${endpoint?.baseURL}`})`);
  const sandbox = createSandbox(opts.sandbox);
  const runDir = join(out, "runs", model === ORACLE_MODEL ? "oracle" : "model");
  const env = new LocalRolloutEnvironment({
    store,
    sandbox,
    verify,
    taskFamily: getTaskFamily,
    model,
    endpoint: model === ORACLE_MODEL ? null : endpoint,
    toolFormat: "native",
    workspaceRoot: verify.workspaceRoot,
  });
  const batch = await runBatch({
    instancesPath,
    outDir: runDir,
    env,
    identity: runIdentity({ model, base_url: model === ORACLE_MODEL ? null : (endpoint?.baseURL ?? null) }),
    options: { quickstart: true, ...opts },
    samples: 1,
    concurrency: opts.concurrency,
    limit: null,
    maxInfraRetries: 2,
    force: true,
    log,
  });
  log(formatSummary(batch.summary).trimEnd());

  step(5, "export training data");
  const exports: string[] = [];
  for (const format of EXPORT_FORMATS) {
    const file = join(out, "export", `${format}.jsonl`);
    const res = runExport({
      runDirs: [runDir],
      format,
      parquet: false,
      out: file,
      filters: { onlySuccess: true, includeOracle: model === ORACLE_MODEL, maxPerInstance: null, minReward: null },
      command: "hgym quickstart",
      allowEmpty: true,
    });
    exports.push(res.out);
    log(`${format.padEnd(10)} ${res.manifest.counts.rows_out} rows → ${res.out} (+ manifest, dataset card)`);
  }
  const successes = Object.values(batch.summary).reduce((n, s) => n + s.success, 0);
  const rollouts = Object.values(batch.summary).reduce((n, s) => n + s.rollouts, 0);
  log(`\nquickstart done: ${instances.length} instances, ${successes}/${rollouts} rollouts solved, outputs in ${out}`);
  log(`see the instances, trajectories and exports in your browser: ${viewCommandLine([opts.out])}`);
  return { instances: instances.length, byTask, rollouts, successes, exports };
}

