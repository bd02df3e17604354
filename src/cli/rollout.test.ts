// The rollout and export commands end to end: real func-localize instances generated from the bundled example
// repository, `hgym rollout --model oracle` in the bwrap sandbox (local if bwrap is missing), `hgym export`.

import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "./test-support/run-command.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExportManifest } from "../export/export.js";
import { buildExampleRepo } from "../repo/example-repo.js";
import { SnapshotStore } from "../repo/store.js";
import { UserError } from "../core/errors.js";
import { createSandbox } from "../sandbox/index.js";
import { generateInstances, instancesToJsonl } from "../tasks/common/pipeline.js";
import { getTaskFamily } from "../tasks/registry.js";
import { readJsonlRecords } from "../util/jsonl.js";
import { rolloutSchema } from "../core/schemas/rollout.js";
import * as exportCmd from "./export.js";
import * as rolloutCmd from "./rollout-command.js";

let tmp: string;
let instancesPath: string;
let backend: "bwrap" | "local";
const savedCache = process.env.HGYM_CACHE;

const hgym = (...args: string[]) => runCommand([rolloutCmd, exportCmd], args);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-cli-rollout-"));
  process.env.HGYM_CACHE = join(tmp, "cache");
  const repo = buildExampleRepo(join(tmp, "shelf"));
  const family = getTaskFamily("func-localize");
  const { instances } = await generateInstances({
    family,
    repos: [repo],
    store: new SnapshotStore(),
    seed: 1,
    limit: 2,
    includeTests: false,
    language: null,
    taskOptions: { description: "docstring" },
    log: () => undefined,
  });
  expect(instances.length).toBe(2);
  instancesPath = join(tmp, "instances.jsonl");
  writeFileSync(instancesPath, instancesToJsonl(instances));
  appendFileSync(instancesPath, "this line is broken\n");
  backend = (await createSandbox("bwrap").available()).ok ? "bwrap" : "local";
});

afterAll(() => {
  if (savedCache === undefined) delete process.env.HGYM_CACHE;
  else process.env.HGYM_CACHE = savedCache;
  rmSync(tmp, { recursive: true, force: true });
});

describe("hgym rollout / export", () => {
  it("runs the oracle on real instances, then exports them in every format", async () => {
    const run = join(tmp, "runs", "oracle");
    const out = await hgym("rollout", instancesPath, "--out", run, "--model", "oracle", "--sandbox", backend, "--concurrency", "2", "--samples", "2");
    expect(out).toContain("4 of 4 rollouts done (4 successful");
    expect(out).toContain("1 malformed instance lines were skipped");
    const recs = readJsonlRecords(join(run, "rollouts.jsonl"), rolloutSchema);
    expect(recs).toHaveLength(4);
    for (const r of recs) {
      expect(r).toMatchObject({ oracle: true, model: "oracle", failure: "none", task: "func-localize" });
      expect(r.reward?.success).toBe(true);
      expect(r.final_diff).toMatch(/^diff --git/);
    }
    const manifest = JSON.parse(readFileSync(join(run, "run.json"), "utf8")) as { identity: { model: string }; finished_at: string | null };
    expect(manifest.identity.model).toBe("oracle");
    expect(manifest.finished_at).not.toBeNull();

    // Rerunning does nothing new.
    const again = await hgym("rollout", instancesPath, "--out", run, "--model", "oracle", "--sandbox", backend, "--samples", "2");
    expect(again).toContain("0 run now, 4 from earlier sessions");

    // Oracle runs are left out unless asked for.
    const none = join(tmp, "none.jsonl");
    // An export that selects nothing is refused (exit 1) with the reason, and writes no file.
    await expect(hgym("export", run, "--format", "openai", "--out", none)).rejects.toThrow(/4 records, none selected \(left out: oracle 4\)/);
    expect(existsSync(none)).toBe(false);

    for (const format of ["openai", "openhands", "sharegpt"]) {
      const file = join(tmp, `${format}.jsonl`);
      await hgym("export", run, "--format", format, "--include-oracle", "--max-per-instance", "1", "--out", file);
      const rows = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(rows).toHaveLength(2);
      const m = JSON.parse(readFileSync(`${file}.manifest.json`, "utf8")) as ExportManifest;
      expect(m.counts.rows_out).toBe(2);
      expect(m.counts.dropped.over_max_per_instance).toBe(2);
      expect(readFileSync(`${file}.README.md`, "utf8")).toContain("| func-localize | 2 | 100.0% | 1.000 |");
      if (format === "openhands") {
        const text = JSON.stringify(rows[0]);
        expect(text).toContain("<function=str_replace_editor>");
        expect(text).toContain("EXECUTION RESULT of [str_replace_editor]:");
      }
      if (format === "sharegpt") expect(Object.keys(rows[0] ?? {}).slice(-2)).toEqual(["conversations", "tools"]);
    }
  });

  it("refuses a rerun with other settings and names them", async () => {
    const run = join(tmp, "runs", "strict");
    await hgym("rollout", instancesPath, "--out", run, "--model", "oracle", "--sandbox", backend, "--limit", "1");
    await expect(hgym("rollout", instancesPath, "--out", run, "--model", "oracle", "--sandbox", backend, "--max-steps", "5")).rejects.toThrow(
      /max_steps: run has 30, this command has 5[\s\S]*--force/,
    );
    await expect(hgym("rollout", instancesPath, "--out", run, "--model", "oracle", "--sandbox", backend, "--max-steps", "5", "--force", "--limit", "1")).resolves.toContain(
      "1 of 1 rollouts done",
    );
  });

  it("asks for an endpoint when a model has none", async () => {
    const saved = { b: process.env.OPENAI_BASE_URL, k: process.env.OPENAI_API_KEY };
    delete process.env.OPENAI_BASE_URL;
    delete process.env.OPENAI_API_KEY;
    try {
      await expect(hgym("rollout", instancesPath, "--out", join(tmp, "runs", "x"), "--model", "gpt-x")).rejects.toThrow(UserError);
      await expect(hgym("rollout", instancesPath, "--out", join(tmp, "runs", "x"), "--model", "gpt-x")).rejects.toThrow(/--base-url/);
    } finally {
      if (saved.b !== undefined) process.env.OPENAI_BASE_URL = saved.b;
      if (saved.k !== undefined) process.env.OPENAI_API_KEY = saved.k;
    }
  });
});
