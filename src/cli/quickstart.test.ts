import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJsonl } from "../util/jsonl.js";
import { quickstart, type QuickstartResult } from "./quickstart.js";

// The main job a new user runs: the whole pipeline on the bundled example, offline, with no model endpoint,
// through the default (bwrap) sandbox.
describe("hgym quickstart", () => {
  const tmp = mkdtempSync(join(tmpdir(), "hgym-quickstart-"));
  const saved = { cache: process.env.HGYM_CACHE, base: process.env.OPENAI_BASE_URL, model: process.env.HGYM_MODEL };
  let result: QuickstartResult;
  const lines: string[] = [];

  beforeAll(async () => {
    process.env.HGYM_CACHE = join(tmp, "cache");
    delete process.env.OPENAI_BASE_URL;
    delete process.env.HGYM_MODEL;
    result = await quickstart({ out: join(tmp, "out"), sandbox: "auto", concurrency: 2, seed: 0, perTask: 2 }, (s) => lines.push(s));
  }, 300_000);

  afterAll(() => {
    for (const [k, v] of [["HGYM_CACHE", saved.cache], ["OPENAI_BASE_URL", saved.base], ["HGYM_MODEL", saved.model]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  it("generates validated instances of all four task families", () => {
    expect(Object.keys(result.byTask).sort()).toEqual(["dep-search", "func-gen", "func-localize", "issue-localize"]);
    for (const [task, n] of Object.entries(result.byTask)) expect(n, task).toBeGreaterThan(0);
    const instances = readJsonl<{ task: string; meta: { validity: { gold: boolean; null: boolean; hacks: Record<string, boolean> } } }>(
      join(tmp, "out", "instances.jsonl"),
    ).records;
    expect(instances.length).toBe(result.instances);
    for (const inst of instances) {
      expect(inst.meta.validity.gold).toBe(true);
      expect(inst.meta.validity.null).toBe(true);
      expect(Object.values(inst.meta.validity.hacks).every(Boolean)).toBe(true);
    }
  });

  it("mines issue-localize from the example's history and verifies func-gen by running its tests", () => {
    const instances = readJsonl<{ task: string; meta: Record<string, unknown>; gold: Record<string, unknown> }>(join(tmp, "out", "instances.jsonl")).records;
    const il = instances.filter((i) => i.task === "issue-localize");
    expect(il.every((i) => (i.meta.origin as { kind: string }).kind === "history")).toBe(true);
    const fg = instances.filter((i) => i.task === "func-gen");
    expect(fg.length).toBeGreaterThan(0);
    expect(JSON.stringify(fg[0])).toContain("unittest");
    // exec verdicts come from the tests themselves: each instance records the unittest ids its gold passed.
    expect(fg.every((i) => ((i.gold.verify as { expected?: { runner: string; passed: string[] } }).expected?.passed.length ?? 0) > 0)).toBe(true);
  });

  it("solves every instance with the oracle in the sandbox and exports the runs", () => {
    expect(result.rollouts).toBe(result.instances);
    expect(result.successes).toBe(result.rollouts);
    for (const file of result.exports) {
      expect(existsSync(file)).toBe(true);
      expect(readJsonl(file).records.length).toBe(result.rollouts);
      expect(existsSync(`${file}.manifest.json`)).toBe(true);
      expect(readFileSync(`${file}.README.md`, "utf8")).toMatch(/func-localize/);
    }
    expect(lines.join("\n")).toMatch(/quickstart done/);
  });
});
