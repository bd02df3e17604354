// The Python program that runs a RepoST-style eval script against a candidate. RepoST's scripts inline the
// original function and test it against `<name>_new_implementation`; pasting the candidate into that script (as
// the paper's pipeline does) makes a candidate that calls `<name>` call the ORIGINAL, so "return name(x)" passes.
// Here the candidate is instead imported from the workspace module it was written in — whose `<name>` is the
// candidate itself, because the workspace holds the masked file plus the candidate, never the original — and
// handed to the script's namespace under `<name>_new_implementation`. The original in the script is then only
// reachable from the script, never from the candidate.

import { PY_EQUALS_ANYTHING } from "./equals-anything.js";
import { PY_WRITER } from "./report-writer.js";

export interface EvalRunnerSpec {
  file: string; // repository-relative path of the candidate's module, e.g. "pkg/mod.py"
  qualname: string; // "func" or "Class.method"
  name: string;
}

// Module names to try for a file, with the sys.path entry each needs: "src/pkg/mod.py" is "pkg.mod" under "src"
// (src-layout) or "src.pkg.mod" under the root.
export function moduleCandidates(file: string): { root: string; module: string }[] {
  const parts = file.replace(/\.pyi?$/, "").split("/");
  if (parts[parts.length - 1] === "__init__") parts.pop();
  const out: { root: string; module: string }[] = [];
  for (let i = 0; i < parts.length; i++) {
    out.push({ root: parts.slice(0, i).join("/") || ".", module: parts.slice(i).join(".") });
  }
  return out;
}

export function evalRunnerSource(spec: EvalRunnerSpec): string {
  const config = JSON.stringify({ modules: moduleCandidates(spec.file), qualname: spec.qualname, name: spec.name });
  // The runner and the script live in a per-run directory outside the workspace; both are read, and the report
  // key taken, before the candidate's module is imported, so the candidate can neither rewrite the script nor
  // sign a report. Test functions (names starting with "test" defined in the script) are traced: one that
  // returns normally passed, one an exception left failed; the script's own outcome (ran to completion, exited,
  // raised) is recorded too. A candidate that switches the tracer off leaves no passed tests, so it fails.
  return `# hgym eval runner: imports the candidate from the workspace and runs the eval script against it.
import functools, importlib, json, os, sys, traceback
${PY_WRITER}
${PY_EQUALS_ANYTHING}

CONFIG = json.loads(${JSON.stringify(config)})
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.getcwd()
SCRIPT = os.path.join(HERE, "eval_script.py")
PASSED, FAILED = [], []


def tracer(frame, event, arg):
    code = frame.f_code
    if event != "call" or code.co_filename != SCRIPT or not code.co_name.startswith("test"):
        return None
    state = {"raised": False}

    def local(frame, event, arg):
        if event == "exception":
            state["raised"] = True
        elif event == "line":
            state["raised"] = False
        elif event == "return":
            (FAILED if state["raised"] else PASSED).append(code.co_name)
        return local

    return local


def load_candidate():
    errors = []
    for option in CONFIG["modules"]:
        path = os.path.normpath(os.path.join(ROOT, option["root"]))
        sys.path.insert(0, path)
        try:
            module = importlib.import_module(option["module"])
        except Exception as exc:  # try the next layout
            errors.append("%s: %s" % (option["module"], exc))
            sys.path.remove(path)
            continue
        owner = module
        parts = CONFIG["qualname"].split(".")
        for part in parts[:-1]:
            owner = getattr(owner, part)
        value = owner.__dict__[parts[-1]] if isinstance(owner, type) else getattr(owner, parts[-1])
        return value
    raise ImportError("could not import the candidate's module: " + "; ".join(errors))


# The script compares the candidate's results with ==, so a result equal to anything (unittest.mock.ANY) would
# pass every comparison: such a result is refused where it is returned.
def refuse_equals_anything(candidate):
    @functools.wraps(candidate)
    def checked(*args, **kwargs):
        value = candidate(*args, **kwargs)
        if _hgym_equals_anything(value):
            raise AssertionError("hgym: the candidate returned a %s that compares equal to anything" % type(value).__name__)
        return value

    return checked


def main():
    write_report = _hgym_writer()

    def write(outcome):
        write_report("eval-script", outcome, PASSED, FAILED)

    with open(SCRIPT, encoding="utf-8") as fh:
        code = compile(fh.read(), SCRIPT, "exec")
    sys.path[0] = ROOT
    try:
        candidate = load_candidate()
    except BaseException:
        traceback.print_exc()
        write("import-error")
        return 3
    if isinstance(candidate, (staticmethod, classmethod)):
        candidate = candidate.__func__
    namespace = {"__name__": "__main__", "__file__": SCRIPT}
    namespace[CONFIG["name"] + "_new_implementation"] = refuse_equals_anything(candidate)
    outcome, status = "started", 1
    sys.settrace(tracer)
    try:
        exec(code, namespace)
        outcome, status = "completed", 0
    except SystemExit as exc:
        outcome = "exit:%s" % (exc.code if exc.code is not None else 0)
        status = exc.code if isinstance(exc.code, int) else 1
    except BaseException as exc:
        sys.settrace(None)
        outcome = "error:" + type(exc).__name__
        traceback.print_exc()
    finally:
        sys.settrace(None)
        write(outcome)
    return status


if __name__ == "__main__":
    sys.setrecursionlimit(10000)
    sys.exit(main())
`;
}

// A RepoST script may not define the name we inject, or it would silently test its own copy.
export function evalScriptProblem(script: string, name: string): string | null {
  const re = new RegExp(`^\\s*(async\\s+)?def\\s+${name}_new_implementation\\b|^\\s*${name}_new_implementation\\s*=`, "m");
  return re.test(script) ? `the eval script defines ${name}_new_implementation itself; it must only call it` : null;
}
