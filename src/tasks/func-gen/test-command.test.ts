// Which test commands func-gen exec mode can read the verdict of, how they are rewritten to go through hgym's
// wrappers, and the refusal (or opt-in) for the rest.

import { describe, it, expect } from "vitest";
import { UserError } from "../../core/errors.js";
import { funcGenCli } from "./cli.js";
import { verifyConfigFrom } from "./generate.js";
import { testCommandProblem } from "./test-command.js";
import { parseTestCommand, shellWords } from "./test-command.js";
import { DEFAULT_FUNC_GEN_OPTIONS, type FuncGenGold } from "./types.js";
import { readReport, verdictMismatch, verdictPlan } from "./verdict.js";
import { createHmac } from "node:crypto";

describe("test commands", () => {
  it("splits words with quotes and refuses shell syntax", () => {
    expect(shellWords(`python3 -m pytest -k 'a and b' "tests/x y.py"`)).toEqual(["python3", "-m", "pytest", "-k", "a and b", "tests/x y.py"]);
    for (const c of ["pytest && echo ok", "pytest; true", "pytest | tee x", "pytest > log", "pytest $(x)", 'pytest "$HOME"', "pytest `x`"]) expect(shellWords(c), c).toBeNull();
  });

  it("recognises unittest, pytest and node --test with env, interpreter flags and arguments", () => {
    expect(parseTestCommand("python3 -B -m unittest discover -s tests -t .")).toMatchObject({ runner: "unittest", interpreter: "python3", interpreterFlags: ["-B"], args: ["discover", "-s", "tests", "-t", "."] });
    expect(parseTestCommand("PYTHONPATH=src python3.11 -W ignore -m pytest -q tests")).toMatchObject({ runner: "pytest", env: ["PYTHONPATH=src"], interpreterFlags: ["-W", "ignore"], args: ["-q", "tests"], viaModule: true });
    expect(parseTestCommand("pytest -x 'tests/test a.py'")).toMatchObject({ runner: "pytest", viaModule: false, args: ["-x", "'tests/test a.py'"] });
    expect(parseTestCommand("node --test --test-reporter=tap test/*.test.js")).toMatchObject({ runner: "node-test", interpreterFlags: [], args: ["test/*.test.js"] });
    expect(parseTestCommand("node --experimental-vm-modules --test --test-reporter dot test/a.js")).toMatchObject({ interpreterFlags: ["--experimental-vm-modules"], args: ["test/a.js"] });
    for (const c of ["npm test", "python3 -m nose", "python3 -c 'import x'", "python3 tests/run.py", "node test/a.js", "make test", "npx vitest run"]) expect(parseTestCommand(c), c).toBeNull();
  });

  it("routes the command through the wrapper in the per-run directory", () => {
    const gold = { file: "m.py", key: "f", name: "f", verify: { mode: "exec", similarity_threshold: 0.5, timeout_ms: 1000 } } as unknown as FuncGenGold;
    const plan = verdictPlan(gold, parseTestCommand("PYTHONPATH=src python3 -B -m unittest -q tests.test_core"), "/tmp/hgym-verdict-abc");
    expect(plan?.command).toBe("PYTHONPATH=src python3 -B /tmp/hgym-verdict-abc/unittest_run.py -q tests.test_core");
    const node = verdictPlan(gold, parseTestCommand("node --test test/a.js"), "/tmp/d");
    expect(node?.command).toBe("node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=/tmp/d/reporter.mjs --test-reporter-destination=/tmp/d/report.json test/a.js");
  });

  it("refuses an unreadable command at generation, naming the supported runners, unless the user opts in", () => {
    expect(testCommandProblem("npm test", false)).toMatch(/python3 -m unittest[\s\S]*pytest[\s\S]*node --test[\s\S]*--exit-status-verdict/);
    expect(() => verifyConfigFrom({ ...DEFAULT_FUNC_GEN_OPTIONS, testCmd: "npm test" })).toThrow(UserError);
    expect(verifyConfigFrom({ ...DEFAULT_FUNC_GEN_OPTIONS, testCmd: "npm test", exitStatusVerdict: true })).toMatchObject({ mode: "exec", verdict_source: "exit-status" });
    expect(verifyConfigFrom({ ...DEFAULT_FUNC_GEN_OPTIONS, testCmd: "python3 -m unittest" })).toMatchObject({ mode: "exec", verdict_source: "tests" });
    expect(() => funcGenCli.toOptions({ verifyMode: "exec", testCmd: "make test" })).toThrow(/cannot read the tests' verdict/);
    expect(funcGenCli.toOptions({ verifyMode: "exec", testCmd: "make test", exitStatusVerdict: true })).toMatchObject({ exitStatusVerdict: true });
  });

  it("trusts only reports signed with the run's key and compares them with the gold's", () => {
    const body = JSON.stringify({ failed: [], outcome: "completed", passed: ["a", "b"], runner: "unittest" });
    const mac = createHmac("sha256", "k1").update(body).digest("hex");
    const ok = readReport(JSON.stringify({ body, mac }), "k1");
    expect(ok).toMatchObject({ outcome: "completed", passed: ["a", "b"] });
    expect(readReport(JSON.stringify({ body, mac }), "k2")).toEqual({ problem: "forged" });
    expect(readReport("", "k1")).toEqual({ problem: "missing" });
    expect(readReport("not json", "k1")).toEqual({ problem: "forged" });
    const expected = { runner: "unittest" as const, outcome: "completed", passed: ["a", "b"] };
    expect(verdictMismatch(expected, { runner: "unittest", outcome: "completed", passed: ["a", "b", "c"], failed: [] })).toBeNull();
    expect(verdictMismatch(expected, { runner: "unittest", outcome: "completed", passed: ["a"], failed: [] })?.code).toBe("tests-not-passed");
    expect(verdictMismatch(expected, { runner: "unittest", outcome: "completed", passed: ["a", "b"], failed: ["c"] })?.code).toBe("test-failed");
    expect(verdictMismatch(expected, { runner: "unittest", outcome: "tampered:TestCase.run", passed: ["a", "b"], failed: [] })?.code).toBe("tests-incomplete");
  });
});
