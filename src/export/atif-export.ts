// `hgym export --format atif --out <dir>`: one Harbor-style trial folder per selected rollout,
// `<dir>/<slug>/agent/trajectory.json` (where Harbor keeps an agent's ATIF trajectory), plus `<dir>/index.jsonl`
// (slug, instance, sample, reward per line) and `<dir>/manifest.json`. Every trajectory is checked against the
// ATIF schema before it is written. Selection, filters and recipe are the SFT export's.

import { basename, join } from "node:path";
import { UserError } from "../core/errors.js";
import { packageVersion } from "../runner/versions.js";
import { sha256 } from "../util/hash.js";
import { prepareOutputDir, prepareOutputFile, writeOutputFile } from "../util/output-file.js";
import { checkedAtif } from "./atif.js";
import { dropEditingTurns } from "./recipe-rows.js";
import { loadSelected, NO_RECIPE, selectRecords, type ExportFilters, type ExportRecipe } from "./select.js";

export interface AtifExportResult {
  dir: string;
  trajectories: number;
  dropped: Record<string, number>;
}

// File-name-safe and unique: the instance id's readable part plus a short hash of (run, instance, sample).
export function trialSlug(instanceId: string, sample: number, run: string): string {
  const readable = instanceId.replace(/[^A-Za-z0-9._-]+/g, "_").slice(-60).replace(/^[._-]+/, "");
  return `${readable}__s${sample}__${sha256(`${run}\u0000${instanceId}\u0000${sample}`).slice(0, 8)}`;
}

export function runAtifExport(opts: { runDirs: string[]; out: string; filters: ExportFilters; recipe?: ExportRecipe }): AtifExportResult {
  const recipe = opts.recipe ?? NO_RECIPE;
  if (recipe.mix.length > 0) throw new UserError("--mix applies to the SFT formats (openai, openhands, sharegpt), not to atif");
  const dir = prepareOutputDir(opts.out, { option: "--out" });
  const selection = selectRecords(opts.runDirs, opts.filters, recipe);
  if (selection.selected.length === 0) {
    const dropped = Object.entries(selection.dropped).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ");
    const oracleHint = (selection.dropped.oracle ?? 0) > 0 ? "; oracle (gold replay) runs are left out unless you pass --include-oracle" : "";
    throw new UserError(`nothing to export from ${opts.runDirs.join(", ")}: ${selection.records_in} records, none selected${dropped ? ` (left out: ${dropped})` : ""}${oracleHint}; nothing written to ${dir}`);
  }
  const index: string[] = [];
  for (const sel of selection.selected) {
    const rec0 = loadSelected(sel);
    const rec = recipe.dropEditTurns ? { ...rec0, messages: dropEditingTurns(rec0.messages).messages } : rec0;
    const slug = trialSlug(rec.instance_id, rec.sample, sel.run.identity_sha256);
    const file = prepareOutputFile(join(dir, slug, "agent", "trajectory.json"), { option: "--out" });
    const trajectory = checkedAtif(rec, `${slug}`);
    writeOutputFile(file, JSON.stringify(trajectory, null, 2) + "\n", { option: "--out" });
    index.push(JSON.stringify({ trial: slug, path: `${slug}/agent/trajectory.json`, instance_id: rec.instance_id, task: rec.task, sample: rec.sample, teacher: rec.model, reward: rec.reward?.score ?? 0, success: rec.reward?.success ?? false }));
  }
  writeOutputFile(join(dir, "index.jsonl"), index.join("\n") + "\n", { option: "--out" });
  const manifest = {
    schema: "hgym.atif-export/1",
    package_version: packageVersion(),
    created_at: new Date().toISOString(),
    format: "atif",
    atif_version: "ATIF-v1.4",
    filters: opts.filters,
    recipe,
    sources: selection.sources.map((s) => ({ dir: basename(s.dir), run_json_sha256: s.manifest_sha256, identity: s.identity, records: s.records })),
    counts: { records_in: selection.records_in, trajectories: index.length, dropped: selection.dropped, quotas: selection.quotas },
  };
  writeOutputFile(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n", { option: "--out" });
  return { dir, trajectories: index.length, dropped: selection.dropped };
}
