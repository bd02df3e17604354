// The dataset card (README.md) beside a build's instance files: what the dataset holds (per family and
// language, repositories used), how it was made (recipe, seed, targets and options, generator versions) and what
// was left out and why, so a dataset found on disk months later explains itself. No dates or hostnames: the card
// is part of the build's byte-identical output.

import type { TaskName } from "../core/reward.js";
import { packageVersion } from "../util/version.js";
import { formatTable } from "../util/table.js";
import { generatorVersion } from "./generator-version.js";
import type { BuildReport } from "./types.js";
import type { BuildPlan } from "./recipe.js";

export function renderBuildCard(plan: BuildPlan, report: BuildReport, files: { family: string; path: string; instances: number }[]): string {
  const rows: (string | number)[][] = [["family", "instances", "repositories used", "repositories failed", "kept before target", "generator"]];
  for (const r of report.families) {
    const used = new Set(r.repos.filter((x) => x.kept > 0).map((x) => x.name ?? x.input)).size;
    rows.push([r.task, r.totals.output, used, r.totals.failedRepos, r.totals.kept, generatorVersion(r.task as TaskName)]);
  }
  const settings = plan.families.map((f) => `- ${f.family}: target ${f.target ?? "none"}, per repository ${f.perRepo ?? "no cap"}, options \`${JSON.stringify(f.values)}\``);
  const drops = report.families.flatMap((r) =>
    Object.entries(r.totals.dropped)
      .slice(0, 5)
      .map(([reason, n]) => `- ${r.task}: ${reason}: ${n}`),
  );
  return [
    `# ${plan.name}`,
    "",
    ...(plan.description ? [plan.description, ""] : []),
    `Task instances built by hybrid-gym ${packageVersion()} (\`hgym build\`) from ${report.repositories} repositories: ${report.total} instances.`,
    "",
    "## Files",
    "",
    "- `instances.jsonl`: every family's instances, sorted by `instance_id` (one JSON object per line, schema `hgym.instance/2`)",
    ...files.map((f) => `- \`${f.family}.jsonl\`: ${f.instances} ${f.family} instances`),
    "- `report.json`, `report.txt`: per repository and family: candidates, proposed, gated, kept, drop reasons",
    "",
    "## Contents",
    "",
    "```",
    ...formatTable(rows, { rule: true }),
    "```",
    "",
    "## How it was made",
    "",
    `Seed ${plan.seed}; tests ${plan.includeTests ? "included" : "excluded"} as targets; language ${plan.language ?? "all"}. Every instance passed the validity gate (the gold answer succeeds, the untouched workspace fails, every standard hack fails). Where a family has a target, it is spread over repositories and difficulty buckets with the seed.`,
    "",
    ...settings,
    "",
    "Most frequent drop reasons:",
    "",
    ...(drops.length > 0 ? drops : ["- none"]),
    "",
    ...(report.unfinished.length > 0 ? [`Unfinished: ${report.unfinished.length} repositories have no result yet (the build was stopped or a job crashed); run \`hgym build\` again.`, ""] : []),
  ].join("\n");
}
