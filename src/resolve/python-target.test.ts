import { describe, expect, it } from "vitest";
import { classifyPythonTarget } from "./python-target.js";
import { classHeader, findMethodInClassBody, parseHover } from "./pyright.js";

describe("classifyPythonTarget", () => {
  it("names definitions and follows plain and attribute aliases", () => {
    expect(classifyPythonTarget("def f(x):", 4)).toMatchObject({ kind: "definition", what: "function" });
    expect(classifyPythonTarget("class C(B):", 6)).toMatchObject({ kind: "definition", what: "class" });
    const plain = classifyPythonTarget("alias = other_func", 0);
    expect(plain).toMatchObject({ kind: "alias", valueColumn: 8 });
    const line = "_find_unsafe = re.compile(r'[^\\w@%+=:,./-]', re.ASCII).search";
    const attr = classifyPythonTarget(line, 0);
    expect(attr).toMatchObject({ kind: "alias" });
    if (attr.kind === "alias") expect(line.slice(attr.valueColumn)).toBe("search");
    const sub = classifyPythonTarget("w = self._streams[0].write  # the first stream", 0);
    if (sub.kind !== "alias") throw new Error("expected an alias");
    expect(sub.valueColumn).toBe("w = self._streams[0].".length);
  });

  it("follows the matching element of a tuple-unpacking assignment, and marks None bindings", () => {
    const line = "    acquire, release, handlers = _acquireLock, _releaseLock, _handlerList";
    const second = classifyPythonTarget(line, line.indexOf("release"));
    if (second.kind !== "alias") throw new Error("expected an alias");
    expect(line.slice(second.valueColumn)).toBe("_releaseLock, _handlerList");
    const paren = "(a, b) = (x.y, mod.f)  # swap";
    const b = classifyPythonTarget(paren, 4);
    if (b.kind !== "alias") throw new Error("expected an alias");
    expect(paren.slice(b.valueColumn)).toBe("f)  # swap");
    // A call as the value, counts that differ, a starred target, a string holding a comma: not aliases.
    for (const [l, col] of [
      ["a, b = f(x), g", 0],
      ["a, b = x, y, z", 0],
      ["a, *b = x, y", 0],
      ["a, b = ',', y", 3],
      ["a, b = pair", 0],
    ] as const) {
      expect(classifyPythonTarget(l, col).kind).toBe("other");
    }
    expect(classifyPythonTarget("_warnings_showwarning = None", 0)).toEqual({ kind: "none", name: "_warnings_showwarning" });
    expect(classifyPythonTarget("    self.cb: Optional[Callable] = None  # set later", 9)).toEqual({ kind: "none", name: "cb" });
    expect(classifyPythonTarget("x = None or f", 0).kind).toBe("other");
  });

  it("refuses values that are not one primary expression ending in an attribute", () => {
    for (const l of ["x = a.b if c else d.e", "y = foo(a)", "z = foo(a).bar()", "q = f or g.h", "d = {'a': b}.get", "n = x[0]"]) {
      expect(classifyPythonTarget(l, 0).kind).toBe("other");
    }
  });
});

describe("pyright hover and class-body helpers", () => {
  it("parses hover signatures", () => {
    expect(parseHover("(parameter) ty: ParamType[Any, Any]", "ty")).toEqual({ form: "typed", type: "ParamType[Any, Any]" });
    expect(parseHover("(variable) def x(v: Unknown) -> Unknown", "x")).toEqual({ form: "callable" });
    expect(parseHover("(function) def f() -> int", "f")).toBeNull();
    expect(parseHover(null, "f")).toBeNull();
  });

  it("reads the bases of a multi-line class header and finds every __call__ of the body", () => {
    const lines = [
      "class Conv(",
      "    base.ParamType[int],",
      "    Generic[T], metaclass=Meta,",
      "):",
      "    @overload",
      "    def __call__(self, v: int) -> int: ...",
      "    def helper(self):",
      "        def __call__(): pass",
      "    def __call__(self, v):",
      "        return v",
      "x = 1",
    ];
    const header = classHeader(lines, 0);
    expect(header.bases.map((b) => `${b.name}@${b.line}:${b.column}`)).toEqual(["ParamType@2:9", "Generic@3:4"]);
    expect(header.endLine).toBe(3);
    expect(findMethodInClassBody(lines, 0, header.endLine, "__call__")).toEqual([
      { line: 6, column: 8 },
      { line: 9, column: 8 },
    ]);
  });
});
