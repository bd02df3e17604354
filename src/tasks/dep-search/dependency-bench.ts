// Test support for the dependency rule: a repository given as texts, indexed and resolved by the real analyzers
// (pyright, the TypeScript language service) through the generator's own functions, and the outcome of any
// target in it. `useDependencyBench` opens it before a describe block's tests and closes the analyzers after.

import { afterAll, beforeAll } from "vitest";
import { ensureLanguages, findByKey, indexText } from "../common/code.js";
import type { Definition, FileIndex } from "../../lang/types.js";
import { bodyCalls, dependenciesOf, repoDefinitions, type DependencyOutcome, type RepoDefinitions } from "./dependencies.js";
import { openRepoResolvers, type RepoResolvers } from "./resolution.js";

export interface DependencyBench {
  repo: RepoDefinitions;
  index(file: string): FileIndex;
  definition(file: string, key: string): Definition;
  // What the generator decides for target `key` of `file`.
  outcome(file: string, key: string): Promise<DependencyOutcome>;
  // The keys of its dependencies, sorted; throws when the target is dropped.
  dependencyKeys(file: string, key: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function openDependencyBench(texts: ReadonlyMap<string, string>): Promise<DependencyBench> {
  await ensureLanguages();
  const indexes = new Map<string, FileIndex>();
  for (const [p, t] of texts) {
    const idx = indexText(p, t);
    if (!idx) throw new Error(`cannot index ${p}`);
    indexes.set(p, idx);
  }
  const read = (p: string): string | null => texts.get(p) ?? null;
  const repo = repoDefinitions([...indexes.values()], read);
  const resolvers: RepoResolvers = openRepoResolvers({ paths: () => [...texts.keys()], read });
  const index = (file: string): FileIndex => {
    const idx = indexes.get(file);
    if (!idx) throw new Error(`no file ${file} in the bench`);
    return idx;
  };
  const definition = (file: string, key: string): Definition => {
    const def = findByKey(index(file), key);
    if (!def) throw new Error(`no ${key} in ${file}`);
    return def;
  };
  const outcome = async (file: string, key: string): Promise<DependencyOutcome> => {
    const def = definition(file, key);
    const calls = bodyCalls(def);
    const answers = await resolvers.resolve(index(file).language, calls.map((c) => ({ file, line: c.nameSpan.start.line, column: c.nameSpan.start.column })));
    return dependenciesOf({ file, def }, calls, answers, repo);
  };
  return {
    repo,
    index,
    definition,
    outcome,
    async dependencyKeys(file, key) {
      const out = await outcome(file, key);
      if (!out.ok) throw new Error(`${key} dropped: ${out.reason}: ${out.detail}`);
      return out.deps.map((d) => d.def.key).sort();
    },
    close: () => resolvers.close(),
  };
}

// Opens the bench before the enclosing describe block's tests, closes it after them; call the returned function
// inside a test.
export function useDependencyBench(texts: ReadonlyMap<string, string>): () => DependencyBench {
  let bench: DependencyBench | null = null;
  beforeAll(async () => {
    bench = await openDependencyBench(texts);
  });
  afterAll(async () => {
    await bench?.close();
  });
  return () => {
    if (!bench) throw new Error("the dependency bench was not opened");
    return bench;
  };
}
