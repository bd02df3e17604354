// func-gen reward: dispatch on the mode recorded in the instance (static | exec | judge); the mode used is
// recorded in the reward.

import type { Instance } from "../types.js";
import type { Reward } from "../../core/reward.js";
import type { WorkspaceResult } from "../../core/repo-view.js";
import { ensureLanguages } from "../common/code.js";
import { verifyExec } from "./exec.js";
import { verifyJudge } from "./judge.js";
import { verifyStatic } from "./static.js";
import type { FuncGenGold } from "./types.js";
import type { VerifyContext } from "../verify-context.js";

export async function verifyFuncGen(instance: Instance<FuncGenGold>, result: WorkspaceResult, ctx: VerifyContext): Promise<Reward> {
  await ensureLanguages();
  switch (instance.gold.verify.mode) {
    case "exec":
      return verifyExec(instance, result, ctx);
    case "judge":
      return verifyJudge(instance, result, ctx);
    default:
      return verifyStatic(instance, result);
  }
}
