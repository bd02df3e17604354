// The comments-only check with the languages' own front ends as judges: every class of disagreement between
// tree-sitter and CPython / the TypeScript parser, each both ways (the hack rejected, the correct variant
// accepted), plus the basic rules (new/deleted/binary/non-code files, allowed files, mode changes).

import { describe, it, expect, beforeAll } from "vitest";
import { commentsOnlyCheck } from "./comments-only.js";
import { ensureLanguages } from "./code.js";
import { modification } from "./workspace.js";
import type { FileChange } from "../../core/repo-view.js";

beforeAll(async () => {
  await ensureLanguages();
});

const codes = async (changes: FileChange[], allowDocstrings = false) => (await commentsOnlyCheck(changes, { allowDocstrings })).map((v) => v.code);
const one = (path: string, before: string, after: string, allowDocstrings = false) => codes([modification(path, before, after)], allowDocstrings);

const py = "def f(x):\n    y = x + 1\n    return y\n";

describe("commentsOnlyCheck: basics", () => {
  it("accepts comments, including a comment on every line", async () => {
    const every = py.split("\n").map((l) => (l ? `${l}  # note` : l)).join("\n");
    expect(await one("a.py", py, "# head\n" + every)).toEqual([]);
  });
  it("rejects a deleted code line, re-indentation and code hidden in a string", async () => {
    expect(await one("a.py", py, "def f(x):\n    return x\n")).toEqual(["code-changed"]);
    expect(await one("a.py", py, "def f(x):\n    y = x + 1\n    if True:\n        return y\n")).toEqual(["code-changed"]);
    expect(await one("a.py", py, 'def f(x):\n    "y = x + 1"\n    return y\n')).toEqual(["code-changed"]);
  });
  it("docstrings are allowed only when asked", async () => {
    const doc = 'def f(x):\n    """Add one."""\n    y = x + 1\n    return y\n';
    expect(await one("a.py", py, doc, true)).toEqual([]);
    expect(await one("a.py", py, doc, false)).toEqual(["code-changed"]);
  });
  it("rejects parse errors, new/deleted/renamed/binary files and non-code files", async () => {
    const v = await commentsOnlyCheck([modification("a.py", py, py + "def (\n")], { allowDocstrings: false });
    expect(v.map((x) => [x.code, x.line])).toEqual([["parse-error", 4]]);
    const added: FileChange = { path: "n.py", oldPath: null, status: "added", binary: false, before: null, after: "# x\n" };
    const deleted: FileChange = { path: "a.py", oldPath: null, status: "deleted", binary: false, before: py, after: null };
    const renamed: FileChange = { path: "b.py", oldPath: "a.py", status: "renamed", binary: false, before: py, after: py };
    const binary: FileChange = { path: "x.bin", oldPath: null, status: "modified", binary: true, before: null, after: null };
    expect(await codes([added, deleted, renamed, binary])).toEqual(["file-created", "file-deleted", "file-renamed", "binary-file"]);
    expect(await one("README.md", "a\n", "a\nb\n")).toEqual(["non-code-file-changed"]);
  });
  it("a # added inside a string is code, not a comment", async () => {
    const src = 'def f():\n    s = """a\nb"""\n    return s\n';
    expect(await one("a.py", src, src.replace('"""a\nb"""', '"""a\n# b"""'))).toEqual(["code-changed"]);
  });
  it("honours allowedFiles", async () => {
    const v = await commentsOnlyCheck([modification("a.py", py, "# c\n" + py)], { allowDocstrings: false, allowedFiles: ["b.py"] });
    expect(v.map((x) => x.code)).toEqual(["file-not-allowed"]);
  });
  it("reports a mode change, with or without a text change", async () => {
    const chmod: FileChange = { ...modification("a.py", py, py), oldMode: "100644", newMode: "100755" };
    expect(await codes([chmod])).toEqual(["mode-changed"]);
    const both: FileChange = { ...modification("a.py", py, "# c\n" + py), oldMode: "100644", newMode: "100755" };
    expect(await codes([both])).toEqual(["mode-changed"]);
    expect(await codes([{ ...modification("a.py", py, "# c\n" + py), oldMode: null, newMode: null }])).toEqual([]);
  });
  it("reports a starting text that does not compile", async () => {
    const v = await commentsOnlyCheck([modification("a.py", "def f(:\n", "# c\ndef f(:\n")], { allowDocstrings: false });
    expect(v.map((x) => x.code)).toEqual(["start-does-not-parse"]);
    expect(await one("a.ts", "let x = ;\n", "// c\nlet x = ;\n")).toEqual(["start-does-not-parse"]);
  });
  it("reports the line and reason of a code change", async () => {
    const v = await commentsOnlyCheck([modification("a.py", py, py.replace("x + 1", "x + 2"))], { allowDocstrings: false });
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ code: "code-changed", file: "a.py", line: 2 });
    expect(v[0]?.message).toContain("2");
  });
});

describe("Python: CPython decides", () => {
  it("a lone \\r in a comment ends the line: code after it is code", async () => {
    expect(await one("a.py", py, py.replace("    return y\n", "    # note\rreturn 0\n    return y\n"))).not.toEqual([]);
    expect(await one("a.py", py, py.replace("    return y\n", "    # note\r    y = 0\n    return y\n"))).toEqual(["code-changed"]);
    // The correct variant: a comment ending in a lone \r followed by a newline is still only a comment.
    expect(await one("a.py", py, py.replace("    return y\n", "    # note\r\n    return y\n"))).toEqual([]);
  });
  it("a form feed inside a comment is part of the comment; at a line start it is whitespace", async () => {
    expect(await one("a.py", py, py.replace("    return y\n", "    # a\fb\n    return y\n"))).toEqual([]);
    expect(await one("a.py", py, "\f# page\n" + py)).toEqual([]);
  });
  it("an encoding declaration that re-decodes the file is a code change; an unknown one does not compile", async () => {
    const src = 's = "héllo"\nt = 1\n';
    expect(await one("a.py", src, "# -*- coding: latin-1 -*-\n" + src)).toEqual(["code-changed"]);
    expect(await one("a.py", src, "# -*- coding: klingon -*-\n" + src)).toEqual(["parse-error"]);
    // A declaration that matches the file's encoding changes nothing.
    expect(await one("a.py", src, "# -*- coding: utf-8 -*-\n" + src)).toEqual([]);
    // Past the second line a coding comment is an ordinary comment.
    expect(await one("a.py", src, "# a\n# b\n# -*- coding: latin-1 -*-\n" + src)).toEqual([]);
  });
  it("inconsistent tabs and spaces are a TabError, consistent ones are fine", async () => {
    const spaces = "if x:\n        a = 1\n        b = 2\n";
    expect(await one("a.py", spaces, "if x:\n        a = 1\n\tb = 2\n")).toEqual(["parse-error"]);
    const tabs = "if x:\n\ta = 1\n\tb = 2\n";
    expect(await one("a.py", tabs, "if x:\n\t# c\n\ta = 1\n\tb = 2\n")).toEqual([]);
  });
  it("a NUL byte does not compile, even inside a comment", async () => {
    expect(await one("a.py", py, "# a\u0000b\n" + py)).toEqual(["parse-error"]);
  });
  it("CRLF line ends are equal, including inside a triple-quoted string", async () => {
    const src = 'S = """a\nb"""\nx = 1\n';
    expect(await one("a.py", src, src.replace(/\n/g, "\r\n"))).toEqual([]);
    expect(await one("a.py", src, src.replace(/\n/g, "\r\n").replace("x = 1", "x = 2"))).toEqual(["code-changed"]);
  });
  it("implicitly concatenated and parenthesized docstrings are docstrings", async () => {
    const doc = 'def f(x):\n    "Add " "one."\n    y = x + 1\n    return y\n';
    expect(await one("a.py", py, doc, true)).toEqual([]);
    const paren = 'def f(x):\n    ("Add "\n     "one.")\n    y = x + 1\n    return y\n';
    expect(await one("a.py", py, paren, true)).toEqual([]);
    // A string that is not the first statement is not a docstring, and an f-string never is.
    expect(await one("a.py", py, 'def f(x):\n    y = x + 1\n    "late"\n    return y\n', true)).toEqual(["code-changed"]);
    expect(await one("a.py", py, 'def f(x):\n    f"doc {x}"\n    y = x + 1\n    return y\n', true)).toEqual(["code-changed"]);
    // Without permission, a docstring is code.
    expect(await one("a.py", py, doc, false)).toEqual(["code-changed"]);
  });
  it("a body that was only a docstring stays different from pass", async () => {
    expect(await one("a.py", 'def f():\n    "Doc."\n', "def f():\n    pass\n", true)).toEqual(["code-changed"]);
    expect(await one("a.py", 'def f():\n    "Doc."\n', 'def f():\n    "Other doc."\n', true)).toEqual([]);
  });
  it("compile-time errors the parser alone misses are parse errors", async () => {
    expect(await one("a.py", py, py + "return 1\n")).toEqual(["parse-error"]);
    expect(await one("a.py", py, py + "def g(a, a):\n    pass\n")).toEqual(["parse-error"]);
  });
  it("the worker's no-parse shortcuts (comment lines, trailing comments) never accept a string change", async () => {
    const head = "import os\nimport sys\n\n";
    const src = `${head}def f():\n    s = """a\nb\nc"""\n    t = 1if"#"else 2\n    u = "a#b"  # c\n    return s, t, u\n`;
    // A comment line inside a triple-quoted string, text after a "#" that is inside a string.
    expect(await one("a.py", src, src.replace("a\nb\n", "a\n# b\nb\n"))).toEqual(["code-changed"]);
    expect(await one("a.py", src, src.replace('1if"#"else', '1if"# x"else'))).toEqual(["code-changed"]);
    expect(await one("a.py", src, src.replace('"a#b"  # c', '"a#bb"  # c'))).toEqual(["code-changed"]);
    // The correct variants: real comments added or changed.
    expect(await one("a.py", src, src.replace('"a#b"  # c', '"a#b"  # a better comment'))).toEqual([]);
    expect(await one("a.py", src, src.replace("    return s", "    # why\n    return s"))).toEqual([]);
    expect(await one("a.py", src, src.replace('    t = 1if"#"else 2', '    t = 1if"#"else 2  # pick'))).toEqual([]);
    // A backslash continuation before an inserted comment line changes the logical line.
    const cont = `${head}x = 1 + \\\n    2\ny = 3\n`;
    expect(await one("a.py", cont, cont.replace("    2\n", "# c\n    2\n"))).not.toEqual([]);
  });
  it("re-indenting a whole block consistently keeps the tree", async () => {
    expect(await one("a.py", py, "def f(x):\n  y = x + 1\n  return y\n")).toEqual([]);
  });
});

describe("TypeScript/JavaScript: the TypeScript parser decides", () => {
  const ts = "export function f(x: number): number {\n  return x + 1;\n}\n";
  it("accepts comments anywhere tokens allow them", async () => {
    expect(await one("a.ts", ts, "// c\n" + ts.replace("return", "/* why */ return"))).toEqual([]);
    expect(await one("a.ts", ts, ts.replace("x + 1", "x + 2"))).toEqual(["code-changed"]);
  });
  it("a multi-line comment after return inserts a semicolon: code changed; a one-line one does not", async () => {
    const js = "function f(x) {\n  return x;\n}\n";
    expect(await one("a.js", js, "function f(x) {\n  return /*\n*/ x;\n}\n")).toEqual(["code-changed"]);
    expect(await one("a.js", js, "function f(x) {\n  return /* why */ x;\n}\n")).toEqual([]);
  });
  it("TypeScript syntax tree-sitter accepts but the compiler rejects is a parse error", async () => {
    // A type annotation in a .js file, and an `interface` in a .js file.
    expect(await one("a.js", "let x = 1;\n", "let x: number = 1;\n")).toEqual(["parse-error"]);
    expect(await one("a.js", "let x = 1;\n", "// c\ninterface I {}\nlet x = 1;\n")).toEqual(["parse-error"]);
    // Malformed code behind a comment edit.
    expect(await one("a.ts", ts, ts.replace("x + 1;", "x + 1;;;)") )).toEqual(["parse-error"]);
  });
  it("CRLF inside a template literal equals LF (the cooked value is the same)", async () => {
    const src = "const s = `a\nb`;\n";
    expect(await one("a.ts", src, "// c\r\nconst s = `a\r\nb`;\r\n")).toEqual([]);
    expect(await one("a.ts", src, "const s = `a\r\nbb`;\r\n")).toEqual(["code-changed"]);
  });
  it("let/const and optional slots count", async () => {
    expect(await one("a.ts", "let x = 1;\n", "const x = 1;\n")).toEqual(["code-changed"]);
    expect(await one("a.ts", "for (;x;);\n", "for (x;;);\n")).toEqual(["code-changed"]);
    expect(await one("a.ts", "a?.b;\n", "a.b;\n")).toEqual(["code-changed"]);
  });
  it("JSDoc, also followed by // lines, is a comment", async () => {
    expect(await one("a.ts", ts, "/** Adds one. */\n// more\n" + ts)).toEqual([]);
    expect(await one("a.tsx", "const e = <div>{x}</div>;\n", "/** c */\nconst e = <div>{/* c */ x}</div>;\n")).toEqual([]);
  });
});
