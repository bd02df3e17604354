// The end of a build: the shards on disk become the dataset — one instances file per family, the combined file,
// the report (JSON and text) and the dataset card. Everything is computed from the shards alone, read in the
// recipe's order, with no time, path of a temporary file or process detail in any output, so a build that was
// killed and resumed writes the same bytes as one that never stopped. Memory: one family's kept instances at a
// time (the per-family target is a selection over all of them).

import { join } from "node:path";
import { createReadStream } from "node:fs";
import { instanceLine } from "../core/schemas/instance.js";
import { openOutputStream, writeOutputFile } from "../util/output-file.js";
import { selectOutput, summarize, type GenerationReport, type RepoReport } from "../tasks/common/pipeline.js";
import { mergeSkippedInputs, type SkippedInput } from "../tasks/common/inputs.js";
import { formatGenerationReport } from "../tasks/common/report.js";
import type { DropCounts, Instance } from "../tasks/types.js";
import { shardKey } from "./job.js";
import type { BuildPlan } from "./recipe.js";
import { readShard } from "./shard.js";
import { renderBuildCard } from "./card.js";
import type { BuildReport } from "./types.js";

export type { BuildReport } from "./types.js";

export interface MergeResult {
  report: BuildReport;
  files: { family: string; path: string; instances: number }[];
  combined: string;
}

// `failures`: why a job left no shard in this run (input -> message), for the report's failed rows.
export async function mergeBuild(plan: BuildPlan, shardDir: string, outDir: string, failures: ReadonlyMap<string, string> = new Map()): Promise<MergeResult> {
  const unfinished = new Set<string>();
  const reports: GenerationReport[] = [];
  const files: MergeResult["files"] = [];
  for (const family of plan.families) {
    const repos: RepoReport[] = [];
    const kept: Instance[] = [];
    const skipped: SkippedInput[] = [...plan.skipped];
    const dropped: DropCounts = {};
    for (const job of plan.jobs) {
      if (!job.families.some((f) => f.family === family.family)) continue; // the recipe restricts this family
      const shard = readShard(shardDir, shardKey(job, family));
      if (!shard) {
        unfinished.add(job.input);
        repos.push({ input: job.input, name: null, commit: null, status: "failed", error: failures.get(job.input) ?? "not built yet: run the build again", candidates: 0, proposed: 0, gated: 0, kept: 0, dropped: {} });
        continue;
      }
      repos.push(...shard.reports);
      kept.push(...shard.instances);
      skipped.push(...shard.skipped);
      for (const [k, v] of Object.entries(shard.dropped)) dropped[k] = (dropped[k] ?? 0) + v;
    }
    const output = selectOutput(kept, family.target, plan.seed);
    const report = mergeSkippedInputs(summarize(family.family, plan.seed, repos, output.length), { skipped, dropped });
    reports.push(report);
    const path = join(outDir, `${family.family}.jsonl`);
    const out = openOutputStream(path, { option: "--out" });
    for (const instance of output) out.write(instanceLine(instance) + "\n");
    out.commit();
    files.push({ family: family.family, path, instances: output.length });
  }
  // Instance ids start with "<task>/", so the families' sorted files in name order are the combined sorted file.
  const combined = join(outDir, "instances.jsonl");
  const out = openOutputStream(combined, { option: "--out" });
  for (const f of [...files].sort((a, b) => (a.family < b.family ? -1 : 1))) {
    for await (const chunk of createReadStream(f.path)) out.write(chunk as Buffer);
  }
  out.commit();
  const report: BuildReport = {
    name: plan.name,
    seed: plan.seed,
    repositories: plan.jobs.length + plan.skipped.length,
    unfinished: [...unfinished],
    families: reports,
    total: files.reduce((a, f) => a + f.instances, 0),
  };
  writeOutputFile(join(outDir, "report.json"), JSON.stringify(report, null, 2) + "\n", { option: "--out" });
  writeOutputFile(join(outDir, "report.txt"), formatBuildReport(report), { option: "--out" });
  writeOutputFile(join(outDir, "README.md"), renderBuildCard(plan, report, files), { option: "--out" });
  return { report, files, combined };
}

export function formatBuildReport(report: BuildReport): string {
  const parts = [`build ${report.name} (seed ${report.seed}): ${report.total} instances from ${report.repositories} repositories`];
  if (report.unfinished.length > 0) parts.push(`${report.unfinished.length} repositories unfinished (run the build again to retry them)`);
  for (const r of report.families) parts.push("", formatGenerationReport(r).trimEnd());
  return parts.join("\n") + "\n";
}
