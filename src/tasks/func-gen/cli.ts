// The options `hgym generate func-gen` adds.

import { InvalidArgumentError } from "commander";
import type { TaskCli } from "../task-cli.js";
import { integerOption } from "../common/cli-values.js";
import { testCommandProblem } from "./test-command.js";
import { DEFAULT_FUNC_GEN_OPTIONS, type FuncGenOptions } from "./types.js";

function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1) throw new InvalidArgumentError(`--similarity-threshold must be a number in (0, 1], got "${value}"`);
  return n;
}

export const funcGenCli: TaskCli<FuncGenOptions> = {
  options: [
    {
      flags: "--verify-mode <mode>",
      description: "how answers are checked: static, exec (needs --test-cmd), judge (needs a model endpoint), or auto (exec with --test-cmd, else static)",
      defaultValue: "auto",
      choices: ["auto", "static", "exec", "judge"],
    },
    { flags: "--test-cmd <command>", description: "exec mode: test command run in the sandbox from the workspace root: python3 -m unittest/pytest … or node --test …; success = the tests that pass on the original pass, none fails, exit 0" },
    { flags: "--exit-status-verdict", description: "exec mode: accept a test command whose runner hgym cannot read, judging by its exit status alone (weaker; recorded in every reward)" },
    { flags: "--test-timeout <ms>", description: "exec mode: time limit for the test command", defaultValue: DEFAULT_FUNC_GEN_OPTIONS.timeoutMs, parse: integerOption("--test-timeout", 1000) },
    { flags: "--similarity-threshold <x>", description: "static mode: similarity to the original body needed for success", defaultValue: DEFAULT_FUNC_GEN_OPTIONS.similarityThreshold, parse: fraction },
    { flags: "--min-body-lines <n>", description: "shortest body (code lines) to mask", defaultValue: DEFAULT_FUNC_GEN_OPTIONS.minBodyLines, parse: integerOption("--min-body-lines", 1) },
    { flags: "--max-body-lines <n>", description: "longest body (code lines) to mask", defaultValue: DEFAULT_FUNC_GEN_OPTIONS.maxBodyLines, parse: integerOption("--max-body-lines", 1) },
    { flags: "--judge-model <name>", description: "judge mode: model (default: $HGYM_MODEL)" },
    { flags: "--judge-base-url <url>", description: "judge mode: OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)" },
  ],
  toOptions(values) {
    const mode = typeof values.verifyMode === "string" ? values.verifyMode : "auto";
    const testCmd = typeof values.testCmd === "string" && values.testCmd.trim() !== "" ? values.testCmd : undefined;
    if (mode === "exec" && !testCmd) throw new InvalidArgumentError("--verify-mode exec needs --test-cmd <command> (or import RepoST records with `hgym import repost`)");
    const exitStatusVerdict = values.exitStatusVerdict === true;
    const problem = testCmd && mode !== "static" && mode !== "judge" ? testCommandProblem(testCmd, exitStatusVerdict) : null;
    if (problem) throw new InvalidArgumentError(problem);
    return {
      mode: mode as FuncGenOptions["mode"],
      ...(testCmd ? { testCmd } : {}),
      timeoutMs: typeof values.testTimeout === "number" ? values.testTimeout : DEFAULT_FUNC_GEN_OPTIONS.timeoutMs,
      similarityThreshold: typeof values.similarityThreshold === "number" ? values.similarityThreshold : DEFAULT_FUNC_GEN_OPTIONS.similarityThreshold,
      minBodyLines: typeof values.minBodyLines === "number" ? values.minBodyLines : DEFAULT_FUNC_GEN_OPTIONS.minBodyLines,
      maxBodyLines: typeof values.maxBodyLines === "number" ? values.maxBodyLines : DEFAULT_FUNC_GEN_OPTIONS.maxBodyLines,
      ...(typeof values.judgeModel === "string" ? { judgeModel: values.judgeModel } : {}),
      ...(typeof values.judgeBaseUrl === "string" ? { judgeBaseURL: values.judgeBaseUrl } : {}),
      ...(exitStatusVerdict ? { exitStatusVerdict } : {}),
    };
  },
};
