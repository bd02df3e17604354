// func-gen `exec` mode: materialize the workspace the agent would have ended with (snapshot + setup patch +
// candidate) from the snapshot store, then run the instance's tests in the sandbox (no network, the workspace the
// only writable place) through a wrapper that records the tests' own verdict (verdict.ts). Pass = the run reports
// the same outcome as the gold's run, every test that passed for the gold passed, none failed, and the exit status
// is 0 within the time limit. The gold's verdict is recorded once, before the validity gate (`calibrateExec`).
// The structural checks run first, so a candidate that rewrote other code never gets to run.

import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { SnapshotStore } from "../../repo/store.js";
import type { Snapshot } from "../../repo/types.js";
import { UserError } from "../../core/errors.js";
import { materializeWorkspace } from "../../repo/workspace.js";
import type { SandboxBackend } from "../../sandbox/types.js";
import type { FileChange, RepoView, WorkspaceResult } from "../../core/repo-view.js";
import type { Instance, InstanceRepo } from "../types.js";
import type { Reward, Violation } from "../../core/reward.js";
import { resultFromPatch } from "../common/workspace.js";
import type { VerifyContext } from "../verify-context.js";
import { checkStructure } from "./checks.js";
import { KEY_FILE, REPORT_FILE, SUPPORTED_RUNNERS_TEXT, parseTestCommand } from "./test-command.js";
import type { FuncGenGold } from "./types.js";
import { parseNativeOutput } from "./native-runners.js";
import { readReport, verdictMismatch, verdictPlan, type TestVerdict } from "./verdict.js";

const OUTPUT_TAIL = 2000;

// The instance's snapshot, from the verification context's store, re-ingesting the recorded source when absent.
export async function instanceSnapshot(store: SnapshotStore, repo: InstanceRepo): Promise<Snapshot> {
  if (store.has(repo.snapshot)) return store.get(repo.snapshot);
  const isGitCommit = /^[0-9a-f]{40}$/.test(repo.commit) && repo.commit !== repo.snapshot;
  const snapshot = await store.ingest(isGitCommit ? `${repo.source}@${repo.commit}` : repo.source);
  if (snapshot.id !== repo.snapshot) {
    throw new UserError(`snapshot ${repo.snapshot.slice(0, 12)} of ${repo.name} is not in the store and ${repo.source} now gives different content; use the snapshot store the instances were generated with (--cache or HGYM_CACHE)`);
  }
  return snapshot;
}

interface ExecRun {
  exitCode: number | null;
  timedOut: boolean;
  output: string;
  backend: SandboxBackend;
  verdict: TestVerdict | { problem: "missing" | "forged" } | null; // null: exit-status mode, nothing read
}

// Runs the instance's tests on the starting state plus `changes`, in a fresh episode of the context's sandbox.
async function runTests(instance: Instance<FuncGenGold>, changes: readonly FileChange[], ctx: VerifyContext): Promise<ExecRun> {
  const gold = instance.gold;
  const cfg = gold.verify;
  const store = ctx.store;
  const snapshot = await instanceSnapshot(store, instance.repo);
  const ws = await materializeWorkspace(store, snapshot, instance.setup_patch, { root: ctx.workspaceRoot });
  try {
    for (const c of changes) {
      if (c.after === null) continue;
      const dest = join(ws.dir, c.path);
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, c.after);
    }
    // A fresh random directory in the sandbox's private /tmp per run: never in the workspace, unknown to the
    // candidate beforehand; the key is only in a file the wrapper deletes before importing any test code.
    const dir = `/tmp/hgym-verdict-${randomBytes(12).toString("hex")}`;
    const key = randomBytes(32).toString("hex");
    const exitStatusOnly = cfg.verdict_source === "exit-status" && !cfg.eval_script;
    const plan = exitStatusOnly ? null : verdictPlan(gold, cfg.test_cmd ? parseTestCommand(cfg.test_cmd) : null, dir);
    if (!exitStatusOnly && !plan) throw new UserError(`the test command "${cfg.test_cmd ?? ""}" is not one whose verdict hgym can read (${SUPPORTED_RUNNERS_TEXT})`);
    const episode = await ctx.sandbox.start({
      hostWorkspace: ws.dir,
      workspacePath: `/workspace/${ws.name}`,
      limits: { commandTimeoutMs: cfg.timeout_ms, episodeTimeoutMs: cfg.timeout_ms + 30_000 },
    });
    try {
      if (plan) {
        const files = { ...plan.files, [KEY_FILE]: key };
        const writes = Object.entries(files).map(([name, content]) => `printf '%s' '${Buffer.from(content).toString("base64")}' | /usr/bin/base64 -d > ${dir}/${name}`);
        const setup = await episode.run(`(umask 077 && /bin/mkdir ${dir} && ${writes.join(" && ")})`, { timeoutMs: 30_000 });
        if (setup.exitCode !== 0) throw new Error(`could not prepare the test run in the sandbox: ${setup.output.slice(0, 500)}`);
      }
      const run = await episode.run(plan ? plan.command : (cfg.test_cmd as string), { timeoutMs: cfg.timeout_ms });
      let verdict: ExecRun["verdict"] = null;
      if (plan?.fromOutput && !run.timedOut) {
        verdict = parseNativeOutput(plan.runner as "go-test" | "cargo-test", run.output);
        await episode.run(`/bin/rm -rf ${dir}`, { timeoutMs: 30_000 });
      } else if (plan && !run.timedOut) {
        const read = await episode.run(`/bin/cat ${dir}/${REPORT_FILE} 2>/dev/null; /bin/rm -rf ${dir}`, { timeoutMs: 30_000 });
        verdict = readReport(read.timedOut ? null : read.output, key);
      } else if (plan) {
        verdict = { problem: "missing" };
      }
      return { exitCode: run.exitCode, timedOut: run.timedOut, output: run.output, backend: episode.backend, verdict };
    } finally {
      await episode.close();
    }
  } finally {
    await ws.remove();
  }
}

function tail(output: string): string {
  return output.length > OUTPUT_TAIL ? output.slice(-OUTPUT_TAIL) : output;
}

// Runs the gold once and records its verdict in the instance (gold.verify.expected), before the validity gate;
// the gate's own gold run then has to reproduce it (flaky tests drop the instance). Returns why the instance
// cannot be used, or null.
export async function calibrateExec(instance: Instance<FuncGenGold>, start: RepoView, ctx: VerifyContext): Promise<string | null> {
  const cfg = instance.gold.verify;
  if (cfg.mode !== "exec" || (cfg.verdict_source === "exit-status" && !cfg.eval_script)) return null;
  const changes = resultFromPatch(start, instance.gold.patch).changes;
  const run = await runTests(instance, changes, ctx);
  if (run.timedOut) return "calibration:gold-timeout";
  if (run.exitCode !== 0) return "calibration:gold-tests-failed";
  const v = run.verdict;
  if (!v || "problem" in v) return "calibration:no-report";
  if (v.failed.length > 0) return "calibration:gold-tests-failed";
  if (v.passed.length === 0) return "calibration:no-tests-passed";
  cfg.verdict_source = "tests";
  cfg.expected = { runner: v.runner, outcome: v.outcome, passed: v.passed };
  return null;
}

export async function verifyExec(instance: Instance<FuncGenGold>, result: WorkspaceResult, ctx: VerifyContext): Promise<Reward> {
  const cfg = instance.gold.verify;
  const source = cfg.verdict_source === "exit-status" && !cfg.eval_script ? "exit-status" : "tests";
  const fail = (violations: Violation[], metrics: Reward["metrics"] = {}): Reward => ({ success: false, score: 0, metrics: { ran: false, verdict_source: source, ...metrics }, violations, mode: "exec" });
  const { violations } = await checkStructure(instance, result);
  if (violations.length > 0) return fail(violations);
  if (!cfg.test_cmd && !cfg.eval_script) return fail([{ code: "no-test", message: "exec mode needs a test command or an eval script" }]);
  if (source === "tests" && !cfg.expected) {
    return fail([{ code: "no-recorded-verdict", message: "the instance records no test verdict from its gold run (generated by an older hgym?): regenerate it" }]);
  }
  const run = await runTests(instance, result.changes, ctx);
  const metrics: Reward["metrics"] = { ran: true, verdict_source: source, exit_code: run.exitCode, timed_out: run.timedOut, backend: run.backend, output_tail: tail(run.output) };
  const out: Violation[] = [];
  if (run.timedOut) out.push({ code: "test-timeout", message: `the tests did not finish within ${cfg.timeout_ms} ms` });
  else if (source === "tests") {
    const v = run.verdict;
    const expected = cfg.expected as NonNullable<typeof cfg.expected>;
    if (!v || "problem" in v) {
      out.push(
        v?.problem === "forged"
          ? { code: "verdict-forged", message: "the test report was altered after the test runner wrote it" }
          : { code: "verdict-missing", message: "the test runner wrote no report: the process ended before the tests finished" },
      );
    } else {
      metrics.tests_expected = expected.passed.length;
      metrics.tests_passed = v.passed.length;
      metrics.tests_failed = v.failed.length;
      const mismatch = verdictMismatch(expected, v);
      if (mismatch) out.push(mismatch);
    }
  }
  if (out.length === 0 && run.exitCode !== 0) out.push({ code: "test-failed", message: `the tests failed (exit ${run.exitCode})` });
  const passed = out.length === 0;
  return { success: passed, score: passed ? 1 : 0, metrics, violations: out, mode: "exec" };
}
