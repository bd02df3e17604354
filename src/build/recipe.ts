// A dataset recipe (`hgym build <recipe.json>`): which repositories, which families with what targets and
// options, which seed. Read once, checked field by field (a bad recipe is one message naming the field), and
// turned into a BuildPlan: one BuildJob per repository, in the recipe's order, which is also the merge's order.
//
// Repositories come as any mix of
//   "path", "path@rev", "url@commit"            one repository (relative paths: from the recipe's folder)
//   { "list": "repos.txt" }                     a file of such lines (# comments; paths relative to the file)
//   { "records": "x.jsonl", "repos_dir": "...", "clone": false, "clone_base": "https://github.com/" }
//                                               SWE-bench / SWE-Gym-Raw records (repo, base_commit, …): one
//                                               repository state per (repo, base_commit); records with a problem
//                                               statement and a fix become that state's issue-localize issues.
// JSON, because the project has no YAML/TOML parser and a recipe needs nothing JSON lacks.

import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { UserError } from "../core/errors.js";
import { describeIssues } from "../core/schemas/check.js";
import { LANGUAGE_IDS, TASK_NAMES } from "../core/schemas/instance.js";
import { sweBenchRecordSchema } from "../core/schemas/swebench.js";
import type { TaskName } from "../core/reward.js";
import type { LanguageId } from "../lang/types.js";
import { runGit } from "../repo/git.js";
import { parseInput } from "../repo/ingest.js";
import { readJsonlRecords } from "../util/jsonl.js";
import type { SkippedInput } from "../tasks/common/inputs.js";
import { localRepoDir } from "../tasks/issue-localize/records.js";
import { getTaskEntry } from "../tasks/registry.js";
import type { BuildIssue, BuildJob, FamilyPlan } from "./types.js";

const familySchema = z.strictObject({
  target: z.number().int().positive().nullable().optional(), // instances in the dataset (default: no cap)
  per_repo: z.number().int().positive().nullable().optional(), // instances per repository (default: no cap)
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(), // the family's `hgym generate` flags
  // Only these of the recipe's repositories (same spelling as in "repositories"); default: all of them.
  repositories: z.array(z.string().min(1)).min(1).optional(),
});

const repositorySchema = z.union([
  z.string().min(1),
  z.strictObject({ list: z.string().min(1) }),
  z.strictObject({ records: z.string().min(1), repos_dir: z.string().optional(), clone: z.boolean().optional(), clone_base: z.string().optional() }),
]);

export const recipeSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  seed: z.number().int().nonnegative().optional(),
  include_tests: z.boolean().optional(),
  language: z.enum(LANGUAGE_IDS).nullable().optional(),
  repositories: z.array(repositorySchema).min(1),
  families: z.partialRecord(z.enum(TASK_NAMES), familySchema).refine((f) => Object.keys(f).length > 0, { message: "name at least one family" }),
});

export interface BuildPlan {
  name: string;
  description: string | null;
  recipePath: string;
  seed: number;
  includeTests: boolean;
  language: LanguageId | null;
  families: FamilyPlan[]; // sorted by name
  jobs: BuildJob[]; // one per repository, recipe order, unique inputs
  skipped: SkippedInput[]; // repositories named but unusable before any job (record without a clone, ...)
}

// issue-localize flags that choose where issues come from: a build decides that per repository itself.
const INPUT_FLAGS = new Set(["issues", "reposDir", "clone", "cloneBase", "fromHistory"]);

export async function loadRecipe(path: string): Promise<BuildPlan> {
  const abs = resolve(path);
  if (!existsSync(abs) || !statSync(abs).isFile()) throw new UserError(`recipe not found: ${path}; give the path of a recipe JSON file (see examples/build-recipe.json)`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(abs, "utf8"));
  } catch (e) {
    throw new UserError(`${path}: not valid JSON (${(e as Error).message}); a recipe is one JSON object (see examples/build-recipe.json)`);
  }
  const checked = recipeSchema.safeParse(value);
  if (!checked.success) throw new UserError(`${path}: ${describeIssues(checked.error.issues, value)}; fix the recipe (see docs/BUILD.md)`);
  const recipe = checked.data;
  const base = dirname(abs);
  const seed = recipe.seed ?? 0;
  const familyNames = (Object.keys(recipe.families) as TaskName[]).sort();
  const families = familyNames.map((name) => familyPlan(path, name, recipe.families[name] ?? {}));
  // Per family, the inputs it is restricted to (null: every repository).
  const only = new Map(familyNames.map((name) => [name, recipe.families[name]?.repositories?.map((r) => localized(r, base)) ?? null] as const));
  const jobs: BuildJob[] = [];
  const skipped: SkippedInput[] = [];
  const seen = new Set<string>();
  const common = { families, seed, includeTests: recipe.include_tests ?? false, language: recipe.language ?? null };
  const addJob = async (input: string, issues: BuildIssue[], commit?: string | null) => {
    if (seen.has(input)) return;
    seen.add(input);
    const applies = families.filter((f) => only.get(f.family)?.includes(input) ?? true);
    if (applies.length === 0) return;
    jobs.push({ ...common, families: applies, input, commit: commit ?? (await pinnedCommit(input)), issues });
  };
  for (const entry of recipe.repositories) {
    if (typeof entry === "string") await addJob(localized(entry, base), []);
    else if ("list" in entry) {
      const listPath = resolve(base, entry.list);
      if (!existsSync(listPath)) throw new UserError(`${path}: repository list ${entry.list} not found (looked at ${listPath})`);
      const listBase = dirname(listPath);
      for (const line of readFileSync(listPath, "utf8").split("\n")) {
        const text = line.replace(/#.*$/, "").trim();
        if (text !== "") await addJob(localized(text, listBase), []);
      }
    } else {
      for (const state of recordStates(resolve(base, entry.records), entry.repos_dir !== undefined ? resolve(base, entry.repos_dir) : null, entry.clone ?? false, entry.clone_base ?? "https://github.com/", skipped)) {
        await addJob(state.input, state.issues, state.commit);
      }
    }
  }
  for (const [name, inputs] of only) {
    const unknown = inputs?.find((i) => !seen.has(i));
    if (unknown !== undefined) throw new UserError(`${path}: families.${name}.repositories names ${unknown}, which is not among the recipe's repositories; add it there or fix the name`);
  }
  if (jobs.length === 0) throw new UserError(`${path}: no usable repository (${skipped.length} skipped: ${skipped.slice(0, 3).map((s) => s.reason).join("; ")})`);
  return { name: recipe.name ?? basenameOf(abs), description: recipe.description ?? null, recipePath: abs, seed, includeTests: common.includeTests, language: common.language, families, jobs, skipped };
}

// A family's recipe entry as the values `hgym generate <family>` would hold: the recipe's options by flag name
// (kebab or camel case), every other option at its default, each value checked by the flag's own parser.
function familyPlan(recipePath: string, name: TaskName, spec: z.output<typeof familySchema>): FamilyPlan {
  const entry = getTaskEntry(name);
  const values: Record<string, unknown> = {};
  const byName = new Map<string, (typeof entry.cli.options)[number]>();
  for (const o of entry.cli.options) {
    const key = camel(/--([a-z0-9-]+)/.exec(o.flags)?.[1] ?? "");
    if (INPUT_FLAGS.has(key) && name === "issue-localize") continue;
    byName.set(key, o);
    if (o.defaultValue !== undefined) values[key] = o.defaultValue;
    else if (!o.flags.includes("<")) values[key] = false;
  }
  for (const [rawKey, raw] of Object.entries(spec.options ?? {})) {
    const key = camel(rawKey.replace(/^--/, ""));
    const o = byName.get(key);
    const where = `${recipePath}: families.${name}.options.${rawKey}`;
    if (!o) throw new UserError(`${where}: not an option of ${name}; known: ${[...byName.keys()].map(kebab).join(", ")}`);
    const takesValue = o.flags.includes("<");
    if (!takesValue) {
      if (typeof raw !== "boolean") throw new UserError(`${where}: must be true or false`);
      values[key] = raw;
      continue;
    }
    if (o.choices && !o.choices.includes(String(raw))) throw new UserError(`${where}: must be one of ${o.choices.join(", ")}, got ${JSON.stringify(raw)}`);
    try {
      values[key] = o.parse ? o.parse(String(raw)) : String(raw);
    } catch (e) {
      throw new UserError(`${where}: ${(e as Error).message}`);
    }
  }
  try {
    entry.cli.toOptions(values); // the family's own cross-option checks (func-gen exec needs a test command, ...)
  } catch (e) {
    throw new UserError(`${recipePath}: families.${name}: ${(e as Error).message}`);
  }
  return { family: name, values, perRepo: spec.per_repo ?? null, target: spec.target ?? null };
}

// A recipe line as an ingest input: a relative local path is taken from `base`; URLs are kept as written.
function localized(text: string, base: string): string {
  const direct = resolve(base, text);
  if (!isAbsolute(text) && existsSync(direct)) return direct;
  if (isAbsolute(text) && existsSync(text)) return text;
  const parsed = parseInput(text);
  if (parsed.kind === "url") return text;
  const location = resolve(base, parsed.location);
  return parsed.rev === null ? location : `${location}@${parsed.rev}`;
}

// The commit an input names when it can be known without ingesting: a full sha, or a local rev git resolves.
async function pinnedCommit(input: string): Promise<string | null> {
  const parsed = parseInput(input);
  if (parsed.rev === null) return null;
  if (/^[0-9a-f]{40}$/.test(parsed.rev)) return parsed.rev;
  if (parsed.kind !== "local" || parsed.rev.startsWith("-") || !existsSync(parsed.location)) return null;
  const r = await runGit(["rev-parse", "--verify", "--quiet", `${parsed.rev}^{commit}`], { cwd: parsed.location }).catch(() => null);
  const out = r?.stdout.toString("utf8").trim() ?? "";
  return r?.code === 0 && /^[0-9a-f]{40,64}$/.test(out) ? out : null;
}

const recordSchema = z.looseObject({ repo: z.string().trim().min(1), base_commit: z.string().trim().min(1) });

// SWE-bench / SWE-Gym-Raw records as repository states, in the file's order of first appearance.
function recordStates(file: string, reposDir: string | null, clone: boolean, cloneBase: string, skipped: SkippedInput[]): { input: string; commit: string | null; issues: BuildIssue[] }[] {
  if (!existsSync(file)) throw new UserError(`records file not found: ${file}`);
  const states = new Map<string, { input: string; commit: string | null; issues: BuildIssue[] }>();
  for (const record of readJsonlRecords(file, recordSchema)) {
    const id = typeof record.instance_id === "string" ? record.instance_id : `${record.repo}@${record.base_commit}`;
    const dir = reposDir ? localRepoDir(reposDir, record.repo) : null;
    let input: string;
    if (dir) input = `${dir}@${record.base_commit}`;
    else if (clone) input = `${cloneBase.endsWith("/") ? cloneBase : `${cloneBase}/`}${record.repo}.git@${record.base_commit}`;
    else {
      skipped.push({ id, reason: reposDir ? `repository ${record.repo} not found in ${reposDir}; clone it there or set "clone": true` : `no "repos_dir" and "clone" is not set, so ${record.repo} cannot be found` });
      continue;
    }
    const state = states.get(input) ?? { input, commit: /^[0-9a-f]{40}$/.test(record.base_commit) ? record.base_commit : null, issues: [] };
    states.set(input, state);
    const issue = sweBenchRecordSchema.safeParse(record);
    if (issue.success) state.issues.push(issue.data);
  }
  return [...states.values()];
}

function camel(s: string): string {
  return s.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function basenameOf(p: string): string {
  return (p.split("/").pop() ?? p).replace(/\.json$/, "");
}
