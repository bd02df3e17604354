import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { generateInstances, instancesToJsonl, type GenerationResult } from "../common/pipeline.js";
import { instanceStart, makeTempRepo, scorePatch, editPatch, type TempRepo } from "../common/test-support.js";
import { patchFromTexts } from "../common/workspace.js";
import { applyLineEdits } from "../common/line-edits.js";
import { findLeaks } from "../common/name-words.js";
import { funcLocalize } from "./index.js";
import { describeFromDocstring } from "./description.js";
import type { FuncLocalizeGold } from "./types.js";
import type { Instance } from "../types.js";
import { PYTHON_REPO, TYPESCRIPT_REPO } from "./fixtures.js";
import { instancesFromFiles, runFamilyConformance } from "../common/conformance.js";

async function generate(repo: TempRepo, extraRepos: string[] = [], seed = 3): Promise<GenerationResult<FuncLocalizeGold>> {
  return generateInstances({
    family: funcLocalize,
    repos: [repo.dir, ...extraRepos],
    store: repo.store,
    seed,
    includeTests: false,
    language: null,
    taskOptions: { distractors: 3, description: "docstring" },
    log: () => {},
  });
}

function byKey(result: GenerationResult<FuncLocalizeGold>, file: string, key: string): Instance<FuncLocalizeGold> {
  const inst = result.instances.find((i) => i.gold.file === file && i.gold.key === key);
  if (!inst) throw new Error(`no instance for ${file}::${key}; have ${result.instances.map((i) => i.instance_id).join(", ")}`);
  return inst;
}

describe("func-localize on a Python repository", () => {
  let repo: TempRepo;
  let result: GenerationResult<FuncLocalizeGold>;
  beforeAll(async () => {
    repo = makeTempRepo(PYTHON_REPO, "pyrepo");
    result = await generate(repo, ["/nonexistent/hgym-missing-repo"]);
  });
  afterAll(() => repo.cleanup());

  it("picks functions, classes, methods of documented classes and nested functions, skipping trivial ones and tests", () => {
    const keys = result.instances.map((i) => `${i.gold.file}::${i.gold.key}`).sort();
    expect(keys).toEqual(
      expect.arrayContaining([
        "pkg/paths.py::normalize_path",
        "pkg/paths.py::split_all",
        "pkg/paths.py::cached",
        "pkg/registry.py::Registry",
        "pkg/registry.py::Registry.register",
        "pkg/registry.py::Registry.filter",
        "pkg/registry.py::parse",
        "pkg/other.py::parse",
        "pkg/other.py::outer.square",
      ]),
    );
    expect(keys.some((k) => k.startsWith("tests/"))).toBe(false);
    expect(keys).not.toContain("pkg/paths.py::identity"); // trivial body
    expect(keys).not.toContain("pkg/registry.py::Registry.only_doc"); // docstring is the whole body
    expect(result.report.totals.dropped["trivial-body"]).toBe(1);
    expect(result.report.totals.dropped["docstring-only-body"]).toBe(1);
  });

  it("a repository that fails to ingest is reported and the batch goes on", () => {
    const failed = result.report.repos.filter((r) => r.status === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error).toMatch(/hgym-missing-repo/);
    expect(result.instances.length).toBeGreaterThan(5);
  });

  it("every instance passed the validity gate and records it", () => {
    for (const i of result.instances) {
      expect(i.meta.validity.gold, i.instance_id).toBe(true);
      expect(i.meta.validity.null, i.instance_id).toBe(true);
      expect(Object.keys(i.meta.validity.hacks).length, i.instance_id).toBeGreaterThanOrEqual(4);
      expect(Object.keys(result.report.totals.dropped).filter((k) => k.startsWith("validity:")), "the gate had to drop proposed instances").toEqual([]);
      expect(i.instance_id).toMatch(/^func-localize\/pyrepo@[0-9a-f]{12}\/pkg\//);
    }
  });

  it("descriptions never contain the name or its word parts, and the instruction names no file", () => {
    for (const i of result.instances) {
      const description = i.meta.description as string;
      expect(findLeaks(description, [i.gold.name]), `${i.instance_id}: ${description}`).toEqual([]);
      expect(i.meta.description_source).toBe("docstring");
      expect(i.instruction).toContain(description);
      expect(i.instruction).not.toContain(i.gold.file);
    }
  });

  it("removes the target's docstring and distractors' docstrings, preferring the same file", async () => {
    const inst = byKey(result, "pkg/registry.py", "Registry.filter");
    const start = instanceStart(repo.store, inst);
    const text = start.read("pkg/registry.py") as string;
    expect(text).not.toContain("Collect the keys");
    expect(inst.gold.distractors).toHaveLength(3);
    expect(inst.gold.distractors.every((d) => d.file === "pkg/registry.py")).toBe(true);
    for (const d of inst.gold.distractors) expect(inst.gold.key).not.toBe(d.key);
  });

  it("is deterministic: same inputs and seed give byte-identical JSONL", async () => {
    const again = await generate(repo, ["/nonexistent/hgym-missing-repo"]);
    expect(instancesToJsonl(again.instances)).toBe(instancesToJsonl(result.instances));
    const otherSeed = await generate(repo, [], 99);
    expect(otherSeed.instances.map((i) => i.instance_id)).toEqual(result.instances.map((i) => i.instance_id));
  });

  it("every hack scores failure with a reason", async () => {
    for (const inst of result.instances) {
      const start = instanceStart(repo.store, inst);
      const hacks = funcLocalize.hacks(inst, start);
      expect(hacks.map((h) => h.name)).toEqual(expect.arrayContaining(["docstring-every-definition", "docstring-plus-code-change", "docstring-plus-new-file", "comment-instead-of-docstring"]));
      for (const hack of hacks) {
        const reward = await scorePatch(funcLocalize, inst, start, hack.patch);
        expect(reward.success, `${inst.instance_id} ${hack.name}`).toBe(false);
        expect(reward.violations.length, `${inst.instance_id} ${hack.name}`).toBeGreaterThan(0);
      }
    }
  });

  it("accepts a one-line docstring written in a different place of a file whose lines moved", async () => {
    const inst = byKey(result, "pkg/registry.py", "Registry.register");
    const start = instanceStart(repo.store, inst);
    const patch = patchFromTexts([
      editPatch(start, "pkg/registry.py", (t) => {
        const withHeader = "# A module comment added first,\n# which moves every line down.\n\n" + t;
        return withHeader.replace(
          "    def register(self, key, handler):\n",
          "    def register(self, key, handler):\n        'Store a handler.'\n",
        );
      }),
    ]);
    const reward = await scorePatch(funcLocalize, inst, start, patch);
    expect(reward.violations).toEqual([]);
    expect(reward.success).toBe(true);
    expect(reward.metrics.docstring_similarity).toBeGreaterThan(0);
  });

  it("rejects documenting the target plus a distractor, and a distractor alone", async () => {
    const inst = byKey(result, "pkg/registry.py", "Registry.filter");
    const start = instanceStart(repo.store, inst);
    const gold = funcLocalize.goldPatch(inst);
    expect((await scorePatch(funcLocalize, inst, start, gold)).success).toBe(true);
    const goldText = (await import("../common/workspace.js")).resultFromPatch(start, gold).changes[0]?.after as string;
    const both = goldText.replace("    def register(self, key, handler):\n", "    def register(self, key, handler):\n        \"\"\"Adds one.\"\"\"\n");
    const r = await scorePatch(funcLocalize, inst, start, patchFromTexts([{ path: "pkg/registry.py", before: start.read("pkg/registry.py") as string, after: both }]));
    expect(r.success).toBe(false);
    expect(r.violations.map((v) => v.code)).toContain("other-docstring-added");
  });

  it("rejects a # comment on every line of every file", async () => {
    const inst = byKey(result, "pkg/paths.py", "split_all");
    const start = instanceStart(repo.store, inst);
    const edits = start
      .paths()
      .filter((p) => p.endsWith(".py"))
      .map((p) => editPatch(start, p, (t) => t.split("\n").map((l) => (l.trim() ? `${l}  # Break a location into components` : l)).join("\n")));
    const reward = await scorePatch(funcLocalize, inst, start, patchFromTexts(edits));
    expect(reward.success).toBe(false);
    expect(reward.violations.map((v) => v.code)).toContain("target-not-documented");
  });

  it("rejects a deleted code line next to a correct docstring", async () => {
    const inst = byKey(result, "pkg/paths.py", "split_all");
    const start = instanceStart(repo.store, inst);
    const { resultFromPatch } = await import("../common/workspace.js");
    const goldText = resultFromPatch(start, inst.gold.patch).changes[0]?.after as string;
    const lines = goldText.split("\n");
    const i = lines.findIndex((l) => l.includes("parts.insert(0, tail)"));
    const patch = patchFromTexts([{ path: "pkg/paths.py", before: start.read("pkg/paths.py") as string, after: applyLineEdits(goldText, [{ line: i + 1, deleteCount: 1, insert: [] }]) }]);
    const reward = await scorePatch(funcLocalize, inst, start, patch);
    expect(reward.success).toBe(false);
    expect(reward.violations.map((v) => v.code)).toContain("code-changed");
  });
});

describe("func-localize on a TypeScript repository", () => {
  let repo: TempRepo;
  let result: GenerationResult<FuncLocalizeGold>;
  beforeAll(async () => {
    repo = makeTempRepo(TYPESCRIPT_REPO, "tsrepo");
    result = await generate(repo);
  });
  afterAll(() => repo.cleanup());

  it("generates gated instances for functions, classes and methods, not test files", () => {
    const keys = result.instances.map((i) => `${i.gold.file}::${i.gold.key}`).sort();
    expect(keys).toEqual(expect.arrayContaining(["src/util.ts::joinPath", "src/util.ts::Counter", "src/util.ts::Counter.bump", "src/util.ts::Counter.filter", "src/time.ts::formatDuration"]));
    expect(keys.some((k) => k.includes(".test.ts"))).toBe(false);
    for (const i of result.instances) {
      expect(i.language).toBe("typescript");
      expect(Object.keys(result.report.totals.dropped).filter((k) => k.startsWith("validity:")), "the gate had to drop proposed instances").toEqual([]);
      expect(i.meta.validity.gold && i.meta.validity.null).toBe(true);
    }
  });

  it("accepts a one-line JSDoc and rejects every hack", async () => {
    const inst = byKey(result, "src/util.ts", "Counter.bump");
    const start = instanceStart(repo.store, inst);
    const ok = patchFromTexts([editPatch(start, "src/util.ts", (t) => t.replace("  bump(name: string)", "  /** Count one more. */\n  bump(name: string)"))]);
    expect((await scorePatch(funcLocalize, inst, start, ok)).success).toBe(true);
    for (const hack of funcLocalize.hacks(inst, start)) {
      const r = await scorePatch(funcLocalize, inst, start, hack.patch);
      expect(r.success, hack.name).toBe(false);
    }
  });

  it("is deterministic", async () => {
    const again = await generate(repo);
    expect(instancesToJsonl(again.instances)).toBe(instancesToJsonl(result.instances));
  });
});

describe("docstring-derived descriptions", () => {
  it("uses the first paragraph, drops the name and turns commands into statements", () => {
    const d = describeFromDocstring("Return the parsed header of a request.\n\nArgs:\n  raw: bytes", "parse_header");
    expect(d).toEqual({ ok: true, text: "Returns the parsed item of a request.", source: "docstring" }); // no hole: "the parsed of"
    const e = describeFromDocstring("Turn a path into an absolute one.", "normalize");
    expect(e.ok && e.text).toBe("Turns a path into an absolute one.");
  });
  it("drops descriptions that end up too short or made only of the name", () => {
    expect(describeFromDocstring("Parse header.", "parse_header")).toEqual({ ok: false, reason: "description-name-not-removable" });
    expect(describeFromDocstring("Set up.", "configure")).toEqual({ ok: false, reason: "description-too-short" });
  });
});

describe("func-localize: shared family conformance (ungated instances)", () => {
  runFamilyConformance({ family: funcLocalize, makeInstances: () => instancesFromFiles(funcLocalize, { ...PYTHON_REPO, ...TYPESCRIPT_REPO }, { distractors: 3, description: "docstring" }) });
});
