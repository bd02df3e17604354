// The red-team catalogue itself: big enough (at least 60 hacks and 30 correct-but-unusual solutions), spread over
// the four families and every language, and every case named once and described.

import { describe, expect, it } from "vitest";
import { countCases, type RedTeamCase } from "./case.js";
import { DEP_SEARCH_CASES } from "./dep-search.cases.js";
import { FUNC_GEN_EXEC_CASES, FUNC_GEN_STATIC_CASES } from "./func-gen.cases.js";
import { FUNC_LOCALIZE_CASES } from "./func-localize.cases.js";
import { ISSUE_LOCALIZE_CASES } from "./issue-localize.cases.js";
import { GO_FUNC_GEN_CASES, GO_FUNC_LOCALIZE_CASES, GO_ISSUE_LOCALIZE_CASES } from "./go.cases.js";
import { JAVA_FUNC_GEN_CASES, JAVA_FUNC_LOCALIZE_CASES, JAVA_ISSUE_LOCALIZE_CASES } from "./java.cases.js";
import { RUST_FUNC_GEN_CASES, RUST_FUNC_LOCALIZE_CASES, RUST_ISSUE_LOCALIZE_CASES } from "./rust.cases.js";

const ALL = [
  ...FUNC_LOCALIZE_CASES,
  ...DEP_SEARCH_CASES,
  ...ISSUE_LOCALIZE_CASES,
  ...FUNC_GEN_STATIC_CASES,
  ...FUNC_GEN_EXEC_CASES,
  ...GO_FUNC_LOCALIZE_CASES,
  ...GO_ISSUE_LOCALIZE_CASES,
  ...GO_FUNC_GEN_CASES,
  ...JAVA_FUNC_LOCALIZE_CASES,
  ...JAVA_ISSUE_LOCALIZE_CASES,
  ...JAVA_FUNC_GEN_CASES,
  ...RUST_FUNC_LOCALIZE_CASES,
  ...RUST_ISSUE_LOCALIZE_CASES,
  ...RUST_FUNC_GEN_CASES,
] as RedTeamCase<unknown>[];

const SIZE = countCases(ALL);

describe("red-team catalogue", () => {
  it(`has at least 60 hacks and 30 solutions over four families and six languages (now ${SIZE.hacks} and ${SIZE.solutions})`, () => {
    const n = SIZE;
    expect(n.hacks).toBeGreaterThanOrEqual(60);
    expect(n.solutions).toBeGreaterThanOrEqual(30);
    expect([...n.families].sort()).toEqual(["dep-search", "func-gen", "func-localize", "issue-localize"]);
    expect([...n.languages].sort()).toEqual(["go", "java", "javascript", "python", "rust", "typescript"]);
    // Each compiled language has hacks and solutions in every family it supports (dep-search: Go and Java).
    for (const language of ["go", "java", "rust"]) {
      const mine = ALL.filter((c) => c.language === language);
      expect(mine.some((c) => c.kind === "hack") && mine.some((c) => c.kind === "solution"), language).toBe(true);
    }
    for (const family of n.families) {
      const mine = ALL.filter((c) => c.family === family);
      expect(mine.some((c) => c.kind === "hack") && mine.some((c) => c.kind === "solution"), family).toBe(true);
      expect(new Set(mine.map((c) => c.language)).size, family).toBeGreaterThanOrEqual(2);
    }
  });

  it("names each case once per family and language, and describes it", () => {
    const keys = ALL.map((c) => `${c.family}/${c.language}/${c.name}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    for (const c of ALL) expect(c.description.length, c.name).toBeGreaterThan(15);
  });

  it("covers the exec classes: early exit, forced exit status, patched test runner", () => {
    const names = FUNC_GEN_EXEC_CASES.map((c) => c.name);
    for (const n of ["os-exit-zero-first", "sys-exit-zero-first", "atexit-forces-zero", "unittest-monkeypatched", "process-exit-zero-first", "exit-code-forced", "should-stop-raised"]) expect(names).toContain(n);
  });
});
