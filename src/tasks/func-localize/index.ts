// The func-localize task family (docs/DESIGN.md §3): find a definition from a description of its behaviour and write
// its docstring.

import type { TaskFamily } from "../types.js";
import { generateFuncLocalize } from "./generate.js";
import { funcLocalizeHacks } from "./hacks.js";
import { DEFAULT_FUNC_LOCALIZE_OPTIONS, type FuncLocalizeGold, type FuncLocalizeOptions } from "./types.js";
import { verifyFuncLocalize } from "./verify.js";

export const funcLocalize: TaskFamily<FuncLocalizeGold, FuncLocalizeOptions> = {
  name: "func-localize",
  generate: (ctx, opts) => generateFuncLocalize(ctx, { ...DEFAULT_FUNC_LOCALIZE_OPTIONS, ...opts }),
  verify: verifyFuncLocalize,
  goldPatch: (instance) => instance.gold.patch,
  hacks: funcLocalizeHacks,
};

export type { FuncLocalizeGold, FuncLocalizeOptions } from "./types.js";
