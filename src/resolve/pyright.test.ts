import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPyrightResolver } from "./pyright.js";
import type { CallResolver, ResolveRequest, ResolveResult } from "./types.js";
import { childrenRunning } from "../sandbox/procfs.js";

// A small real package: modules, relative imports, renamed imports, inheritance, self/super calls, a repo method
// named like a builtin, an alias assignment, a nested function, non-ASCII text before a call, a dynamic call.
const FILES: Record<string, string> = {
  "pkg/__init__.py": "from .util import helper as h\n",
  "pkg/util.py": `import os


def helper(x):
    return os.path.join(x, "a")


def other_func():
    return 1


alias = other_func


class Base:
    def __init__(self):
        self.v = 1

    def m(self):
        return 1

    def filter(self, x):
        return x


class Child(Base):
    def m(self):
        return super().m() + self.filter(2)

    def run(self, name):
        def inner():
            return helper("z")
        b = Base()
        alias()
        getattr(self, name).process()
        s = "héllo😀"; helper(s)
        return inner() + self.m()

    def format(self):
        return self.format()
`,
  // A repo method named like a builtin, called through self, next to a bare builtin call.
  "pkg/box.py": `class Box:
    def filter(self, x):
        return x

    def run(self, items):
        return self.filter(len(items))
`,
  // A module-level function shadowing a builtin: its bare calls are repository calls.
  "pkg/shadow.py": `def len(x):
    return 0


def count(items):
    return len(items)
`,
  "pkg/main.py": `from pkg.util import helper as hh, Child
from . import util
from pkg import h


def go(callback):
    hh("a")
    util.other_func()
    h("b")
    c = Child()
    c.run("m")
    print("x")
    callback()
`,
};

// The request for the `occurrence`-th `name(` on line `line` of `file` (columns counted in UTF-16, as JS does).
function at(file: string, line: number, name: string, occurrence = 1): ResolveRequest {
  const text = FILES[file]!.split("\n")[line - 1]!;
  let column = -1;
  for (let i = 0; i < occurrence; i++) column = text.indexOf(`${name}(`, column + 1);
  if (column < 0) throw new Error(`no ${name}( on ${file}:${line}`);
  return { file, line, column };
}

function lineOf(file: string, needle: string): number {
  const i = FILES[file]!.split("\n").findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in ${file}`);
  return i + 1;
}

function inRepoTargets(r: ResolveResult | undefined): string[] {
  if (r?.status !== "resolved") return [`unresolved: ${r?.status === "unresolved" ? r.reason : "missing"}`];
  return r.targets.filter((t) => t.inRepo).map((t) => `${t.file}:${t.line}:${t.column}`);
}

// Our own children running pyright's language server (from /proc: pid -> parent pid and command line).
function ownPyrightServers(): number[] {
  return childrenRunning(process.pid, "langserver.index.js");
}

describe("pyright call resolver", () => {
  let root: string;
  let resolver: CallResolver;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "hgym-pyright-"));
    for (const [rel, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    resolver = await createPyrightResolver(root);
  });

  afterAll(async () => {
    await resolver?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const U = "pkg/util.py";
  const M = "pkg/main.py";
  const def = (file: string, needle: string, column: number): string => `${file}:${lineOf(file, needle)}:${column}`;

  it("follows imports, renames and re-exports to the defining function", async () => {
    const [renamed, viaModule, viaPackageReexport] = await resolver.resolve([at(M, 7, "hh"), at(M, 8, "other_func"), at(M, 9, "h")]);
    expect(inRepoTargets(renamed)).toEqual([def(U, "def helper", 4)]);
    expect(inRepoTargets(viaModule)).toEqual([def(U, "def other_func", 4)]);
    expect(inRepoTargets(viaPackageReexport)).toEqual([def(U, "def helper", 4)]);
  });

  it("reports a class instantiation as the class, and methods through the instance type", async () => {
    const [child, run, base] = await resolver.resolve([at(M, 10, "Child"), at(M, 11, "run"), at(U, lineOf(U, "b = Base()"), "Base")]);
    expect(inRepoTargets(child)).toEqual([def(U, "class Child", 6)]);
    expect(inRepoTargets(run)).toEqual([def(U, "def run", 8)]);
    expect(inRepoTargets(base)).toEqual([def(U, "class Base", 6)]);
  });

  it("resolves super().m() to the base method and self.filter()/self.format() to the repo methods, not builtins", async () => {
    const line = lineOf(U, "super().m()");
    const [sup, filt, fmt, selfM] = await resolver.resolve([
      at(U, line, "m"),
      at(U, line, "filter"),
      at(U, lineOf(U, "return self.format()"), "format"),
      at(U, lineOf(U, "return inner() + self.m()"), "m"),
    ]);
    const baseM = FILES[U]!.split("\n").indexOf("    def m(self):") + 1; // the first `def m` is Base.m
    expect(inRepoTargets(sup)).toEqual([`${U}:${baseM}:8`]);
    expect(inRepoTargets(filt)).toEqual([def(U, "def filter", 8)]);
    expect(inRepoTargets(fmt)).toEqual([def(U, "def format", 8)]);
    // Child.m, the override, is what self.m() runs inside Child.
    const childM = FILES[U]!.split("\n").findIndex((l, i) => l === "    def m(self):" && i >= lineOf(U, "class Child")) + 1;
    expect(inRepoTargets(selfM)).toEqual([`${U}:${childM}:8`]);
  });

  it("follows an alias assignment, resolves a nested function's call and a call after non-ASCII text", async () => {
    const [aliased, nested, innerCall, nonAscii] = await resolver.resolve([
      at(U, lineOf(U, "alias()"), "alias"),
      at(U, lineOf(U, 'return helper("z")'), "helper"),
      at(U, lineOf(U, "return inner()"), "inner"),
      at(U, lineOf(U, "héllo"), "helper"),
    ]);
    expect(inRepoTargets(aliased)).toEqual([def(U, "def other_func", 4)]);
    expect(inRepoTargets(nested)).toEqual([def(U, "def helper", 4)]);
    expect(inRepoTargets(innerCall)).toEqual([def(U, "def inner", 12)]);
    expect(inRepoTargets(nonAscii)).toEqual([def(U, "def helper", 4)]);
    // The emoji is two UTF-16 units: the column we sent is not the code-point or byte column.
    const req = at(U, lineOf(U, "héllo"), "helper");
    expect(req.column).toBe(FILES[U]!.split("\n")[req.line - 1]!.indexOf("helper("));
  });

  it("marks standard-library targets as outside the repository", async () => {
    const [printCall, join] = await resolver.resolve([at(M, 12, "print"), at(U, lineOf(U, "os.path.join"), "join")]);
    for (const r of [printCall, join]) {
      expect(r?.status).toBe("resolved");
      if (r?.status !== "resolved") continue;
      expect(r.targets.length).toBeGreaterThan(0);
      expect(r.targets.every((t) => !t.inRepo && path.isAbsolute(t.file))).toBe(true);
    }
  });

  it("answers bare builtin calls without pyright, but never a builtin-named repo method or a shadowing def", async () => {
    const B = "pkg/box.py";
    const S = "pkg/shadow.py";
    const line = lineOf(B, "self.filter(len(items))");
    const [method, builtinLen, shadowed] = await resolver.resolve([at(B, line, "filter"), at(B, line, "len"), at(S, lineOf(S, "return len(items)"), "len")]);
    expect(inRepoTargets(method)).toEqual([def(B, "def filter", 8)]);
    expect(method).not.toHaveProperty("via");
    expect(builtinLen).toMatchObject({ status: "resolved", via: "builtin" });
    if (builtinLen?.status === "resolved") {
      expect(builtinLen.targets).toHaveLength(1);
      expect(builtinLen.targets[0]).toMatchObject({ inRepo: false });
      expect(path.basename(builtinLen.targets[0]!.file)).toBe("builtins.pyi");
    }
    expect(inRepoTargets(shadowed)).toEqual([def(S, "def len", 4)]);
    expect(shadowed).not.toHaveProperty("via");
  });

  it("returns unresolved for dynamic calls and bad positions, ambiguous for an untyped parameter", async () => {
    const [dynamic, param, bad, missing] = await resolver.resolve([
      at(U, lineOf(U, "getattr(self, name).process()"), "process"),
      at(M, 13, "callback"),
      { file: M, line: 7, column: 2 }, // whitespace, not an identifier
      { file: "pkg/nope.py", line: 1, column: 0 },
    ]);
    expect(dynamic).toMatchObject({ status: "unresolved" });
    // `callback` has no annotation: its type is Unknown, so what runs cannot be named.
    expect(param).toMatchObject({ status: "ambiguous", kind: "any-typed-variable" });
    expect(bad).toMatchObject({ status: "unresolved", reason: expect.stringContaining("no identifier") });
    expect(missing).toMatchObject({ status: "unresolved", reason: expect.stringContaining("cannot read") });
  });

  it("keeps one server process for all batches and answers in request order", async () => {
    const before = ownPyrightServers();
    expect(before).toHaveLength(1);
    const requests = [at(M, 8, "other_func"), at(M, 7, "hh"), at(U, lineOf(U, "alias()"), "alias")];
    for (let i = 0; i < 3; i++) {
      const results = await resolver.resolve(requests);
      expect(results.map(inRepoTargets)).toEqual([[def(U, "def other_func", 4)], [def(U, "def helper", 4)], [def(U, "def other_func", 4)]]);
    }
    expect(ownPyrightServers()).toEqual(before);
  });
});

describe("pyright resolver lifecycle", () => {
  it("restarts a crashed server once, then fails requests with a reason; close() leaves no process", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "hgym-pyright-crash-"));
    try {
      writeFileSync(path.join(root, "a.py"), "def f():\n    return 1\n\n\ndef g():\n    return f()\n");
      const resolver = await createPyrightResolver(root);
      const req: ResolveRequest = { file: "a.py", line: 6, column: 11 };
      expect(inRepoTargets((await resolver.resolve([req]))[0])).toEqual(["a.py:1:4"]);
      const kill = (): void => {
        for (const pid of ownPyrightServers()) process.kill(pid, "SIGKILL");
      };
      kill();
      expect(inRepoTargets((await resolver.resolve([req]))[0])).toEqual(["a.py:1:4"]); // restarted
      kill();
      const [afterSecondCrash] = await resolver.resolve([req]);
      expect(afterSecondCrash).toMatchObject({ status: "unresolved", reason: expect.stringContaining("pyright") });
      await resolver.close();
      expect(ownPyrightServers()).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("rejects a missing repository directory with a clear message", async () => {
    await expect(createPyrightResolver("/nonexistent/hgym-repo")).rejects.toThrow(/does not exist/);
  });
});

// requests' `merge_setting(..., dict_class: type = OrderedDict)` calls `dict_class(...)`, and requests passes its
// own CaseInsensitiveDict there: a value typed `type` (or `Type[Any]`) is any class, so the call is ambiguous
// (docs/LABELS.md rule 4), never the builtin `type` class (which pyright's type definition names). Calling the
// builtin `type(x)` itself and a class bound once to its own name stay external / the class.
describe("pyright resolver on values typed as any class", () => {
  const FILE = "pkg/classes.py";
  const TEXT = `from typing import Any, Optional, Type
import typing


class Store(dict):
    pass


def bare(a: Any, dict_class: type = dict) -> Any:
    return dict_class(a)


def bare_typing(a: Any, dict_class: Type = dict) -> Any:
    return dict_class(a)


def optional(a: Any, dict_class: Optional[type] = None) -> Any:
    assert dict_class is not None
    return dict_class(a)


def of_any(a: Any, dict_class: typing.Type[Any] = dict) -> Any:
    return dict_class(a)


def kind(a: Any) -> Any:
    return type(a)


def store(a: Any) -> Any:
    return Store(a)


def helper(x: Any) -> Any:
    return x


def multi_line(
    a: Any, dict_class: type = Store
) -> Any:
    return dict_class(a)


def body_alias(a: Any) -> Any:
    fn = helper
    return fn(a)


def rebound(
    a: Any, fn=None
) -> Any:
    fn = helper
    return fn(a)
`;
  let root: string;
  let resolver: CallResolver;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "hgym-pyright-type-"));
    mkdirSync(path.join(root, "pkg"));
    writeFileSync(path.join(root, FILE), TEXT);
    resolver = await createPyrightResolver(root);
  });

  afterAll(async () => {
    await resolver?.close();
    rmSync(root, { recursive: true, force: true });
  });

  // The request for the call on the `return` line after the header `def <fn>(`.
  const callIn = (fn: string, name: string): ResolveRequest => {
    const lines = TEXT.split("\n");
    const start = lines.findIndex((l) => l.startsWith(`def ${fn}(`));
    const i = lines.findIndex((l, j) => j > start && l.includes(`return ${name}(`));
    return { file: FILE, line: i + 1, column: lines[i]!.indexOf(`${name}(`) };
  };

  it("declares a call through a value typed `type`, `Type`, `Optional[type]` or `Type[Any]` ambiguous", async () => {
    const answers = await resolver.resolve([
      callIn("bare", "dict_class"),
      callIn("bare_typing", "dict_class"),
      callIn("optional", "dict_class"),
      callIn("of_any", "dict_class"),
    ]);
    for (const a of answers) expect(a).toMatchObject({ status: "ambiguous", kind: "type-object-variable" });
  });

  it("decides a parameter by its type even when its signature line reads like an assignment", async () => {
    // `    a: Any, dict_class: type = Store` (a multi-line signature) was followed as the alias `dict_class = Store`.
    // A parameter re-bound in the body (`fn = helper`) is an assignment: followed to helper, as any alias.
    const [param, alias, rebound] = await resolver.resolve([callIn("multi_line", "dict_class"), callIn("body_alias", "fn"), callIn("rebound", "fn")]);
    expect(param).toMatchObject({ status: "ambiguous", kind: "type-object-variable" });
    const helper = `${FILE}:${TEXT.split("\n").findIndex((l) => l.startsWith("def helper")) + 1}:4`;
    expect(inRepoTargets(alias)).toEqual([helper]);
    expect(inRepoTargets(rebound)).toEqual([helper]);
  });

  it("keeps the builtin type(x) external and a class call the class", async () => {
    const [builtin, cls] = await resolver.resolve([callIn("kind", "type"), callIn("store", "Store")]);
    expect(builtin).toMatchObject({ status: "resolved", targets: [{ inRepo: false }] });
    expect(inRepoTargets(cls)).toEqual([`${FILE}:${TEXT.split("\n").findIndex((l) => l.startsWith("class Store")) + 1}:6`]);
  });
});
