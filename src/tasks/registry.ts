// The task families hgym knows, by name, each with the CLI options it adds to `hgym generate <task>`. Adding a
// family = one folder implementing TaskFamily, its summary and options in catalog.ts, and its family object in
// the list below (so the generate command never needs to know about a family's flags).

import { UserError } from "../core/errors.js";
import type { TaskFamily } from "./types.js";
import { funcLocalize } from "./func-localize/index.js";
import { depSearch } from "./dep-search/index.js";
import { funcGen } from "./func-gen/index.js";
import { issueLocalize } from "./issue-localize/index.js";
import type { PreparedInputs } from "./common/inputs.js";
import type { TaskCli } from "./task-cli.js";
import { catalogEntry } from "./catalog.js";

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

// The built-in families, with their command-line side from the catalog (catalog.ts).
for (const family of [funcLocalize, depSearch, issueLocalize, funcGen] as TaskFamily<unknown, unknown>[]) {
  const { cli, summary } = catalogEntry(family.name);
  registerTaskFamily({ family, cli, summary });
}

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
