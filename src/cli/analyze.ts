// `hgym analyze runs/<a> [runs/<b> ...] [--json out.json] [--svg charts/]`: every action of every rollout put
// into a component (exploration, implementation, verification, reasoning, navigation, submission, other), and
// per task, teacher and outcome: component shares, average steps, success, Non-Loop %, edit failures and the
// cause of each failure. Rules: docs/ANALYSIS.md. The analysis code is loaded only when the command runs.

import { InvalidArgumentError, type Command } from "commander";
import { join } from "node:path";

interface AnalyzeCliOptions {
  json?: string;
  svg?: string;
  instances?: string;
  rollouts: boolean;
  loopRepeat?: number;
  failedEdits?: number;
  minExploration?: number;
  minReasoningChars?: number;
}

function count(flag: string, min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${flag} must be an integer >= ${min}, got "${v}"`);
    return n;
  };
}

export function register(program: Command): void {
  program
    .command("analyze")
    .description("Classify every action of every rollout into components and report shares, steps, success, Non-Loop %, edit failures and failure causes per task, teacher and outcome.")
    .argument("<runs...>", "run directories made by `hgym rollout --out`")
    .option("--json <file>", "also write the full analysis (every group, every rollout and its classified actions) as JSON")
    .option("--svg <dir>", "also write charts as SVG files into this folder (overview, components per task and teacher, steps histogram)")
    .option("--instances <file>", "instances file for the gold-file check (default: the one named in each run's run.json, if it still exists)")
    .option("--no-rollouts", "leave the per-rollout rows out of --json (groups only)")
    .option("--loop-repeat <n>", "same action and observation this many times in a row = loop (default 3)", count("--loop-repeat", 2))
    .option("--failed-edits <n>", "this many failed edits = failed editing (default 3)", count("--failed-edits", 1))
    .option("--min-exploration <n>", "fewer exploration actions before the first edit = insufficient exploration (default 2)", count("--min-exploration", 0))
    .option("--min-reasoning-chars <n>", "less reasoning text than this, and no think call = insufficient reasoning (default 200)", count("--min-reasoning-chars", 0))
    .action(async (runs: string[], opts: AnalyzeCliOptions) => {
      const { prepareOutputDir, prepareOutputFile, writeOutputFile } = await import("../util/output-file.js");
      // Output paths are checked before the (possibly long) analysis, so a bad path fails at once.
      const jsonPath = opts.json ? prepareOutputFile(opts.json, { option: "--json" }) : null;
      const svgDir = opts.svg ? prepareOutputDir(opts.svg, { option: "--svg" }) : null;
      const { analyzeRuns } = await import("../analyze/analyze.js");
      const { formatAnalysis } = await import("../analyze/report.js");
      const thresholds = Object.fromEntries(
        Object.entries({ loopRepeat: opts.loopRepeat, failedEdits: opts.failedEdits, minExploration: opts.minExploration, minReasoningChars: opts.minReasoningChars }).filter(([, v]) => v !== undefined),
      );
      const analysis = await analyzeRuns(runs, { thresholds, instancesPath: opts.instances ?? null, keepRollouts: opts.rollouts });
      process.stdout.write(formatAnalysis(analysis));
      if (jsonPath) {
        writeOutputFile(jsonPath, JSON.stringify(analysis) + "\n", { option: "--json" });
        process.stdout.write(`analysis: ${jsonPath}\n`);
      }
      if (svgDir) {
        const { renderCharts } = await import("../analyze/svg.js");
        const charts = renderCharts(analysis);
        for (const c of charts) writeOutputFile(join(svgDir, c.name), c.svg, { option: "--svg" });
        process.stdout.write(`charts: ${charts.map((c) => join(svgDir, c.name)).join(", ")}\n`);
      }
    });
}
