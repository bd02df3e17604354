// Telling what a path is, and refusing paths that hold nothing to show.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../core/errors.js";
import { findSources } from "./sources.js";
import { VIOLATION_EXPLANATIONS } from "./violations.js";
import { bins } from "./charts.js";

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-view-sources-"));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function write(path: string, text: string): string {
  mkdirSync(dirname(join(tmp, path)), { recursive: true });
  writeFileSync(join(tmp, path), text);
  return join(tmp, path);
}

describe("findSources", () => {
  it("finds runs, instance files and exports in a folder, with names unique per kind", () => {
    write("a/runs/oracle/run.json", "{}");
    write("a/runs/oracle/rollouts.jsonl", "");
    write("b/runs/oracle/rollouts.jsonl", "");
    write("a/instances.jsonl", JSON.stringify({ schema: "hgym.instance/2", instance_id: "x" }) + "\n");
    write("a/old-instances.jsonl", JSON.stringify({ instance_id: "x", instruction: "do" }) + "\n");
    write("a/export/openai.jsonl", "{}\n");
    write("a/export/openai.jsonl.manifest.json", "{}");
    write("a/export/other.parquet.manifest.json", "{}");
    write("a/notes.jsonl", '{"hello": 1}\n');
    const found = findSources([join(tmp, "a"), join(tmp, "b")]);
    expect(found.map((s) => `${s.kind}:${s.name}`)).toEqual(["export:openai", "export:other", "instances:instances", "instances:old-instances", "run:oracle", "run:oracle-2"]);
    const parquet = found.find((s) => s.name === "other");
    expect(parquet).toMatchObject({ kind: "export", path: null });
  });

  it("takes a rollouts file or a manifest given directly", () => {
    const rollouts = write("r/rollouts.jsonl", JSON.stringify({ schema: "hgym.rollout/1" }) + "\n");
    const loose = write("loose.jsonl", JSON.stringify({ schema: "hgym.rollout/1" }) + "\n");
    const manifest = write("e/sft.jsonl.manifest.json", "{}");
    expect(findSources([rollouts, loose, manifest]).map((s) => `${s.kind}:${s.name}`)).toEqual(["run:r", "run:loose", "export:sft"]);
  });

  it("refuses a missing path, a folder with nothing to show, and a file of another kind", () => {
    expect(() => findSources([])).toThrow(UserError);
    expect(() => findSources([join(tmp, "nope")])).toThrow(/does not exist/);
    mkdirSync(join(tmp, "empty"));
    expect(() => findSources([join(tmp, "empty")])).toThrow(/holds nothing hgym view can show/);
    const other = write("other.jsonl", '{"a": 1}\n');
    expect(() => findSources([other])).toThrow(/neither an instance file nor rollouts/);
  });
});

describe("violation explanations", () => {
  it("explain every violation code a task family can report", () => {
    const tasks = join(dirname(fileURLToPath(import.meta.url)), "..", "tasks");
    const codes = new Set<string>();
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) {
          for (const m of readFileSync(p, "utf8").matchAll(/\bcode: "([a-z0-9-]+)"/g)) codes.add(m[1] as string);
        }
      }
    };
    walk(tasks);
    expect(codes.size).toBeGreaterThan(20);
    expect([...codes].filter((c) => !VIOLATION_EXPLANATIONS[c]).sort()).toEqual([]);
  });
});

describe("histogram bins", () => {
  it("puts every value in one bin, integer bins naming their inclusive last value", () => {
    const steps = [1, 2, 2, 3, 10, 30, 30];
    const b = bins(steps, 3);
    expect(b.reduce((n, x) => n + x.count, 0)).toBe(steps.length);
    expect(b.map((x) => [x.from, x.to, x.count])).toEqual([
      [1, 10, 5],
      [11, 20, 0],
      [21, 30, 2],
    ]);
    expect(bins([0.5, 0.5], 4)).toEqual([{ from: 0.5, to: 0.5, count: 2 }]);
    const f = bins([0, 0.25, 1], 4);
    expect(f.map((x) => x.count)).toEqual([1, 1, 0, 1]);
    expect(f[3]?.to).toBe(1);
  });
});
