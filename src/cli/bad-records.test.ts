// The measured case of issue 9: an instance with a wrongly typed field given to the real `hgym verify` and
// `hgym rollout` (the CLI's own entry point, main()) ends with one clear message naming the file, the line and
// the field, exit 1, no stack trace; in a batch the other instances are still verified / rolled out.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeFilePatch } from "../patch/make.js";
import { GREET_BEFORE, GREET_START, setupTinyTask } from "../runner/test-support/tiny-task.js";
import { instanceLine } from "../core/schemas/instance.js";
import { main } from "./main.js";

let tmp: string;
let good: Record<string, unknown>;
let bad: Record<string, unknown>;
let goldPatch: string;

// The real entry point (what bin/hgym runs, minus process.exit): its exit code and what it printed.
async function hgym(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out = { stdout: "", stderr: "" };
  const saved = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  process.stdout.write = ((chunk: string) => ((out.stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((out.stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const status = await main(["node", "hgym", "--cache", join(tmp, "store"), ...args]);
    return { status, ...out };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exitCode = undefined; // a command's exit code must not leak into the test process
  }
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-bad-records-"));
  const setup = await setupTinyTask(tmp, 1);
  goldPatch = makeFilePatch("greet.py", GREET_START, GREET_BEFORE);
  // A real func-localize instance on the tiny repository: restore greet's docstring.
  good = { ...setup.instances[0], instance_id: "func-localize/demo/greet" };
  bad = { ...good, instance_id: "func-localize/demo/bad", setup_patch: 5 };
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("a wrongly typed instance field", () => {
  it("hgym verify: exit 1 with the file, line and field; no stack trace", async () => {
    const instances = join(tmp, "one-bad.jsonl");
    writeFileSync(instances, JSON.stringify(bad) + "\n");
    const patches = join(tmp, "one-patch.jsonl");
    writeFileSync(patches, JSON.stringify({ instance_id: bad.instance_id, patch: goldPatch }) + "\n");
    const r = await hgym("verify", "--instances", instances, "--patches", patches);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(`hgym: ${instances} line 1: field \`setup_patch\`: expected string, got number`);
    expect(r.stderr).not.toMatch(/unexpected error|trim is not a function|\n\s+at /);
  }, 60_000);

  it("hgym verify in a batch: the bad line is reported, the good one verified and written, then exit 1", async () => {
    const instances = join(tmp, "mixed.jsonl");
    writeFileSync(instances, [JSON.stringify(bad), instanceLine(good)].join("\n") + "\n");
    const patches = join(tmp, "patches.jsonl");
    writeFileSync(patches, [bad, good].map((i) => JSON.stringify({ instance_id: i.instance_id, patch: goldPatch })).join("\n") + "\n");
    const out = join(tmp, "results.jsonl");
    const r = await hgym("verify", "--instances", instances, "--patches", patches, "--out", out);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain(`skipped ${instances} line 1: field \`setup_patch\`: expected string, got number`);
    expect(r.stdout).toMatch(/func-localize: 1 patches, success 100\.0%/);
    expect(r.stderr).toMatch(/line 1: field `setup_patch`.*the other 1 patches were verified and written to/);
    const results = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { instance_id: string; reward: { success: boolean } });
    expect(results.map((x) => [x.instance_id, x.reward.success])).toEqual([[good.instance_id, true]]);
  }, 60_000);

  it("hgym verify refuses an instance file from a newer hgym, saying to upgrade", async () => {
    const instances = join(tmp, "newer.jsonl");
    writeFileSync(instances, JSON.stringify({ ...good, schema: "hgym.instance/3" }) + "\n");
    const patches = join(tmp, "newer-patches.jsonl");
    writeFileSync(patches, JSON.stringify({ instance_id: good.instance_id, patch: goldPatch }) + "\n");
    const r = await hgym("verify", "--instances", instances, "--patches", patches);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${instances} line 1: written by a newer hgym (instance schema 3; this hgym reads up to 2): upgrade hgym`);
  }, 60_000);

  it("hgym rollout in a batch: the bad line is named with its field, the good instance runs, exit 1", async () => {
    const instances = join(tmp, "rollout.jsonl");
    const teleport = { ...good, instance_id: "func-teleport/demo/greet", task: "func-teleport" };
    writeFileSync(instances, [JSON.stringify(bad), instanceLine(good), JSON.stringify(teleport)].join("\n") + "\n");
    const run = join(tmp, "run");
    const r = await hgym("rollout", instances, "--out", run, "--model", "oracle", "--sandbox", "local");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(`${instances}:1: skipped: field \`setup_patch\`: expected string, got number`);
    // An unknown task is refused when read, by name, instead of failing as "infra" in every retry.
    expect(r.stderr).toContain(`${instances}:3: skipped: field \`task\`: expected one of "func-localize"|"issue-localize"|"dep-search"|"func-gen"`);
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(existsSync(join(run, "rollouts.jsonl"))).toBe(true);
    const recs = readFileSync(join(run, "rollouts.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { instance_id: string; failure: string; reward: { success: boolean } | null });
    expect(recs.map((x) => [x.instance_id, x.failure, x.reward?.success])).toEqual([[good.instance_id, "none", true]]);
  }, 60_000);
});
