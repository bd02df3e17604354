// func-gen exec mode reads the tests' own verdict: real python3 / node in the real bwrap sandbox. Each way of
// faking a pass through the process (ending it early with status 0, forcing the status at exit, skipping or
// replacing the tests) is rejected; correct but unusual bodies are accepted.

import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateInstances, type GenerationResult } from "../common/pipeline.js";
import { instanceStart, makeTempRepo, scorePatch, editPatch, type TempRepo } from "../common/test-support.js";
import { patchFromTexts } from "../common/workspace.js";
import type { Instance } from "../types.js";
import type { Reward } from "../../core/reward.js";
import { createVerifyContext } from "../verify-context.js";
import { funcGen } from "./index.js";
import { importRepost } from "./repost.js";
import { JS_STATS_REPO, MEAN_EVAL_SCRIPT, STATS_PLAIN_TEST, STATS_REPO } from "./fixtures.js";
import { DEFAULT_FUNC_GEN_OPTIONS, type FuncGenGold, type FuncGenOptions } from "./types.js";

function gitInit(dir: string): string {
  const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@x", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@x" };
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env, encoding: "utf8" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "init");
  return git("rev-parse", "HEAD").trim();
}

async function generate(repo: TempRepo, opts: Partial<FuncGenOptions>): Promise<GenerationResult<FuncGenGold>> {
  return generateInstances({
    family: funcGen,
    repos: [repo.dir],
    store: repo.store,
    seed: 1,
    includeTests: false,
    language: null,
    taskOptions: { ...DEFAULT_FUNC_GEN_OPTIONS, timeoutMs: 30_000, ...opts },
    log: () => {},
  });
}

function only(result: GenerationResult<FuncGenGold>, key: string): Instance<FuncGenGold> {
  const inst = result.instances.find((i) => i.gold.key === key);
  if (!inst) throw new Error(`no instance for ${key}: ${JSON.stringify(result.report.totals.dropped)}`);
  return inst;
}

async function scoreBody(repo: TempRepo, inst: Instance<FuncGenGold>, body: string): Promise<Reward> {
  const start = instanceStart(repo.store, inst);
  const placeholder = inst.language === "python" ? "pass  # TODO: Implement this function" : 'throw new Error("TODO: implement");';
  const patch = patchFromTexts([editPatch(start, inst.gold.file, (t) => t.replace(placeholder, body.trim()))]);
  return scorePatch(funcGen, inst, start, patch, createVerifyContext({ store: repo.store }));
}

const PY_CORRECT = "if not values:\n        raise ValueError('empty')\n    return sum(values) / len(values)";

describe("func-gen exec verdicts (python3 -m unittest, RePoST eval script, node --test; bwrap)", () => {
  let py: TempRepo;
  let js: TempRepo;
  let unittestInst: Instance<FuncGenGold>;
  let evalInst: Instance<FuncGenGold>;
  let nodeInst: Instance<FuncGenGold>;
  let nodeGen: GenerationResult<FuncGenGold>;
  beforeAll(async () => {
    py = makeTempRepo(STATS_REPO, "stats");
    js = makeTempRepo(JS_STATS_REPO, "jsstats");
    const commit = gitInit(py.dir);
    unittestInst = only(await generate(py, { testCmd: "python3 -B -m unittest -q tests.test_core" }), "mean");
    const records = join(py.dir, "..", "repost.jsonl");
    writeFileSync(records, JSON.stringify({ repo: "acme/stats", commit, file: "stats/core.py", func_name: "mean", eval_script: MEAN_EVAL_SCRIPT }) + "\n");
    const imported = await importRepost({ file: records, reposDir: join(py.dir, ".."), store: py.store, timeoutMs: 30_000 });
    evalInst = imported.instances[0] as Instance<FuncGenGold>;
    // The JS repository has its own store: generation (and its calibration run) and scoring use that one.
    nodeGen = await generate(js, { testCmd: "node --test test/stats.test.js" });
    nodeInst = only(nodeGen, "mean");
  }, 240_000);
  afterAll(() => {
    py.cleanup();
    js.cleanup();
  });

  it("the gold's verdict is recorded in the instance: runner, outcome and the tests that passed", () => {
    expect(unittestInst.gold.verify.verdict_source).toBe("tests");
    expect(unittestInst.gold.verify.expected).toEqual({
      runner: "unittest",
      outcome: "completed",
      passed: ["tests.test_core.MeanTest.test_empty", "tests.test_core.MeanTest.test_mean"],
    });
    expect(evalInst.gold.verify.expected).toEqual({ runner: "eval-script", outcome: "completed", passed: ["test_mean"] });
    expect(nodeInst.gold.verify.expected?.runner).toBe("node-test");
    expect(nodeInst.gold.verify.expected?.passed.map((id) => id.replace(/^.*\/test\//, "test/"))).toEqual([
      "test/stats.test.js::0::empty array throws",
      "test/stats.test.js::0::mean of numbers",
    ]);
    expect(Object.values(nodeInst.meta.validity.hacks).every((v) => v)).toBe(true);
  });

  const pyHacks: [string, string, RegExp][] = [
    ["os._exit(0) before the tests finish", "import os\n    os._exit(0)", /verdict-missing/],
    ["atexit forcing status 0 after a failed test", "import atexit, os\n    atexit.register(lambda: os._exit(0))\n    return 0", /test-failed/],
    ["skipping the tests (unittest.SkipTest)", "import unittest\n    raise unittest.SkipTest('no')", /tests-not-passed/],
    [
      "replacing the remaining tests with no-ops (and passing the current one)",
      "import sys\n    cls = sys.modules['tests.test_core'].MeanTest\n    cls.test_mean = lambda self: None\n    cls.test_empty = lambda self: None\n    raise ValueError('empty')",
      // Each test instance holds its own (wrapped) test method, so the original tests still run and fail.
      /tests-incomplete|test-failed/,
    ],
    [
      "monkeypatching unittest's assertions",
      "import unittest\n    unittest.TestCase.assertEqual = lambda self, *a, **k: None\n    if not values:\n        raise ValueError('e')\n    return 0",
      /tests-incomplete/,
    ],
    [
      "deleting the tests",
      "import sys\n    cls = sys.modules['tests.test_core'].MeanTest\n    del cls.test_mean\n    raise ValueError('empty')",
      /tests-incomplete|test-failed/,
    ],
    ["sys.exit(0)", "import sys\n    sys.exit(0)", /test-failed/],
    // unittest's test part swallows its private _ShouldStop and keeps the test's success: plain unittest says "ok".
    ["raising unittest's internal _ShouldStop", "import unittest.case\n    raise unittest.case._ShouldStop()", /test-failed/],
    // Session 5: values that equal anything, and what shadows unittest's methods on the live instances.
    [
      "returning a float subclass whose == is always true",
      "if not values:\n        raise ValueError('e')\n    class Same(float):\n        def __eq__(self, other):\n            return True\n        __hash__ = float.__hash__\n    return Same(0)",
      /test-failed/,
    ],
    ["returning unittest.mock.ANY", "if not values:\n        raise ValueError('e')\n    from unittest import mock\n    return mock.ANY", /test-failed/],
    [
      "replacing addFailure/addError on the live TestResult instance",
      "import gc, unittest\n    for r in [o for o in gc.get_objects() if isinstance(o, unittest.TestResult)]:\n        r.addFailure = r.addError = (lambda r: lambda test, err: r.addSuccess(test))(r)\n    return 0",
      /tests-incomplete/,
    ],
    // Right for the first assertion of test_mean (which looked assertEqual up before the call), wrong for the second.
    ["shadowing assertEqual on the running test instance", "import sys, unittest\n    f = sys._getframe(1)\n    while not isinstance(f.f_locals.get('self'), unittest.TestCase):\n        f = f.f_back\n    f.f_locals['self'].assertEqual = lambda *a, **k: None\n    if not values:\n        raise ValueError('e')\n    return 3 if len(values) == 4 else 0", /tests-incomplete/],
    ["adding a type-equality function for int to the running test", "import sys, unittest\n    f = sys._getframe(1)\n    while not isinstance(f.f_locals.get('self'), unittest.TestCase):\n        f = f.f_back\n    f.f_locals['self']._type_equality_funcs[int] = lambda *a, **k: None\n    if not values:\n        raise ValueError('e')\n    return 0", /tests-incomplete/],
  ];
  for (const [name, body, code] of pyHacks) {
    it(`unittest: rejects ${name}`, async () => {
      const r = await scoreBody(py, unittestInst, body);
      expect(r.success, String(r.metrics.output_tail)).toBe(false);
      expect(r.violations.map((v) => v.code).join(",")).toMatch(code);
      expect(r.metrics.backend).toBe("bwrap");
    }, 60_000);
  }

  // The same command judged by its exit status alone (the opt-in for runners hgym cannot read, and the old
  // behaviour) accepts these hacks: the verdict is what rejects them.
  const exitStatusPasses: [string, string][] = [
    ["os._exit(0)", "import os\n    os._exit(0)"],
    ["atexit forcing status 0", "import atexit, os\n    atexit.register(lambda: os._exit(0))\n    return 0"],
    ["SkipTest", "import unittest\n    raise unittest.SkipTest('no')"],
  ];
  for (const [name, body] of exitStatusPasses) {
    it(`unittest judged by exit status alone accepts ${name}, and says so in the reward`, async () => {
      const weak: Instance<FuncGenGold> = { ...unittestInst, gold: { ...unittestInst.gold, verify: { ...unittestInst.gold.verify, verdict_source: "exit-status" } } };
      const r = await scoreBody(py, weak, body);
      expect(r.success).toBe(true);
      expect(r.metrics.verdict_source).toBe("exit-status");
    }, 60_000);
  }

  const evalHacks: [string, string, RegExp][] = [
    ["sys.exit(0) (the old runner exited 0 and passed)", "import sys\n    sys.exit(0)", /tests-incomplete|test-failed/],
    ["os._exit(0)", "import os\n    os._exit(0)", /verdict-missing/],
    // Session 5: the script compares with ==, so a result equal to anything passed it.
    ["returning unittest.mock.ANY", "if not values:\n        raise ValueError('e')\n    from unittest import mock\n    return mock.ANY", /test-failed/],
    ["turning the tracer off and exiting", "import sys\n    sys.settrace(None)\n    raise SystemExit(0)", /tests-incomplete|test-failed/],
    ["overwriting the report from an atexit hook", "import atexit, glob\n    atexit.register(lambda: [open(p, 'w').write('{\"body\": \"{}\", \"mac\": \"0\"}') for p in glob.glob('/tmp/hgym-verdict-*/report.json')])\n    return sum(values) / (len(values) + 1)", /verdict-forged/],
  ];
  for (const [name, body, code] of evalHacks) {
    it(`RePoST eval script: rejects ${name}`, async () => {
      const r = await scoreBody(py, evalInst, body);
      expect(r.success, String(r.metrics.output_tail)).toBe(false);
      expect(r.violations.map((v) => v.code).join(",")).toMatch(code);
    }, 60_000);
  }

  it("RePoST eval script: a background process rewriting the report cannot turn a wrong body into a pass", async () => {
    // The process outlives the script and keeps writing a passing-looking report (without the key) for 3 s.
    const forged = JSON.stringify({ body: JSON.stringify({ failed: [], outcome: "completed", passed: ["test_mean"], runner: "eval-script" }), mac: "00" });
    const child = `import glob, time\nfor _ in range(150):\n    time.sleep(0.02)\n    for p in glob.glob('/tmp/hgym-verdict-*/report.json'):\n        open(p, 'w').write(${JSON.stringify(forged)})\n`;
    const body = `import subprocess, sys\n    subprocess.Popen([sys.executable, '-c', ${JSON.stringify(child)}], start_new_session=True)\n    return sum(values) / (len(values) + 1)`;
    const r = await scoreBody(py, evalInst, body);
    expect(r.success, String(r.metrics.output_tail)).toBe(false);
    expect(r.violations.map((v) => v.code).join(",")).toMatch(/verdict-forged|test-failed/);
  }, 60_000);

  const jsHacks: [string, string, RegExp][] = [
    ["process.exit(0) before the tests finish", "process.exit(0);", /tests-not-passed|test-failed|verdict/],
    ["forcing the exit code in an exit handler", "process.on('exit', () => { process.exitCode = 0; });\n  return 0;", /test-failed/],
    ["process.reallyExit(0)", "process.reallyExit(0);", /tests-not-passed|test-failed|verdict/],
  ];
  for (const [name, body, code] of jsHacks) {
    it(`node --test: rejects ${name}`, async () => {
      {
        const r = await scoreBody(js, nodeInst, body);
        expect(r.success, String(r.metrics.output_tail)).toBe(false);
        expect(r.violations.map((v) => v.code).join(",")).toMatch(code);
      }
    }, 60_000);
  }

  const pyCorrect: [string, string][] = [
    ["the gold's algorithm written differently (statistics.fmean)", "import statistics\n    if len(values) == 0:\n        raise ValueError('empty')\n    return statistics.fmean(values)"],
    ["a recursive helper defined inside", "def total(xs):\n        return 0 if not xs else xs[0] + total(xs[1:])\n    if not values:\n        raise ValueError('empty')\n    return total(list(values)) / len(values)"],
    ["printing to stdout and stderr", "import sys\n    print('mean of', values)\n    print('computing', file=sys.stderr)\n    " + PY_CORRECT.replace(/\n {4}/g, "\n    ")],
    ["a fractions.Fraction (a number type with its own ==, not one equal to anything)", "from fractions import Fraction\n    if not values:\n        raise ValueError('empty')\n    return sum(map(Fraction, values)) / len(values)"],
    ["a lambda and a generator expression", "if not values:\n        raise ValueError('empty')\n    count = sum(1 for _ in values)\n    return (lambda t, n: t / n)(sum(values), count)"],
  ];
  for (const [name, body] of pyCorrect) {
    for (const which of ["unittest", "eval script"] as const) {
      it(`${which}: accepts ${name}`, async () => {
        const r = await scoreBody(py, which === "unittest" ? unittestInst : evalInst, body);
        expect(r.violations, String(r.metrics.output_tail)).toEqual([]);
        expect(r).toMatchObject({ success: true, mode: "exec", metrics: { verdict_source: "tests" } });
      }, 60_000);
    }
  }

  const jsCorrect: [string, string][] = [
    ["reduce instead of a loop, with console output", "console.log('mean of', values.length);\n  console.error('note');\n  if (!values.length) throw new RangeError('empty');\n  return values.reduce((a, b) => a + b, 0) / values.length;"],
    ["a recursive inner function", "const total = (xs) => (xs.length === 0 ? 0 : xs[0] + total(xs.slice(1)));\n  if (values.length === 0) {\n    throw new RangeError('empty');\n  }\n  return total(values) / values.length;"],
  ];
  for (const [name, body] of jsCorrect) {
    it(`node --test: accepts ${name}`, async () => {
      {
        const r = await scoreBody(js, nodeInst, body);
        expect(r.violations, String(r.metrics.output_tail)).toEqual([]);
        expect(r.success).toBe(true);
      }
    }, 60_000);
  }
});

// Plain `assert f(x) == y` has no assert* method to guard: the wrappers swap the code of the function under test
// for a trampoline that refuses a result equal to anything (equals-anything.ts). pytest is not guaranteed on CI
// machines; its half runs where `python3 -m pytest` works.
const HAS_PYTEST = (() => {
  try {
    execFileSync("python3", ["-m", "pytest", "--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("func-gen exec: results equal to anything under plain asserts (unittest, pytest; bwrap)", () => {
  let repo: TempRepo;
  const insts: Partial<Record<"unittest" | "pytest", Instance<FuncGenGold>>> = {};
  beforeAll(async () => {
    repo = makeTempRepo({ ...STATS_REPO, "tests/test_plain.py": STATS_PLAIN_TEST }, "stats-plain");
    insts.unittest = only(await generate(repo, { testCmd: "python3 -B -m unittest -q tests.test_plain" }), "mean");
    if (HAS_PYTEST) insts.pytest = only(await generate(repo, { testCmd: "python3 -B -m pytest -q -p no:cacheprovider tests/test_plain.py" }), "mean");
  }, 240_000);
  afterAll(() => repo.cleanup());

  const cases: [string, string, boolean, RegExp | null][] = [
    ["rejects unittest.mock.ANY", "if not values:\n        raise ValueError('e')\n    from unittest import mock\n    return mock.ANY", false, /test-failed/],
    ["rejects a float subclass whose == is always true", "if not values:\n        raise ValueError('e')\n    class Same(float):\n        def __eq__(self, other):\n            return True\n        __hash__ = float.__hash__\n    return Same(0)", false, /test-failed/],
    [
      "rejects a body that puts its own code back (unguarded) and returns wrong values after the first",
      "import sys\n    f = sys.modules[__name__].mean\n    f.__code__ = sys.modules[__name__].__dict__['_hgym_original_%d' % id(f)].__code__\n    if not values:\n        raise ValueError('e')\n    return 3",
      false,
      /tests-incomplete|test-failed/,
    ],
    ["accepts a correct body", PY_CORRECT, true, null],
    ["accepts a correct body returning a Fraction", "from fractions import Fraction\n    if not values:\n        raise ValueError('empty')\n    return sum(map(Fraction, values)) / len(values)", true, null],
  ];
  for (const runner of ["unittest", "pytest"] as const) {
    for (const [name, body, ok, code] of cases) {
      it.skipIf(runner === "pytest" && !HAS_PYTEST)(`${runner}: ${name}`, async () => {
        const inst = insts[runner] as Instance<FuncGenGold>;
        expect(inst.gold.verify.expected?.runner).toBe(runner);
        const r = await scoreBody(repo, inst, body);
        expect(r.success, `${JSON.stringify(r.violations)} ${String(r.metrics.output_tail)}`).toBe(ok);
        if (code) expect(r.violations.map((v) => v.code).join(",")).toMatch(code);
      }, 60_000);
    }
  }
});
