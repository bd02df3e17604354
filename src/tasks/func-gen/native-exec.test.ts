// func-gen exec mode with the compiled languages' own runners, in the real bwrap sandbox with Debian's toolchains
// (/usr is mounted; rustup's ~/.cargo is not): `cargo test` on examples/rust-example and `go test` on a small Go
// module of the test's own. The gold passes; a body that ends the process with status 0 before the tests finish
// (std::process::exit(0), os.Exit(0)) fails on the tests' own verdict.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateInstances, type GenerationResult } from "../common/pipeline.js";
import { instanceStart, makeTempRepo, scorePatch, type TempRepo } from "../common/test-support.js";
import { patchFromTexts } from "../common/workspace.js";
import type { Instance } from "../types.js";
import { createVerifyContext } from "../verify-context.js";
import { bodyRegion, placeholderFor } from "./body.js";
import { findByKey, indexText } from "../common/code.js";
import { funcGen } from "./index.js";
import { nativeTestCommand, parseGoTestJson, parseLibtestOutput } from "./native-runners.js";
import { parseTestCommand } from "./test-command.js";
import { DEFAULT_FUNC_GEN_OPTIONS, type FuncGenGold, type FuncGenOptions } from "./types.js";

const EXAMPLE = join(import.meta.dirname, "../../../examples/rust-example");
const RUST_FILES = ["Cargo.toml", "src/lib.rs", "src/warehouse.rs", "src/report.rs", "tests/report.rs"];

const GO_FILES: Record<string, string> = {
  "go.mod": "module example.com/calc\n\ngo 1.19\n",
  "calc.go": `// Package calc adds numbers.
package calc

import "os"

// Verbose reports whether CALC_VERBOSE is set in the environment.
func Verbose() bool { return os.Getenv("CALC_VERBOSE") != "" }

// Sum adds the numbers of a slice and returns the total; an empty slice sums to zero and
// negative numbers count as they are.
func Sum(xs []int) int {
	total := 0
	for _, x := range xs {
		total += x
	}
	return total
}
`,
  "calc_test.go": `package calc

import "testing"

func TestSum(t *testing.T) {
	if got := Sum([]int{1, 2, 3}); got != 6 {
		t.Fatalf("Sum = %d", got)
	}
}

func TestSumEmpty(t *testing.T) {
	if got := Sum(nil); got != 0 {
		t.Fatalf("Sum(nil) = %d", got)
	}
}

func TestSumNegative(t *testing.T) {
	if got := Sum([]int{-4, 1}); got != -3 {
		t.Fatalf("Sum = %d", got)
	}
}
`,
};

async function generate(repo: TempRepo, opts: Partial<FuncGenOptions>): Promise<GenerationResult<FuncGenGold>> {
  return generateInstances({
    family: funcGen,
    repos: [repo.dir],
    store: repo.store,
    seed: 1,
    includeTests: false,
    language: null,
    perRepo: 1,
    taskOptions: { ...DEFAULT_FUNC_GEN_OPTIONS, timeoutMs: 300_000, ...opts },
    log: () => {},
  });
}

// The instance with its body replaced by `body`, scored in the sandbox.
async function scoreBody(repo: TempRepo, inst: Instance<FuncGenGold>, body: string) {
  const start = instanceStart(repo.store, inst);
  const text = start.read(inst.gold.file) as string;
  const def = findByKey(indexText(inst.gold.file, text) ?? (() => { throw new Error("unindexable"); })(), inst.gold.key);
  if (!def) throw new Error(`${inst.gold.key} missing`);
  const region = bodyRegion(def, text, inst.language);
  if ("reason" in region) throw new Error(region.reason);
  const after = text.slice(0, region.start) + `\n    ${body}\n` + text.slice(region.end);
  expect(text.slice(region.start, region.end)).toContain(placeholderFor(inst.language));
  return scorePatch(funcGen, inst, start, patchFromTexts([{ path: inst.gold.file, before: text, after }]), createVerifyContext({ store: repo.store }));
}

describe("go test / cargo test commands", () => {
  it("are read as runners; our output flags replace the user's", () => {
    expect(parseTestCommand("go test -v -json ./...")).toMatchObject({ runner: "go-test", args: ["./..."] });
    expect(parseTestCommand("CGO_ENABLED=0 go test -run TestSum .")).toMatchObject({ runner: "go-test", env: ["CGO_ENABLED=0"], args: ["-run", "TestSum", "."] });
    expect(parseTestCommand("cargo test --offline -q -- --nocapture")).toMatchObject({ runner: "cargo-test", args: ["--"] });
    expect(parseTestCommand("cargo test -- --format json")).toBeNull();
    expect(parseTestCommand("cargo build")).toBeNull();
    const go = nativeTestCommand({ runner: "go-test", env: [], args: ["./..."] }, "/tmp/d");
    expect(go).toMatch(/GOPROXY=off/);
    expect(go).toMatch(/GOCACHE=\/tmp\/d\/gocache/);
    expect(go.endsWith("go test -json ./...")).toBe(true);
    expect(nativeTestCommand({ runner: "cargo-test", env: [], args: [] }, "/tmp/d")).toMatch(/CARGO_HOME=\/tmp\/d\/cargo-home CARGO_TARGET_DIR=\/tmp\/d\/target .*cargo test --offline$/);
  });

  it("a libtest binary that stops before its summary, or a go package without its end event, is incomplete", () => {
    const libtest = "     Running unittests src/lib.rs (target/debug/deps/x-1)\n\nrunning 2 tests\ntest a ... ok\n";
    expect(parseLibtestOutput(libtest)).toEqual({ runner: "cargo-test", outcome: "incomplete", passed: ["unittests src/lib.rs::a"], failed: [] });
    expect(parseLibtestOutput(`${libtest}test b ... ok\n\ntest result: ok. 2 passed; 0 failed\n`).outcome).toBe("completed");
    const go = '{"Action":"run","Package":"p","Test":"TestA"}\n{"Action":"pass","Package":"p","Test":"TestA"}\n';
    expect(parseGoTestJson(go)).toEqual({ runner: "go-test", outcome: "incomplete", passed: ["p::TestA"], failed: [] });
    expect(parseGoTestJson(`${go}{"Action":"fail","Package":"p"}\n`)).toMatchObject({ outcome: "completed", failed: ["p::<package>"] });
  });
});

describe("func-gen exec with cargo test and go test (bwrap, Debian toolchains)", () => {
  let rust: TempRepo;
  let go: TempRepo;
  let rustInst: Instance<FuncGenGold>;
  let goInst: Instance<FuncGenGold>;
  beforeAll(async () => {
    rust = makeTempRepo(Object.fromEntries(RUST_FILES.map((f) => [f, readFileSync(join(EXAMPLE, f), "utf8")])), "inventory");
    go = makeTempRepo(GO_FILES, "calc");
    const [r, g] = await Promise.all([generate(rust, { testCmd: "cargo test" }), generate(go, { testCmd: "go test ./..." })]);
    if (!r.instances[0]) throw new Error(`no Rust instance: ${JSON.stringify(r.report.totals.dropped)}`);
    if (!g.instances[0]) throw new Error(`no Go instance: ${JSON.stringify(g.report.totals.dropped)}`);
    rustInst = r.instances[0];
    goInst = g.instances[0];
  }, 1_200_000);
  afterAll(() => {
    rust?.cleanup();
    go?.cleanup();
  });

  it("records the gold's per-test verdict at calibration", () => {
    expect(rustInst.gold.verify.expected).toMatchObject({ runner: "cargo-test", outcome: "completed" });
    expect(rustInst.gold.verify.expected?.passed).toContain("tests/report.rs::report_lists_items_and_total");
    expect(rustInst.gold.verify.expected?.passed.length).toBe(8);
    expect(goInst.gold.key).toBe("Sum");
    expect(goInst.gold.verify.expected).toEqual({ runner: "go-test", outcome: "completed", passed: ["example.com/calc::TestSum", "example.com/calc::TestSumEmpty", "example.com/calc::TestSumNegative"] });
  });

  it("cargo test: the gold passes; std::process::exit(0) in the body fails", async () => {
    const start = instanceStart(rust.store, rustInst);
    const gold = await scorePatch(funcGen, rustInst, start, funcGen.goldPatch(rustInst), createVerifyContext({ store: rust.store }));
    expect(gold.violations).toEqual([]);
    expect(gold.success).toBe(true);
    const exit = await scoreBody(rust, rustInst, "std::process::exit(0)");
    expect(exit.success).toBe(false);
    expect(exit.violations.map((v) => v.code)).toEqual(expect.arrayContaining([expect.stringMatching(/tests-incomplete|tests-not-passed|test-failed/)]));
  }, 900_000);

  it("go test: the gold passes; os.Exit(0) in the body fails", async () => {
    const start = instanceStart(go.store, goInst);
    const gold = await scorePatch(funcGen, goInst, start, funcGen.goldPatch(goInst), createVerifyContext({ store: go.store }));
    expect(gold.violations).toEqual([]);
    expect(gold.success).toBe(true);
    const exit = await scoreBody(go, goInst, "os.Exit(0)\n    return 0");
    expect(exit.success).toBe(false);
    expect(exit.violations.map((v) => v.code)).toEqual(expect.arrayContaining([expect.stringMatching(/test-failed|tests-not-passed|tests-incomplete/)]));
  }, 900_000);
});
