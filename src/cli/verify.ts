// `hgym verify --instances instances.jsonl --patches patches.jsonl [--out results.jsonl]`: score patches (one
// `{instance_id, patch}` per line; SWE-bench's `model_patch` is accepted) against their instances and print a
// summary per task. Malformed lines are reported by number and skipped.

import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { SnapshotStore } from "../repo/store.js";
import { UserError } from "../repo/types.js";
import {
  parseInstanceRecords,
  parsePatchRecords,
  StartStates,
  summarizeResults,
  verifyPatch,
  type LineProblem,
  type TaskSummary,
  type VerifyResultRecord,
} from "../tasks/common/verify-batch.js";

interface VerifyCliOptions {
  instances: string;
  patches: string;
  out?: string;
}

export interface VerifyRunResult {
  results: VerifyResultRecord[];
  summary: TaskSummary[];
  problems: LineProblem[];
}

function readInput(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new UserError(`cannot read the ${what} file ${path}: ${(e as Error).message}`);
  }
}

// The library side of the command, for tests and other callers.
export async function runVerify(opts: { instances: string; patches: string; store?: SnapshotStore }): Promise<VerifyRunResult> {
  const { instances, problems } = parseInstanceRecords(readInput(opts.instances, "instances"), opts.instances);
  const patches = parsePatchRecords(readInput(opts.patches, "patches"), opts.patches);
  problems.push(...patches.problems);
  const states = new StartStates(opts.store ?? new SnapshotStore());
  const results: VerifyResultRecord[] = [];
  for (const rec of patches.records) {
    const instance = instances.get(rec.instance_id);
    if (!instance) {
      problems.push({ file: opts.patches, line: rec.line, message: `no instance ${rec.instance_id} in ${opts.instances}` });
      continue;
    }
    const reward = await verifyPatch(instance, rec.patch, states);
    results.push({ instance_id: rec.instance_id, task: instance.task, reward });
  }
  return { results, summary: summarizeResults(results), problems };
}

export function formatVerifySummary(run: VerifyRunResult): string {
  const lines: string[] = [];
  for (const p of run.problems) lines.push(`skipped ${p.file}${p.line > 0 ? `:${p.line}` : ""}: ${p.message}`);
  if (run.summary.length === 0) lines.push("no patches were verified");
  for (const s of run.summary) {
    const top = s.topViolations.map((v) => `${v.code} ${v.count}`).join(", ");
    lines.push(
      `${s.task}: ${s.count} patches, success ${(100 * s.successRate).toFixed(1)}%, mean score ${s.meanScore.toFixed(3)}` +
        (top ? `, top violations: ${top}` : ""),
    );
  }
  return lines.join("\n") + "\n";
}

export function register(program: Command): void {
  program
    .command("verify")
    .description("Score agent patches against task instances and summarise per task.")
    .requiredOption("--instances <file>", "instances JSONL (from hgym generate)")
    .requiredOption("--patches <file>", "patches JSONL: {instance_id, patch} (or model_patch) per line")
    .option("--out <file>", "write one result per verified patch (JSONL)")
    .action(async (opts: VerifyCliOptions) => {
      const run = await runVerify({ instances: opts.instances, patches: opts.patches });
      if (opts.out) {
        const tmp = `${opts.out}.tmp-${process.pid}`;
        writeFileSync(tmp, run.results.map((r) => JSON.stringify(r)).join("\n") + (run.results.length ? "\n" : ""));
        renameSync(tmp, opts.out);
      }
      process.stdout.write(formatVerifySummary(run));
    });
}
