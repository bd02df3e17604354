// func-gen data: how an instance is verified (recorded in it, so verification needs nothing else), the gold
// answer, and the generator's options.

import type { LanguageId } from "../../lang/types.js";

export type FuncGenMode = "static" | "exec" | "judge";

export interface FuncGenVerifyConfig {
  mode: FuncGenMode;
  similarity_threshold: number; // static: success needs at least this similarity to the gold body
  timeout_ms: number; // exec: the test command / eval script must finish within this
  test_cmd?: string; // exec: shell command run from the workspace root; exit 0 = pass
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
}

export const DEFAULT_FUNC_GEN_OPTIONS: FuncGenOptions = {
  mode: "auto",
  timeoutMs: 60_000,
  similarityThreshold: 0.5,
  minBodyLines: 3,
  maxBodyLines: 60,
};

export type { LanguageId };
