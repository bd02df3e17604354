// The task families hgym knows, by name, with the CLI options each one adds to `hgym generate <task>`. Adding a
// family = one folder implementing TaskFamily plus one entry here (its options come with it, so the generate
// command never needs to know about a family's flags).

import { UserError } from "../repo/types.js";
import type { TaskFamily } from "./types.js";
import { funcLocalize } from "./func-localize/index.js";
import { funcLocalizeCli } from "./func-localize/cli.js";
import { depSearch } from "./dep-search/index.js";
import { depSearchCli } from "./dep-search/cli.js";

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
}

export interface TaskEntry<G = unknown, O = unknown> {
  family: TaskFamily<G, O>;
  cli: TaskCli<O>;
  summary: string; // one line for help texts
}

const entries = new Map<string, TaskEntry>();

// Registers a family; a second registration of the same name is a programming error.
export function registerTaskFamily<G, O>(entry: TaskEntry<G, O>): void {
  if (entries.has(entry.family.name)) throw new Error(`task family ${entry.family.name} is registered twice`);
  entries.set(entry.family.name, entry as unknown as TaskEntry);
}

registerTaskFamily({
  family: funcLocalize,
  cli: funcLocalizeCli,
  summary: "find a definition from a description of its behaviour and write its docstring",
});
registerTaskFamily({
  family: depSearch,
  cli: depSearchCli,
  summary: "find every repository definition a function calls directly and annotate each",
});

export function taskNames(): string[] {
  return [...entries.keys()].sort();
}

export function getTaskEntry(name: string): TaskEntry {
  const entry = entries.get(name);
  if (!entry) throw new UserError(`unknown task "${name}"; known tasks: ${taskNames().join(", ")}`);
  return entry;
}

export function getTaskFamily(name: string): TaskFamily<unknown, unknown> {
  return getTaskEntry(name).family;
}
