// Only a patch that truly does not apply (a PatchError from the patch code) becomes a verdict; any other exception
// while applying it is a bug and must surface as one, never as a reward or a dropped input. The "other exception"
// here is real: the snapshot store has lost the blob of the file the patch touches, so reading it fails with ENOENT.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeFilePatch } from "../../patch/make.js";
import { snapshotView } from "../../repo/store.js";
import { setupTinyTask, tinyFamily, type TinySetup } from "../../runner/test-support/tiny-task.js";
import { computeGold } from "../issue-localize/gold.js";
import { createVerifyContext } from "../verify-context.js";
import type { TaskFamily } from "../types.js";
import { runValidityGate } from "./validity-gate.js";
import { StartStates, verifyPatch } from "./verify-batch.js";
import { startView } from "./workspace.js";

let tmp: string;
let setup: TinySetup;
beforeEach(async () => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-narrow-"));
  setup = await setupTinyTask(tmp, 1);
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const utilPatch = makeFilePatch("util.py", "X = 1\n", "X = 2\n");
const notApplying = makeFilePatch("util.py", "Y = 1\n", "Y = 2\n");

// Deletes util.py's blob from the store (the setup patch only touches greet.py, so the start state still builds).
function loseUtilBlob(): void {
  const inst = setup.instances[0];
  if (!inst) throw new Error("no instance");
  const snapshot = setup.store.get(inst.repo.snapshot);
  const entry = snapshot.files.find((f) => f.path === "util.py");
  if (!entry?.blob) throw new Error("util.py has no blob");
  rmSync(setup.store.blobPath(entry.blob));
}

describe("patch failures vs bugs", () => {
  it("verify: a patch that does not apply is the patch-does-not-apply verdict; a crash while applying propagates", async () => {
    const inst = setup.instances[0];
    if (!inst) throw new Error("no instance");
    const ctx = createVerifyContext({ store: setup.store, sandbox: undefined });
    const reward = await verifyPatch(inst, notApplying, new StartStates(setup.store), ctx);
    expect(reward.success).toBe(false);
    expect(reward.violations.map((v) => v.code)).toEqual(["patch-does-not-apply"]);
    expect(reward.violations[0]?.message).toMatch(/patch does not apply to util\.py/);

    loseUtilBlob();
    await expect(verifyPatch(inst, utilPatch, new StartStates(setup.store), ctx)).rejects.toThrow(/ENOENT/);
  });

  it("validity gate: a hack that does not apply counts as not rejected; a crash while applying it propagates", async () => {
    const inst = setup.instances[0];
    if (!inst) throw new Error("no instance");
    const ctx = createVerifyContext({ store: setup.store });
    const withHack = (patch: string): TaskFamily<(typeof setup.instances)[number]["gold"]> => ({ ...tinyFamily, hacks: () => [{ name: "edit-util", patch }] });
    const start = startView(snapshotView(setup.store, setup.store.get(inst.repo.snapshot)), inst.setup_patch);
    const gated = await runValidityGate(withHack(notApplying), inst, start, ctx);
    expect(gated.failures).toEqual(["hack-passed:edit-util"]);

    loseUtilBlob();
    const startAfter = startView(snapshotView(setup.store, setup.store.get(inst.repo.snapshot)), inst.setup_patch);
    await expect(runValidityGate(withHack(utilPatch), inst, startAfter, ctx)).rejects.toThrow(/ENOENT/);
  });

  it("issue-localize gold: a fix that does not apply drops the issue; a crash while applying it propagates", () => {
    const inst = setup.instances[0];
    if (!inst) throw new Error("no instance");
    const view = () => snapshotView(setup.store, setup.store.get(inst.repo.snapshot));
    expect(computeGold(notApplying, view())).toEqual({ reason: "fix-does-not-apply" });
    loseUtilBlob();
    expect(() => computeGold(utilPatch, view())).toThrow(/ENOENT/);
  });
});
