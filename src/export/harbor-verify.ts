// `hgym harbor-verify`: the verifier entry a Harbor task's tests/test.sh calls (harbor.ts). It reads the
// instance and the trusted start commit from the tests folder, rebuilds the starting state from the snapshot
// store shipped there, collects the agent's changes from the workspace against that commit (as `hgym rollout`
// does, whatever the agent did to the index, HEAD or branches), scores them with the family's verifier and writes
// Harbor's reward file: <logs>/reward.txt (the score) and <logs>/reward-details.json (the whole verdict).

import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import type { Reward } from "../core/reward.js";
import { UserError } from "../core/errors.js";
import { runPrefix } from "../core/run-scope.js";
import { instanceSchema } from "../core/schemas/instance.js";
import { SnapshotStore, snapshotView } from "../repo/store.js";
import { collectResult } from "../repo/workspace.js";
import { startView } from "../tasks/common/workspace.js";
import { getTaskFamily } from "../tasks/registry.js";
import type { VerifyContext } from "../tasks/verify-context.js";
import { readJsonFile } from "../util/json-file.js";
import { prepareOutputDir, writeOutputFile } from "../util/output-file.js";

export const startFileSchema = z.object({ commit: z.string().regex(/^[0-9a-f]{40}$/), repo: z.string().min(1) });

export interface HarborVerifyOptions {
  testsDir: string;
  workspace: string;
  logsDir: string;
  context: (store: SnapshotStore) => VerifyContext;
}

export async function harborVerify(opts: HarborVerifyOptions): Promise<Reward> {
  const logs = prepareOutputDir(opts.logsDir, { option: "--logs" });
  const instanceFile = join(opts.testsDir, "instance.json");
  if (!existsSync(instanceFile)) throw new UserError(`${instanceFile} is missing; --tests must be a Harbor task's tests folder written by \`hgym export-tasks --format harbor\``);
  const instance = readJsonFile(instanceFile, instanceSchema);
  const start = readJsonFile(join(opts.testsDir, "start.json"), startFileSchema);
  // The store is used from a copy: verifiers write caches into it (func-gen builds workspaces from it), and the
  // tests folder may be read-only.
  const scratch = mkdtempSync(join(tmpdir(), `${runPrefix()}-harbor-verify-`));
  let reward: Reward;
  try {
    cpSync(join(opts.testsDir, "store"), join(scratch, "store"), { recursive: true });
    const store = new SnapshotStore(join(scratch, "store"));
    const view = startView(snapshotView(store, store.get(instance.repo.snapshot)), instance.setup_patch);
    if (!existsSync(join(opts.workspace, ".git", "objects"))) {
      // The agent removed the repository's git folder: nothing can be compared against the start, so no credit.
      reward = { success: false, score: 0, metrics: {}, violations: [{ code: "workspace-missing", message: `${opts.workspace} is not the task's repository any more (.git/objects is gone)` }] };
    } else {
      const collected = await collectResult(opts.workspace, { baseCommit: start.commit, start: view });
      reward = await getTaskFamily(instance.task).verify(instance, collected.result, opts.context(store));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  writeOutputFile(join(logs, "reward.txt"), `${reward.score}\n`, { option: "--logs" });
  writeOutputFile(join(logs, "reward-details.json"), JSON.stringify({ instance_id: instance.instance_id, task: instance.task, ...reward }, null, 2) + "\n", { option: "--logs" });
  return reward;
}
