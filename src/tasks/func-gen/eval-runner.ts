// The Python program that runs a RepoST-style eval script against a candidate. RepoST's scripts inline the
// original function and test it against `<name>_new_implementation`; pasting the candidate into that script (as
// the paper's pipeline does) makes a candidate that calls `<name>` call the ORIGINAL, so "return name(x)" passes.
// Here the candidate is instead imported from the workspace module it was written in — whose `<name>` is the
// candidate itself, because the workspace holds the masked file plus the candidate, never the original — and
// handed to the script's namespace under `<name>_new_implementation`. The original in the script is then only
// reachable from the script, never from the candidate.

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
  return `# hgym eval runner: imports the candidate from the workspace and runs the eval script against it.
import importlib, json, os, sys, traceback

CONFIG = json.loads(${JSON.stringify(config)})
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

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

def main():
    try:
        candidate = load_candidate()
    except Exception:
        traceback.print_exc()
        return 3
    if isinstance(candidate, (staticmethod, classmethod)):
        candidate = candidate.__func__
    with open(os.path.join(HERE, "eval_script.py"), encoding="utf-8") as fh:
        source = fh.read()
    namespace = {"__name__": "__main__", "__file__": os.path.join(HERE, "eval_script.py")}
    namespace[CONFIG["name"] + "_new_implementation"] = candidate
    exec(compile(source, "eval_script.py", "exec"), namespace)
    return 0

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
