// The task families hgym knows, by name, with the CLI options each one adds to `hgym generate <task>`. Adding a
// family = one folder implementing TaskFamily plus one entry here (its options come with it, so the generate
// command never needs to know about a family's flags).

import { UserError } from "../core/errors.js";
import type { TaskFamily } from "./types.js";
import { funcLocalize } from "./func-localize/index.js";
import { funcLocalizeCli } from "./func-localize/cli.js";
import { depSearch } from "./dep-search/index.js";
import { depSearchCli } from "./dep-search/cli.js";
import { funcGen } from "./func-gen/index.js";
import { funcGenCli } from "./func-gen/cli.js";
import { issueLocalize } from "./issue-localize/index.js";
import { issueLocalizeCli } from "./issue-localize/cli.js";
import type { PreparedInputs } from "./common/inputs.js";
import type { TaskCli } from "./task-cli.js";

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

registerTaskFamily({
  family: issueLocalize,
  cli: issueLocalizeCli,
  summary: "read an issue, then comment the files, definitions and lines that must change to resolve it",
});
registerTaskFamily({
  family: funcGen,
  cli: funcGenCli,
  summary: "implement a function whose body was removed (signature and docstring kept)",
});

// The repositories and options one `generate` call works on, from the command-line values (commander's camelCase
// names; `repo` holds the --repo flags).
export async function prepareTaskInputs(entry: TaskEntry, values: Record<string, unknown>): Promise<PreparedInputs<unknown>> {
  if (entry.cli.prepareInputs) return entry.cli.prepareInputs(values);
  const repos = Array.isArray(values.repo) ? values.repo.filter((r): r is string => typeof r === "string") : [];
  if (repos.length === 0) throw new UserError(`hgym generate ${entry.family.name} needs at least one --repo <path or url[@rev]>`);
  return { repos, options: entry.cli.toOptions(values), skipped: [], dropped: {} };
}

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
