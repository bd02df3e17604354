import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { indexFileSync, initLanguages } from "./index.js";
import { withTree } from "./parser.js";
import { pythonAdapter, pythonDocstringNode } from "./python.js";
import { stdlibFiles } from "./test-corpus.js";
import type { Definition, FileIndex } from "./types.js";

beforeAll(async () => {
  await initLanguages(["python"]);
});

const SOURCE = `"""Module docstring."""
import os.path as osp, sys
from ..pkg.mod import a as b, c
from x import *
from __future__ import annotations

def plain(a, b=compute_default()):
    'Single-quoted docstring.'
    return helper(a) + os.path.join(a, b)

@register
@app.route(make_path("/x"))
class Service(Base, metaclass=Meta):
    r"""Raw docstring with \\d.

        Indented detail line.
    More detail.
    """

    def __init__(self, x=default_x()):
        """Init."""
        self.x = build(x)

        def inner(y=inner_default()):
            return inner_call(lambda z: lam_call(z))

        inner()

    @property
    def value(self):
        return self._value

    @value.setter
    def value(self, v):
        self._value = validate(v)

    async def run(self):
        '''Triple single quotes.'''
        await super().run()
        handlers[0]()
        return Service.create()

    class Meta:
        pass

async def fetch():
    f"""An f-string is not a docstring."""
    # comment before code
    return await get()

def _é_名前():
    s = "é😀"; target_call(1)
    return [process(v) for v in s]
`;

function byKey(file: FileIndex): Map<string, Definition> {
  return new Map(file.definitions.map((d) => [d.key, d]));
}

describe("python indexing", () => {
  it("finds every definition with kind, qualname, key, parent and nesting", () => {
    const file = indexFileSync("pkg/service.py", SOURCE);
    expect(file.language).toBe("python");
    expect(file.hasErrors).toBe(false);
    expect(file.definitions.map((d) => [d.kind, d.key, d.parent, d.isNested])).toEqual([
      ["function", "plain", null, false],
      ["class", "Service", null, false],
      ["method", "Service.__init__", "Service", false],
      ["function", "Service.__init__.inner", "Service.__init__", true],
      ["getter", "Service.value", "Service", false],
      ["setter", "Service.value#2", "Service", false],
      ["async_method", "Service.run", "Service", false],
      ["class", "Service.Meta", "Service", false],
      ["async_function", "fetch", null, false],
      ["function", "_é_名前", null, false],
    ]);
    const defs = byKey(file);
    expect(defs.get("Service.value#2")?.qualname).toBe("Service.value");
    expect(defs.get("Service.value#2")?.qualifiedName).toBe("pkg/service.py::Service.value#2");
    expect(defs.get("Service.__init__.inner")?.qualifiedName).toBe("pkg/service.py::Service.__init__.inner");
  });

  it("spans: decorated definitions start at the first decorator", () => {
    const file = indexFileSync("pkg/service.py", SOURCE);
    const service = byKey(file).get("Service") as Definition;
    expect(service.span.start).toEqual({ line: 11, column: 0 });
    expect(service.decoratorSpan?.start).toEqual({ line: 11, column: 0 });
    expect(service.decoratorSpan?.end).toEqual({ line: 11, column: 9 });
    expect(service.signatureSpan.start).toEqual({ line: 13, column: 0 });
    expect(SOURCE.slice(service.signatureSpan.startOffset, service.signatureSpan.endOffset)).toBe("class Service(Base, metaclass=Meta)");
    expect(service.nameSpan.start).toEqual({ line: 13, column: 6 });
    expect(service.span.end.line).toBe(44);
    const plain = byKey(file).get("plain") as Definition;
    expect(plain.decoratorSpan).toBeNull();
    expect(plain.span.start).toEqual({ line: 7, column: 0 });
    expect(SOURCE.slice(plain.signatureSpan.startOffset, plain.signatureSpan.endOffset)).toBe("def plain(a, b=compute_default())");
    expect(SOURCE.slice(plain.bodySpan?.startOffset, plain.bodySpan?.endOffset)).toBe(
      "'Single-quoted docstring.'\n    return helper(a) + os.path.join(a, b)",
    );
    const getter = byKey(file).get("Service.value") as Definition;
    expect(getter.span.start).toEqual({ line: 29, column: 4 });
    expect(getter.nameSpan.start).toEqual({ line: 30, column: 8 });
  });

  it("docstrings: all quote styles, cleaned like inspect.cleandoc; f-strings are not docstrings", () => {
    const defs = byKey(indexFileSync("pkg/service.py", SOURCE));
    expect(defs.get("plain")?.docstring?.text).toBe("Single-quoted docstring.");
    expect(defs.get("plain")?.docstring?.raw).toBe("'Single-quoted docstring.'");
    expect(defs.get("Service")?.docstring?.text).toBe("Raw docstring with \\d.\n\n    Indented detail line.\nMore detail.");
    expect(defs.get("Service")?.docstring?.span.start).toEqual({ line: 14, column: 4 });
    expect(defs.get("Service.__init__")?.docstring?.text).toBe("Init.");
    expect(defs.get("Service.run")?.docstring?.text).toBe("Triple single quotes.");
    expect(defs.get("Service.__init__.inner")?.docstring).toBeNull();
    expect(defs.get("Service.Meta")?.docstring).toBeNull();
    expect(defs.get("fetch")?.docstring).toBeNull();
  });

  it("calls: names, nesting flags, decorators and defaults excluded", () => {
    const defs = byKey(indexFileSync("pkg/service.py", SOURCE));
    const calls = (key: string) => defs.get(key)?.calls.map((c) => [c.callee, c.name, c.inNested]);
    expect(calls("plain")).toEqual([
      ["helper", "helper", false],
      ["os.path.join", "join", false],
    ]);
    // default_x() is evaluated in the class body, inner_default() in __init__: neither belongs to its function.
    expect(calls("Service.__init__")).toEqual([
      ["build", "build", false],
      ["inner_default", "inner_default", false],
      ["inner_call", "inner_call", true],
      ["lam_call", "lam_call", true],
      ["inner", "inner", false],
    ]);
    expect(calls("Service.__init__.inner")).toEqual([
      ["inner_call", "inner_call", false],
      ["lam_call", "lam_call", true],
    ]);
    expect(calls("Service.run")).toEqual([
      ["super().run", "run", false],
      ["super", "super", false],
      ["handlers[0]", "", false],
      ["Service.create", "create", false],
    ]);
    // The class owns calls in its body (default_x) and, flagged nested, those of its methods; not its decorators.
    const service = calls("Service") ?? [];
    expect(service[0]).toEqual(["default_x", "default_x", false]);
    expect(service.slice(1).every((c) => c[2] === true)).toBe(true);
    expect(service.map((c) => c[1])).not.toContain("make_path");
    expect(service.map((c) => c[1])).not.toContain("route");
    expect(calls("fetch")).toEqual([["get", "get", false]]);
    expect(defs.get("Service.run")?.calls.every((c) => c.isNew === false)).toBe(true);
  });

  it("positions are UTF-16 code units on lines with non-ASCII text", () => {
    const defs = byKey(indexFileSync("pkg/service.py", SOURCE));
    const fn = defs.get("_é_名前") as Definition;
    expect(fn.nameSpan.start).toEqual({ line: 51, column: 4 });
    expect(fn.nameSpan.end).toEqual({ line: 51, column: 9 });
    const call = fn.calls.find((c) => c.name === "target_call");
    // `    s = "é😀"; ` is 15 UTF-16 code units (the emoji is two), 18 UTF-8 bytes.
    expect(call?.nameSpan.start).toEqual({ line: 52, column: 15 });
    expect(SOURCE.slice(call?.nameSpan.startOffset, call?.nameSpan.endOffset)).toBe("target_call");
    expect(fn.calls.map((c) => c.name)).toEqual(["target_call", "process"]);
    expect(fn.calls[1]?.inNested).toBe(false); // comprehensions are not nested definitions
  });

  it("imports and comments", () => {
    const file = indexFileSync("pkg/service.py", SOURCE);
    expect(file.imports.map((i) => [i.module, i.names, i.alias])).toEqual([
      ["os.path", [], "osp"],
      ["sys", [], null],
      ["..pkg.mod", [{ name: "a", alias: "b" }, { name: "c", alias: null }], null],
      ["x", [{ name: "*", alias: null }], null],
      ["__future__", [{ name: "annotations", alias: null }], null],
    ]);
    expect(file.imports[2]?.span.start).toEqual({ line: 3, column: 0 });
    expect(file.comments.map((c) => [c.text, c.span.start.line])).toEqual([["# comment before code", 48]]);
  });

  it("indexes a file with syntax errors without throwing and flags it", () => {
    const broken = `def good():\n    return ok()\n\ndef bad(:\n    pass\n\nclass After:\n    def m(self):\n        return call_me()\n`;
    const file = indexFileSync("broken.py", broken);
    expect(file.hasErrors).toBe(true);
    expect(file.errorPoints.length).toBeGreaterThan(0);
    expect(file.errorPoints[0]?.line).toBe(4);
    const keys = file.definitions.map((d) => d.key);
    expect(keys).toContain("good");
    expect(keys).toContain("After.m");
    expect(byKey(file).get("After.m")?.calls.map((c) => c.name)).toEqual(["call_me"]);
  });

  it("never throws on arbitrary text", () => {
    for (const text of ["", "\u0000\u0001", ")))(((", "def", "class :\n\t\t  \"\"\"", "é😀".repeat(100), "@\n@\n", "(".repeat(20000), "x = " + "[".repeat(5000)]) {
      const file = indexFileSync("x.py", text);
      expect(file.path).toBe("x.py");
    }
  });
});

// The index reads docstrings from node records (python.ts bodyDocstring); the comments-only check reads them
// through the Node API (pythonDocstringNode / isDocstring). Both must pick the same statement on real code and on
// the shapes CPython folds or refuses (parentheses, implicit concatenation, comments between parts, bytes,
// f-strings, a comment before the docstring).
describe("docstrings: the record reading and the Node reading agree", () => {
  const TRICKY = [
    'def a():\n    # lead\n    """Doc."""\n',
    'def b():\n    ("x"\n     # between\n     "y")\n',
    'def c():\n    ("x" "y")\n',
    'def d():\n    (("x"))\n',
    'def e():\n    ("x", "y")\n',
    'def f():\n    b"bytes"\n',
    'def g():\n    f"f{x}"\n',
    'def h():\n    "a" f"b"\n',
    'def i():\n    "x"; y = 1\n',
    'def j():\n    x = "not a docstring"\n',
    'class K:\n    u"unicode" r"raw\\d"\n    def m(self): "m doc"\n',
    'def n():\n    "\\N{BULLET} named escapes are left to CPython"\n',
  ];
  const files = [...stdlibFiles(40).map((p) => ({ path: p, text: readFileSync(p, "utf8") })), ...TRICKY.map((text, i) => ({ path: `tricky${i}.py`, text }))];

  it("on every definition of 40 standard-library modules and the tricky shapes", () => {
    let documented = 0;
    let definitions = 0;
    for (const { path, text } of files) {
      const index = indexFileSync(path, text, "python");
      const byStart = new Map(index.definitions.map((d) => [d.signatureSpan.startOffset, d]));
      withTree("python", text, (tree) => {
        for (const node of tree.rootNode.descendantsOfType(["function_definition", "class_definition"])) {
          if (!node) continue;
          const def = byStart.get(node.startIndex);
          expect(def, `${path}:${node.startPosition.row + 1}`).toBeDefined();
          definitions++;
          const statement = pythonDocstringNode(node.childForFieldName("body"));
          const expr = statement?.namedChild(0) ?? null;
          if (statement) expect(pythonAdapter.isDocstring?.(statement), `${path}:${node.startPosition.row + 1}`).toBe(true);
          // \N{...} escapes: the index gives no text (the name table is not at hand), the Node reading still sees the statement.
          const expected = expr && !/\\N\{/.test(expr.text) ? expr.text : null;
          expect(def?.docstring?.raw ?? null, `${path}:${node.startPosition.row + 1}`).toBe(expected);
          if (expected !== null) documented++;
        }
      });
    }
    expect(definitions).toBeGreaterThan(1000);
    expect(documented).toBeGreaterThan(300);
  });
});
