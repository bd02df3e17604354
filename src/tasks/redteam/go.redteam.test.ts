// Red team for Go: func-localize, issue-localize and func-gen (static) on Go's standard library sources
// (/usr/lib/go-<version>/src, installed with golang-go) and examples/go-example, each pool built by the real
// generators without the validity gate. Cases: src/tasks/redteam/go.cases.ts.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makePatch } from "../../patch/make.js";
import { funcGen } from "../func-gen/index.js";
import { DEFAULT_FUNC_GEN_OPTIONS, type FuncGenGold } from "../func-gen/types.js";
import { funcLocalize } from "../func-localize/index.js";
import type { FuncLocalizeGold } from "../func-localize/types.js";
import { issueLocalize } from "../issue-localize/index.js";
import { DEFAULT_CRITERION, type IssueLocalizeGold, type PreparedIssue } from "../issue-localize/types.js";
import type { TaskFamily } from "../types.js";
import { ensureLanguages } from "../common/code.js";
import { PROJECT_ROOT, commitRepo, generateUngated } from "./corpus.js";
import { GO_FUNC_GEN_CASES, GO_FUNC_LOCALIZE_CASES, GO_ISSUE_LOCALIZE_CASES } from "./go.cases.js";
import { defAt, insertBefore, line } from "./edits.js";
import { redTeamSuite } from "./suite.js";

const GOROOT = execFileSync("go", ["env", "GOROOT"], { encoding: "utf8" }).trim();

function goStd(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [`std/${n}`, readFileSync(join(GOROOT, "src", n), "utf8")]));
}

function example(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [`ledger/${n}`, readFileSync(join(PROJECT_ROOT, "examples", "go-example", n), "utf8")]));
}

const EXAMPLE = ["money.go", "account.go", "store.go", "report.go", "ledger_test.go", "go.mod"];
const STD = ["strings/builder.go", "strings/reader.go", "sort/sort.go", "bufio/scan.go", "container/ring/ring.go", "path/match.go"];

function goRepoFiles(): Record<string, string> {
  return { ...goStd(STD), ...example(EXAMPLE) };
}

redTeamSuite<FuncLocalizeGold>({
  family: funcLocalize as unknown as TaskFamily<FuncLocalizeGold, unknown>,
  cases: GO_FUNC_LOCALIZE_CASES,
  minInstances: { go: 20 },
  build: async (bench) => {
    const dir = join(bench.root, "go-fl");
    commitRepo(dir, goRepoFiles());
    return generateUngated(funcLocalize as unknown as TaskFamily<FuncLocalizeGold, unknown>, bench.store, dir, { distractors: 3, description: "docstring" });
  },
});

redTeamSuite<FuncGenGold>({
  family: funcGen as unknown as TaskFamily<FuncGenGold, unknown>,
  cases: GO_FUNC_GEN_CASES,
  minInstances: { go: 15 },
  build: async (bench) => {
    const dir = join(bench.root, "go-fg");
    commitRepo(dir, goRepoFiles());
    return generateUngated(funcGen as unknown as TaskFamily<FuncGenGold, unknown>, bench.store, dir, DEFAULT_FUNC_GEN_OPTIONS);
  },
});

// A fix inside the definition `key`: a statement inserted before the first `return ...` or `x := ...` that opens a
// block of its body (right after a line ending in `{`, so the new statement always parses).
function goFix(path: string, text: string, key: string): string | null {
  const def = defAt(path, text, key);
  if (!def?.bodySpan) return null;
  for (let n = def.bodySpan.start.line + 1; n < def.bodySpan.end.line; n++) {
    const l = line(text, n);
    if (!/^\t+(return |[A-Za-z_]\w* := )/.test(l) || !line(text, n - 1).trimEnd().endsWith("{")) continue;
    const ind = /^\t+/.exec(l)?.[0] ?? "\t";
    return insertBefore(text, n, [`${ind}_ = "fixed"`]);
  }
  return null;
}

const CHANGELOG = "# Changelog\n\n## Unreleased\n\n- Nothing yet.\n";

// Fixes made at test time: a statement inserted in a function (goFix),
// plus the changelog and test-file edits real fixes carry (neither can earn credit).
const FIXES: Record<string, { path: string; key?: string; how: "fix" | "changelog" | "test" }[]> = {
  "go-builder-grow": [
    { path: "std/strings/builder.go", key: "Builder.grow", how: "fix" },
    { path: "CHANGELOG.md", how: "changelog" },
    { path: "ledger/ledger_test.go", how: "test" },
  ],
  "go-ring-two-files": [
    { path: "std/container/ring/ring.go", key: "Ring.Len", how: "fix" },
    { path: "std/sort/sort.go", key: "IsSorted", how: "fix" },
  ],
  "go-example-withdraw": [{ path: "ledger/account.go", key: "Account.Withdraw", how: "fix" }, { path: "CHANGELOG.md", how: "changelog" }],
  "go-example-store": [{ path: "ledger/store.go", key: "NewMemoryStore", how: "fix" }],
};

redTeamSuite<IssueLocalizeGold>({
  family: issueLocalize as unknown as TaskFamily<IssueLocalizeGold, unknown>,
  cases: GO_ISSUE_LOCALIZE_CASES,
  minInstances: { go: 4 },
  build: async (bench) => {
    await ensureLanguages();
    const files: Record<string, string> = { ...goRepoFiles(), "CHANGELOG.md": CHANGELOG };
    const dir = join(bench.root, "go-il");
    const commit = commitRepo(dir, files);
    const input = `${dir}@${commit}`;
    const issues: PreparedIssue[] = Object.entries(FIXES).map(([id, edits]) => {
      const changes = edits.map((e) => {
        const before = files[e.path];
        if (before === undefined) throw new Error(`no file ${e.path}`);
        let after: string | null;
        if (e.how === "fix") after = goFix(e.path, before, e.key as string);
        else if (e.how === "changelog") after = before.replace("- Nothing yet.", "- Fixed the reported problem.");
        else after = before.replace("func TestCentsString(t *testing.T) {", "func TestCentsString(t *testing.T) {\n\tt.Parallel()");
        if (after === null || after === before) throw new Error(`the fix cannot be made in ${e.path}::${e.key ?? e.how}`);
        return { path: e.path, before, after };
      });
      return {
        record: { instance_id: id, repo: "redteam/go-fixes", base_commit: commit, problem_statement: `Problem report ${id}: the result is wrong for some inputs.`, patch: makePatch(changes) },
        origin: { kind: "swe-bench", instance_id: id },
        input,
      };
    });
    return generateUngated(issueLocalize as unknown as TaskFamily<IssueLocalizeGold, unknown>, bench.store, input, { issues, criterion: DEFAULT_CRITERION, maxFiles: 5 });
  },
});
