import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../core/errors.js";
import { RunDir, type RunManifest } from "./run-dir.js";
import { makeRecord, testIdentity } from "./test-support/records.js";

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-rundir-"));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const instances = { path: "i.jsonl", sha256: "0".repeat(64), count: 3 };
const open = (dir: string, overrides = {}, force = false) =>
  RunDir.open(dir, { identity: testIdentity(overrides), options: { concurrency: 2 }, versions: { node: "20" }, instances, force });

describe("RunDir", () => {
  it("plans only unsettled pairs and resumes infra failures below the limit", () => {
    const dir = join(tmp, "run");
    const run = open(dir);
    run.append(makeRecord({ instance_id: "a", sample: 0 })); // success
    run.append(makeRecord({ instance_id: "a", sample: 1, failure: "model" })); // final
    run.append(makeRecord({ instance_id: "b", sample: 0, failure: "infra", attempt: 1 })); // 1 infra: retry
    for (let k = 1; k <= 3; k++) run.append(makeRecord({ instance_id: "b", sample: 1, failure: "infra", attempt: k })); // exhausted
    run.writeManifest({ interrupted: true });
    run.close();

    const again = open(dir);
    const pairs = ["a", "b", "c"].flatMap((id) => [0, 1].map((sample) => ({ instance_id: id, sample })));
    const { todo, skipped } = again.plan(pairs, 2);
    expect(skipped).toBe(3);
    expect(todo).toEqual([
      { instance_id: "b", sample: 0, firstAttempt: 2 },
      { instance_id: "c", sample: 0, firstAttempt: 1 },
      { instance_id: "c", sample: 1, firstAttempt: 1 },
    ]);
    // A larger retry budget reopens the exhausted pair.
    expect(again.plan(pairs, 3).todo.map((p) => `${p.instance_id}${p.sample}`)).toContain("b1");
    again.plan(pairs, 2);
    expect(again.counts()).toEqual({ pairs_planned: 6, records: 6, final: 3, success: 1, failure_model: 1, failure_infra: 1, infra_pending: 1 });
    const m = again.writeManifest({ interrupted: false });
    again.close();
    expect(m.sessions).toHaveLength(2);
    expect(m.sessions[0]?.interrupted).toBe(true);
    expect(m.finished_at).not.toBeNull();
    const onDisk = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunManifest;
    expect(onDisk.counts.success).toBe(1);
    expect(onDisk.prompt_hash).toBe("p".repeat(64));
    expect(readdirSync(dir).sort()).toEqual(["rollouts.jsonl", "run.json"]); // no temp file left behind
  });

  it("repairs a torn last line on reopen and never joins a record onto it", () => {
    const dir = join(tmp, "run");
    const run = open(dir);
    run.append(makeRecord({ instance_id: "a", sample: 0 }));
    run.writeManifest();
    run.close();
    appendFileSync(join(dir, "rollouts.jsonl"), '{"schema":"hgym.rollout/1","instance_id":"b","sam');
    const again = open(dir);
    expect(again.readErrors).toHaveLength(1);
    expect(again.readErrors[0]?.message).toContain("incomplete last line");
    expect(again.state("b", 0)).toEqual({ final: null, infraAttempts: 0 });
    // The tail is already cut at open, before anything is appended.
    expect(readFileSync(join(dir, "rollouts.jsonl"), "utf8").split("\n").filter((l) => l)).toHaveLength(1);
    again.append(makeRecord({ instance_id: "b", sample: 0 }));
    again.close();
    const lines = readFileSync(join(dir, "rollouts.jsonl"), "utf8").split("\n").filter((l) => l);
    expect(lines.map((l) => (JSON.parse(l) as { instance_id: string }).instance_id)).toEqual(["a", "b"]);
  });

  it("refuses a rerun with different settings unless forced, naming each difference", () => {
    const dir = join(tmp, "run");
    open(dir).writeManifest();
    let err: unknown;
    try {
      open(dir, { model: "other-model", max_steps: 10 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain('model: run has "test-model", this command has "other-model"');
    expect((err as Error).message).toContain("max_steps: run has 30, this command has 10");
    expect((err as Error).message).toContain("--force");
    const forced = open(dir, { model: "other-model" }, true);
    const m = forced.writeManifest();
    forced.close();
    expect(m.identity.model).toBe("other-model");
    // Same settings reopen fine.
    open(dir, { model: "other-model" }).close();
  });

  it("refuses records without a manifest and a corrupt manifest", () => {
    const dir = join(tmp, "run");
    open(dir).close(); // creates rollouts.jsonl but no run.json was written
    expect(existsSync(join(dir, "run.json"))).toBe(false);
    expect(() => open(dir)).toThrow(/no run\.json/);
    writeFileSync(join(dir, "run.json"), "{oops");
    expect(() => open(dir)).toThrow(/not valid JSON/);
  });

  it("checks run.json and rollouts.jsonl against their schemas: a newer run is refused, bad records skipped by line", () => {
    const dir = join(tmp, "run");
    const run = open(dir);
    run.append(makeRecord({ instance_id: "a", sample: 0 }));
    run.writeManifest({ interrupted: false });
    run.close();
    const manifestPath = join(dir, "run.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, unknown>;
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, schema: "hgym.run/2" }));
    expect(() => open(dir)).toThrow(`${manifestPath}: written by a newer hgym (run schema 2; this hgym reads up to 1): upgrade hgym`);
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, counts: { ...(manifest.counts as object), success: "1" } }));
    expect(() => open(dir)).toThrow(/run\.json: field `counts\.success`: expected number, got string; fix or delete it/);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const good = makeRecord({ instance_id: "b", sample: 0 });
    appendFileSync(join(dir, "rollouts.jsonl"), JSON.stringify({ ...good, reward: { ...good.reward, success: "yes" } }) + "\n");
    const again = open(dir);
    expect(again.readErrors.map((e) => [e.line, e.message])).toEqual([[2, "field `reward.success`: expected boolean, got string"]]);
    expect(again.state("a", 0).final).not.toBeNull();
    expect(again.state("b", 0).final).toBeNull(); // the bad record settles nothing: the pair runs again
    again.close();
  });
});
