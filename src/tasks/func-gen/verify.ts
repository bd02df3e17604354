// func-gen reward: dispatch on the mode recorded in the instance (static | exec | judge); the mode used is
// recorded in the reward.

import type { Instance, Reward, WorkspaceResult } from "../types.js";
import { ensureLanguages } from "../common/code.js";
import { verifyExec } from "./exec.js";
import { verifyJudge } from "./judge.js";
import { verifyStatic } from "./static.js";
import type { FuncGenGold } from "./types.js";

export async function verifyFuncGen(instance: Instance<FuncGenGold>, result: WorkspaceResult): Promise<Reward> {
  await ensureLanguages();
  switch (instance.gold.verify.mode) {
    case "exec":
      return verifyExec(instance, result);
    case "judge":
      return verifyJudge(instance, result);
    default:
      return verifyStatic(instance, result);
  }
}
