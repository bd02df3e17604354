// The tests' own verdict for func-gen `exec` mode. The exit status alone is forgeable from inside the candidate
// (os._exit(0) before the tests run, atexit / process.on('exit') forcing 0 after one failed), so each supported
// runner is started through a small wrapper of ours that records which tests ran and passed and writes a report
// after the tests finish. The report lives in a per-run directory with a random name in the sandbox's private
// /tmp (never in the workspace) and carries an HMAC under a per-run key the wrapper reads and deletes before any
// test or candidate code is imported, so a candidate that overwrites the report, or writes one from a background
// process, is caught. What the gold's run recorded (the calibration, stored in the instance) is what a candidate
// must reproduce: the same outcome, every test that passed for the gold passed again, none failed.

import { createHmac } from "node:crypto";
import { PY_EQUALS_ANYTHING, PY_RETURN_GUARD } from "./equals-anything.js";
import { evalRunnerSource } from "./eval-runner.js";
import { nativeTestCommand } from "./native-runners.js";
import { PY_WRITER } from "./report-writer.js";
import { KEY_FILE, REPORT_FILE, type TestCommandPlan } from "./test-command.js";
import type { ExpectedVerdict, FuncGenGold, TestVerdict, VerdictRunner } from "./types.js";

// What one run's report says; `passed`/`failed` are test ids (sorted, repeats kept).
export type { TestVerdict } from "./types.js";

// The per-run files written into the sandbox and the command that runs the tests through our wrapper.
export interface VerdictPlan {
  runner: VerdictRunner;
  files: Record<string, string>; // name -> content, inside `dir`
  command: string;
  // The verdict is read from the command's own output (go test -json, libtest's lines: native-runners.ts), not
  // from a signed report.
  fromOutput?: boolean;
}

// `python -m unittest ARGS`, with a result class that records every test's outcome. Code under test shares the
// process, so the wrapper also guards the machinery: before each test and after the run it checks that the test
// methods and the attributes of unittest's TestCase / TestSuite / TestResult classes (and its own) are the very
// objects they were when the tests were loaded. A body that replaces the remaining tests, deletes them, or patches
// assertEqual or TestCase.run ends the run as "tampered". The same holds for what shadows those classes on their
// instances (a callable set on the TestResult or on a test, a test's type-equality table). The assert* methods
// also refuse a value that compares equal to anything (a fresh object of a private class): `unittest.mock.ANY`
// or a str subclass whose __eq__ is always true, returned by the code under test, would pass every assertEqual;
// the function under test's own results are refused the same way (PY_RETURN_GUARD, which plain asserts need).
export const UNITTEST_WRAPPER = `# hgym: runs unittest as \`python -m unittest\` would and records each test's outcome.
${PY_WRITER}
_WRITE = _hgym_writer()
_sys.path[0] = _os.getcwd()  # as with -m: the working directory first, not this file's directory
import functools as _functools
import unittest
${PY_EQUALS_ANYTHING}
${PY_RETURN_GUARD}


def _make():
    passed, failed, state = [], [], {"tampered": None, "baseline": None, "tests": [], "result": None}

    # Only what shadows a method of the class: tests keep their own callables (mocks, handlers) on self.
    def instance_callables(fp, prefix, obj):
        for key, value in list(vars(obj).items()):
            if callable(getattr(type(obj), key, None)):
                fp["%s.%s" % (prefix, key)] = (value, getattr(value, "__code__", None))

    def fingerprint():
        fp = {}
        for cls in (unittest.TestCase, unittest.TestSuite, unittest.TestResult, unittest.TextTestResult, unittest.TextTestRunner, Result, Runner):
            for key, value in list(vars(cls).items()):
                fp["%s.%s" % (cls.__name__, key)] = (value, getattr(value, "__code__", None))
        for test in state["tests"]:
            name = getattr(test, "_testMethodName", None)
            if name is None:
                continue
            method = getattr(type(test), name, None)
            fp["test:" + test.id()] = (method, getattr(method, "__code__", None))
            instance_callables(fp, "test:%s:%d" % (test.id(), id(test)), test)
            for typ, func in list((getattr(test, "_type_equality_funcs", None) or {}).items()):
                fp["test:%s:%d:eq:%r" % (test.id(), id(test), typ)] = (func, None)
        if state["result"] is not None:
            instance_callables(fp, "result", state["result"])
        for i, (fn, code) in enumerate(_HGYM_GUARDED):
            fp["guarded:%d" % i] = (fn.__code__, code)
        return fp

    def check():
        if state["baseline"] is None or state["tampered"]:
            return
        now = fingerprint()
        base = state["baseline"]
        for key in set(base) | set(now):
            a, b = base.get(key), now.get(key)
            if a is None or b is None or a[0] is not b[0] or a[1] is not b[1]:
                state["tampered"] = key
                return

    class Result(unittest.TextTestResult):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            state["result"] = self

        def startTest(self, test):
            check()
            if state["tampered"]:
                self.stop()
            super().startTest(test)

        def addSuccess(self, test):
            super().addSuccess(test)
            passed.append(test.id())

        def addFailure(self, test, err):
            super().addFailure(test, err)
            failed.append(test.id())

        def addError(self, test, err):
            super().addError(test, err)
            failed.append(test.id())

        def addUnexpectedSuccess(self, test):
            super().addUnexpectedSuccess(test)
            failed.append(test.id())

        def addSubTest(self, test, subtest, err):
            super().addSubTest(test, subtest, err)
            if err is not None:
                failed.append(subtest.id())

    def flatten(suite):
        for item in getattr(suite, "_tests", None) or []:
            if isinstance(item, unittest.TestSuite):
                yield from flatten(item)
            else:
                yield item

    # unittest's private _ShouldStop is how subTest stops a test early (failfast, an expected failure); the test
    # part that catches it keeps whatever success it had, so code under test raising it ends the test as passed
    # without any assertion having run. Raised by the framework it always follows a recorded failure (the
    # outcome's success is already False); raised while the outcome still says success, it becomes the test's
    # failure. Each test method is wrapped on its instance (functools.wraps keeps the skip/expected-failure marks).
    def guard_should_stop(test):
        name = getattr(test, "_testMethodName", None)
        method = getattr(test, name, None) if name else None
        if method is None:
            return

        @_functools.wraps(method)
        def guarded(*args, **kwargs):
            try:
                return method(*args, **kwargs)
            except unittest.case._ShouldStop:
                outcome = getattr(test, "_outcome", None)
                if outcome is not None and outcome.success:
                    raise AssertionError("hgym: the code under test raised unittest's internal _ShouldStop") from None
                raise

        setattr(test, name, guarded)

    def guard_asserts():
        for name, original in list(vars(unittest.TestCase).items()):
            if not name.startswith("assert") or not callable(original) or name.startswith(("assertRaises", "assertWarns", "assertLogs", "assertNoLogs")):
                continue

            def make(name, original):
                @_functools.wraps(original)
                def checked(self, *args, **kwargs):
                    for value in list(args[:2]) + [v for k, v in kwargs.items() if k != "msg"]:
                        if _hgym_equals_anything(value):
                            raise self.failureException("hgym: %s got a %s that compares equal to anything" % (name, type(value).__name__))
                    return original(self, *args, **kwargs)

                return checked

            setattr(unittest.TestCase, name, make(name, original))

    class Runner(unittest.TextTestRunner):
        resultclass = Result

        def run(self, test):
            state["tests"] = list(flatten(test))
            for t in state["tests"]:
                guard_should_stop(t)
            guard_asserts()
            _hgym_guard_target()
            state["baseline"] = fingerprint()
            return super().run(test)

    def main():
        outcome, code = "started", 1
        _sys.argv[0] = "python -m unittest"
        try:
            prog = unittest.main(module=None, argv=["python -m unittest"] + _sys.argv[1:], testRunner=Runner, exit=False)
            outcome = "completed"
            code = 0 if prog.result.wasSuccessful() else 1
        except SystemExit as exc:
            outcome = "exit:%s" % (exc.code if exc.code is not None else 0)
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException as exc:
            outcome = "error:" + type(exc).__name__
            raise
        finally:
            check()
            if state["tampered"]:
                outcome = "tampered:" + state["tampered"]
                _sys.stderr.write("hgym: the test machinery was changed during the run (%s)\\n" % state["tampered"])
            _WRITE("unittest", outcome, passed, failed)
        return code

    return main


if __name__ == "__main__":
    _sys.exit(_make()())
`;

// pytest through pytest.main with a plugin object that records each test's outcome over its phases.
export function pytestWrapper(viaModule: boolean): string {
  return `# hgym: runs pytest and records each test's outcome.
${PY_WRITER}
_WRITE = _hgym_writer()
if ${viaModule ? "True" : "False"}:
    _sys.path[0] = _os.getcwd()  # python -m pytest puts the working directory first
else:
    del _sys.path[0]  # the pytest script adds nothing
import pytest
${PY_EQUALS_ANYTHING}
${PY_RETURN_GUARD}


class _Recorder:
    def __init__(self):
        self.outcomes = {}
        self.baseline = None
        self.items = []
        self.tampered = None

    # The test functions (their code objects, and class attributes for methods) and pytest's runner functions
    # must stay the objects they were at collection: checked before each test and after the run.
    def _fingerprint(self):
        import _pytest.python, _pytest.runner
        fp = {}
        for item in self.items:
            fn = getattr(item, "function", None)
            cls = getattr(item, "cls", None)
            name = getattr(item, "originalname", None) or getattr(item, "name", "")
            fp["test:" + item.nodeid] = (fn, getattr(fn, "__code__", None), vars(cls).get(name) if cls is not None else None)
        for mod in (_pytest.runner, _pytest.python):
            for key, value in list(vars(mod).items()):
                if callable(value):
                    fp["%s.%s" % (mod.__name__, key)] = (value, getattr(value, "__code__", None), None)
        for i, (fn, code) in enumerate(_HGYM_GUARDED):
            fp["guarded:%d" % i] = (fn.__code__, code, None)
        return fp

    def _check(self):
        if self.baseline is None or self.tampered:
            return
        now = self._fingerprint()
        for key in set(self.baseline) | set(now):
            a, b = self.baseline.get(key), now.get(key)
            if a is None or b is None or any(x is not y for x, y in zip(a, b)):
                self.tampered = key
                return

    def pytest_collection_finish(self, session):
        self.items = list(session.items)
        _hgym_guard_target()
        self.baseline = self._fingerprint()

    def pytest_runtest_setup(self, item):
        self._check()

    def pytest_runtest_logreport(self, report):
        previous = self.outcomes.get(report.nodeid)
        if report.failed:
            self.outcomes[report.nodeid] = "failed"
        elif report.when == "call" and report.passed and previous != "failed" and not hasattr(report, "wasxfail"):
            self.outcomes[report.nodeid] = "passed"
        elif report.skipped and previous is None:
            self.outcomes[report.nodeid] = "skipped"

    def pytest_collectreport(self, report):
        if report.failed:
            self.outcomes["collect:" + report.nodeid] = "failed"


def _main():
    recorder = _Recorder()
    outcome, code = "started", 1
    try:
        code = int(pytest.main(_sys.argv[1:], plugins=[recorder]))
        outcome = "completed"
    except SystemExit as exc:
        outcome = "exit:%s" % (exc.code if exc.code is not None else 0)
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException as exc:
        outcome = "error:" + type(exc).__name__
        raise
    finally:
        recorder._check()
        if recorder.tampered:
            outcome = "tampered:" + recorder.tampered
            _sys.stderr.write("hgym: the tests or pytest's runner were changed during the run (%s)\\n" % recorder.tampered)
        passed = [k for k, v in recorder.outcomes.items() if v == "passed"]
        failed = [k for k, v in recorder.outcomes.items() if v == "failed"]
        _WRITE("pytest", outcome, passed, failed)
    return code


if __name__ == "__main__":
    _sys.exit(_main())
`;
}

// A reporter for node's test runner. It runs in the runner's parent process (each test file runs in a child), so
// code under test never shares its memory; it sees every test:pass / test:fail event and writes the signed report
// to its destination when the stream ends.
export const NODE_REPORTER = `// hgym: records node:test outcomes.
import { readFileSync, unlinkSync } from "node:fs";
import { createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const dir = dirname(fileURLToPath(import.meta.url));
const keyPath = join(dir, ${JSON.stringify(KEY_FILE)});
const key = readFileSync(keyPath, "utf8").trim();
unlinkSync(keyPath);

export default async function* hgymReporter(source) {
  const passed = [];
  const failed = [];
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const d = event.data ?? {};
    const id = (d.file ?? "") + "::" + d.nesting + "::" + d.name;
    if (event.type === "test:fail") failed.push(id);
    else if (!d.skip && !d.todo) passed.push(id);
  }
  const body = JSON.stringify({ failed: failed.sort(), outcome: "completed", passed: passed.sort(), runner: "node-test" });
  yield JSON.stringify({ body, mac: createHmac("sha256", key).update(body).digest("hex") });
}
`;

// The files and command for one run. `dir` is the per-run directory inside the sandbox.
export function verdictPlan(gold: FuncGenGold, plan: TestCommandPlan | null, dir: string): VerdictPlan | null {
  const cfg = gold.verify;
  if (cfg.eval_script) {
    return {
      runner: "eval-script",
      files: { "eval_script.py": cfg.eval_script, "run.py": evalRunnerSource({ file: gold.file, qualname: gold.key.replace(/#\d+$/, ""), name: gold.name }) },
      command: `python3 -B ${dir}/run.py`,
    };
  }
  if (!plan) return null;
  // The function whose results the Python wrappers check (PY_RETURN_GUARD).
  const target = JSON.stringify({ file: gold.file, qualname: gold.key.replace(/#\d+$/, "") });
  const prefix = plan.env.length > 0 ? plan.env.join(" ") + " " : "";
  const join = (...parts: string[][]) => parts.flat().join(" ");
  switch (plan.runner) {
    case "unittest":
      return { runner: "unittest", files: { "unittest_run.py": UNITTEST_WRAPPER, "target.json": target }, command: prefix + join([plan.interpreter], plan.interpreterFlags, [`${dir}/unittest_run.py`], plan.args) };
    case "pytest":
      return { runner: "pytest", files: { "pytest_run.py": pytestWrapper(plan.viaModule), "target.json": target }, command: prefix + join([plan.interpreter], plan.interpreterFlags, [`${dir}/pytest_run.py`], plan.args) };
    case "go-test":
    case "cargo-test":
      return { runner: plan.runner, files: {}, command: nativeTestCommand({ runner: plan.runner, env: plan.env, args: plan.args }, dir), fromOutput: true };
    case "node-test":
      return {
        runner: "node-test",
        files: { "reporter.mjs": NODE_REPORTER },
        command:
          prefix +
          join(
            [plan.interpreter],
            plan.interpreterFlags,
            ["--test", "--test-reporter=spec", "--test-reporter-destination=stdout", `--test-reporter=${dir}/reporter.mjs`, `--test-reporter-destination=${dir}/${REPORT_FILE}`],
            plan.args,
          ),
      };
  }
}

// The verdict in a report file's text, or why it cannot be trusted.
export function readReport(text: string | null, key: string): TestVerdict | { problem: "missing" | "forged" } {
  if (text === null || text.trim() === "") return { problem: "missing" };
  let parsed: { body?: unknown; mac?: unknown };
  try {
    parsed = JSON.parse(text.trim()) as { body?: unknown; mac?: unknown };
  } catch {
    return { problem: "forged" };
  }
  if (typeof parsed.body !== "string" || typeof parsed.mac !== "string") return { problem: "forged" };
  const mac = createHmac("sha256", key).update(parsed.body).digest("hex");
  if (mac !== parsed.mac) return { problem: "forged" };
  const body = JSON.parse(parsed.body) as Partial<TestVerdict>;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  return { runner: body.runner as VerdictRunner, outcome: String(body.outcome), passed: list(body.passed), failed: list(body.failed) };
}

// Why a candidate's verdict does not match the gold's (null: it does).
export function verdictMismatch(expected: ExpectedVerdict, actual: TestVerdict): { code: string; message: string } | null {
  if (actual.failed.length > 0) {
    return { code: "test-failed", message: `${actual.failed.length} test(s) failed: ${actual.failed.slice(0, 3).join(", ")}` };
  }
  if (actual.outcome !== expected.outcome) {
    return { code: "tests-incomplete", message: `the test run ended with "${actual.outcome}", the original's with "${expected.outcome}"` };
  }
  const have = new Map<string, number>();
  for (const t of actual.passed) have.set(t, (have.get(t) ?? 0) + 1);
  const missing: string[] = [];
  for (const t of expected.passed) {
    const n = have.get(t) ?? 0;
    if (n === 0) missing.push(t);
    else have.set(t, n - 1);
  }
  if (missing.length > 0) {
    return { code: "tests-not-passed", message: `${missing.length} of the ${expected.passed.length} test(s) that pass on the original did not pass: ${missing.slice(0, 3).join(", ")}` };
  }
  return null;
}
