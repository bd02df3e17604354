// func-gen generation: documented functions and methods (Python, TS/JS) with a 3..60-line body that is not
// trivial; the setup masks exactly that body with the language's placeholder (the masked file must parse, and
// exactly one body may be masked), the gold puts it back.

import type { Node } from "web-tree-sitter";
import type { Definition, FileIndex, LanguageId } from "../../lang/types.js";
import { withTree } from "../../lang/parser.js";
import { adapterFor } from "../../lang/registry.js";
import { UserError } from "../../core/errors.js";
import type { DropCounts, GenerateContext, GenerateOutput, Instance, InstanceRepo } from "../types.js";
import { ensureLanguages, hasSyntaxErrors, indexView } from "../common/code.js";
import { definitionTargetKey, makeInstanceId } from "../common/instance-id.js";
import { bucket } from "../common/sampling.js";
import { isTestPath } from "../common/test-files.js";
import { patchFromTexts } from "../common/workspace.js";
import { bodyRegion, codeLineCount, isTrivialBody, maskText, placeholderFor } from "./body.js";
import { isSelfCall } from "./checks.js";
import { funcGenInstruction } from "./instruction.js";
import { parseTestCommand, testCommandProblem } from "./test-command.js";
import type { FuncGenGold, FuncGenOptions, FuncGenVerifyConfig } from "./types.js";

export const FUNC_GEN_VERSION = "func-gen/1";

const FUNCTION_KINDS = new Set(["function", "async_function", "method", "async_method", "constructor", "arrow_function", "function_expression", "getter", "setter"]);

export function verifyConfigFrom(opts: FuncGenOptions): FuncGenVerifyConfig {
  const mode = opts.mode === "auto" ? (opts.testCmd ? "exec" : "static") : opts.mode;
  if (mode === "exec" && opts.testCmd) {
    const problem = testCommandProblem(opts.testCmd, opts.exitStatusVerdict === true);
    if (problem) throw new UserError(problem);
  }
  const readable = opts.testCmd !== undefined && parseTestCommand(opts.testCmd) !== null;
  return {
    mode,
    similarity_threshold: opts.similarityThreshold,
    timeout_ms: opts.timeoutMs,
    ...(opts.testCmd ? { test_cmd: opts.testCmd } : {}),
    ...(mode === "exec" && opts.testCmd ? { verdict_source: readable ? ("tests" as const) : ("exit-status" as const) } : {}),
    ...(mode === "judge" ? { judge: { ...(opts.judgeModel ? { model: opts.judgeModel } : {}), ...(opts.judgeBaseURL ? { base_url: opts.judgeBaseURL } : {}) } } : {}),
  };
}

export type BuildOutcome = Instance<FuncGenGold> | { reason: string };

// Builds the instance for one definition of `file` (text = the file at the repository's commit).
export function buildFuncGenInstance(
  repo: InstanceRepo,
  seed: number,
  file: FileIndex,
  text: string,
  def: Definition,
  verify: FuncGenVerifyConfig,
  limits: { minBodyLines: number; maxBodyLines: number },
  root?: Node, // the parsed tree of `text`, when the caller has it
): BuildOutcome {
  const language: LanguageId = file.language;
  if (!FUNCTION_KINDS.has(def.kind)) return { reason: "not-a-function" };
  if (!def.docstring) return { reason: "no-docstring" };
  const region = bodyRegion(def, text, language);
  if ("reason" in region) return region;
  const body = text.slice(region.start, region.end);
  const lines = codeLineCount(body, language);
  if (lines < limits.minBodyLines) return { reason: "body-too-short" };
  if (lines > limits.maxBodyLines) return { reason: "body-too-long" };
  if (isTrivialBody(text, language, region, root)) return { reason: "trivial-body" };
  const placeholder = placeholderFor(language);
  if (text.includes(placeholder)) return { reason: "placeholder-already-in-file" };
  const masked = maskText(text, region);
  // The masked file must parse and hold the placeholder exactly once (one body masked). Whether the target is
  // still found by key in it is checked by the validity gate (the untouched state is verified against it).
  if (hasSyntaxErrors(language, masked)) return { reason: "mask-breaks-parse" };
  if (masked.split(placeholder).length - 1 !== 1) return { reason: "mask-not-exact" };

  const recursive = def.calls.some((c) => isSelfCall(c, def, text));
  const gold: FuncGenGold = {
    file: file.path,
    key: def.key,
    qualifiedName: def.qualifiedName,
    name: def.name,
    kind: def.kind,
    body,
    docstring: def.docstring.text,
    recursive,
    patch: patchFromTexts([{ path: file.path, before: masked, after: text }]),
    verify,
  };
  const qualname = def.key.replace(/#\d+$/, "");
  return {
    instance_id: makeInstanceId("func-gen", repo, definitionTargetKey(file.path, def.key)),
    task: "func-gen",
    language,
    repo,
    setup_patch: patchFromTexts([{ path: file.path, before: text, after: masked }]),
    instruction: funcGenInstruction(file.path, qualname, language, placeholder),
    gold,
    meta: {
      generator_version: FUNC_GEN_VERSION,
      seed,
      difficulty: {
        stratum: `${def.parent ? "method" : "function"}|${bucket(lines, [5, 15, 30], ["XS", "S", "M", "L"])}`,
        body_lines: lines,
        calls: def.calls.filter((c) => !c.inNested).length,
        file_depth: file.path.split("/").length - 1,
      },
      validity: { gold: false, null: false, hacks: {} },
      target_file: file.path,
      verify_mode: verify.mode,
    },
  };
}

export async function generateFuncGen(ctx: GenerateContext, opts: FuncGenOptions): Promise<GenerateOutput<FuncGenGold>> {
  await ensureLanguages();
  const index = ctx.index ?? indexView(ctx.files, ctx.language);
  const verify = verifyConfigFrom(opts);
  const dropped: DropCounts = {};
  const drop = (reason: string, n = 1) => (dropped[reason] = (dropped[reason] ?? 0) + n);
  const instances: Instance<FuncGenGold>[] = [];
  let candidates = 0;
  for (const file of index) {
    if (!ctx.includeTests && isTestPath(file.path)) continue;
    const text = ctx.files.read(file.path);
    if (text === null) continue;
    const targets = file.definitions.filter((d) => d.docstring && FUNCTION_KINDS.has(d.kind));
    if (targets.length === 0) continue;
    candidates += targets.length;
    if (file.hasErrors) {
      drop("file-does-not-parse", targets.length);
      continue;
    }
    withTree(adapterFor(file.language).grammar, text, (tree) => {
      for (const def of targets) {
        const built = buildFuncGenInstance(ctx.repo, ctx.seed, file, text, def, verify, opts, tree.rootNode);
        if ("reason" in built) drop(built.reason);
        else instances.push(built);
      }
    });
  }
  return { instances, candidates, dropped };
}
