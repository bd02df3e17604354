// `hgym export runs/<name> [more] --format openai|openhands|sharegpt [--parquet] ... --out <file>`: training data
// from finished rollouts, with `<out>.manifest.json` and a `<out>.README.md` dataset card beside it.

import { InvalidArgumentError, Option, type Command } from "commander";
import { runExport } from "../export/export.js";
import { EXPORT_FORMATS, type ExportFormat } from "../export/formats.js";

interface ExportCliOptions {
  format: ExportFormat;
  parquet: boolean;
  onlySuccess: boolean;
  includeOracle: boolean;
  maxPerInstance?: number;
  minReward?: number;
  out: string;
}

export function register(program: Command): void {
  program
    .command("export")
    .description("Export successful-or-filtered rollouts of one or more run directories as SFT data (JSONL or Parquet) with a manifest and dataset card.")
    .argument("<runs...>", "run directories made by `hgym rollout --out`")
    .addOption(new Option("--format <format>", "row format").choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .option("--parquet", "write Parquet instead of JSONL (conversation and tools as JSON text columns)", false)
    .option("--only-success", "only rollouts whose reward says success", false)
    .option("--include-oracle", "include oracle (gold-patch replay) rollouts", false)
    .option("--max-per-instance <k>", "at most K rows per instance", (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--max-per-instance must be an integer ≥ 1, got "${v}"`);
      return n;
    })
    .option("--min-reward <x>", "only rollouts with reward score ≥ X", (v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new InvalidArgumentError(`--min-reward must be a number, got "${v}"`);
      return n;
    })
    .requiredOption("--out <file>", "output file (.jsonl, or .parquet with --parquet)")
    .action((runs: string[], opts: ExportCliOptions) => {
      const res = runExport({
        runDirs: runs,
        format: opts.format,
        parquet: opts.parquet,
        out: opts.out,
        filters: {
          onlySuccess: opts.onlySuccess,
          includeOracle: opts.includeOracle,
          maxPerInstance: opts.maxPerInstance ?? null,
          minReward: opts.minReward ?? null,
        },
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
