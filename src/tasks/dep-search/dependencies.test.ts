// The dependency rule on real code: python3's argparse and logging, resolved by pyright through the generator's
// own functions. A call of `__init__` as a method — directly, through super(), or through an alias of it — runs
// that method on an existing instance; it is not an instantiation, so the dependency is the method, never its
// class. A method whose body only raises NotImplementedError is abstract, decorated or not.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findByKey, indexText } from "../common/code.js";
import { bodyCalls, dependenciesOf, namesReachableFrom, repoDefinitions, type DependencyOutcome } from "./dependencies.js";
import { useDependencyBench } from "./dependency-bench.js";

const FILE = "lib/argparse.py";
const LOGGING = "lib/logging/__init__.py";
const stdlib = execFileSync("python3", ["-c", 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: "utf8" }).trim();
const texts = new Map([
  [FILE, readFileSync(path.join(stdlib, "argparse.py"), "utf8")],
  [LOGGING, readFileSync(path.join(stdlib, "logging", "__init__.py"), "utf8")],
]);

describe("dependency rule on argparse and logging", () => {
  const bench = useDependencyBench(texts);
  const outcome = (key: string, file = FILE): Promise<DependencyOutcome> => bench().outcome(file, key);
  const deps = (key: string, file = FILE): Promise<string[]> => bench().dependencyKeys(file, key);

  it("an alias of super().__init__ is the base's __init__, not the base class", async () => {
    // `super_init = super(_ArgumentGroup, self).__init__` then `super_init(description=..., **kwargs)`.
    expect(await deps("_ArgumentGroup.__init__")).toEqual(["_ActionsContainer.__init__"]);
  }, 120_000);

  it("super().__init__ and super(C, self).__init__ are the base's __init__; a class call is the class", async () => {
    expect(await deps("BooleanOptionalAction.__init__")).toEqual(["Action.__init__"]);
    expect(await deps("_StoreTrueAction.__init__")).toEqual(["_StoreConstAction.__init__"]);
    expect(await deps("_ActionsContainer.add_argument_group")).toEqual(["_ArgumentGroup"]);
  }, 120_000);

  it("a method whose body only raises NotImplementedError is abstract even undecorated; concrete methods stay callees", async () => {
    // Handler.handle calls self.filter, self.acquire, self.emit, self.release; Handler.emit only raises.
    const handle = await outcome("Handler.handle", LOGGING);
    expect(handle).toMatchObject({ ok: false, reason: "ambiguous-call:abstract-method" });
    if (!handle.ok) expect(handle.detail).toContain("Handler.emit");
    // StreamHandler.setStream calls self.flush (StreamHandler's, concrete) between acquire and release.
    expect(await deps("StreamHandler.setStream", LOGGING)).toEqual(["Handler.acquire", "Handler.release", "StreamHandler.flush"]);
    // Filterer.filter and Logger.callHandlers have real bodies: plain callees.
    expect(await deps("Logger.handle", LOGGING)).toEqual(["Filterer.filter", "Logger.callHandlers"]);
  }, 120_000);
});

// CommonJS, prototype-style JavaScript: js-yaml's lib (pinned in package-lock.json), resolved by the TypeScript
// language service through the same functions.
describe("dependency rule on js-yaml's JavaScript", () => {
  const require = createRequire(import.meta.url);
  const lib = path.join(path.dirname(require.resolve("js-yaml")), "lib");
  const files = ["common.js", "exception.js", "dumper.js", "type.js", "type/bool.js", "schema/default.js"];
  const jsTexts = new Map(files.map((f) => [`lib/${f}`, readFileSync(path.join(lib, f), "utf8")]));
  const bench = useDependencyBench(jsTexts);

  it("counts functions stored in properties as members (rule 7), exports as module-level definitions", async () => {
    // `YAMLException.prototype.toString = function toString (compact)`, `represent: { lowercase: function (object) ... }`.
    const names = namesReachableFrom("lib/common.js", bench().repo);
    expect(names.memberNames.has("toString")).toBe(true);
    expect(names.memberNames.has("lowercase")).toBe(true);
    // Plain functions of common.js are module-level, not members.
    expect(names.memberNames.has("repeat")).toBe(false);
    expect(names.moduleNames.has("repeat")).toBe(true);
    // An export assignment (`exports.f = function`) is reached through its module, a local function is no attribute.
    const own = namesReachableFrom("lib/x.js", repoDefinitions([indexText("lib/x.js", "exports.f = function () {}\nfunction g () { const h = () => 1; this.k = function () {}; return h }\n")!], () => null));
    expect([...own.memberNames].sort()).toEqual(["k"]);
    expect([...own.moduleNames].sort()).toEqual(["f", "g"]);
  });

  it("accounts a function written in place and run there (an IIFE) as the target's own code", async () => {
    // foldString: `let result = (function () { ... return foldLine(...) }())`, then foldLine in a loop.
    const calls = bodyCalls(bench().definition("lib/dumper.js", "foldString"));
    const out = await bench().outcome("lib/dumper.js", "foldString");
    if (!out.ok) throw new Error(`foldString dropped: ${out.reason}: ${out.detail}`);
    expect(out.deps.map((d) => d.def.key)).toEqual(["foldLine"]);
    expect(out.accounting).toMatchObject({ calls: calls.length, recursion: 1, ambiguous: 0 });
    // A call of a computed value stays ambiguous: `handlers[k](x)`, `(a || b)(x)`.
    const yIndex = indexText("lib/y.js", "function run (a, b, x) { return (a || b)(x) }\n")!;
    const y = findByKey(yIndex, "run")!;
    // Decided from the call site alone, before any resolver answer is read.
    const verdict = dependenciesOf({ file: "lib/y.js", def: y }, bodyCalls(y), [], repoDefinitions([yIndex], () => null));
    expect(verdict).toMatchObject({ ok: false, reason: "ambiguous-call:computed-callee" });
  }, 120_000);
});

// Pyright evaluates `sys.version_info` tests for the host's Python, so a definition under a version test the host
// does not pass is invisible to it: `loads` below is the repository's own function on old Pythons and json's
// elsewhere, yet pyright answers json's alone. The binding depends on the Python version: ambiguous (rule 5), on
// every host alike. A method of the same name and an attribute call are not such bindings.
describe("dependency rule on a binding that depends on the Python version", () => {
  const COMPAT = "pkg/compat.py";
  const text = `import json
import sys

if sys.version_info < (3, 5):
    def loads(text):
        return text
else:
    from json import loads


class Reader:
    def dumps(self, value):
        return str(value)


def parse(text):
    return loads(text)


def parse_attribute(text):
    return json.loads(text)


def dump(value):
    return dumps(value)


dumps = json.dumps
`;
  const bench = useDependencyBench(new Map([[COMPAT, text]]));
  const outcome = (key: string): Promise<DependencyOutcome> => bench().outcome(COMPAT, key);

  it("declares a call ambiguous when a module-level def of its name sits under a test the analyzer skipped", async () => {
    const out = await outcome("parse");
    expect(out).toMatchObject({ ok: false, reason: "ambiguous-call:several-definitions" });
    if (!out.ok) expect(out.detail).toContain("pkg/compat.py::loads");
  }, 120_000);

  it("keeps an attribute call and a name only a method has external", async () => {
    for (const key of ["parse_attribute", "dump"]) {
      const out = await outcome(key);
      expect(out).toMatchObject({ ok: true, deps: [] });
      if (out.ok) expect(out.accounting.external).toBe(out.accounting.calls);
    }
  }, 120_000);
});
