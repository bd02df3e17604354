// func-gen `exec` mode: materialize the workspace the agent would have ended with (snapshot + setup patch +
// candidate) from the snapshot store, then run the instance's test command, or its eval script through the
// runner, in the sandbox (no network, the workspace the only writable place). Pass = exit code 0 within the
// time limit. The structural checks run first, so a candidate that rewrote other code never gets to run.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SnapshotStore } from "../../repo/store.js";
import type { Snapshot } from "../../repo/types.js";
import { UserError } from "../../repo/types.js";
import { materializeWorkspace } from "../../repo/workspace.js";
import { createSandbox } from "../../sandbox/index.js";
import type { SandboxBackend } from "../../sandbox/types.js";
import type { Instance, InstanceRepo, Reward, WorkspaceResult } from "../types.js";
import { checkStructure } from "./checks.js";
import { evalRunnerSource } from "./eval-runner.js";
import type { FuncGenGold } from "./types.js";

const EVAL_DIR = ".hgym_eval";
const OUTPUT_TAIL = 2000;

// The instance's snapshot, from the store $HGYM_CACHE points at, re-ingesting the recorded source when absent.
export async function instanceSnapshot(store: SnapshotStore, repo: InstanceRepo): Promise<Snapshot> {
  if (store.has(repo.snapshot)) return store.get(repo.snapshot);
  const isGitCommit = /^[0-9a-f]{40}$/.test(repo.commit) && repo.commit !== repo.snapshot;
  const snapshot = await store.ingest(isGitCommit ? `${repo.source}@${repo.commit}` : repo.source);
  if (snapshot.id !== repo.snapshot) {
    throw new UserError(`snapshot ${repo.snapshot.slice(0, 12)} of ${repo.name} is not in the store and ${repo.source} now gives different content; point HGYM_CACHE at the store used for generation`);
  }
  return snapshot;
}

function sandboxBackend(): SandboxBackend | "auto" {
  const b = process.env.HGYM_VERIFY_SANDBOX;
  return b === "bwrap" || b === "docker" || b === "local" ? b : "auto";
}

export async function verifyExec(instance: Instance<FuncGenGold>, result: WorkspaceResult): Promise<Reward> {
  const gold = instance.gold;
  const cfg = gold.verify;
  const { violations } = checkStructure(instance, result);
  if (violations.length > 0) return { success: false, score: 0, metrics: { ran: false }, violations, mode: "exec" };
  if (!cfg.test_cmd && !cfg.eval_script) {
    return { success: false, score: 0, metrics: { ran: false }, violations: [{ code: "no-test", message: "exec mode needs a test command or an eval script" }], mode: "exec" };
  }
  const store = new SnapshotStore();
  const snapshot = await instanceSnapshot(store, instance.repo);
  const ws = await materializeWorkspace(store, snapshot, instance.setup_patch);
  try {
    for (const c of result.changes) {
      if (c.after === null) continue;
      const dest = join(ws.dir, c.path);
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, c.after);
    }
    let command = cfg.test_cmd ?? "";
    if (cfg.eval_script) {
      mkdirSync(join(ws.dir, EVAL_DIR), { recursive: true });
      writeFileSync(join(ws.dir, EVAL_DIR, "eval_script.py"), cfg.eval_script);
      writeFileSync(join(ws.dir, EVAL_DIR, "run.py"), evalRunnerSource({ file: gold.file, qualname: gold.key.replace(/#\d+$/, ""), name: gold.name }));
      command = `python3 -B ${EVAL_DIR}/run.py`;
    }
    const sandbox = createSandbox(sandboxBackend());
    const episode = await sandbox.start({
      hostWorkspace: ws.dir,
      workspacePath: `/workspace/${ws.name}`,
      limits: { commandTimeoutMs: cfg.timeout_ms, episodeTimeoutMs: cfg.timeout_ms + 30_000 },
    });
    let run;
    try {
      run = await episode.run(command, { timeoutMs: cfg.timeout_ms });
    } finally {
      await episode.close();
    }
    const passed = run.exitCode === 0 && !run.timedOut;
    const tail = run.output.length > OUTPUT_TAIL ? run.output.slice(-OUTPUT_TAIL) : run.output;
    return {
      success: passed,
      score: passed ? 1 : 0,
      metrics: { ran: true, exit_code: run.exitCode, timed_out: run.timedOut, backend: episode.backend, output_tail: tail },
      violations: passed
        ? []
        : [{ code: run.timedOut ? "test-timeout" : "test-failed", message: run.timedOut ? `the tests did not finish within ${cfg.timeout_ms} ms` : `the tests failed (exit ${run.exitCode})` }],
      mode: "exec",
    };
  } finally {
    await ws.remove();
  }
}
