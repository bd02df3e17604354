// How a task family declares its `hgym generate <task>` options. Each family's cli.ts implements TaskCli and
// registry.ts collects them; the contract lives apart from the registry so the families need not import it.

import type { PreparedInputs } from "./common/inputs.js";

// One command-line option a family adds (commander flag syntax, e.g. "--max-deps <n>").
export interface TaskCliOption {
  flags: string;
  description: string;
  defaultValue?: string | number | boolean;
  choices?: readonly string[];
  parse?: (value: string) => unknown;
}

// How a family's options are declared and turned into the options object its generate() takes. `values` holds
// the parsed command-line values by commander's camelCase names (e.g. maxDeps).
export interface TaskCli<O> {
  options: readonly TaskCliOption[];
  toOptions(values: Record<string, unknown>): O;
  // For families whose inputs are not just --repo flags (issue files, mined history): turns the command-line
  // values into repositories to ingest and the options carrying the rest. Without it, --repo is required.
  prepareInputs?(values: Record<string, unknown>): Promise<PreparedInputs<O>>;
}
