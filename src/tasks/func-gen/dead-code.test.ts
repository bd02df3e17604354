// static mode scores live code only: the original body behind an early return or under a constant-false condition
// no longer reaches the similarity threshold (it did before: the "before" figures are computed here with the
// plain token similarity), while correct bodies — the gold with dead code of its own, a hoisted JS helper after
// the return — still pass. Real code: python3's json package and a TypeScript module.

import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { generateInstances, type GenerationResult } from "../common/pipeline.js";
import { instanceStart, makeTempRepo, scorePatch, editPatch, type TempRepo } from "../common/test-support.js";
import { patchFromTexts } from "../common/workspace.js";
import type { Instance } from "../types.js";
import { bodyTokens, sequenceSimilarity } from "./body.js";
import { deadCodeScopeEffect, deadRanges } from "./dead-code.js";
import { TS_REPO, stdlibJsonRepo } from "./fixtures.js";
import { funcGen } from "./index.js";
import { DEFAULT_FUNC_GEN_OPTIONS, type FuncGenGold } from "./types.js";

async function generate(repo: TempRepo): Promise<GenerationResult<FuncGenGold>> {
  return generateInstances({ family: funcGen, repos: [repo.dir], store: repo.store, seed: 1, includeTests: false, language: null, taskOptions: DEFAULT_FUNC_GEN_OPTIONS, log: () => {} });
}

function find(result: GenerationResult<FuncGenGold>, key: string): Instance<FuncGenGold> {
  const inst = result.instances.find((i) => i.gold.key === key);
  if (!inst) throw new Error(`no instance ${key}`);
  return inst;
}

// The gold body re-indented by `extra` spaces (to nest it under a block).
function indented(body: string, extra: number): string {
  return body
    .split("\n")
    .map((l) => (l.trim() === "" ? l : " ".repeat(extra) + l))
    .join("\n");
}

describe("static mode ignores dead code", () => {
  let py: TempRepo;
  let ts: TempRepo;
  let encode: Instance<FuncGenGold>;
  let truncate: Instance<FuncGenGold>;
  beforeAll(async () => {
    py = makeTempRepo(stdlibJsonRepo(), "json");
    ts = makeTempRepo(TS_REPO, "tsrepo");
    encode = find(await generate(py), "JSONEncoder.encode");
    truncate = find(await generate(ts), "truncate");
  });
  afterAll(() => {
    py.cleanup();
    ts.cleanup();
  });

  // Replaces the whole body region (after the docstring / inside the braces) with `body`.
  async function score(repo: TempRepo, inst: Instance<FuncGenGold>, body: string) {
    const start = instanceStart(repo.store, inst);
    const placeholderLine = inst.language === "python" ? /\n[ \t]*pass {2}# TODO: Implement this function/ : /\n[ \t]*throw new Error\("TODO: implement"\);\n[ \t]*/;
    const patch = patchFromTexts([editPatch(start, inst.gold.file, (t) => t.replace(placeholderLine, () => body))]);
    const reward = await scorePatch(funcGen, inst, start, patch);
    const after = patch === "" ? "" : (editPatch(start, inst.gold.file, (t) => t.replace(placeholderLine, () => body)).after as string);
    // The similarity of the plain token sequences, as static mode computed it before dead code was left out.
    const at = after.indexOf(body);
    const before = sequenceSimilarity(bodyTokens(after, inst.language, { start: at, end: at + body.length }), bodyTokens(inst.gold.body, inst.language, { start: 0, end: inst.gold.body.length }));
    return { reward, before };
  }

  const pyHacks: [string, (gold: string) => string][] = [
    ["an early return before the original", (g) => "\n        return ''" + g],
    ["raise before the original", (g) => "\n        raise TypeError('x')" + g],
    ["the original under `if False:`", (g) => "\n        if False:" + indented(g, 4) + "\n        return ''"],
    ["the original under `if 0:`", (g) => "\n        if 0:" + indented(g, 4) + "\n        return ''"],
    ["the original under `while False:`", (g) => "\n        while False:" + indented(g, 4) + "\n        return ''"],
    ["the original in the else of `if True:`", (g) => "\n        if True:\n            return ''\n        else:" + indented(g, 4)],
    ["the original under `if not True:`", (g) => "\n        if (not True):" + indented(g, 4) + "\n        return ''"],
  ];
  for (const [name, make] of pyHacks) {
    it(`Python: rejects ${name} (scored above the threshold before)`, async () => {
      const { reward, before } = await score(py, encode, make(encode.gold.body));
      expect(before).toBeGreaterThan(0.8);
      expect(reward.success).toBe(false);
      expect(reward.violations.map((v) => v.code)).toEqual(["low-similarity"]);
      expect(reward.metrics.similarity as number).toBeLessThan(0.3);
      expect(reward.metrics.dead_code_chars as number).toBeGreaterThan(100);
    });
  }

  const tsHacks: [string, (gold: string) => string][] = [
    ["an early return before the original", (g) => "\n  return text;" + g.replace(/\n\s*$/, "") + "\n"],
    ["the original under `if (false)`", (g) => "\n  if (false) {" + indented(g.replace(/\n\s*$/, ""), 2) + "\n  }\n  return text;\n"],
    ["the original under `while (0)`", (g) => "\n  while (0) {" + indented(g.replace(/\n\s*$/, ""), 2) + "\n  }\n  return text;\n"],
    ["throw before the original", (g) => "\n  throw new Error('x');" + g.replace(/\n\s*$/, "") + "\n"],
  ];
  for (const [name, make] of tsHacks) {
    it(`TypeScript: rejects ${name} (scored above the threshold before)`, async () => {
      const { reward, before } = await score(ts, truncate, make(truncate.gold.body));
      expect(before).toBeGreaterThan(0.7);
      expect(reward.success).toBe(false);
      expect(reward.violations.map((v) => v.code)).toEqual(["low-similarity"]);
    });
  }

  it("Python: the gold with a dead debugging block and unreachable code of its own still passes", async () => {
    const body = "\n        if 0:\n            print('debug', o)" + encode.gold.body.replace(/\n\s*$/, "") + "\n        return 'unreachable'\n";
    const { reward } = await score(py, encode, body);
    expect(reward.violations).toEqual([]);
    expect(reward.metrics.similarity).toBe(1);
  });

  it("TypeScript: a helper function declared after the return is live (hoisted) and passes", async () => {
    const body = "\n  return shorten(text, max);\n  function shorten(t: string, n: number): string {\n    if (t.length <= n) {\n      return t;\n    }\n    const cut = t.slice(0, Math.max(0, n - 1));\n    return cut + \"…\";\n  }\n";
    const { reward } = await score(ts, truncate, body);
    expect(reward.violations).toEqual([]);
    expect(reward.success).toBe(true);
    expect(reward.metrics.dead_code_chars).toBe(0);
  });

  it("finds no dead code in the json package's own function bodies except real dead code", () => {
    // The stdlib's json package has no unreachable statements: every body is fully live.
    const files = stdlibJsonRepo();
    let bodies = 0;
    for (const [path, text] of Object.entries(files)) {
      expect(deadRanges(text, "python", { start: 0, end: text.length }), path).toEqual([]);
      bodies++;
    }
    expect(bodies).toBeGreaterThan(3);
  });
});

// Dead code the first rules did not see (each hid the original body from them, scoring near 1 while doing nothing).
describe("dead code behind statements that never fall through, empty loops, unused local functions", () => {
  // The dead text of `src` (a function whose body is the region after its first line), joined.
  const dead = (src: string, language: "python" | "typescript" | "javascript"): string => {
    const start = src.indexOf("\n") + 1;
    return deadRanges(src, language, { start, end: src.length })
      .map((r) => src.slice(r.start, r.end))
      .join("|");
  };

  it("Python", () => {
    expect(dead("def f(x):\n    if True:\n        return None\n    y = 1\n", "python")).toBe("y = 1");
    expect(dead("def f(x):\n    while True:\n        return None\n    y = 1\n", "python")).toBe("y = 1");
    expect(dead("def f(x):\n    if x:\n        return 1\n    elif x is None:\n        raise E\n    else:\n        return 2\n    y = 1\n", "python")).toBe("y = 1");
    expect(dead("def f(x):\n    assert False, 'no'\n    y = 1\n", "python")).toBe("y = 1");
    expect(dead("def f(x):\n    if 1 == 0:\n        y = 1\n    return x\n", "python")).toBe("if 1 == 0:\n        y = 1");
    expect(dead("def f(x):\n    for _ in ():\n        y = 1\n    return x\n", "python")).toBe("for _ in ():\n        y = 1");
    expect(dead("def f(x):\n    def g():\n        return g\n    return x\n", "python")).toBe("def g():\n        return g");
    expect(dead("def f(x):\n    try:\n        return None\n    except Exception:\n        raise\n    y = 1\n", "python")).toBe("y = 1");
    expect(dead("def f(x):\n    if False and x:\n        y = 1\n    return x\n", "python")).toBe("if False and x:\n        y = 1");
    expect(dead("def f(x):\n    from typing import TYPE_CHECKING\n    if TYPE_CHECKING:\n        y = 1\n    return x\n", "python")).toBe("if TYPE_CHECKING:\n        y = 1");
    expect(dead("def f(x):\n    try:\n        return g()\n    except Exception:\n        pass\n    y = 1\n", "python")).toBe("");
    expect(dead("def f(x):\n    if x or False:\n        y = 1\n    return x\n", "python")).toBe("");
    // Session 5: literal comparisons of any kind, 0j, exit calls, handlers a literal return leaves no way to run,
    // a `with` that returns, a `match` whose wildcard arm returns, a local class never used.
    expect(dead("def f(x):\n    if \"a\" == \"b\":\n        y = 1\n    return x\n", "python")).toBe('if "a" == "b":\n        y = 1');
    expect(dead("def f(x):\n    if None is not None:\n        y = 1\n    return x\n", "python")).toBe("if None is not None:\n        y = 1");
    expect(dead("def f(x):\n    if 0j:\n        y = 1\n    return x\n", "python")).toBe("if 0j:\n        y = 1");
    expect(dead("def f(x):\n    import sys\n    sys.exit(0)\n    y = 1\n", "python")).toBe("y = 1");
    expect(dead("def f(x):\n    try:\n        return None\n    except Exception:\n        pass\n    y = 1\n", "python")).toBe("y = 1");
    expect(dead("def f(x):\n    with cm():\n        return None\n    y = 1\n", "python")).toBe("y = 1");
    expect(dead("def f(x):\n    match x:\n        case 1:\n            return 1\n        case _:\n            return None\n    y = 1\n", "python")).toBe("y = 1");
    expect(dead("def f(x):\n    class C:\n        def run(self):\n            return x\n    return None\n", "python")).toBe("class C:\n        def run(self):\n            return x");
    // Live: a literal comparison that coercion could make true, a with that may suppress what its body raises, a
    // match without a catch-all arm, an exit call that is not a statement of its own.
    expect(dead("def f(x):\n    if -0:\n        y = 1\n    return x\n", "python")).toBe("if -0:\n        y = 1");
    expect(dead("def f(x):\n    if not __debug__:\n        y = 1\n    return x\n", "python")).toBe("if not __debug__:\n        y = 1");
    expect(dead("def f(x):\n    if -1:\n        return 1\n    y = 1\n", "python")).toBe("y = 1");
    expect(dead("def f(x):\n    if 1 == True:\n        y = 1\n    return x\n", "python")).toBe("");
    expect(dead("def f(x):\n    with suppress(E):\n        return g()\n    y = 1\n", "python")).toBe("");
    expect(dead("def f(x):\n    match x:\n        case 1:\n            return 1\n    y = 1\n", "python")).toBe("");
    expect(dead("def f(x):\n    x or sys.exit(0)\n    y = 1\n", "python")).toBe("");
    // Live: a loop that can end, an if without else, a used helper, a method of a local class, a decorated helper.
    expect(dead("def f(x):\n    while True:\n        if x:\n            break\n        return 1\n    y = 1\n", "python")).toBe("");
    expect(dead("def f(x):\n    if x:\n        return 1\n    y = 1\n", "python")).toBe("");
    expect(dead("def f(x):\n    def g():\n        return 1\n    return g()\n", "python")).toBe("");
    expect(dead("def f(x):\n    class C:\n        def __eq__(self, o):\n            return True\n    return C\n", "python")).toBe("");
    expect(dead("def f(x):\n    @register\n    def g():\n        return 1\n    return x\n", "python")).toBe("");
    expect(dead("def f(x):\n    for _ in (1,):\n        y = 1\n    assert x\n    return x\n", "python")).toBe("");
  });

  it("TypeScript and JavaScript", () => {
    expect(dead("function f(x) {\n  if (true) { return; }\n  g();\n}\n", "javascript")).toContain("g();");
    expect(dead("function f(x) {\n  while (true) { return 1; }\n  g();\n}\n", "typescript")).toContain("g();");
    expect(dead("function f(x) {\n  if (x) { return 1; } else { throw e; }\n  g();\n}\n", "javascript")).toContain("g();");
    expect(dead("function f(x) {\n  if (0 > 1) { g(); }\n  return x;\n}\n", "typescript")).toContain("g();");
    expect(dead("function f(x) {\n  for (const y of []) { g(y); }\n  return x;\n}\n", "javascript")).toContain("g(y);");
    expect(dead("function f(x) {\n  function unused() { g(); }\n  return x;\n}\n", "javascript")).toContain("g();");
    expect(dead("function f(x) {\n  try { return 1; } catch (e) { throw e; }\n  g();\n}\n", "javascript")).toContain("g();");
    expect(dead("function f(x) {\n  if (x && false) { g(); }\n  return x;\n}\n", "typescript")).toContain("g();");
    // A body that can throw leaves the handler a way to run; one that returns a literal does not.
    expect(dead("function f(x) {\n  try { return x.y; } catch (e) { h(); }\n  g();\n}\n", "javascript")).toBe("");
    expect(dead("function f(x) {\n  try { return 1; } catch (e) { h(); }\n  g();\n}\n", "javascript")).toContain("g();");
    expect(dead("function f(x) {\n  if ('a' === 'b') { g(); }\n  return x;\n}\n", "typescript")).toContain("g();");
    expect(dead("function f(x) {\n  if (null !== null) { g(); }\n  return x;\n}\n", "javascript")).toContain("g();");
    expect(dead("function f(x) {\n  process.exit(0);\n  g();\n}\n", "typescript")).toContain("g();");
    expect(dead("function f(x) {\n  switch (x) { case 1: return 1; default: return 2; }\n  g();\n}\n", "javascript")).toContain("g();");
    expect(dead("function f(x) {\n  for (;;) { return 1; }\n  g();\n}\n", "typescript")).toContain("g();");
    expect(dead("function f(x) {\n  done: { return 1; }\n  g();\n}\n", "javascript")).toContain("g();");
    // Live: null == undefined (loose), a switch that breaks or has no default, a labeled block left by a break.
    expect(dead("function f(x) {\n  if (-0) { g(); }\n  return x;\n}\n", "typescript")).toContain("g();");
    expect(dead("function f(x) {\n  if (NaN) { g(); }\n  return x;\n}\n", "javascript")).toContain("g();");
    expect(dead("function f(x) {\n  if (``) { g(); }\n  return x;\n}\n", "javascript")).toContain("g();");
    expect(dead("function f(x) {\n  if (-x) { g(); }\n  return x;\n}\n", "javascript")).toBe("");
    expect(dead("function f(x) {\n  if (null != undefined) { g(); }\n  return x;\n}\n", "javascript")).toBe("");
    expect(dead("function f(x) {\n  switch (x) { case 1: break; default: return 2; }\n  g();\n}\n", "javascript")).toBe("");
    expect(dead("function f(x) {\n  switch (x) { case 1: return 1; }\n  g();\n}\n", "typescript")).toBe("");
    expect(dead("function f(x) {\n  done: { if (x) break done; return 1; }\n  g();\n}\n", "javascript")).toBe("");
    // Live: [] is truthy in JavaScript, a used helper, a loop that breaks.
    expect(dead("function f(x) {\n  if ([]) { g(); }\n  return x;\n}\n", "javascript")).toBe("");
    expect(dead("function f(x) {\n  function h() { g(); }\n  return h();\n}\n", "javascript")).toBe("");
    expect(dead("function f(x) {\n  while (true) { if (x) break; return 1; }\n  g();\n}\n", "typescript")).toBe("");
  });
});

describe("dead code that still changes the function", () => {
  const effect = (src: string, language: "python" | "typescript" | "javascript"): string | null => {
    const region = { start: src.indexOf("\n") + 1, end: src.length };
    return deadCodeScopeEffect(src, language, region, deadRanges(src, language, region));
  };
  it("Python: a dead yield, global, or binding of a live name", () => {
    expect(effect("def f(x):\n    return x + 1\n    yield\n", "python")).toMatch(/yield/);
    expect(effect("def f(x):\n    return os.sep\n    os = None\n", "python")).toMatch(/binds `os`/);
    expect(effect("def f(x):\n    return os.sep\n    import os\n", "python")).toMatch(/binds `os`/);
    expect(effect("def f(x):\n    return x\n    if False:\n        global x\n", "python")).toMatch(/global/);
    expect(effect("def f(x):\n    return sep\n    for sep in ():\n        pass\n", "python")).toMatch(/binds `sep`/);
    // No effect: a dead binding of a name the live code does not use, a yield inside a nested function, a dead
    // call or attribute assignment.
    expect(effect("def f(x):\n    return x\n    unused = 1\n", "python")).toBeNull();
    expect(effect("def f(x):\n    return x\n    def g():\n        yield 1\n", "python")).toBeNull();
    expect(effect("def f(x):\n    return x\n    x.attr = 1\n    print(x)\n", "python")).toBeNull();
    expect(effect("def f(x):\n    return x\n", "python")).toBeNull();
    // A name the live code binds anyway, or a parameter, is local already.
    expect(effect("def f(x):\n    y = x + 1\n    return y\n    y = None\n", "python")).toBeNull();
    expect(effect("def f(x):\n    return x\n    x = None\n", "python")).toBeNull();
  });
  it("JavaScript and TypeScript: a dead declaration of a live name", () => {
    expect(effect("function f(x) {\n  return cache[x];\n  var cache;\n}\n", "javascript")).toMatch(/binds `cache`/);
    expect(effect("function f(x) {\n  return y + x;\n  let y = 1;\n}\n", "typescript")).toMatch(/binds `y`/);
    expect(effect("function f(x) {\n  return x;\n  let unused = 1;\n}\n", "typescript")).toBeNull();
  });
});
