import { beforeAll, describe, expect, it } from "vitest";
import { compareTrees, hasSyntaxErrors, initLanguages } from "./index.js";

beforeAll(async () => {
  await initLanguages();
});

const PY = `import os


def load(path, retries=3):
    """Load a file."""
    if not path:
        raise ValueError("empty")
    data = read(path)
    check(data)
    return data


class Cache:
    def get(self, key):
        value = self.store[key]
        return value
`;

const PY_NO_DOC = PY.replace('    """Load a file."""\n', "");

function diff(before: string, after: string, lang: "python" | "typescript" = "python", ignoreDocstrings = false) {
  return compareTrees(lang, before, after, { ignoreDocstrings });
}

describe("compareTrees (python)", () => {
  it("identical text is equal", () => {
    expect(diff(PY, PY)).toEqual({ equal: true });
  });

  it("re-indenting a statement out of its block is a difference", () => {
    const after = PY.replace("    check(data)\n    return data", "    check(data)\nreturn data");
    const r = diff(PY, after);
    expect(r.equal).toBe(false);
    const r2 = diff(PY, PY.replace("        raise ValueError", "    raise ValueError"));
    expect(r2.equal).toBe(false);
  });

  it("re-indenting a statement into the preceding block is a difference", () => {
    const before = "if x:\n    a()\nb()\n";
    const after = "if x:\n    a()\n    b()\n";
    const r = diff(before, after);
    expect(r.equal).toBe(false);
    if (!r.equal) expect(r.reason).toMatch(/extra node/);
  });

  it("reordering two statements is a difference, located at the first change", () => {
    const after = PY.replace("    data = read(path)\n    check(data)", "    check(data)\n    data = read(path)");
    const r = diff(PY, after);
    expect(r.equal).toBe(false);
    if (!r.equal) {
      expect(r.before).toEqual({ line: 8, column: 4 });
      expect(r.after).toEqual({ line: 8, column: 4 });
      expect(r.reason).toMatch(/differs/);
    }
  });

  it("deleting a line of code is a difference", () => {
    const r = diff(PY, PY.replace("    check(data)\n", ""));
    expect(r.equal).toBe(false);
  });

  it("comments, even containing code, are free", () => {
    const after = PY.replace("    check(data)\n", "    # data = evil(data)\n    check(data)  # trailing comment\n").replace(
      "class Cache:",
      "# import shutil; shutil.rmtree('/')\nclass Cache:",
    );
    expect(diff(PY, after)).toEqual({ equal: true });
  });

  it("code hidden in a new string statement is a difference", () => {
    const after = PY.replace("    check(data)\n", "    check(data)\n    'data = evil(data)'\n");
    expect(diff(PY, after).equal).toBe(false);
    expect(diff(PY, after, "python", true).equal).toBe(false); // not in docstring position
  });

  it("a new docstring is equal only when docstrings are ignored", () => {
    const after = PY.replace("    def get(self, key):\n", '    def get(self, key):\n        """Return the cached value."""\n');
    expect(diff(PY, after).equal).toBe(false);
    expect(diff(PY, after, "python", true)).toEqual({ equal: true });
    // Removing one (the func-localize setup) and writing another back.
    expect(diff(PY_NO_DOC, PY, "python", true)).toEqual({ equal: true });
    expect(diff(PY_NO_DOC, PY.replace("Load a file.", "Read a file from disk,\n    with retries."), "python", true)).toEqual({ equal: true });
  });

  it("a second string pushed into docstring position is a difference", () => {
    const after = PY.replace('    """Load a file."""\n', '    """New doc."""\n    """Load a file."""\n');
    expect(diff(PY, after, "python", true).equal).toBe(false);
  });

  it("changing a string literal's contents is a difference", () => {
    const r = diff(PY, PY.replace('ValueError("empty")', 'ValueError("blank")'));
    expect(r.equal).toBe(false);
    if (!r.equal) expect(r.reason).toBe("text differs: '\"empty\"' vs '\"blank\"'");
    // A docstring edit is a difference unless docstrings are ignored.
    expect(diff(PY, PY.replace("Load a file.", "Load it.")).equal).toBe(false);
  });

  it("whitespace inside a line and blank lines are free; so is re-indenting a whole block consistently", () => {
    const after = PY.replace("data = read(path)", "data   =   read( path )").replace("\n\nclass Cache", "\n\n\n\nclass Cache");
    expect(diff(PY, after)).toEqual({ equal: true });
    const twoSpaces = PY.replace("    def get(self, key):\n        value = self.store[key]\n        return value", "  def get(self, key):\n    value = self.store[key]\n    return value");
    expect(diff(PY, twoSpaces)).toEqual({ equal: true });
  });

  it("changing an operator or keyword (anonymous nodes) is a difference", () => {
    expect(diff("x = a + b\n", "x = a - b\n").equal).toBe(false);
    expect(diff("if not p:\n    f()\n", "if p:\n    f()\n").equal).toBe(false);
  });

  it("hasSyntaxErrors", () => {
    expect(hasSyntaxErrors("python", PY)).toBe(false);
    expect(hasSyntaxErrors("python", "def f(:\n  pass\n")).toBe(true);
  });
});

const TS = `import { read } from "./io";

/** Loads a file. */
export function load(path: string, retries = 3): string {
  if (!path) {
    throw new Error("empty");
  }
  const data = read(path);
  check(data);
  return data;
}

export class Cache {
  get(key: string) {
    const value = this.store[key];
    return value;
  }
}
`;

describe("compareTrees (typescript)", () => {
  const ts = (after: string, ignoreDocstrings = false) => diff(TS, after, "typescript", ignoreDocstrings);

  it("identical and whitespace-only changes (including re-indenting) are equal", () => {
    expect(ts(TS)).toEqual({ equal: true });
    expect(ts(TS.replace("const data = read(path);", "const   data=read(\n    path\n  );").replace("  check(data);", "      check(data);"))).toEqual({ equal: true });
  });

  it("moving a statement out of its block is a difference", () => {
    const after = TS.replace('    throw new Error("empty");\n  }\n', '  }\n    throw new Error("empty");\n');
    expect(ts(after).equal).toBe(false);
  });

  it("reordering and deleting statements are differences", () => {
    expect(ts(TS.replace("  const data = read(path);\n  check(data);", "  check(data);\n  const data = read(path);")).equal).toBe(false);
    expect(ts(TS.replace("  check(data);\n", "")).equal).toBe(false);
  });

  it("comments with code, trailing comments and new JSDoc blocks are equal", () => {
    const after = TS.replace("  check(data);\n", "  // check(evil);\n  check(data); // trailing\n  /* block */\n").replace(
      "export class Cache {",
      "/** The cache. */\nexport class Cache {\n  /** Gets. */",
    );
    expect(ts(after)).toEqual({ equal: true });
    expect(ts(TS.replace("/** Loads a file. */\n", ""))).toEqual({ equal: true });
  });

  it("code hidden in a new string statement or a changed string literal is a difference", () => {
    expect(ts(TS.replace("  check(data);\n", '  check(data);\n  "evil(data)";\n'), true).equal).toBe(false);
    expect(ts(TS.replace('new Error("empty")', 'new Error("blank")')).equal).toBe(false);
    expect(ts(TS.replace('new Error("empty")', "new Error(`empty`)")).equal).toBe(false);
  });

  it("reports where and why", () => {
    const r = ts(TS.replace("return value;", "return null;"));
    expect(r).toEqual({
      equal: false,
      before: { line: 16, column: 11 },
      after: { line: 16, column: 11 },
      reason: "node type differs: 'identifier' vs 'null'",
    });
  });

  it("works for tsx and javascript", () => {
    expect(compareTrees("tsx", "const a = <b x={1} />;\n", "const a = <b  x={1}/>; // c\n")).toEqual({ equal: true });
    expect(compareTrees("tsx", "const a = <b x={1} />;\n", "const a = <b x={2} />;\n").equal).toBe(false);
    expect(compareTrees("javascript", "f(a, b);\n", "f(b, a);\n").equal).toBe(false);
    expect(hasSyntaxErrors("typescript", "function (\n")).toBe(true);
  });
});
