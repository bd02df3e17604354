// Every call of a target ends as a dependency, external or ambiguous (docs/DESIGN.md §3): generation over a small real
// package (fixtures.ts PYTHON_DISCIPLINE_REPO) with the real pyright, checking the dependency set of each kept
// target, the reason each ambiguous target was dropped, and the call accounting stored in meta.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateInstances, type GenerationResult } from "../common/pipeline.js";
import { editPatch, instanceStart, makeTempRepo, scorePatch, type TempRepo } from "../common/test-support.js";
import { patchFromTexts } from "../common/workspace.js";
import { depSearch } from "./index.js";
import { PYTHON_DISCIPLINE_REPO, TYPESCRIPT_DISCIPLINE_REPO } from "./fixtures.js";
import type { DepSearchGold } from "./types.js";

describe("dep-search call accounting (pyright)", () => {
  let repo: TempRepo;
  let result: GenerationResult<DepSearchGold>;
  const logs: string[] = [];
  beforeAll(async () => {
    repo = makeTempRepo(PYTHON_DISCIPLINE_REPO, "discipline");
    result = await generateInstances({
      family: depSearch,
      repos: [repo.dir],
      store: repo.store,
      seed: 1,
      includeTests: false,
      language: null,
      taskOptions: { maxDeps: 5, explainDrops: true },
      log: (m) => logs.push(m),
    });
  }, 180_000);
  afterAll(() => repo.cleanup());

  const depsOf = (key: string): string[] | undefined =>
    result.instances.find((i) => i.gold.target.key === key)?.gold.dependencies.map((d) => `${d.file}::${d.key}`);
  const dropReason = (key: string): string | undefined =>
    logs.find((l) => l.includes(`pkg/core.py::${key}:`))?.split(": ")[2];

  it("resolves overloads to the implementation and instances to their class's __call__", () => {
    expect(depsOf("use_overload")).toEqual(["pkg/core.py::conv#3"]);
    expect(depsOf("use_instance")).toEqual(["pkg/core.py::ParamType.__call__"]);
    expect(depsOf("use_inherited_call")).toEqual(["pkg/core.py::ParamType.__call__"]);
    expect(depsOf("ParamType.__call__")).toEqual(["pkg/core.py::ParamType.convert"]);
  });

  it("scores the annotation on the implementation, not on an @overload signature", async () => {
    const inst = result.instances.find((i) => i.gold.target.key === "use_overload")!;
    expect(inst.instruction).toContain("is never the callee: the implementation is");
    const start = instanceStart(repo.store, inst);
    const mark = "# this function/class is called by the use_overload function";
    const onImpl = patchFromTexts([editPatch(start, "pkg/core.py", (t) => t.replace("def conv(x):\n", `${mark}\ndef conv(x):\n`))]);
    const onStub = patchFromTexts([editPatch(start, "pkg/core.py", (t) => t.replace("@overload\ndef conv(x: int)", `${mark}\n@overload\ndef conv(x: int)`))]);
    expect((await scorePatch(depSearch, inst, start, onImpl)).success).toBe(true);
    expect((await scorePatch(depSearch, inst, start, onStub)).success).toBe(false);
  });

  it("counts calls on packages that are not installed as external, and nested definitions the target calls", () => {
    expect(depsOf("use_uninstalled")).toEqual(["pkg/core.py::conv#3"]);
    expect(depsOf("use_nested")).toEqual(["pkg/core.py::conv#3", "pkg/core.py::use_nested.helper"]);
    // A keyword argument `fmt=1` inside a module-level call is not a second binding of `fmt`.
    expect(depsOf("use_fmt")).toEqual(["pkg/core.py::fmt"]);
    const nested = result.instances.find((i) => i.gold.target.key === "use_nested")!;
    expect(nested.instruction).toContain("A function or class defined inside `use_nested` counts when `use_nested` (or something nested in it) calls it");
  });

  it("drops targets whose callee cannot be named, counted by reason", () => {
    expect(dropReason("use_platform")).toBe("ambiguous-call:several-definitions");
    // `p.kill()`: pyright names only `def kill`; the Windows branch binds `kill = stop` in the same class body.
    expect(dropReason("use_proc")).toBe("ambiguous-call:several-definitions");
    expect(dropReason("use_protocol")).toBe("ambiguous-call:protocol-member");
    expect(dropReason("Base.go")).toBe("ambiguous-call:abstract-method");
    expect(dropReason("use_callable")).toBe("ambiguous-call:callable-typed-variable");
    expect(dropReason("use_type")).toBe("ambiguous-call:type-object-variable");
    expect(dropReason("use_any")).toBe("ambiguous-call:any-typed-variable");
    expect(dropReason("use_computed")).toBe("ambiguous-call:computed-callee");
    for (const key of ["use_platform", "use_proc", "use_protocol", "Base.go", "use_callable", "use_type", "use_any", "use_computed"]) expect(depsOf(key)).toBeUndefined();
    const dropped = result.report.totals.dropped;
    expect(Object.entries(dropped).filter(([k]) => k.startsWith("ambiguous-call:")).reduce((n, [, v]) => n + v, 0)).toBe(8);
  });

  it("stores per-target call accounting that adds up, with no ambiguous call in a kept instance", () => {
    expect(result.instances.length).toBeGreaterThanOrEqual(6);
    for (const inst of result.instances) {
      const a = inst.meta.call_accounting as { calls: number; dependency: number; recursion: number; external: number; ambiguous: number; external_by: Record<string, number> };
      expect(a.ambiguous).toBe(0);
      expect(a.dependency + a.recursion + a.external).toBe(a.calls);
    }
    const uninstalled = result.instances.find((i) => i.gold.target.key === "use_uninstalled")!;
    expect(uninstalled.meta.call_accounting).toMatchObject({ calls: 3, dependency: 1, external: 2, external_by: { "non-repo-import": 2 } });
  });
});

describe("dep-search call accounting (TypeScript language service)", () => {
  let repo: TempRepo;
  let result: GenerationResult<DepSearchGold>;
  const logs: string[] = [];
  beforeAll(async () => {
    repo = makeTempRepo(TYPESCRIPT_DISCIPLINE_REPO, "tsdiscipline");
    result = await generateInstances({
      family: depSearch,
      repos: [repo.dir],
      store: repo.store,
      seed: 1,
      includeTests: false,
      language: null,
      taskOptions: { maxDeps: 5, explainDrops: true },
      log: (m) => logs.push(m),
    });
  }, 120_000);
  afterAll(() => repo.cleanup());

  const depsOf = (key: string): string[] | undefined =>
    result.instances.find((i) => i.gold.target.key === key)?.gold.dependencies.map((d) => `${d.file}::${d.key}`);
  const dropReason = (key: string): string | undefined => logs.find((l) => l.includes(`src/core.ts::${key}:`))?.split(": ")[2];

  it("resolves overload signatures to the implementation and an uninstalled package as external", () => {
    const impl = depsOf("useOverload");
    expect(impl).toHaveLength(1);
    expect(impl![0]).toMatch(/^src\/core\.ts::conv/);
    expect(depsOf("useUninstalled")).toEqual(impl);
  });

  it("drops interface members, abstract methods, any- and function-typed callees", () => {
    expect(dropReason("useInterface")).toBe("ambiguous-call:interface-member");
    expect(dropReason("Base.go")).toBe("ambiguous-call:abstract-method");
    expect(dropReason("useAny")).toBe("ambiguous-call:any-typed-variable");
    expect(dropReason("useCallback")).toBe("ambiguous-call:callable-typed-variable");
    for (const inst of result.instances) {
      const a = inst.meta.call_accounting as { calls: number; dependency: number; recursion: number; external: number; ambiguous: number };
      expect(a.dependency + a.recursion + a.external).toBe(a.calls);
    }
  });
});
