import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { compareTrees, findSyntaxError, hasSyntaxErrors, indexFileSync, initLanguages } from "./index.js";

beforeAll(async () => {
  await initLanguages(["python"]);
});

// Each case: Python source and whether CPython accepts it. The expectations are also checked against the real
// CPython below, so a wrong expectation here fails the test instead of encoding a guess.
const CASES: Record<string, { text: string; valid: boolean }> = {
  "over-indented statement": { text: "def f(x):\n    y = x + 1\n        return y\n", valid: false },
  "over-indented statement after a simple statement in a nested block": {
    text: "class A:\n    def f(self):\n        a = 1\n          b = 2\n        return a\n",
    valid: false,
  },
  "under-indented statement leaving its block for no enclosing level": {
    text: "def f(x):\n    if x:\n        y = 1\n      return y\n",
    valid: false,
  },
  "under-indented module statement": { text: "def f(x):\n        y = 1\n    z = 2\n", valid: false },
  "misaligned else": { text: "if a:\n    b()\n  else:\n    c()\n", valid: false },
  "misaligned except": { text: "try:\n    b()\n  except E:\n    c()\n", valid: false },
  "over-indented def under its decorator": { text: "@dec\n    def f():\n        pass\n", valid: false },
  "body not indented (header over-indented to the body's column)": { text: "def f():\n    if x:\n    y()\n", valid: false },
  "tab versus eight spaces": { text: "if a:\n\tb()\n        c()\n", valid: false },
  "whole block consistently re-indented": { text: "def f(x):\n  y = x + 1\n  if y:\n        return y\n  return 0\n", valid: true },
  "continuation lines, brackets and strings spanning lines": {
    text: [
      "def f(x):",
      "    y = x + \\",
      "            1",
      "    z = (1,",
      "  2,",
      "                3)",
      '    s = """text',
      "       at any",
      ' indentation"""',
      "    a = 1; \\",
      "        b = 2",
      "    return [y,",
      "z]",
      "",
    ].join("\n"),
    valid: true,
  },
  "comments at any indentation": {
    text: "def f(x):\n# at column 0\n    y = x\n            # deep\n  # shallow\n    return y\n# end\n",
    valid: true,
  },
  "clauses, decorators and one-line bodies aligned": {
    text: "@a\n@b\nclass C:\n    @d\n    def f(self): return 1\n\nif x: y()\nelif z:\n    w()\nelse:\n    pass\ntry:\n    pass\nexcept E:\n    pass\nfinally:\n    pass\nfor i in r:\n    pass\nelse:\n    pass\n",
    valid: true,
  },
  "tabs used consistently": { text: "if a:\n\tb()\n\tif c:\n\t\td()\n", valid: true },
  "CRLF line endings": { text: "def f():\r\n    a = 1\r\n    return a\r\n", valid: true },
};

function cpythonAccepts(texts: string[]): boolean[] {
  const script = "import ast, json, sys\nout = []\nfor t in json.load(sys.stdin):\n    try:\n        ast.parse(t)\n        out.append(True)\n    except SyntaxError:\n        out.append(False)\nprint(json.dumps(out))\n";
  return JSON.parse(execFileSync("python3", ["-c", script], { input: JSON.stringify(texts), encoding: "utf8" })) as boolean[];
}

describe("Python indentation CPython rejects counts as a syntax error", () => {
  it("the expectations match CPython", () => {
    const names = Object.keys(CASES);
    const accepted = cpythonAccepts(names.map((n) => (CASES[n] as { text: string }).text));
    expect(Object.fromEntries(names.map((n, i) => [n, accepted[i]]))).toEqual(Object.fromEntries(names.map((n) => [n, (CASES[n] as { valid: boolean }).valid])));
  });

  it("hasSyntaxErrors, findSyntaxError and the index agree with CPython", () => {
    for (const [name, c] of Object.entries(CASES)) {
      expect(hasSyntaxErrors("python", c.text), name).toBe(!c.valid);
      expect(findSyntaxError("python", c.text) === null, name).toBe(c.valid);
      expect(indexFileSync("a.py", c.text).hasErrors, name).toBe(!c.valid);
    }
  });

  it("reports where and what", () => {
    const e = findSyntaxError("python", (CASES["over-indented statement"] as { text: string }).text);
    expect(e).toEqual({ line: 3, column: 8, message: "line 3: indented differently from the statements around it (Python rejects it)" });
    expect(indexFileSync("a.py", "if a:\n    b()\n  else:\n    c()\n").errorPoints).toEqual([{ line: 3, column: 2 }]);
    expect(findSyntaxError("python", "def f(:\n  pass\n")?.message).toMatch(/syntax error at line 1/);
  });

  it("tree-sitter alone would not see it: the trees compare equal", () => {
    // This is why the check exists: "add a comment and re-indent a line" keeps the tree.
    const before = "def f(x):\n    y = x + 1\n    return y\n";
    const after = "def f(x):\n    # add one\n    y = x + 1\n        return y\n";
    expect(compareTrees("python", before, after)).toEqual({ equal: true });
    expect(hasSyntaxErrors("python", after)).toBe(true);
  });
});

describe("compareTrees with the cached starting tree and incremental parsing", () => {
  const lines = [
    "import os",
    "",
    "",
    "class Store:",
    '    """Keeps things."""',
    "",
    "    def get(self, key, default=None):",
    "        value = self.data.get(key)",
    "        if value is None:",
    "            return default",
    "        return value",
    "",
    "    def put(self, key, value):",
    "        self.data[key] = value",
    "",
    "",
    "def main():",
    "    s = Store()",
    "    s.put('a', 1)",
    "    print(s.get('a'))",
    "",
  ];
  const before = lines.join("\n");

  it("a comment line inserted anywhere is equal; deleting any code line is not", () => {
    for (let i = 0; i < lines.length - 1; i++) {
      const indent = /^\s*/.exec(lines[i] as string)?.[0] ?? "";
      const commented = [...lines.slice(0, i), `${indent}# note ${i}`, ...lines.slice(i)].join("\n");
      expect(compareTrees("python", before, commented), `comment before line ${i + 1}`).toEqual({ equal: true });
      if ((lines[i] as string).trim() === "") continue;
      const deleted = [...lines.slice(0, i), ...lines.slice(i + 1)].join("\n");
      expect(compareTrees("python", before, deleted).equal, `line ${i + 1} deleted`).toBe(false);
    }
  });

  it("one-character code edits at the start, middle and end are found", () => {
    expect(compareTrees("python", before, before.replace("import os", "import oz")).equal).toBe(false);
    expect(compareTrees("python", before, before.replace("self.data[key] = value", "self.data[key] = valve")).equal).toBe(false);
    expect(compareTrees("python", before, before.replace("print(s.get('a'))", "print(s.get('b'))")).equal).toBe(false);
    expect(compareTrees("python", before, `${before}x = 1\n`).equal).toBe(false);
    // And the same pairs reversed (the other text is now the cached one).
    expect(compareTrees("python", before.replace("import os", "import oz"), before).equal).toBe(false);
    expect(compareTrees("python", `${before}# end\n`, before)).toEqual({ equal: true });
  });
});
