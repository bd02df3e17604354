// The func-gen task family (docs/DESIGN.md §3): a function's body was removed (signature and docstring kept);
// implement it. Verified by running tests (exec), by structure + similarity (static), or by an LLM judge.

import type { TaskFamily } from "../types.js";
import { calibrateExec } from "./exec.js";
import { generateFuncGen } from "./generate.js";
import { funcGenHacks } from "./hacks.js";
import { DEFAULT_FUNC_GEN_OPTIONS, type FuncGenGold, type FuncGenOptions } from "./types.js";
import { verifyFuncGen } from "./verify.js";

export const funcGen: TaskFamily<FuncGenGold, FuncGenOptions> = {
  name: "func-gen",
  generate: (ctx, opts) => generateFuncGen(ctx, { ...DEFAULT_FUNC_GEN_OPTIONS, ...opts }),
  verify: verifyFuncGen,
  goldPatch: (instance) => instance.gold.patch,
  hacks: funcGenHacks,
  prepare: calibrateExec,
};

export type { FuncGenGold, FuncGenOptions, FuncGenVerifyConfig, FuncGenMode } from "./types.js";
export { funcGenCli } from "./cli.js";
