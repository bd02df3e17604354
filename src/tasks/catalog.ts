// The task families by name with what the command line needs of them (a one-line summary, the options each adds
// to `hgym generate <task>`), without loading the families themselves: `hgym --help` and `hgym generate
// <task> --help` read this, and the families (parsers, resolvers, the TypeScript compiler) load only when a
// command runs. registry.ts pairs each entry with its TaskFamily.

import { UserError } from "../core/errors.js";
import { depSearchCli } from "./dep-search/cli.js";
import { funcGenCli } from "./func-gen/cli.js";
import { funcLocalizeCli } from "./func-localize/cli.js";
import { issueLocalizeCli } from "./issue-localize/cli.js";
import type { TaskCli } from "./task-cli.js";

export interface TaskCatalogEntry {
  name: string;
  summary: string; // one line for help texts
  cli: TaskCli<unknown>;
}

const CATALOG: readonly TaskCatalogEntry[] = [
  { name: "func-localize", summary: "find a definition from a description of its behaviour and write its docstring", cli: funcLocalizeCli as TaskCli<unknown> },
  { name: "dep-search", summary: "find every repository definition a function calls directly and annotate each", cli: depSearchCli as TaskCli<unknown> },
  { name: "issue-localize", summary: "read an issue, then comment the files, definitions and lines that must change to resolve it", cli: issueLocalizeCli as TaskCli<unknown> },
  { name: "func-gen", summary: "implement a function whose body was removed (signature and docstring kept)", cli: funcGenCli as TaskCli<unknown> },
];

export function catalogTaskNames(): string[] {
  return CATALOG.map((e) => e.name).sort();
}

export function catalogEntry(name: string): TaskCatalogEntry {
  const entry = CATALOG.find((e) => e.name === name);
  if (!entry) throw new UserError(`unknown task "${name}"; known tasks: ${catalogTaskNames().join(", ")}`);
  return entry;
}
