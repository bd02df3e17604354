// The record schemas: the TypeScript types of the records must match them (checked at compile time below), versions
// are read and checked, and messages name the field.

import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { RolloutRecord } from "../../agent/types.js";
import type { ExportManifest } from "../../export/export.js";
import type { FileIndex } from "../../lang/types.js";
import type { RunManifest } from "../../runner/run-dir.js";
import type { DepSearchGold } from "../../tasks/dep-search/types.js";
import type { FuncGenGold } from "../../tasks/func-gen/types.js";
import type { FuncLocalizeGold } from "../../tasks/func-localize/types.js";
import type { IssueLocalizeGold, IssueRecord } from "../../tasks/issue-localize/types.js";
import type { Instance } from "../../tasks/types.js";
import {
  checkRecord,
  depSearchGoldSchema,
  funcGenGoldSchema,
  funcLocalizeGoldSchema,
  issueLocalizeGoldSchema,
  exportManifestRecordSchema,
  fileIndexSchema,
  instanceRecordSchema,
  instanceSchema,
  instanceLine,
  predictionSchema,
  repostRecordSchema,
  rolloutRecordSchema,
  rolloutSchema,
  runManifestRecordSchema,
  sweBenchRecordSchema,
  versioned,
  type SameShape,
} from "./index.js";

// Drift checks: each line fails to compile when a hand-written type and its schema disagree (either way).
const instanceShape: SameShape<Omit<Instance, "gold">, Omit<z.output<typeof instanceRecordSchema>, "schema" | "gold">> = true;
const rolloutShape: SameShape<RolloutRecord, z.output<typeof rolloutRecordSchema>> = true;
const runShape: SameShape<RunManifest, z.output<typeof runManifestRecordSchema>> = true;
const exportShape: SameShape<ExportManifest, z.output<typeof exportManifestRecordSchema>> = true;
const issueShape: SameShape<IssueRecord, z.output<typeof sweBenchRecordSchema>> = true;
const indexShape: SameShape<FileIndex, z.output<typeof fileIndexSchema>> = true;
// Gold schemas keep unknown keys (an index signature); their known keys must match the families' types.
type Known<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
const goldShapes: SameShape<FuncLocalizeGold, Known<z.output<typeof funcLocalizeGoldSchema>>>[] = [true];
const depGold: SameShape<DepSearchGold, Known<z.output<typeof depSearchGoldSchema>>> = true;
const genGold: SameShape<FuncGenGold, Known<z.output<typeof funcGenGoldSchema>>> = true;
const issueGold: SameShape<IssueLocalizeGold, Known<z.output<typeof issueLocalizeGoldSchema>>> = true;

const instance = {
  instance_id: "func-gen/demo@0123456789ab/f",
  task: "func-gen",
  language: "python",
  repo: { name: "demo", commit: "c".repeat(40), source: "/src/demo", snapshot: "s".repeat(64) },
  setup_patch: "",
  instruction: "Write f.",
  gold: {
    file: "m.py",
    key: "f",
    qualifiedName: "m.py::f",
    name: "f",
    kind: "function",
    body: "return 1",
    docstring: "",
    recursive: false,
    patch: "",
    verify: { mode: "static", similarity_threshold: 0.5, timeout_ms: 1000 },
  },
  meta: { generator_version: "1", seed: 3, difficulty: { lines: 2 }, validity: { gold: true, null: true, hacks: {} }, origin: { kind: "x" } },
};

describe("record schemas", () => {
  it("compile-time drift checks hold", () => {
    expect([instanceShape, rolloutShape, runShape, exportShape, issueShape, indexShape, ...goldShapes, depGold, genGold, issueGold].every(Boolean)).toBe(true);
  });

  it("instances: the current version reads back unchanged; an unversioned (version 1) file is migrated", () => {
    const written = JSON.parse(instanceLine(instance)) as Record<string, unknown>;
    expect(written.schema).toBe("hgym.instance/2");
    expect(checkRecord(instanceSchema, written)).toEqual({ ok: true, value: instance });
    expect(checkRecord(instanceSchema, instance)).toEqual({ ok: true, value: instance });
  });

  it("a record from a newer hgym is refused with what to do; a tag of another kind is named", () => {
    expect(checkRecord(instanceSchema, { ...instance, schema: "hgym.instance/3" })).toEqual({
      ok: false,
      message: "written by a newer hgym (instance schema 3; this hgym reads up to 2): upgrade hgym",
    });
    expect(checkRecord(rolloutSchema, { schema: "hgym.rollout/7" })).toMatchObject({ message: /rollout schema 7; this hgym reads up to 1\): upgrade hgym/ });
    expect(checkRecord(instanceSchema, { ...instance, schema: "hgym.rollout/1" })).toMatchObject({ message: /field `schema`: expected "hgym.instance\/2", got "hgym.rollout\/1"/ });
  });

  it("an older version without a migration step is refused with what to do", () => {
    const strict = versioned({ kind: "thing", current: 3, unversioned: null, migrations: { 2: (r) => ({ ...r, renamed: r.old }) }, refuseOlder: "regenerate it" }, z.object({ schema: z.string().optional() }));
    expect(checkRecord(strict, { schema: "hgym.thing/1" })).toEqual({ ok: false, message: "written by an older hgym (thing schema 1; this hgym reads 2 to 3): regenerate it" });
    expect(checkRecord(strict, {})).toMatchObject({ message: /field `schema`: missing/ });
  });

  it("messages name the field, its expected type and what was found; missing fields are listed", () => {
    expect(checkRecord(instanceSchema, { ...instance, setup_patch: 5 })).toEqual({ ok: false, message: "field `setup_patch`: expected string, got number" });
    expect(checkRecord(instanceSchema, { ...instance, task: "func-teleport" })).toMatchObject({ message: /^field `task`: expected one of "func-localize"/ });
    expect(checkRecord(instanceSchema, { instance_id: "x" })).toEqual({ ok: false, message: "missing field(s) task, language, repo, setup_patch, instruction, gold, meta" });
    expect(checkRecord(instanceSchema, [1])).toEqual({ ok: false, message: "expected object, got array" });
    // The gold is checked against its task's schema.
    expect(checkRecord(instanceSchema, { ...instance, gold: { ...instance.gold, recursive: "no" } })).toEqual({ ok: false, message: "field `gold.recursive`: expected boolean, got string" });
    expect(checkRecord(instanceSchema, { ...instance, task: "func-localize" })).toMatchObject({ ok: false, message: /^missing field\(s\) gold\.docstring_raw, gold\.distractors/ });
  });

  it("predictions accept SWE-bench's model_patch; RePoST records accept their aliases", () => {
    expect(checkRecord(predictionSchema, { instance_id: "a", model_patch: "p", model_name_or_path: "m" })).toEqual({ ok: true, value: { instance_id: "a", patch: "p" } });
    expect(checkRecord(predictionSchema, { instance_id: "a" })).toMatchObject({ ok: false, message: /patch/ });
    expect(checkRecord(repostRecordSchema, { repo_name: "o/n", sha: "abc", func_path: "m.py", function_name: "f", test_script: "s", idx: 7 })).toEqual({
      ok: true,
      value: { repo: "o/n", commit: "abc", file: "m.py", func_name: "f", eval_script: "s", instance_id: "7" },
    });
    expect(checkRecord(repostRecordSchema, { repo: "o/n", commit: "abc", file: "m.py" })).toEqual({ ok: false, message: "missing field(s) func_name, eval_script" });
  });

  it("SWE-bench records keep their text as written and refuse blank fields", () => {
    const rec = { instance_id: "o__n-1", repo: "o/n", base_commit: " abc \n", problem_statement: "It breaks.\n", patch: "diff --git a/x b/x\n", version: "1.0" };
    expect(checkRecord(sweBenchRecordSchema, rec)).toEqual({ ok: true, value: { instance_id: "o__n-1", repo: "o/n", base_commit: "abc", problem_statement: "It breaks.\n", patch: "diff --git a/x b/x\n" } });
    expect(checkRecord(sweBenchRecordSchema, { ...rec, problem_statement: "  " })).toEqual({ ok: false, message: "field `problem_statement`: empty" });
  });
});
