// func-gen data: how an instance is verified (recorded in it, so verification needs nothing else), the gold
// answer, and the generator's options.

import type { LanguageId } from "../../lang/types.js";

export type FuncGenMode = "static" | "exec" | "judge";

// The test runners whose own verdict exec verification reads (test-command.ts tells them from a command line).
export type TestRunner = "unittest" | "pytest" | "node-test" | "go-test" | "cargo-test";
export type VerdictRunner = TestRunner | "eval-script";

// What one run of the tests reported: which tests passed and failed, and how the run ended.
export interface TestVerdict {
  runner: VerdictRunner;
  outcome: string; // "completed" | "exit:<code>" | "error:<Type>" | "import-error"
  passed: string[];
  failed: string[];
}

// The verdict the gold recorded at calibration, stored in the instance (verdict.ts compares a candidate's to it).
export interface ExpectedVerdict {
  runner: VerdictRunner;
  outcome: string;
  passed: string[];
}

export interface FuncGenVerifyConfig {
  mode: FuncGenMode;
  similarity_threshold: number; // static: success needs at least this similarity to the gold body
  timeout_ms: number; // exec: the test command / eval script must finish within this
  test_cmd?: string; // exec: shell command run from the workspace root (a runner hgym can read, see test-command.ts)
  // exec: where success is read from. "tests" (the default): the runner's own per-test report must match what the
  // gold recorded (`expected`) and the exit status be 0. "exit-status": the user opted in for a command hgym
  // cannot read; only the exit status counts, and every reward says so.
  verdict_source?: "tests" | "exit-status";
  expected?: ExpectedVerdict; // exec, verdict_source "tests": recorded from the gold's run before the gate
  eval_script?: string; // exec (Python): RepoST-style script that calls <name>_new_implementation
  judge?: { model?: string; base_url?: string }; // judge: endpoint overrides (the API key comes from the environment)
}

export interface FuncGenGold {
  file: string;
  key: string; // definition key in its file; found again by key at verify time
  qualifiedName: string;
  name: string;
  kind: string;
  body: string; // the original body: Python statements after the docstring; TS/JS the text inside the braces
  docstring: string; // the docstring's text, which must survive unchanged
  recursive: boolean; // the original calls itself (then a self-call is not a stub)
  patch: string; // the gold answer against the starting state: the original body put back
  verify: FuncGenVerifyConfig;
}

export interface FuncGenOptions {
  mode: FuncGenMode | "auto"; // auto: exec when a test command is given, else static
  testCmd?: string;
  timeoutMs: number;
  similarityThreshold: number;
  minBodyLines: number;
  maxBodyLines: number;
  judgeModel?: string;
  judgeBaseURL?: string;
  exitStatusVerdict?: boolean; // exec: accept a test command whose runner hgym cannot read (exit status only)
}

export const DEFAULT_FUNC_GEN_OPTIONS: FuncGenOptions = {
  mode: "auto",
  timeoutMs: 60_000,
  similarityThreshold: 0.5,
  minBodyLines: 3,
  maxBodyLines: 60,
};

export type { LanguageId };
