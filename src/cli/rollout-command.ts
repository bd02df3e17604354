// `hgym rollout`'s options. The runner, the model client, the task families and the queue load (rollout.ts) only
// when the command runs, so `hgym rollout --help` answers at once.

import { InvalidArgumentError, Option, type Command } from "commander";
import type { TaskName } from "../core/reward.js";
import { DEFAULT_PREFIX } from "../queue/defaults.js";
import { integerOption, numberOption } from "../tasks/common/cli-values.js";
import { sandboxLimitOption } from "./sandbox-limit-option.js";
import type { RolloutCliOptions } from "./rollout.js";

const TASKS: TaskName[] = ["func-localize", "issue-localize", "dep-search", "func-gen"];

function taskArg(v: string, prev: string[] | undefined): string[] {
  const names = v.split(",").map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!TASKS.includes(n as TaskName)) throw new InvalidArgumentError(`unknown task "${n}"; use one of ${TASKS.join(", ")}`);
  return [...(prev ?? []), ...names];
}

export function register(program: Command): void {
  program
    .command("rollout")
    .description("Run an agent (or --model oracle) on task instances in a sandbox; records go to <out>/rollouts.jsonl and resume when rerun.")
    .argument("<instances>", "instance file (JSONL) made by `hgym generate`")
    .requiredOption("--out <dir>", "run directory, e.g. runs/my-run (rerun the same command to resume)")
    .requiredOption("--model <name>", 'model name at the endpoint, or "oracle" to replay each instance\'s gold patch')
    .option("--base-url <url>", "OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)")
    .option("--api-key-env <VAR>", "environment variable holding the API key (default: OPENAI_API_KEY)")
    .option("--concurrency <n>", "rollouts run at the same time", integerOption("--concurrency", 1), 4)
    .option("--samples <k>", "rollouts per instance", integerOption("--samples", 1), 1)
    .option("--max-steps <n>", "model turns per rollout", integerOption("--max-steps", 1), 30)
    .option("--max-cost <usd>", "cost limit per rollout (needs --price-table)", numberOption("--max-cost", 0))
    .option("--wall-time <sec>", "wall-time limit per rollout", numberOption("--wall-time", 1))
    .option("--temperature <t>", "sampling temperature", numberOption("--temperature", 0))
    .option("--top-p <p>", "nucleus sampling", numberOption("--top-p", 0))
    .option("--max-tokens <n>", "completion tokens per model call", integerOption("--max-tokens", 1))
    .option("--seed <n>", "sampling seed (sample k uses seed + k)", integerOption("--seed", 0))
    .addOption(new Option("--tool-format <f>", "native tool calls or the <function=...> text format").choices(["native", "text"]).default("native"))
    .addOption(new Option("--sandbox <backend>", "where agent commands run").choices(["bwrap", "docker", "local", "auto"]).default("auto"))
    .addOption(
      new Option("--workspace-mode <mode>", "workspaces as copy-on-write overlays of a shared base (needs root), full copies, or overlay when possible")
        .choices(["overlay", "copy", "auto"])
        .default("auto"),
    )
    .option("--price-table <file>", "JSON: model -> { input_per_mtok, output_per_mtok }")
    .option("--limit <n>", "only the first N instances (after --task)", integerOption("--limit", 1))
    .option("--task <names>", "only these tasks (comma-separated or repeated)", taskArg)
    .option("--sandbox-limit <name=value>", "a sandbox limit per episode, e.g. memoryBytes=8G (repeatable; see the README's sandbox section)", sandboxLimitOption)
    .option("--max-infra-retries <n>", "retries of a rollout that failed because of the infrastructure", integerOption("--max-infra-retries", 0), 2)
    .option("--force", "reuse --out even if it holds a run with different settings", false)
    .option("--queue <redis-url>", "run on `hgym worker`s through Redis instead of here: redis://[:password@]host:port[/db]")
    .option("--prefix <name>", `Redis key prefix of this run's queue (with --queue; workers need the same; default ${DEFAULT_PREFIX})`)
    .action(async (instances: string, opts: RolloutCliOptions) => {
      const [{ leftoverRoots, sweepAtStartup }, { rolloutCommand }] = await Promise.all([import("./gc.js"), import("./rollout.js")]);
      const roots = leftoverRoots(process.env);
      await sweepAtStartup(roots);
      await rolloutCommand(instances, opts, roots.workspaceRoot ?? undefined);
    });
}

// `workspaceRoot`: where workspaces are made (default: defaultWorkspaceRoot(process.env)).
