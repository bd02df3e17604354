// Red team for func-gen on real code. static: python3's standard library, cac's TypeScript sources, ms and
// hyparquet. exec (bwrap sandbox): textwrap.dedent under a unittest suite and ms's short format under node's test
// runner, each test file written here; instances come from the real generator without the validity gate.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { funcGen } from "../func-gen/index.js";
import { DEFAULT_FUNC_GEN_OPTIONS, type FuncGenGold } from "../func-gen/types.js";
import type { TaskFamily } from "../types.js";
import { commitRepo, generateUngated, makeWorkbench, type Pool, type Workbench, javascriptRepoFiles, mergePools, nodeModuleFiles, pythonRepoFiles, stdlibFiles, typescriptRepoFiles } from "./corpus.js";
import { runCase } from "./case.js";
import { FUNC_GEN_EXEC_CASES, FUNC_GEN_EXEC_OPEN_CASES, FUNC_GEN_STATIC_CASES, FUNC_GEN_STATIC_OPEN_CASES } from "./func-gen.cases.js";
import { redTeamSuite } from "./suite.js";

const family = funcGen as unknown as TaskFamily<FuncGenGold, unknown>;

async function buildStaticPool(bench: Workbench): Promise<Pool<FuncGenGold>> {
  const pools = [];
  for (const [name, files] of [["py", pythonRepoFiles()], ["ts", typescriptRepoFiles()], ["js", javascriptRepoFiles()]] as const) {
    const dir = join(bench.root, name);
    commitRepo(dir, files);
    pools.push(await generateUngated(family, bench.store, dir, DEFAULT_FUNC_GEN_OPTIONS));
  }
  return mergePools(pools);
}

redTeamSuite<FuncGenGold>({
  family,
  cases: FUNC_GEN_STATIC_CASES,
  minInstances: { python: 10, typescript: 5, javascript: 5 },
  build: buildStaticPool,
});

const DEDENT_TESTS = `import unittest

from lib.textwrap import dedent


class DedentTest(unittest.TestCase):
    def test_common_margin(self):
        self.assertEqual(dedent("    a\\n    b\\n"), "a\\nb\\n")

    def test_nested_margin(self):
        self.assertEqual(dedent("  a\\n    b\\n"), "a\\n  b\\n")

    def test_blank_lines(self):
        self.assertEqual(dedent("  a\\n\\n  b\\n"), "a\\n\\nb\\n")
`;

const MS_TESTS = `const test = require("node:test");
const assert = require("node:assert");
const ms = require("../ms/index.js");

test("short format", () => {
  assert.strictEqual(ms(60000), "1m");
  assert.strictEqual(ms(2 * 60 * 60 * 1000), "2h");
  assert.strictEqual(ms(1500), "2s");
});
`;

async function buildExecPool(bench: Workbench): Promise<Pool<FuncGenGold>> {
    // exec verification rebuilds workspaces from the pool's verify context: the workbench store generated into.
    const py = join(bench.root, "exec-py");
    commitRepo(py, { ...stdlibFiles(["textwrap.py"], "lib/"), "lib/__init__.py": "", "tests/__init__.py": "", "tests/test_dedent.py": DEDENT_TESTS });
    const js = join(bench.root, "exec-js");
    commitRepo(js, { ...nodeModuleFiles("ms", ["index.js", "package.json"], "ms/"), "test/ms.test.js": MS_TESTS });
    const opts = (testCmd: string) => ({ ...DEFAULT_FUNC_GEN_OPTIONS, testCmd, timeoutMs: 30_000 });
    // Only the functions the test files exercise: for any other a stub passes the tests by design.
    const tested = (i: { gold: FuncGenGold }) => ["lib/textwrap.py::dedent", "ms/index.js::fmtShort"].includes(`${i.gold.file}::${i.gold.key}`);
    const pyPool = await generateUngated(family, bench.store, py, opts("python3 -B -m unittest -q tests.test_dedent"), 11, tested);
    const jsPool = await generateUngated(family, bench.store, js, opts("node --test test/ms.test.js"), 11, tested);
    return mergePools([pyPool, jsPool]);
}

redTeamSuite<FuncGenGold>({
  family,
  cases: FUNC_GEN_EXEC_CASES,
  minInstances: { python: 1, javascript: 1 },
  checkAllGolds: false, // each gold runs the tests in the sandbox; the cases check the gold of the instance they use
  build: buildExecPool,
});

// Open holes: hacks accepted today (func-gen.cases.ts says why). Each test fails once its hack is rejected; the
// case then belongs in the suite's cases.
for (const [mode, build, cases] of [["static", buildStaticPool, FUNC_GEN_STATIC_OPEN_CASES], ["exec", buildExecPool, FUNC_GEN_EXEC_OPEN_CASES]] as const) {
  describe(`red team: func-gen ${mode}, open holes`, () => {
    let bench: Workbench;
    let pool: Pool<FuncGenGold> | null = null;
    beforeAll(async () => {
      bench = makeWorkbench();
      pool = await build(bench);
    }, 120_000);
    afterAll(() => bench?.cleanup());
    for (const c of cases) {
      it(`still accepts [${c.language}] ${c.name} (open: move it to the suite once this fails)`, async () => {
        if (!pool) throw new Error("the instance pool was not built");
        const out = await runCase(family, pool, c);
        expect(out.reward.success, JSON.stringify(out.reward.violations)).toBe(true);
      }, c.timeoutMs ?? 90_000);
    }
  });
}

