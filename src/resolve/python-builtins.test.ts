import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadBuiltinDefinitions, repoOverridesBuiltins, scanBuiltinUses } from "./python-builtins.js";

const BUILTINS = new Set(loadBuiltinDefinitions().keys());
const unbound = (text: string): string[] | null => {
  const uses = scanBuiltinUses(text, BUILTINS);
  return uses === null ? null : [...uses.unbound].sort();
};

describe("builtin names a Python file never binds", () => {
  it("reads typeshed's builtins.pyi: functions and classes with their name positions", () => {
    const defs = loadBuiltinDefinitions();
    for (const name of ["len", "print", "isinstance", "str", "range", "filter", "format"]) expect(defs.has(name)).toBe(true);
    const len = defs.get("len")!;
    expect(path.isAbsolute(len.file)).toBe(true);
    expect(len.column).toBe(4); // `def len(`
  });

  it("counts bare calls and attribute uses as not binding", () => {
    expect(unbound("def f(x):\n    return len(x) + x.len + obj.print(1)\nprint (2)\n")).toEqual(["len", "print"]);
  });

  it("treats definitions, parameters, assignments, imports, loop targets and keyword arguments as binding", () => {
    expect(unbound("def len(x):\n    return 1\n")).toEqual([]);
    expect(unbound("class str(object):\n    pass\nstr(1)\n")).toEqual([]);
    expect(unbound("def f(len):\n    return len(1)\n")).toEqual([]);
    expect(unbound("max = lambda a: a\nmax(1)\n")).toEqual([]);
    expect(unbound("from mod import helper as filter\nfilter(1)\n")).toEqual([]);
    expect(unbound("for range in x:\n    range(1)\n")).toEqual([]);
    expect(unbound("g(sum=1)\nsum([1])\n")).toEqual([]);
    expect(unbound("with a as open:\n    open(1)\n")).toEqual([]);
  });

  it("ignores comments and plain strings, but scans f-string fields as code", () => {
    expect(unbound("# len = 3\nx = 'len = 3'\ny = \"\"\"min = 1\"\"\"\nlen(x)\nmin(y)\n")).toEqual(["len", "min"]);
    expect(unbound("s = f'{(len := 3)}'\nlen(s)\n")).toEqual([]);
  });

  it("lists bare builtin calls by offset, not attribute calls split across lines", () => {
    const text = "y = (obj.\n     filter(x))\nz = filter(x)\n";
    const uses = scanBuiltinUses(text, BUILTINS)!;
    expect(uses.unbound.has("filter")).toBe(true);
    expect([...uses.bareCalls]).toEqual([text.lastIndexOf("filter(")]);
  });

  it("gives up on the whole file when a star import may bind anything", () => {
    expect(unbound("from helpers import *\nlen(x)\n")).toBeNull();
    expect(unbound("# from helpers import *\nlen(x)\n")).toEqual(["len"]);
  });

  it("notices a repository that extends pyright's builtins", () => {
    const root = mkdtempSync(path.join(tmpdir(), "hgym-builtins-"));
    try {
      expect(repoOverridesBuiltins(root)).toBe(false);
      writeFileSync(path.join(root, "__builtins__.pyi"), "def helper() -> int: ...\n");
      expect(repoOverridesBuiltins(root)).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
