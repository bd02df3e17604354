// The options `hgym generate dep-search` adds.

import type { TaskCli } from "../task-cli.js";
import { integerOption } from "../common/cli-values.js";
import { DEFAULT_DEP_SEARCH_OPTIONS, type DepSearchOptions } from "./types.js";

export const depSearchCli: TaskCli<DepSearchOptions> = {
  options: [
    {
      flags: "--max-deps <n>",
      description: "use only targets with at most N repository dependencies",
      defaultValue: DEFAULT_DEP_SEARCH_OPTIONS.maxDeps,
      parse: integerOption("--max-deps", 1),
    },
    {
      flags: "--explain-drops",
      description: "log each target dropped for an ambiguous call, with the call and the reason",
      defaultValue: false,
    },
  ],
  toOptions(values) {
    return {
      maxDeps: typeof values.maxDeps === "number" ? values.maxDeps : DEFAULT_DEP_SEARCH_OPTIONS.maxDeps,
      explainDrops: values.explainDrops === true,
    };
  },
};
