// `hgym export-tasks --format harbor|verl|skyrl --out <dir|file> <instances.jsonl>`: instances as Harbor task
// folders or as RL prompt rows; and `hgym harbor-verify`, the verifier entry the Harbor folders' tests/test.sh call.

import { existsSync } from "node:fs";
import { Option, type Command } from "commander";
import { UserError } from "../core/errors.js";
import { instanceSchema, type InstanceRecord } from "../core/schemas/instance.js";
import { RL_FORMATS, type RlFormat } from "../export/rl-rows.js";
import { SnapshotStore } from "../repo/store.js";
import { packageVersion } from "../util/version.js";
import { readJsonlSync } from "../util/jsonl.js";

interface ExportTasksCliOptions {
  format: "harbor" | RlFormat;
  out: string;
  baseImage: string;
  hgymPackage?: string;
  hgymTarball?: string;
  agentTimeout: number;
  verifierTimeout: number;
  serverUrl?: string;
  envClass: string;
  split: string;
  parquet: boolean;
  limit?: number;
}

function positive(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new UserError(`${name} must be a positive number, got "${v}"`);
    return n;
  };
}

// Every line must be a valid instance: a task set silently missing some would misreport what was exported.
function readInstances(file: string, limit: number | undefined): InstanceRecord[] {
  const out: InstanceRecord[] = [];
  for (const { value } of readJsonlSync(file, instanceSchema, { badLines: "fail" })) {
    out.push(value);
    if (limit !== undefined && out.length >= limit) break;
  }
  if (out.length === 0) throw new UserError(`${file} holds no instances; make some with \`hgym generate\``);
  return out;
}

export function register(program: Command): void {
  program
    .command("export-tasks")
    .description("Export task instances as Harbor task folders (harbor) or as RL prompt rows for verl / SkyRL.")
    .argument("<instances>", "instances JSONL (from hgym generate or quickstart)")
    .addOption(new Option("--format <format>", "harbor folders, or RL rows").choices(["harbor", ...RL_FORMATS]).makeOptionMandatory())
    .requiredOption("--out <path>", "harbor: a folder (one task folder per instance); verl/skyrl: a .jsonl or .parquet file")
    .option("--base-image <image>", "harbor: Docker base image with Node 20+", "node:20-bookworm")
    .option("--hgym-package <spec>", `harbor: what the image npm-installs for the verifier (default hybrid-gym@${packageVersion()})`)
    .option("--hgym-tarball <file>", "harbor: an `npm pack` tarball of hgym, copied into each environment/ and installed from there")
    .option("--agent-timeout <sec>", "harbor: [agent] timeout_sec", positive("--agent-timeout"), 1800)
    .option("--verifier-timeout <sec>", "harbor: [verifier] timeout_sec", positive("--verifier-timeout"), 600)
    .option("--server-url <url>", "verl/skyrl: the `hgym serve` URL the reward function and environment call")
    .option("--env-class <name>", "verl/skyrl: env_class (SkyRL) / agent_name (verl) you register for hgym", "hybrid_gym")
    .option("--split <name>", "verl/skyrl: extra_info.split", "train")
    .option("--parquet", "verl/skyrl: write Parquet (what verl and SkyRL load) instead of JSONL", false)
    .option("--limit <n>", "only the first N instances", positive("--limit"))
    .action(async (instancesFile: string, opts: ExportTasksCliOptions) => {
      if (opts.hgymTarball && !existsSync(opts.hgymTarball)) throw new UserError(`--hgym-tarball ${opts.hgymTarball} does not exist; make it with \`npm pack\` in a hybrid-gym checkout`);
      const instances = readInstances(instancesFile, opts.limit);
      if (opts.format === "harbor") {
        const { exportHarborTasks } = await import("../export/harbor.js"); // the verifier side loads only here
        const tasks = await exportHarborTasks({
          instances,
          out: opts.out,
          store: new SnapshotStore(),
          baseImage: opts.baseImage,
          hgymPackage: opts.hgymPackage ?? `hybrid-gym@${packageVersion()}`,
          hgymTarball: opts.hgymTarball,
          agentTimeoutSec: opts.agentTimeout,
          verifierTimeoutSec: opts.verifierTimeout,
        });
        process.stdout.write(`${opts.out}: ${tasks.length} Harbor task folders (run one with: harbor run -p ${opts.out}/${tasks[0]?.dir ?? "<task>"} -a oracle)\n`);
        return;
      }
      if (!opts.serverUrl) throw new UserError(`--format ${opts.format} needs --server-url: the URL of the \`hgym serve\` the trainer's environment and reward function call`);
      const { writeRlRows } = await import("../export/rl-export.js");
      const n = writeRlRows({ instances, instancesFile, out: opts.out, parquet: opts.parquet, format: opts.format, serverUrl: opts.serverUrl, envClass: opts.envClass, split: opts.split });
      process.stdout.write(`${opts.out}: ${n} ${opts.format} rows\n`);
    });

  program
    .command("harbor-verify")
    .description("Score a Harbor task's final workspace with hgym's verifier and write Harbor's reward file (called by tests/test.sh).")
    .requiredOption("--tests <dir>", "the task's tests folder (instance.json, start.json, store/)")
    .requiredOption("--workspace <dir>", "the repository the agent worked in")
    .option("--logs <dir>", "where reward.txt and reward-details.json go", "/logs/verifier")
    .action(async (opts: { tests: string; workspace: string; logs: string }) => {
      const [{ harborVerify }, { verifyContextFromEnvironment }] = await Promise.all([import("../export/harbor-verify.js"), import("./verify-context.js")]);
      const reward = await harborVerify({ testsDir: opts.tests, workspace: opts.workspace, logsDir: opts.logs, context: (store) => verifyContextFromEnvironment(store, process.env) });
      const why = reward.violations.map((v) => v.code).join(", ");
      process.stdout.write(`reward ${reward.score} (${reward.success ? "success" : "failure"}${why ? `: ${why}` : ""})\n`);
    });
}
