// `hgym export runs/<name> [more] --format openai|openhands|sharegpt|atif [--parquet] ... --out <file|dir>`: training
// data from finished rollouts, with `<out>.manifest.json` and a `<out>.README.md` dataset card beside it (atif: a
// folder of trajectory.json files with index.jsonl and manifest.json).

import { InvalidArgumentError, Option, type Command } from "commander";
import { EXPORT_FORMATS, type ExportFormat } from "../export/formats.js";
import type { ExportFilters, ExportRecipe } from "../export/select.js";
import { TASK_NAMES } from "../core/schemas/instance.js";

interface ExportCliOptions {
  format: ExportFormat | "atif";
  parquet: boolean;
  onlySuccess: boolean;
  includeOracle: boolean;
  maxPerInstance?: number;
  minReward?: number;
  out: string;
  toolArguments: "string" | "object";
  nullContent: "null" | "empty";
  inContextExample: boolean;
  minSteps?: number;
  maxPerRepo?: number;
  teacher?: string[];
  taskRatio?: Record<string, number>;
  total?: number;
  dropEditTurns: boolean;
  mix?: string[];
  seed: number;
  license: string;
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be an integer ≥ 1, got "${v}"`);
    return n;
  };
}

// `--task-ratio func-localize=2 --task-ratio dep-search=1` (repeatable).
function taskRatio(v: string, prev: Record<string, number> | undefined): Record<string, number> {
  const m = /^([a-z-]+)=([0-9.]+)$/.exec(v);
  const task = m?.[1] ?? "";
  const weight = Number(m?.[2]);
  if (!m || !(TASK_NAMES as readonly string[]).includes(task) || !(weight > 0)) {
    throw new InvalidArgumentError(`--task-ratio takes FAMILY=WEIGHT with a family among ${TASK_NAMES.join(", ")} and a weight > 0, got "${v}"`);
  }
  return { ...(prev ?? {}), [task]: weight };
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export function register(program: Command): void {
  program
    .command("export")
    .description("Export successful-or-filtered rollouts of one or more run directories as SFT data (JSONL or Parquet) with a manifest and dataset card, or as ATIF trajectories.")
    .argument("<runs...>", "run directories made by `hgym rollout --out`")
    .addOption(new Option("--format <format>", "row format (atif: one Harbor trajectory.json per rollout)").choices([...EXPORT_FORMATS, "atif"]).makeOptionMandatory())
    .option("--parquet", "write Parquet instead of JSONL (the conversation is a nested list-of-structs column)", false)
    .option("--only-success", "only rollouts whose reward says success", false)
    .option("--include-oracle", "include oracle (gold-patch replay) rollouts", false)
    .option("--max-per-instance <k>", "at most K rows per instance", positiveInt("--max-per-instance"))
    .option("--min-reward <x>", "only rollouts with reward score ≥ X", (v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new InvalidArgumentError(`--min-reward must be a number, got "${v}"`);
      return n;
    })
    .addOption(new Option("--tool-arguments <how>", "tool-call arguments as JSON text (string) or as objects (object; Qwen2.5/Llama-3.1 templates)").choices(["string", "object"]).default("string"))
    .addOption(new Option("--null-content <how>", 'content of tool-call-only assistant turns: null, or "" (empty; gpt-oss templates)').choices(["null", "empty"]).default("null"))
    .option("--in-context-example", "openhands: wrap the first user turn in OpenHands' in-context example", false)
    .option("--min-steps <n>", "recipe: only trajectories with at least N agent actions", positiveInt("--min-steps"))
    .option("--max-per-repo <k>", "recipe: at most K rows per repository", positiveInt("--max-per-repo"))
    .option("--teacher <model>", "recipe: only rollouts of this model (repeatable)", collect)
    .option("--task-ratio <family=weight>", "recipe: family weight for --total (repeatable; unlisted families are left out)", taskRatio)
    .option("--total <n>", "recipe: rows in all (split by --task-ratio)", positiveInt("--total"))
    .option("--drop-edit-turns", "recipe ablation: remove file-editing assistant turns and their results", false)
    .option("--mix <file>", "recipe: append an external JSONL dataset in the same --format, de-duplicated (repeatable)", collect)
    .option("--seed <n>", "recipe: seed for the order capped choices are made in", (v: string) => parseInt(v, 10), 0)
    .option("--license <id>", "Hugging Face license id for the dataset card's header", "other")
    .requiredOption("--out <path>", "output file (.jsonl, or .parquet with --parquet); a folder for atif")
    .action(async (runs: string[], opts: ExportCliOptions) => {
      const filters: ExportFilters = {
        onlySuccess: opts.onlySuccess,
        includeOracle: opts.includeOracle,
        maxPerInstance: opts.maxPerInstance ?? null,
        minReward: opts.minReward ?? null,
      };
      if (opts.taskRatio && opts.total === undefined) throw new InvalidArgumentError("--task-ratio needs --total: the ratios split the total size");
      const recipe: ExportRecipe = {
        minSteps: opts.minSteps ?? null,
        maxPerRepo: opts.maxPerRepo ?? null,
        teachers: opts.teacher ?? null,
        taskRatios: opts.taskRatio ?? null,
        total: opts.total ?? null,
        dropEditTurns: opts.dropEditTurns,
        mix: opts.mix ?? [],
        seed: opts.seed,
      };
      if (opts.format === "atif") {
        if (opts.parquet) throw new InvalidArgumentError("--format atif writes one trajectory.json per rollout into the --out folder; drop --parquet");
        const { runAtifExport } = await import("../export/atif-export.js"); // the writers load only when exporting
        const res = runAtifExport({ runDirs: runs, out: opts.out, filters, recipe });
        process.stdout.write(`${res.dir}: ${res.trajectories} ATIF trajectories (index.jsonl, manifest.json)\n`);
        return;
      }
      const { runExport } = await import("../export/export.js");
      const res = runExport({
        runDirs: runs,
        format: opts.format,
        parquet: opts.parquet,
        out: opts.out,
        filters,
        recipe,
        rowOptions: { toolArguments: opts.toolArguments, nullContent: opts.nullContent, inContextExample: opts.inContextExample },
        license: opts.license,
        command: `hgym ${process.argv.slice(2).join(" ")}`,
      });
      const c = res.manifest.counts;
      const dropped = Object.entries(c.dropped)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ");
      process.stdout.write(`${res.out}: ${c.rows_out} rows from ${c.records_in} records${dropped ? ` (left out: ${dropped})` : ""}\n`);
      process.stdout.write(`manifest: ${res.manifestPath}\ncard: ${res.cardPath}\n`);
    });
}
