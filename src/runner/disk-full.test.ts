// A run directory on a real, small tmpfs: when the disk fills mid-run, the batch stops with one line naming
// rollouts.jsonl (ENOSPC), the records written before stay readable, and no further rollout is attempted; a run
// directory on a read-only mount is refused before any rollout starts. Mounting needs root (as here and in CI).

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSandbox } from "../sandbox/index.js";
import { OutputFileError } from "../util/output-file.js";
import { runBatch } from "./batch.js";
import { LocalRolloutEnvironment } from "./environment.js";
import { runIdentity } from "./run-dir.js";
import { setupTinyTask, tinyFamily, type TinySetup } from "./test-support/tiny-task.js";

const isRoot = process.getuid?.() === 0;
const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;

let tmp: string;
const mounts: string[] = [];
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-diskfull-"));
});
afterEach(() => {
  for (const m of mounts.splice(0).reverse()) execFileSync("umount", ["-l", m]);
  rmSync(tmp, { recursive: true, force: true });
});

function mount(dir: string, options: string): string {
  mkdirSync(dir, { recursive: true });
  execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
  mounts.push(dir);
  return dir;
}

function oracleBatch(setup: TinySetup, outDir: string) {
  const env = new LocalRolloutEnvironment({
    store: setup.store,
    sandbox: createSandbox("local"),
    taskFamily: () => tinyFamily as never,
    model: "oracle",
    endpoint: null,
    toolFormat: "native",
    agentLimits: { maxSteps: 10 },
    workspaceRoot: join(tmp, "ws"),
  });
  return runBatch({
    instancesPath: setup.instancesPath,
    outDir,
    env,
    identity: runIdentity({ model: "oracle", max_steps: 10 }),
    options: {},
    samples: 1,
    concurrency: 1,
    limit: null,
    maxInfraRetries: 0,
    force: false,
    progressStream: quiet,
  });
}

describe.skipIf(!isRoot)("run directories on a full or read-only disk", () => {
  it("stops at the first record that does not fit, naming rollouts.jsonl; earlier records stay", async () => {
    const setup = await setupTinyTask(tmp, 60);
    const runDir = mount(join(tmp, "run"), "size=64k");
    const err = await oracleBatch(setup, runDir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OutputFileError);
    const path = join(runDir, "rollouts.jsonl");
    expect((err as Error).message).toBe(`cannot write ${path}: no space left on the device (ENOSPC); free space or choose another --out`);
    const complete = readFileSync(path, "utf8")
      .split("\n")
      .filter((l) => l.startsWith("{") && l.endsWith("}"));
    expect(complete.length).toBeGreaterThan(0);
    expect(complete.length).toBeLessThan(60);
    for (const line of complete) expect(JSON.parse(line).instance_id).toMatch(/^tiny\//);
  });

  it("refuses a run directory on a read-only mount before any rollout (EROFS)", async () => {
    const setup = await setupTinyTask(tmp, 1);
    const ro = mount(join(tmp, "ro"), "ro,size=1m");
    const err = await oracleBatch(setup, join(ro, "run")).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OutputFileError);
    expect((err as Error).message).toBe(`cannot write ${join(ro, "run")}: the file system is read-only (EROFS); choose a writable location for --out`);
  });
});
