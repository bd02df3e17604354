// dep-search generation: for each function/method of the source files, resolve its body's calls with the
// repository's analyzer, keep targets whose calls all resolve with confidence and that have 1..maxDeps
// repository dependencies, and build the instance (no masking: the starting state is the repository itself).

import { UserError } from "../../core/errors.js";
import type { Definition, FileIndex, LanguageId } from "../../lang/types.js";
import type { ResolveRequest, ResolveResult } from "../../resolve/types.js";
import type { DropCounts, GenerateContext, GenerateOutput, Instance } from "../types.js";
import { ensureLanguages, indexView } from "../common/code.js";
import { definitionTargetKey, makeInstanceId } from "../common/instance-id.js";
import { applyLineEdits, indentOfLine, type LineEdit } from "../common/line-edits.js";
import { bucket } from "../common/sampling.js";
import { isTestPath } from "../common/test-files.js";
import { patchFromTexts } from "../common/workspace.js";
import { annotationText } from "./annotations.js";
import { bodyCalls, dependenciesOf, repoDefinitions, type CallAccounting } from "./dependencies.js";
import { depSearchInstruction } from "./instruction.js";
import { openRepoResolvers } from "./resolution.js";
import type { DepSearchGold, DepSearchOptions } from "./types.js";

export const DEP_SEARCH_VERSION = "dep-search/2";

const TARGET_KINDS = new Set<Definition["kind"]>([
  "function",
  "async_function",
  "method",
  "async_method",
  "getter",
  "setter",
  "constructor",
  "arrow_function",
  "function_expression",
]);

export interface DepSearchStats {
  resolvedTargets: number; // targets whose calls were all sent to the resolver
  resolvedCalls: number;
}

export async function generateDepSearch(
  ctx: GenerateContext,
  opts: DepSearchOptions,
  stats?: DepSearchStats,
): Promise<GenerateOutput<DepSearchGold>> {
  await ensureLanguages();
  const index = ctx.index ?? indexView(ctx.files, ctx.language);
  const repo = repoDefinitions(index, (p) => ctx.files.read(p));
  const dropped: DropCounts = {};
  const drop = (reason: string) => (dropped[reason] = (dropped[reason] ?? 0) + 1);
  const instances: Instance<DepSearchGold>[] = [];
  let candidates = 0;
  const resolvers = openRepoResolvers(ctx.files);
  try {
    for (const file of index) {
      if (!ctx.includeTests && isTestPath(file.path)) continue;
      const targets = file.definitions.filter((d) => TARGET_KINDS.has(d.kind));
      if (targets.length === 0) continue;
      candidates += targets.length;
      if (file.hasErrors) {
        dropped["file-has-syntax-errors"] = (dropped["file-has-syntax-errors"] ?? 0) + targets.length;
        continue;
      }
      // One batch per file: every distinct call position of every target (nested definitions share calls).
      const positions = new Map<string, number>();
      const requests: ResolveRequest[] = [];
      const perTarget = targets.map((def) => {
        const calls = bodyCalls(def);
        for (const c of calls) {
          const k = `${c.nameSpan.start.line}:${c.nameSpan.start.column}`;
          if (!positions.has(k)) {
            positions.set(k, requests.length);
            requests.push({ file: file.path, line: c.nameSpan.start.line, column: c.nameSpan.start.column });
          }
        }
        return { def, calls };
      });
      let results: ResolveResult[];
      try {
        results = await resolvers.resolve(file.language, requests);
      } catch (e) {
        // A language without an exact resolver (Rust) refuses the whole repository with one message.
        if (e instanceof UserError) throw e;
        ctx.log(`${file.path}: call resolution failed: ${(e as Error).message}`);
        dropped["resolver-error"] = (dropped["resolver-error"] ?? 0) + targets.length;
        continue;
      }
      if (stats) {
        stats.resolvedTargets += targets.length;
        stats.resolvedCalls += requests.length;
      }
      for (const { def, calls } of perTarget) {
        if (calls.length === 0) {
          drop("no-calls");
          continue;
        }
        const answers = calls.map((c) => results[positions.get(`${c.nameSpan.start.line}:${c.nameSpan.start.column}`) as number] as ResolveResult);
        const outcome = dependenciesOf({ file: file.path, def }, calls, answers, repo);
        if (!outcome.ok) {
          // Counted by kind ("ambiguous-call:any-typed-variable", ...) so the report shows why targets go.
          drop(outcome.reason);
          if (opts.explainDrops) ctx.log(`dep-search: dropped ${file.path}::${def.key}: ${outcome.reason}: ${outcome.detail}`);
          continue;
        }
        if (outcome.deps.length === 0) {
          drop("no-repo-dependencies");
          continue;
        }
        if (outcome.deps.length > opts.maxDeps) {
          drop("too-many-dependencies");
          continue;
        }
        const built = buildInstance(ctx, file, def, outcome.deps, outcome.accounting);
        if ("reason" in built) drop(built.reason);
        else instances.push(built);
      }
    }
  } finally {
    await resolvers.close();
  }
  return { instances, candidates, dropped };
}

// Inserts one annotation above each dependency (above its decorators), per file.
export function annotationEdits(
  deps: { file: string; def: Definition }[],
  language: LanguageId,
  targetName: string,
  read: (path: string) => string | null,
): { path: string; before: string; after: string }[] {
  const byFile = new Map<string, LineEdit[]>();
  for (const d of deps) {
    const text = read(d.file);
    if (text === null) continue;
    const indent = indentOfLine(text, d.def.span.start.line);
    const edits = byFile.get(d.file) ?? [];
    edits.push({ line: d.def.span.start.line, deleteCount: 0, insert: [indent + annotationText(language, targetName)] });
    byFile.set(d.file, edits);
  }
  return [...byFile].map(([path, edits]) => {
    const before = read(path) as string;
    return { path, before, after: applyLineEdits(before, edits) };
  });
}

function buildInstance(
  ctx: GenerateContext,
  file: FileIndex,
  def: Definition,
  deps: { file: string; def: Definition }[],
  accounting: CallAccounting,
): Instance<DepSearchGold> | { reason: string } {
  // Two dependencies starting on one line could not be told apart by an annotation above them.
  const lines = new Set(deps.map((d) => `${d.file}:${d.def.span.start.line}`));
  if (lines.size !== deps.length) return { reason: "dependencies-share-a-line" };
  deps.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.def.key < b.def.key ? -1 : a.def.key > b.def.key ? 1 : 0));
  const language = file.language;
  const gold: DepSearchGold = {
    target: { file: file.path, key: def.key, line: def.nameSpan.start.line, name: def.name, kind: def.kind },
    dependencies: deps.map((d) => ({ file: d.file, key: d.def.key, qualifiedName: d.def.qualifiedName })),
    patch: patchFromTexts(annotationEdits(deps, language, def.name, (p) => ctx.files.read(p))),
  };
  const crossFile = deps.filter((d) => d.file !== file.path).length;
  const bodyLines = def.bodySpan ? def.bodySpan.end.line - def.bodySpan.start.line + 1 : 0;
  return {
    instance_id: makeInstanceId("dep-search", ctx.repo, definitionTargetKey(file.path, def.key)),
    task: "dep-search",
    language,
    repo: ctx.repo,
    setup_patch: "",
    instruction: depSearchInstruction({ file: file.path, line: def.nameSpan.start.line, name: def.name, key: def.key }, language),
    gold,
    meta: {
      generator_version: DEP_SEARCH_VERSION,
      seed: ctx.seed,
      difficulty: {
        stratum: `deps=${deps.length}|${crossFile > 0 ? "cross-file" : "same-file"}|${bucket(bodyLines, [5, 20, 60], ["S", "M", "L", "XL"])}`,
        dependencies: deps.length,
        cross_file_dependencies: crossFile,
        body_lines: bodyLines,
        file_depth: file.path.split("/").length - 1,
      },
      validity: { gold: false, null: false, hacks: {} },
      target_file: file.path,
      // Every call of the target accounted for: calls = dependency + recursion + external (ambiguous is always 0
      // in a kept instance).
      call_accounting: accounting,
    },
  };
}
