import { describe, it, expect, beforeAll } from "vitest";
import { isTestPath } from "./test-files.js";
import { findLeaks, leakTerms, redactNames, splitIdentifier } from "./name-words.js";
import { scoreSets, tokenF1 } from "./similarity.js";
import { stratifiedOrder } from "./sampling.js";
import { applyLineEdits } from "./line-edits.js";
import { commentsOnlyCheck } from "./comments-only.js";
import { ensureLanguages, indexText } from "./code.js";
import { stripCommentsForCompare } from "./comment-strip.js";
import { makeInstanceId, repoSlug } from "./instance-id.js";
import { modification } from "./workspace.js";
import type { FileChange } from "../types.js";

describe("test-file detection", () => {
  it("matches test files by path segments and file patterns", () => {
    for (const p of ["tests/a.py", "pkg/tests/util.py", "test_x.py", "pkg/x_test.py", "conftest.py", "src/__tests__/a.ts", "a.test.ts", "lib/b.spec.js"]) {
      expect(isTestPath(p), p).toBe(true);
    }
  });
  it("does not match substrings", () => {
    for (const p of ["environment/setup.py", "contest.py", "pkg/testing_utils_lib.py", "latest/x.py", "src/attest.ts", "protest/spec_utils.py"]) {
      expect(isTestPath(p), p).toBe(false);
    }
  });
});

describe("name leak detection", () => {
  it("splits identifiers", () => {
    expect(splitIdentifier("parse_HTTPHeader2")).toEqual(["parse", "http", "header", "2"]);
    expect(splitIdentifier("getUserName")).toEqual(["get", "user", "name"]);
  });
  it("counts whole name and parts of length >= 4 as leaks, whole words only", () => {
    expect([...leakTerms("get_user_id")].sort()).toEqual(["get_user_id", "user"]);
    expect(findLeaks("Looks up the user record.", ["get_user_id"])).toEqual(["user"]);
    expect(findLeaks("Calls parse_header() first.", ["header"])).toEqual(["header"]);
    expect(findLeaks("Handles users and getters.", ["get_user_id"])).toEqual([]);
    // "Username" is one word, not the parts of user_name.
    expect(findLeaks("Reads the Username.", ["user_name"])).toEqual([]);
  });
  it("redacts leaking words", () => {
    const out = redactNames("Normalize a path; see normalize_path() for details.", ["normalize_path"]);
    expect(findLeaks(out, ["normalize_path"])).toEqual([]);
    expect(out).toContain("see");
  });
});

describe("similarity and set scores", () => {
  it("token F1", () => {
    expect(tokenF1("Return the sum.", "return the sum")).toBe(1);
    expect(tokenF1("", "x")).toBe(0);
    expect(tokenF1("a b", "a c")).toBeCloseTo(0.5);
  });
  it("duplicates count against precision", () => {
    const s = scoreSets(["a", "a", "b"], ["a", "b"]);
    expect(s.recall).toBe(1);
    expect(s.precision).toBeCloseTo(2 / 3);
    expect(s.duplicates).toBe(1);
  });
});

describe("stratified order", () => {
  const items = Array.from({ length: 30 }, (_, i) => ({ id: `f${i % 5}::d${i}`, file: `f${i % 5}`, size: i % 3 }));
  const describeItem = (x: (typeof items)[number]) => ({ stratum: `s${x.size}`, group: x.file, id: x.id });
  it("is deterministic and independent of input order", () => {
    const a = stratifiedOrder(items, describeItem, 7).map((x) => x.id);
    const b = stratifiedOrder(items.slice().reverse(), describeItem, 7).map((x) => x.id);
    expect(a).toEqual(b);
    expect(stratifiedOrder(items, describeItem, 8).map((x) => x.id)).not.toEqual(a);
  });
  it("spreads the first picks over strata and files", () => {
    const first = stratifiedOrder(items, describeItem, 1).slice(0, 6);
    expect(new Set(first.map((x) => x.size)).size).toBe(3);
    expect(new Set(first.map((x) => x.file)).size).toBeGreaterThanOrEqual(4);
  });
});

describe("ids and edits", () => {
  it("builds instance ids", () => {
    expect(repoSlug("My Repo!")).toBe("my-repo");
    expect(makeInstanceId("dep-search", { name: "Requests", commit: "0123456789abcdef" }, "a/b.py::f")).toBe("dep-search/requests@0123456789ab/a/b.py::f");
  });
  it("applies line edits bottom-up against original line numbers", () => {
    const t = "a\nb\nc\n";
    expect(applyLineEdits(t, [{ line: 1, deleteCount: 0, insert: ["x"] }, { line: 3, deleteCount: 1, insert: ["y", "z"] }])).toBe("x\na\nb\ny\nz\n");
  });
});

describe("commentsOnlyCheck", () => {
  beforeAll(async () => {
    await ensureLanguages();
  });
  const py = "def f(x):\n    y = x + 1\n    return y\n";
  const codes = (changes: FileChange[], allowDocstrings = false) => commentsOnlyCheck(changes, { allowDocstrings }).map((v) => v.code);

  it("accepts comments, including a comment on every line", () => {
    const every = py.split("\n").map((l) => (l ? `${l}  # note` : l)).join("\n");
    expect(codes([modification("a.py", py, "# head\n" + every)])).toEqual([]);
  });
  it("rejects a deleted code line, re-indentation and code hidden in a string", () => {
    expect(codes([modification("a.py", py, "def f(x):\n    return x\n")])).toEqual(["code-changed"]);
    expect(codes([modification("a.py", py, "def f(x):\n    y = x + 1\n    if True:\n        return y\n")])).toEqual(["code-changed"]);
    expect(codes([modification("a.py", py, 'def f(x):\n    "y = x + 1"\n    return y\n')])).toEqual(["code-changed"]);
  });
  it("docstrings are allowed only when asked", () => {
    const doc = 'def f(x):\n    """Add one."""\n    y = x + 1\n    return y\n';
    expect(codes([modification("a.py", py, doc)], true)).toEqual([]);
    expect(codes([modification("a.py", py, doc)], false)).toEqual(["code-changed"]);
  });
  it("rejects parse errors, new/deleted/renamed/binary files and non-code files", () => {
    expect(codes([modification("a.py", py, py + "def (\n")])).toEqual(["parse-error"]);
    const added: FileChange = { path: "n.py", oldPath: null, status: "added", binary: false, before: null, after: "# x\n" };
    const deleted: FileChange = { path: "a.py", oldPath: null, status: "deleted", binary: false, before: py, after: null };
    const renamed: FileChange = { path: "b.py", oldPath: "a.py", status: "renamed", binary: false, before: py, after: py };
    const binary: FileChange = { path: "x.bin", oldPath: null, status: "modified", binary: true, before: null, after: null };
    expect(codes([added, deleted, renamed, binary])).toEqual(["file-created", "file-deleted", "file-renamed", "binary-file"]);
    expect(codes([modification("README.md", "a\n", "a\nb\n")])).toEqual(["non-code-file-changed"]);
  });
  it("a # added inside a string is code, not a comment", () => {
    const src = 'def f():\n    s = """a\nb"""\n    return s\n';
    expect(codes([modification("a.py", src, src.replace('"""a\nb"""', '"""a\n# b"""'))])).toEqual(["code-changed"]);
  });
  it("the stripping pre-check proves equality only when safe", () => {
    const src = "def f(x):\n    y = x  # one\n    return y\n";
    const a = indexText("a.py", src);
    expect(a && stripCommentsForCompare(a, src, false)).toBe("def f(x):\n    y = x\n    return y\n");
    const mid = "const a = 1 /* c */ + 2;\n";
    const b = indexText("a.ts", mid);
    expect(b && stripCommentsForCompare(b, mid, false)).toBe("const a = 1   + 2;\n");
    const multi = "const a = 1 /* c\n */ + 2;\n";
    const m = indexText("m.ts", multi);
    expect(m && stripCommentsForCompare(m, multi, false)).toBeNull();
    const doc = 'def f(x):\n    """Doc."""\n    # c\n    return x\n';
    const d = indexText("d.py", doc);
    expect(d && stripCommentsForCompare(d, doc, true)).toBe("def f(x):\n    return x\n");
    expect(d && stripCommentsForCompare(d, doc, false)).toBe('def f(x):\n    """Doc."""\n    return x\n');
  });
  it("works for TypeScript", () => {
    const ts = "export function f(x: number): number {\n  return x + 1;\n}\n";
    expect(codes([modification("a.ts", ts, "// c\n" + ts.replace("return", "/* why */ return"))])).toEqual([]);
    expect(codes([modification("a.ts", ts, ts.replace("x + 1", "x + 2"))])).toEqual(["code-changed"]);
  });
  it("honours allowedFiles", () => {
    expect(commentsOnlyCheck([modification("a.py", py, "# c\n" + py)], { allowDocstrings: false, allowedFiles: ["b.py"] }).map((v) => v.code)).toEqual([
      "file-not-allowed",
    ]);
  });
});
