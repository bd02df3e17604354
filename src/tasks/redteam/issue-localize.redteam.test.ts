// Red team for issue-localize on real code: fixes made at test time to python3's standard library, cac's
// TypeScript sources, ms and the bundled example, each with the changelog/docs/test edits a real fix carries,
// turned into instances by the real generator without the validity gate.

import { join } from "node:path";
import { makePatch } from "../../patch/make.js";
import { issueLocalize } from "../issue-localize/index.js";
import { DEFAULT_CRITERION, type IssueLocalizeGold, type PreparedIssue } from "../issue-localize/types.js";
import type { TaskFamily } from "../types.js";
import { ensureLanguages } from "../common/code.js";
import { commitRepo, exampleFiles, generateUngated, nodeModuleFiles, stdlibFiles } from "./corpus.js";
import { appendMethod, fixInDefinition, ISSUE_LOCALIZE_CASES } from "./issue-localize.cases.js";
import { redTeamSuite } from "./suite.js";

const family = issueLocalize as unknown as TaskFamily<IssueLocalizeGold, unknown>;

const CHANGELOG = "# Changelog\n\n## Unreleased\n\n- Nothing yet.\n";
const DOCS = "# Usage\n\nCall the functions of lib/ and src/ directly.\n";

function repoFiles(): Record<string, string> {
  return {
    ...stdlibFiles(["textwrap.py", "shlex.py", "fnmatch.py", "graphlib.py"], "lib/"),
    "lib/__init__.py": "",
    ...nodeModuleFiles("cac", ["deno/CAC.ts", "deno/Command.ts", "deno/Option.ts", "deno/utils.ts"], "src/"),
    ...nodeModuleFiles("ms", ["index.js"], "ms/"),
    ...nodeModuleFiles("glob-parent", ["index.js"], "gp/"),
    ...nodeModuleFiles("hyparquet", ["src/convert.js"], "pq/"),
    ...exampleFiles(["shelf/__init__.py", "shelf/models.py", "shelf/pricing.py", "shelf/report.py", "web/src/cart.ts", "web/src/money.ts"]),
    "tests/test_textwrap.py": "import unittest\n\n\nclass T(unittest.TestCase):\n    def test_dedent(self):\n        pass\n",
    "CHANGELOG.md": CHANGELOG,
    "docs/usage.md": DOCS,
  };
}

type Edit = { path: string; key?: string; how: "fix" | "append-method" | "changelog" | "docs" | "test" };

// A fix patch against `files`: each code edit through fixInDefinition/appendMethod, plus prose edits.
function fixPatch(files: Record<string, string>, edits: Edit[]): string {
  const changes = edits.map((e) => {
    const before = files[e.path];
    if (before === undefined) throw new Error(`no file ${e.path}`);
    let after: string | null;
    if (e.how === "fix") after = fixInDefinition(e.path, before, e.key as string);
    else if (e.how === "append-method") after = appendMethod(e.path, before, e.key as string);
    else if (e.how === "changelog") after = before.replace("- Nothing yet.", "- Fixed the reported problem.");
    else if (e.how === "docs") after = before + "\nThe reported case now works.\n";
    else after = before.replace("        pass\n", "        self.assertEqual(1, 1)\n");
    if (after === null || after === before) throw new Error(`the fix cannot be made in ${e.path}::${e.key}`);
    return { path: e.path, before, after };
  });
  return makePatch(changes);
}

const FIXES: Record<string, Edit[]> = {
  "py-one-function-with-changelog": [
    { path: "lib/textwrap.py", key: "dedent", how: "fix" },
    { path: "CHANGELOG.md", how: "changelog" },
    { path: "docs/usage.md", how: "docs" },
    { path: "tests/test_textwrap.py", how: "test" },
  ],
  "py-two-files": [
    { path: "lib/shlex.py", key: "split", how: "fix" },
    { path: "lib/fnmatch.py", key: "fnmatch", how: "fix" },
  ],
  "py-method-appended": [{ path: "lib/graphlib.py", key: "TopologicalSorter", how: "append-method" }, { path: "CHANGELOG.md", how: "changelog" }],
  "py-example-pricing": [{ path: "shelf/pricing.py", key: "bulk_price", how: "fix" }],
  "ts-method-with-changelog": [{ path: "src/deno/Command.ts", key: "Command.isMatched", how: "fix" }, { path: "CHANGELOG.md", how: "changelog" }],
  "js-ms-format": [{ path: "ms/index.js", key: "fmtLong", how: "fix" }, { path: "CHANGELOG.md", how: "changelog" }],
  "js-strict-module": [{ path: "gp/index.js", key: "isGlobby", how: "fix" }],
  "js-arrow-callbacks": [{ path: "pq/src/convert.js", key: "parseDecimal", how: "fix" }],
  "ts-two-files": [
    { path: "src/deno/CAC.ts", key: "CAC.parse", how: "fix" },
    { path: "web/src/cart.ts", key: "Cart.subtotal", how: "fix" },
  ],
};

redTeamSuite<IssueLocalizeGold>({
  family,
  cases: ISSUE_LOCALIZE_CASES,
  minInstances: { python: 4, typescript: 2, javascript: 2 },
  build: async (bench) => {
    await ensureLanguages();
    const files = repoFiles();
    const dir = join(bench.root, "fixes");
    const commit = commitRepo(dir, files);
    const input = `${dir}@${commit}`;
    const issues: PreparedIssue[] = Object.entries(FIXES).map(([id, edits]) => ({
      record: { instance_id: id, repo: "redteam/fixes", base_commit: commit, problem_statement: `Problem report ${id}: the output is wrong for some inputs.`, patch: fixPatch(files, edits) },
      origin: { kind: "swe-bench", instance_id: id },
      input,
    }));
    return generateUngated(family, bench.store, input, { issues, criterion: DEFAULT_CRITERION, maxFiles: 5 });
  },
});
