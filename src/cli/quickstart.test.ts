import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { instanceSchema } from "../core/schemas/instance.js";
import { readJsonlRecords } from "../util/jsonl.js";
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
    const instances = readJsonlRecords(join(tmp, "out", "instances.jsonl"), instanceSchema);
    expect(instances.length).toBe(result.instances);
    for (const inst of instances) {
      expect(inst.meta.validity.gold).toBe(true);
      expect(inst.meta.validity.null).toBe(true);
      expect(Object.values(inst.meta.validity.hacks).every(Boolean)).toBe(true);
    }
  });

  it("mines issue-localize from the example's history and verifies func-gen by running its tests", () => {
    const instances = readJsonlRecords(
      join(tmp, "out", "instances.jsonl"),
      z.looseObject({ task: z.string(), meta: z.record(z.string(), z.unknown()), gold: z.record(z.string(), z.unknown()) }),
    );
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
      expect(readJsonlRecords(file, z.unknown()).length).toBe(result.rollouts);
      expect(existsSync(`${file}.manifest.json`)).toBe(true);
      expect(readFileSync(`${file}.README.md`, "utf8")).toMatch(/func-localize/);
    }
    expect(lines.join("\n")).toMatch(/quickstart done/);
  });

  it("ends with the command that opens the viewer, which shows the run and its analysis", async () => {
    expect(lines[lines.length - 1]).toBe(`see the instances, trajectories and exports in your browser: hgym view ${join(tmp, "out")}`);
    const { view } = await import("./view.js");
    const viewer = await view([join(tmp, "out")], { host: "127.0.0.1", port: 0 }, () => undefined);
    try {
      let overview = "";
      for (let i = 0; i < 120 && !overview.includes("Share of actions per component"); i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 500));
        overview = await (await fetch(viewer.url)).text();
      }
      expect(overview).toMatch(/href="\/rollouts\?run=oracle">oracle<\/a>/);
      expect(overview).toMatch(new RegExp(`<b>${result.rollouts}</b>rollouts`));
      expect(overview).toContain("Share of actions per component, by task");
      const list = await (await fetch(new URL("/rollouts?task=func-gen", viewer.url))).text();
      const href = /<a href="(\/run\/oracle\/\d+)">func-gen\//.exec(list)?.[1];
      const page = await (await fetch(new URL(href ?? "/missing", viewer.url))).text();
      expect(page).toContain("Setup patch");
      expect(page).toContain('<span class="add">+');
    } finally {
      await viewer.close();
    }
  }, 120_000);
});
