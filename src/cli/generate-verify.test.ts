import { describe, it, expect, beforeAll, afterAll, vi } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { SnapshotStore } from "../repo/store.js";
import { register as registerGenerate } from "./generate.js";
import { register as registerVerify, runVerify } from "./verify.js";
import { makeTempRepo, instanceStart, editPatch, type TempRepo } from "../tasks/common/test-support.js";
import { patchFromTexts } from "../tasks/common/workspace.js";
import { PYTHON_REPO } from "../tasks/func-localize/fixtures.js";
import type { Instance } from "../tasks/types.js";
import type { FuncLocalizeGold } from "../tasks/func-localize/types.js";

async function runCli(register: (p: Command) => void, args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  register(program);
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(["node", "hgym", ...args]);
  } catch (e) {
    // What was printed before the command failed, for tests of commands that report and then exit 1.
    throw Object.assign(e as Error, { printed: out });
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe("hgym generate + hgym verify", () => {
  let repo: TempRepo;
  let root: string;
  let savedCache: string | undefined;
  let instances: Instance<FuncLocalizeGold>[];
  let generateOutput: string;
  beforeAll(async () => {
    repo = makeTempRepo(PYTHON_REPO, "clirepo");
    root = join(repo.dir, "..");
    savedCache = process.env.HGYM_CACHE;
    process.env.HGYM_CACHE = repo.store.root;
    generateOutput = await runCli(registerGenerate, [
      "generate",
      "func-localize",
      "--repo",
      repo.dir,
      "--repo",
      join(root, "missing-repo"),
      "--out",
      join(root, "instances.jsonl"),
      "--report",
      join(root, "report.json"),
      "--description",
      "docstring",
      "--per-repo",
      "4",
      "--seed",
      "11",
      "--quiet",
    ]);
    instances = readFileSync(join(root, "instances.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Instance<FuncLocalizeGold>);
  });
  afterAll(() => {
    if (savedCache === undefined) delete process.env.HGYM_CACHE;
    else process.env.HGYM_CACHE = savedCache;
    repo.cleanup();
  });

  it("writes instances, a JSON report and prints a table with drop reasons and the failed repo", () => {
    expect(instances).toHaveLength(4);
    const ids = instances.map((i) => i.instance_id);
    expect(ids).toEqual([...ids].sort());
    const report = JSON.parse(readFileSync(join(root, "report.json"), "utf8"));
    expect(report.totals.kept).toBe(4);
    expect(report.totals.failedRepos).toBe(1);
    expect(generateOutput).toContain("trivial-body");
    expect(generateOutput).toContain("FAILED");
    expect(generateOutput).toContain("wrote 4 instances");
  });

  it("verifies a good patch, a bad patch, a non-applying patch, and reports a malformed line", async () => {
    const [first, second, third] = instances as [Instance<FuncLocalizeGold>, Instance<FuncLocalizeGold>, Instance<FuncLocalizeGold>];
    const start = instanceStart(repo.store, second);
    const bad = patchFromTexts([editPatch(start, second.gold.file, (t) => "# just a comment\n" + t)]);
    const lines = [
      JSON.stringify({ instance_id: first.instance_id, patch: first.gold.patch }),
      "{ not json",
      JSON.stringify({ instance_id: second.instance_id, model_patch: bad }),
      JSON.stringify({ instance_id: third.instance_id, patch: "--- a/nowhere.py\n+++ b/nowhere.py\n@@ -1,1 +1,1 @@\n-x = 1\n+x = 2\n" }),
    ];
    const patches = join(root, "patches.jsonl");
    writeFileSync(patches, lines.join("\n") + "\n");
    const run = await runVerify({ instances: join(root, "instances.jsonl"), patches, store: repo.store });
    expect(run.problems.map((p) => p.line)).toEqual([2]);
    expect(run.results.map((r) => r.reward.success)).toEqual([true, false, false]);
    expect(run.results[1]?.reward.violations.map((v) => v.code)).toContain("target-not-documented");
    expect(run.results[2]?.reward.violations.map((v) => v.code)).toEqual(["patch-does-not-apply"]);

    const out = join(root, "results.jsonl");
    // The malformed line is reported, the rest verified and written, and the command then fails naming the line.
    const failed = (await runCli(registerVerify, ["verify", "--instances", join(root, "instances.jsonl"), "--patches", patches, "--out", out]).catch((e: unknown) => e)) as Error & { printed: string };
    expect(failed.message).toMatch(/patches\.jsonl line 2: not valid JSON .*the other 3 patches were verified and written/);
    const printed = failed.printed;
    expect(printed).toMatch(/patches\.jsonl line 2/);
    expect(printed).toMatch(/func-localize: 3 patches, success 33\.3%/);
    expect(printed).toContain("patch-does-not-apply");
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(3);
  });

  it("re-ingests the recorded source when the snapshot is not in the store", async () => {
    const first = instances[0] as Instance<FuncLocalizeGold>;
    const patches = join(root, "one.jsonl");
    writeFileSync(patches, JSON.stringify({ instance_id: first.instance_id, patch: first.gold.patch }) + "\n");
    const run = await runVerify({ instances: join(root, "instances.jsonl"), patches, store: new SnapshotStore(join(root, "fresh-store")) });
    expect(run.results.map((r) => r.reward.success)).toEqual([true]);
  });
});
