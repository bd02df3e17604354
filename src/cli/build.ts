// `hgym build <recipe.json> --out <dir> [--jobs N]`: a whole multi-family dataset from a recipe (src/build/),
// on N local processes, resumable: every repository's result is a shard on disk, so running the same command
// again after a crash or a kill redoes only what was not finished and writes the same bytes.

import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import type { Command } from "commander";
import { UserError } from "../core/errors.js";
import type { BuildOptions } from "../build/build.js";
import { SnapshotStore } from "../repo/store.js";
import { defaultWorkspaceRoot } from "../repo/workspace.js";
import { integerOption } from "../tasks/common/cli-values.js";
import { prepareOutputDir } from "../util/output-file.js";
import { DEFAULT_PREFIX } from "../queue/defaults.js";
import { verifySandboxBackend } from "./verify-sandbox.js";

interface BuildCliOptions {
  out?: string;
  jobs?: number;
  verbose: boolean;
  quiet: boolean;
  queue?: string;
  prefix?: string;
}

const ENDPOINT_VARIABLES = ["OPENAI_BASE_URL", "OPENAI_API_KEY", "HGYM_MODEL"];

// What the job processes use, resolved here at the edge from the user's settings.
export function buildSettings(env: NodeJS.ProcessEnv, verbose: boolean): BuildOptions["settings"] {
  const endpointEnv: Record<string, string> = {};
  for (const k of ENDPOINT_VARIABLES) if (env[k] !== undefined) endpointEnv[k] = env[k] as string;
  return { storeRoot: new SnapshotStore().root, sandbox: verifySandboxBackend(env), workspaceRoot: defaultWorkspaceRoot(env), endpointEnv, verbose };
}

export function register(program: Command): void {
  program
    .command("build")
    .description("Build a multi-family dataset from a recipe (repositories × families), in parallel and resumably.")
    .argument("<recipe>", "recipe JSON file (see examples/build-recipe.json and docs/BUILD.md)")
    .option("--out <dir>", "output folder: <family>.jsonl, instances.jsonl, report.json/.txt, README.md, shards/ (default: ./<recipe name>)")
    .option("--jobs <n>", "repositories processed at once, one process each (default: the number of cores)", integerOption("--jobs", 1))
    .option("--verbose", "also print each repository's pipeline messages", false)
    .option("--quiet", "no progress output", false)
    .option("--queue <redis-url>", "run the repositories on `hgym worker`s through Redis instead of local processes: redis://[:password@]host:port[/db]")
    .option("--prefix <name>", `Redis key prefix of this build's queue (with --queue; workers need the same; default ${DEFAULT_PREFIX})`)
    .action(async (recipePath: string, opts: BuildCliOptions) => {
      // The engine (families, parsers, the job pool, the queue) loads only when a build runs.
      const [{ runBuild }, { loadRecipe }, { leftoverRoots, sweepAtStartup }] = await Promise.all([import("../build/build.js"), import("../build/recipe.js"), import("./gc.js")]);
      const plan = await loadRecipe(recipePath);
      const outDir = prepareOutputDir(resolve(opts.out ?? plan.name), { option: "--out" });
      await sweepAtStartup(leftoverRoots(process.env));
      const quiet = opts.quiet;
      const runJobs = await queueRunnerFor(opts, outDir, quiet);
      const result = await runBuild({
        plan,
        outDir,
        jobs: opts.jobs ?? availableParallelism(),
        settings: buildSettings(process.env, opts.verbose),
        log: (m) => {
          if (!quiet) process.stderr.write(`${m}\n`);
        },
        ...(quiet ? { progressStream: devNull() } : {}),
        ...(runJobs ? { runJobs } : {}),
      });
      process.stdout.write(`${result.files.map((f) => `${f.family}: ${f.instances} instances`).join(", ")}\n`);
      process.stdout.write(`wrote ${result.report.total} instances to ${outDir} (instances.jsonl, one file per family, report.json, report.txt, README.md)\n`);
      if (result.report.unfinished.length > 0) {
        throw new UserError(`${result.report.unfinished.length} of ${plan.jobs.length} repositories are unfinished (${[...result.failures.values()][0] ?? "see report.txt"}); run the same command again to retry them`);
      }
      if (result.report.total === 0) throw new UserError(`no instances from any repository of ${recipePath}: see ${outDir}/report.txt for why`);
    });
}

// A stream that swallows progress output (--quiet).
function devNull(): NodeJS.WriteStream {
  return { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
}

// With --queue the pending repositories go to Redis (src/queue/build-producer.ts); without it, undefined (local).
async function queueRunnerFor(opts: BuildCliOptions, outDir: string, quiet: boolean): Promise<BuildOptions["runJobs"]> {
  if (!opts.queue) {
    if (opts.prefix !== undefined) throw new UserError("--prefix names a queue's keys: use it with --queue redis://...");
    return undefined;
  }
  const [{ queueJobRunner }, { checkPrefix, parseRedisUrl }, { queueRunId }, { shardDirOf }] = await Promise.all([
    import("../queue/build-producer.js"),
    import("../queue/connection.js"),
    import("../queue/rollout-producer.js"),
    import("../build/shard.js"),
  ]);
  return queueJobRunner({
    queue: { url: opts.queue, connection: parseRedisUrl(opts.queue), prefix: checkPrefix(opts.prefix ?? DEFAULT_PREFIX) },
    runId: queueRunId(outDir, "build"),
    shardDir: shardDirOf(outDir),
    sandbox: verifySandboxBackend(process.env),
    log: (m) => {
      if (!quiet) process.stderr.write(`${m}\n`);
    },
  });
}
