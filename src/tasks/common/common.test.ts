import { describe, it, expect } from "vitest";
import { isTestPath } from "./test-files.js";
import { findLeaks, leakTerms, redactNames, splitIdentifier } from "./name-words.js";
import { scoreSets, tokenF1 } from "./similarity.js";
import { stratifiedOrder } from "./sampling.js";
import { applyLineEdits } from "./line-edits.js";
import { makeInstanceId, repoSlug } from "./instance-id.js";

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
