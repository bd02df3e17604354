// `hgym quickstart`'s options. The pipeline it runs (quickstart.ts: index, generate, rollouts, exports) loads only
// when the command runs, so `hgym quickstart --help` answers at once.

import { Option, type Command } from "commander";
import type { QuickstartOptions } from "./quickstart.js";

export function register(program: Command): void {
  program
    .command("quickstart")
    .description("run the whole pipeline (index → generate → validate → rollout → export) on the bundled example, offline")
    .option("-o, --out <dir>", "where to put everything it makes", "hgym-quickstart")
    .option("--model <name>", 'model for the rollouts (default: the built-in "oracle", or $HGYM_MODEL when an endpoint is configured)')
    .option("--base-url <url>", "OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)")
    .addOption(new Option("--sandbox <backend>", "sandbox backend").choices(["auto", "bwrap", "docker", "local"]).default("auto"))
    .option("--concurrency <n>", "rollouts at the same time", (v) => parseInt(v, 10), 2)
    .option("--seed <n>", "sampling seed", (v) => parseInt(v, 10), 0)
    .option("--per-task <n>", "instances per task family", (v) => parseInt(v, 10), 4)
    .action(async (opts: QuickstartOptions) => {
      const [{ leftoverRoots, sweepAtStartup }, { quickstart }] = await Promise.all([import("./gc.js"), import("./quickstart.js")]);
      await sweepAtStartup(leftoverRoots(process.env));
      const result = await quickstart(opts);
      if (result.instances === 0 || result.successes === 0) process.exitCode = 1;
    });
}
