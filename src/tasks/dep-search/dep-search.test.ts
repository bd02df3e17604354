import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { generateInstances, instancesToJsonl, type GenerationResult } from "../common/pipeline.js";
import { instanceStart, makeTempRepo, scorePatch, editPatch, throwawayContext, type TempRepo } from "../common/test-support.js";
import { outcomeOnlyContext } from "../verify-context.js";
import { patchFromTexts, resultFromPatch } from "../common/workspace.js";
import { depSearch } from "./index.js";
import { annotatedName, findAnnotations } from "./annotations.js";
import { ensureLanguages, indexText } from "../common/code.js";
import type { DepSearchGold } from "./types.js";
import type { Instance } from "../types.js";
import type { RepoView } from "../../core/repo-view.js";
import { PYTHON_REPO, TYPESCRIPT_REPO } from "./fixtures.js";
import { instancesFromFiles, runFamilyConformance } from "../common/conformance.js";

async function generate(repo: TempRepo, extraRepos: string[] = []): Promise<GenerationResult<DepSearchGold>> {
  return generateInstances({
    family: depSearch,
    repos: [repo.dir, ...extraRepos],
    store: repo.store,
    seed: 5,
    includeTests: false,
    language: null,
    taskOptions: { maxDeps: 5 },
    log: () => {},
  });
}

function target(result: GenerationResult<DepSearchGold>, file: string, key: string): Instance<DepSearchGold> {
  const inst = result.instances.find((i) => i.gold.target.file === file && i.gold.target.key === key);
  if (!inst) throw new Error(`no instance for ${file}::${key}; have ${result.instances.map((i) => i.instance_id).join(", ")}`);
  return inst;
}

const deps = (i: Instance<DepSearchGold>) => i.gold.dependencies.map((d) => `${d.file}::${d.key}`);

// The gold final text of every file the gold patch touches.
function goldTexts(start: RepoView, inst: Instance<DepSearchGold>): Map<string, string> {
  return new Map(resultFromPatch(start, inst.gold.patch).changes.map((c) => [c.path, c.after as string]));
}

describe("dep-search on a Python repository", () => {
  let repo: TempRepo;
  let result: GenerationResult<DepSearchGold>;
  beforeAll(async () => {
    repo = makeTempRepo(PYTHON_REPO, "pydeps");
    result = await generate(repo, ["/nonexistent/hgym-missing-repo"]);
  });
  afterAll(() => repo.cleanup());

  it("computes the dependency sets with pyright", () => {
    // Same-named `parse` in two files both count; `clean` and `count` on adjacent lines both count; the decorator
    // and the parameter default are excluded; the nested function's call counts, and so does `inner` itself,
    // a definition nested in the target that the target calls.
    expect(deps(target(result, "pkg/main.py", "process"))).toEqual([
      "pkg/helpers.py::clean",
      "pkg/helpers.py::count",
      "pkg/helpers.py::parse",
      "pkg/main.py::process.inner",
      "pkg/other.py::parse",
    ]);
    // Class instantiation -> the class; a repo method named `filter` counts.
    expect(deps(target(result, "pkg/main.py", "build"))).toEqual(["pkg/helpers.py::Store", "pkg/helpers.py::Store.add", "pkg/helpers.py::Store.filter"]);
    // A call through an unannotated callback parameter cannot be named: the target is dropped, counted by reason,
    // and every call of a kept target is accounted for in its meta.
    expect(result.instances.some((i) => i.gold.target.key === "apply")).toBe(false);
    expect(result.report.totals.dropped["ambiguous-call:any-typed-variable"]).toBeGreaterThanOrEqual(1);
    for (const i of result.instances) {
      const a = i.meta.call_accounting as { calls: number; dependency: number; recursion: number; external: number; ambiguous: number };
      expect(a.ambiguous).toBe(0);
      expect(a.dependency + a.recursion + a.external).toBe(a.calls);
      expect(a.dependency).toBeGreaterThanOrEqual(i.gold.dependencies.length);
    }
    expect(deps(target(result, "pkg/helpers.py", "Store.add"))).toEqual(["pkg/helpers.py::Store.filter"]);
    expect(deps(target(result, "pkg/main.py", "process.inner"))).toEqual(["pkg/helpers.py::count"]);
    // Calls after non-ASCII text on the same line (columns are UTF-16, not bytes).
    expect(deps(target(result, "pkg/main.py", "greet"))).toEqual(["pkg/helpers.py::clean", "pkg/helpers.py::parse"]);
    expect(result.instances.some((i) => i.gold.target.file.startsWith("tests/"))).toBe(false);
  });

  it("reports the missing repository and keeps going", () => {
    expect(result.report.repos.map((r) => r.status)).toEqual(["ok", "failed"]);
  });

  it("every instance passed the validity gate", () => {
    expect(result.instances.length).toBeGreaterThanOrEqual(4);
    for (const i of result.instances) {
      expect(i.meta.validity.gold && i.meta.validity.null, i.instance_id).toBe(true);
      expect(Object.keys(i.meta.validity.hacks)).toHaveLength(5);
      expect(Object.keys(result.report.totals.dropped).filter((k) => k.startsWith("validity:")), "the gate had to drop proposed instances").toEqual([]);
      expect(i.instruction).toContain(`line ${i.gold.target.line} of \`${i.gold.target.file}\``);
      expect(i.instruction).toContain(`# this function/class is called by the ${i.gold.target.name} function`);
    }
  });

  it("is deterministic", async () => {
    const again = await generate(repo, ["/nonexistent/hgym-missing-repo"]);
    expect(instancesToJsonl(again.instances)).toBe(instancesToJsonl(result.instances));
  });

  it("every hack scores failure with a reason", async () => {
    for (const inst of result.instances) {
      const start = instanceStart(repo.store, inst);
      for (const hack of depSearch.hacks(inst, start)) {
        const r = await scorePatch(depSearch, inst, start, hack.patch);
        expect(r.success, `${inst.instance_id} ${hack.name}`).toBe(false);
        const reason = r.violations.length > 0 || (r.metrics.precision as number) < 1 || (r.metrics.recall as number) < 1;
        expect(reason, `${inst.instance_id} ${hack.name}`).toBe(true);
      }
    }
  });

  it("two dependencies on adjacent lines and same-named ones in two files are each counted", async () => {
    const inst = target(result, "pkg/main.py", "process");
    const start = instanceStart(repo.store, inst);
    const r = await scorePatch(depSearch, inst, start, inst.gold.patch);
    expect(r.success).toBe(true);
    expect(r.metrics.true_positives).toBe(5);
    expect(r.score).toBe(1);
  });

  it("annotating every definition in the repository gets recall 1 but fails", async () => {
    const inst = target(result, "pkg/main.py", "process");
    const start = instanceStart(repo.store, inst);
    const hack = depSearch.hacks(inst, start).find((h) => h.name === "annotate-every-definition-in-repo");
    const r = await scorePatch(depSearch, inst, start, hack?.patch ?? "");
    expect(r.metrics.recall).toBe(1);
    expect(r.metrics.precision as number).toBeLessThan(1);
    expect(r.success).toBe(false);
  });

  it("the gate's outcome-only scoring stops at the first annotation outside the gold set and agrees with the full score", async () => {
    const quick = outcomeOnlyContext(throwawayContext());
    let stoppedEarly = 0;
    for (const inst of result.instances) {
      const start = instanceStart(repo.store, inst);
      const gold = goldTexts(start, inst);
      const others = start.paths().filter((p) => p.endsWith(".py") && !gold.has(p) && p !== inst.gold.target.file);
      const extra = others[0];
      const patches: { name: string; patch: string }[] = [
        { name: "gold", patch: inst.gold.patch },
        ...depSearch.hacks(inst, start),
        // The right set, plus one wrong annotation in a file after the gold ones (the early stop must still fail it).
        ...(extra
          ? [{ name: "gold-plus-late-wrong-annotation", patch: patchFromTexts([...[...gold].map(([path, after]) => ({ path, before: start.read(path) as string, after })), editPatch(start, extra, (t) => `# this function is called by the ${inst.gold.target.name} function\n${t}`)]) }]
          : []),
      ];
      for (const { name, patch } of patches) {
        const full = await scorePatch(depSearch, inst, start, patch);
        const fast = await scorePatch(depSearch, inst, start, patch, quick);
        expect(fast.success, `${inst.instance_id} ${name}`).toBe(full.success);
        if (name === "gold") expect(fast.metrics.outcome_only, inst.instance_id).toBeUndefined(); // a success is scored in full
        if (!full.success && full.violations.length === 0 && fast.metrics.outcome_only === true) stoppedEarly++;
      }
    }
    expect(stoppedEarly).toBeGreaterThan(result.instances.length); // the repo-wide and in-file hacks at least
  });

  it("accepts lenient annotation wording and a comment between decorator and def, rejects a wrong target name", async () => {
    const inst = target(result, "pkg/main.py", "build");
    const start = instanceStart(repo.store, inst);
    const lenient = patchFromTexts([
      editPatch(start, "pkg/helpers.py", (t) =>
        t
          .replace("class Store:", "#   This Class is called by the `build` function.\nclass Store:")
          .replace("    def filter(", "    # this method is called by build\n    def filter(")
          .replace("    @log_calls\n    def add(", "    @log_calls\n    # THIS FUNCTION/CLASS IS CALLED BY THE BUILD FUNCTION\n    def add("),
      ),
    ]);
    const ok = await scorePatch(depSearch, inst, start, lenient);
    expect(ok.violations).toEqual([]);
    expect(ok.success).toBe(true);
    const wrongName = patchFromTexts([...goldTexts(start, inst)].map(([path, after]) => ({ path, before: start.read(path) as string, after: after.replace("called by the build function", "called by the process function") })));
    const bad = await scorePatch(depSearch, inst, start, wrongName);
    expect(bad.success).toBe(false);
    expect(bad.metrics.misnamed).toBe(1);
  });

  it("an annotation not directly above a definition attaches to nothing and counts as a false positive", async () => {
    const inst = target(result, "pkg/helpers.py", "Store.add");
    const start = instanceStart(repo.store, inst);
    const texts = goldTexts(start, inst);
    const after = (texts.get("pkg/helpers.py") as string).replace("        self.name = name\n", "        # this function/class is called by the add function\n        self.name = name\n");
    const r = await scorePatch(depSearch, inst, start, patchFromTexts([{ path: "pkg/helpers.py", before: start.read("pkg/helpers.py") as string, after }]));
    expect(r.success).toBe(false);
    expect(r.metrics.unattached).toBe(1);
  });

  it("rejects right annotations with a deleted code line", async () => {
    const inst = target(result, "pkg/main.py", "process");
    const start = instanceStart(repo.store, inst);
    const texts = goldTexts(start, inst);
    const patch = patchFromTexts(
      [...texts].map(([path, after]) => ({ path, before: start.read(path) as string, after: path === "pkg/helpers.py" ? after.replace("        self.name = name\n", "") : after })),
    );
    const r = await scorePatch(depSearch, inst, start, patch);
    expect(r.success).toBe(false);
    expect(r.violations.map((v) => v.code)).toContain("code-changed");
    expect(r.score).toBe(0);
  });
});

describe("annotation text matching", () => {
  it("is lenient about wording but requires the shape", () => {
    expect(annotatedName("# this function/class is called by the foo function")).toBe("foo");
    expect(annotatedName("// This function is called by foo.")).toBe("foo");
    expect(annotatedName("#this class is called by the Foo.bar method")).toBe("foo.bar");
    expect(annotatedName("# called by foo")).toBeNull();
    expect(annotatedName("# TODO: fix this")).toBeNull();
  });

  it("accepts any run of separators between 'called' and 'by', but not characters that names may contain", () => {
    expect(annotatedName("# this function is CALLED  BY foo")).toBe("foo");
    expect(annotatedName("# this function is called\tby foo")).toBe("foo");
    expect(annotatedName("# this function is called-by foo")).toBe("foo");
    expect(annotatedName("# this function is called_by foo")).toBeNull();
    expect(annotatedName("# this function is called.by foo")).toBeNull();
  });

  it("attaches past blank lines and other comments, to nothing at the end of the file, and answers repeat calls alike", async () => {
    await ensureLanguages();
    const text = [
      "x = 1  # this function is called by foo", // trailing comment: not an annotation
      "# this function is called by foo",
      "",
      "# another comment",
      "def helper():",
      "    return 1",
      "",
      "# this function is called by bar",
      "",
      "",
    ].join("\n");
    const index = indexText("m.py", text);
    expect(index).not.toBeNull();
    const found = findAnnotations(index!, text);
    expect(found).toEqual([
      { line: 2, name: "foo", attachedKey: "helper" },
      { line: 8, name: "bar", attachedKey: null },
    ]);
    expect(findAnnotations(index!, text)).toEqual(found);
  });
});

describe("dep-search on a TypeScript repository", () => {
  let repo: TempRepo;
  let result: GenerationResult<DepSearchGold>;
  beforeAll(async () => {
    repo = makeTempRepo(TYPESCRIPT_REPO, "tsdeps");
    result = await generate(repo);
  });
  afterAll(() => repo.cleanup());

  it("computes dependency sets with the TypeScript language service", () => {
    expect(deps(target(result, "src/main.ts", "processText"))).toEqual([
      "src/helpers.ts::clean",
      "src/helpers.ts::count",
      "src/helpers.ts::parse",
      "src/main.ts::processText.inner",
      "src/other.ts::parse",
    ]);
    expect(result.instances.some((i) => i.gold.target.key === "apply")).toBe(false);
    expect(result.report.totals.dropped["ambiguous-call:callable-typed-variable"]).toBeGreaterThanOrEqual(1);
    expect(deps(target(result, "src/main.ts", "build"))).toEqual(["src/helpers.ts::Store", "src/helpers.ts::Store.add", "src/helpers.ts::Store.filter"]);
    expect(deps(target(result, "src/helpers.ts", "Store.add"))).toEqual(["src/helpers.ts::Store.filter"]);
    expect(deps(target(result, "src/main.ts", "greet"))).toEqual(["src/helpers.ts::clean", "src/helpers.ts::parse"]);
  });

  it("every instance passed the gate and hacks fail", async () => {
    expect(result.instances.length).toBeGreaterThanOrEqual(3);
    for (const inst of result.instances) {
      expect(Object.keys(result.report.totals.dropped).filter((k) => k.startsWith("validity:")), "the gate had to drop proposed instances").toEqual([]);
      const start = instanceStart(repo.store, inst);
      expect((await scorePatch(depSearch, inst, start, inst.gold.patch)).success).toBe(true);
      expect(inst.instruction).toContain("// this function/class is called by the");
    }
  });

  it("is deterministic", async () => {
    const again = await generate(repo);
    expect(instancesToJsonl(again.instances)).toBe(instancesToJsonl(result.instances));
  });
});

describe("dep-search: shared family conformance (ungated instances)", () => {
  runFamilyConformance({ family: depSearch, makeInstances: () => instancesFromFiles(depSearch, { ...PYTHON_REPO, ...TYPESCRIPT_REPO }, { maxDeps: 5 }) });
});
