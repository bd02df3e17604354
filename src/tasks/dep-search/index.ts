// The dep-search task family (docs/DESIGN.md §3): find every repository definition a function calls directly and
// annotate each.

import type { TaskFamily } from "../types.js";
import { generateDepSearch } from "./generate.js";
import { depSearchHacks } from "./hacks.js";
import { DEFAULT_DEP_SEARCH_OPTIONS, type DepSearchGold, type DepSearchOptions } from "./types.js";
import { verifyDepSearch } from "./verify.js";

export const depSearch: TaskFamily<DepSearchGold, DepSearchOptions> = {
  name: "dep-search",
  generate: (ctx, opts) => generateDepSearch(ctx, { ...DEFAULT_DEP_SEARCH_OPTIONS, ...opts }),
  verify: verifyDepSearch,
  goldPatch: (instance) => instance.gold.patch,
  hacks: depSearchHacks,
};

export type { DepSearchGold, DepSearchOptions } from "./types.js";
