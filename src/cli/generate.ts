// `hgym generate <task> --repo <repo>[@rev] ... --out instances.jsonl`: build validated task instances from
// repositories. Each registered task family is a subcommand carrying its own options (see src/tasks/registry.ts),
// so adding a family adds its flags here without touching this file.

import { Option, type Command } from "commander";
import { UserError } from "../core/errors.js";
import type { LanguageId } from "../lang/types.js";
import { LANGUAGE_IDS } from "../core/schemas/instance.js";
import { integerOption } from "../tasks/common/cli-values.js";
import { catalogEntry, catalogTaskNames } from "../tasks/catalog.js";
import { prepareOutputFile, writeOutputFile } from "../util/output-file.js";

const LANGUAGES: readonly LanguageId[] = LANGUAGE_IDS;

interface CommonGenerateOptions {
  repo?: string[];
  out: string;
  limit?: number;
  perRepo?: number;
  seed: number;
  includeTests: boolean;
  language?: LanguageId;
  report?: string;
  quiet: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  const generate = program
    .command("generate")
    .description("Generate validated task instances (JSONL) from one or more repositories.");
  for (const name of catalogTaskNames()) {
    const entry = catalogEntry(name);
    const cmd = generate
      .command(name)
      .description(`${name}: ${entry.summary}`)
      .option("--repo <repo>", "repository: local path or git URL, optionally @rev (repeatable)", collect)
      .requiredOption("--out <file>", "where to write the instances (JSONL)")
      .option("--limit <n>", "at most N instances in total", integerOption("--limit", 1))
      .option("--per-repo <n>", "at most N instances per repository", integerOption("--per-repo", 1))
      .option("--seed <n>", "seed for sampling (same inputs + seed = same output bytes)", integerOption("--seed", 0), 0)
      .option("--include-tests", "also use targets in test files", false)
      .addOption(new Option("--language <language>", "only this language").choices(LANGUAGES))
      .option("--report <file>", "also write the generation report as JSON")
      .option("--quiet", "no progress messages", false);
    for (const o of entry.cli.options) {
      const opt = new Option(o.flags, o.description);
      if (o.choices) opt.choices([...o.choices]);
      if (o.parse) opt.argParser(o.parse);
      if (o.defaultValue !== undefined) opt.default(o.defaultValue);
      cmd.addOption(opt);
    }
    cmd.action(async (opts: CommonGenerateOptions & Record<string, unknown>) => {
      // Outputs are checked before any repository is read or any instance built.
      const out = prepareOutputFile(opts.out, { option: "--out" });
      const report = opts.report ? prepareOutputFile(opts.report, { option: "--report" }) : null;
      // The engine (families, parsers, resolvers) loads only now, so `--help` and bad options answer at once.
      const [{ SnapshotStore }, { generateInstances, instancesToJsonl }, { formatGenerationReport }, { mergeSkippedInputs }, registry, { leftoverRoots, sweepAtStartup }, { verifyContextFromEnvironment }] =
        await Promise.all([
          import("../repo/store.js"),
          import("../tasks/common/pipeline.js"),
          import("../tasks/common/report.js"),
          import("../tasks/common/inputs.js"),
          import("../tasks/registry.js"),
          import("./gc.js"),
          import("./verify-context.js"),
        ]);
      const task = registry.getTaskEntry(name);
      await sweepAtStartup(leftoverRoots(process.env));
      const prepared = await registry.prepareTaskInputs(task, opts);
      const store = new SnapshotStore();
      const result = await generateInstances({
        family: task.family,
        repos: prepared.repos,
        store,
        verify: verifyContextFromEnvironment(store, process.env),
        seed: opts.seed,
        limit: opts.limit ?? null,
        perRepo: opts.perRepo ?? null,
        includeTests: opts.includeTests,
        language: opts.language ?? null,
        taskOptions: prepared.options,
        log: (m) => {
          if (!opts.quiet) process.stderr.write(`${m}\n`);
        },
      });
      mergeSkippedInputs(result.report, prepared);
      if (report) writeOutputFile(report, JSON.stringify(result.report, null, 2) + "\n", { option: "--report" });
      process.stdout.write(formatGenerationReport(result.report));
      if (result.instances.length === 0) {
        // Nothing to write: an empty instance file would look like a result. The report above says why.
        throw new UserError(`no ${name} instances from ${prepared.repos.join(", ") || "the inputs"}: every candidate was dropped or no repository could be read (see the report above); ${opts.out} not written`);
      }
      writeOutputFile(out, instancesToJsonl(result.instances), { option: "--out" });
      process.stdout.write(`wrote ${result.instances.length} instances to ${out}\n`);
      if (result.report.totals.failedRepos === result.report.totals.repos) process.exitCode = 1;
    });
  }
  // Reached only when the first word is not a known task: name it, whatever options follow.
  generate
    .argument("[task]")
    .allowUnknownOption()
    .allowExcessArguments()
    .action((task: string | undefined) => {
      if (task !== undefined) throw new UserError(`unknown task "${task}"; known tasks: ${catalogTaskNames().join(", ")} (see hgym generate <task> --help)`);
      throw new UserError(`name a task: hgym generate <${catalogTaskNames().join("|")}> --repo <repo> --out <file> (see hgym generate <task> --help)`);
    });
}
