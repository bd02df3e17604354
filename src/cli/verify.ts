// `hgym verify --instances instances.jsonl --patches patches.jsonl [--out results.jsonl]`: score patches (one
// `{instance_id, patch}` per line; SWE-bench's `model_patch` is accepted) against their instances and print a
// summary per task. A batch: a line that fails its schema (an instance with a wrongly typed field, a patch line
// without a patch) or an instance whose setup patch does not apply is reported with its file, line and field and
// skipped; the rest are verified and written, and the command then exits 1 naming the first bad line.

import type { Command } from "commander";
import { SnapshotStore } from "../repo/store.js";
import { PatchError, UserError } from "../core/errors.js";
import { openOutputStream, prepareOutputFile } from "../util/output-file.js";
// The verifiers (task families, parsers, the model client) load when a verification runs, not for --help.
import type { LineProblem, TaskSummary, VerifyResultRecord } from "../tasks/common/verify-batch.js";
import type { VerifyContext } from "../tasks/verify-context.js";
import { leftoverRoots, sweepAtStartup } from "./gc.js";

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

// The library side of the command, for tests and other callers. `context` is what the verifiers may use; without
// it: `store` (default: the user's store), the "auto" sandbox and no judge model.
export async function runVerify(opts: { instances: string; patches: string; store?: SnapshotStore; context?: VerifyContext }): Promise<VerifyRunResult> {
  const [{ readInstanceRecords, readPatchRecords, StartStates, summarizeResults, verifyPatch }, { createVerifyContext }] = await Promise.all([
    import("../tasks/common/verify-batch.js"),
    import("../tasks/verify-context.js"),
  ]);
  const { instances, invalid, problems } = await readInstanceRecords(opts.instances);
  const patches = await readPatchRecords(opts.patches);
  problems.push(...patches.problems);
  const context = opts.context ?? createVerifyContext({ store: opts.store ?? new SnapshotStore() });
  const states = new StartStates(context.store);
  const results: VerifyResultRecord[] = [];
  for (const rec of patches.records) {
    const instance = instances.get(rec.instance_id);
    if (!instance) {
      if (!invalid.has(rec.instance_id)) problems.push({ file: opts.patches, line: rec.line, message: `no instance ${rec.instance_id} in ${opts.instances}` });
      continue;
    }
    try {
      await states.start(instance);
    } catch (e) {
      if (!(e instanceof PatchError)) throw e;
      problems.push({ file: opts.patches, line: rec.line, message: `instance ${rec.instance_id} is unusable: its setup_patch does not apply (${e.message})` });
      continue;
    }
    const reward = await verifyPatch(instance, rec.patch, states, context);
    results.push({ instance_id: rec.instance_id, task: instance.task, reward });
  }
  return { results, summary: summarizeResults(results), problems };
}

function problemText(p: LineProblem): string {
  return `${p.file}${p.line > 0 ? ` line ${p.line}` : ""}: ${p.message}`;
}

export function formatVerifySummary(run: VerifyRunResult): string {
  const lines: string[] = [];
  for (const p of run.problems) lines.push(`skipped ${problemText(p)}`);
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
      const out = opts.out ? prepareOutputFile(opts.out, { option: "--out" }) : null;
      await sweepAtStartup(leftoverRoots(process.env));
      const { verifyContextFromEnvironment } = await import("./verify-context.js");
      const run = await runVerify({ instances: opts.instances, patches: opts.patches, context: verifyContextFromEnvironment(new SnapshotStore(), process.env) });
      process.stdout.write(formatVerifySummary(run));
      if (run.results.length === 0) {
        const first = run.problems[0];
        throw new UserError(`${first ? `${problemText(first)}; ` : ""}no patch in ${opts.patches} could be verified (reasons above)${out ? `; ${out} not written` : ""}`);
      }
      if (out) {
        const stream = openOutputStream(out, { option: "--out" });
        for (const r of run.results) stream.write(JSON.stringify(r) + "\n");
        stream.commit();
      }
      const [first] = run.problems;
      if (first) {
        const more = run.problems.length > 1 ? ` (and ${run.problems.length - 1} more, listed above)` : "";
        throw new UserError(`${problemText(first)}${more}; that input was skipped, the other ${run.results.length} patches were verified${out ? ` and written to ${out}` : ""}`);
      }
    });
}
