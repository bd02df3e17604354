// func-localize generation: pick documented definitions with real bodies, remove the target's docstring and a few
// distractors' (preferring the same file), write a description that does not leak the name, and build the
// instance with its gold patch (the original docstring put back).

import type { Definition, FileIndex } from "../../lang/types.js";
import { UserError } from "../../core/errors.js";
import { resolveEndpoint, type Endpoint } from "../../agent/model-client.js";
import { rng, seedFrom, shuffle } from "../../util/hash.js";
import type { DropCounts, GenerateContext, GenerateOutput, Instance } from "../types.js";
import { ensureLanguages, findByKey, hasSyntaxErrors, indexText, indexView, languageForPath, sameLanguageFamily } from "../common/code.js";
import { docstringRemoval } from "../common/edit-helpers.js";
import { definitionTargetKey, makeInstanceId } from "../common/instance-id.js";
import { applyLineEdits, type LineEdit } from "../common/line-edits.js";
import { bucket, stratifiedOrder } from "../common/sampling.js";
import { isTestPath } from "../common/test-files.js";
import { patchFromTexts } from "../common/workspace.js";
import { describeFromDocstring, describeWithLlm, type DescriptionOutcome } from "./description.js";
import { funcLocalizeInstruction } from "./instruction.js";
import { bodyCodeLines, duplicateDocstrings, eligibility } from "./targets.js";
import type { FuncLocalizeGold, FuncLocalizeOptions } from "./types.js";

export const FUNC_LOCALIZE_VERSION = "func-localize/1";

interface Candidate {
  file: FileIndex;
  text: string;
  def: Definition;
  codeLines: number;
}

// Which description source to use: an explicit choice, or "auto" = LLM when an endpoint is configured.
export function descriptionEndpoint(opts: FuncLocalizeOptions): Endpoint | null {
  if (opts.description === "docstring") return null;
  const endpoint = resolveEndpoint({ baseURL: opts.baseURL, model: opts.model, apiKey: opts.apiKey });
  if (opts.description === "llm" && !endpoint) {
    throw new UserError("--description llm needs a model endpoint: pass --base-url and --model (or set OPENAI_BASE_URL / OPENAI_API_KEY and HGYM_MODEL)");
  }
  return endpoint;
}

export async function generateFuncLocalize(ctx: GenerateContext, opts: FuncLocalizeOptions): Promise<GenerateOutput<FuncLocalizeGold>> {
  await ensureLanguages();
  const endpoint = descriptionEndpoint(opts);
  const index = ctx.index ?? indexView(ctx.files, ctx.language);
  const dropped: DropCounts = {};
  const drop = (reason: string) => (dropped[reason] = (dropped[reason] ?? 0) + 1);
  const duplicates = duplicateDocstrings(index);
  const texts = new Map<string, string>();
  const eligible: Candidate[] = []; // every definition whose docstring can be removed (targets and distractors)
  const targets: Candidate[] = [];
  let candidates = 0;
  for (const file of index) {
    const text = ctx.files.read(file.path);
    if (text === null || file.hasErrors) continue;
    texts.set(file.path, text);
    const sourceFile = ctx.includeTests || !isTestPath(file.path);
    for (const def of file.definitions) {
      if (!def.docstring) continue;
      if (sourceFile) candidates++;
      const verdict = eligibility(def, text);
      if (!verdict.ok) {
        if (sourceFile) drop(verdict.reason);
        continue;
      }
      const c: Candidate = { file, text, def, codeLines: verdict.codeLines };
      eligible.push(c);
      if (!sourceFile) continue;
      if (duplicates.has(def.docstring.text.trim())) drop("duplicate-docstring");
      else targets.push(c);
    }
  }

  const ordered = stratifiedOrder(targets, (c) => ({ stratum: stratumOf(c), group: c.file.path, id: qualified(c) }), ctx.seed);
  // Masking, describing (LLM calls cost money) and gating take time: when the caller keeps at most `quota`, build
  // a margin over that many from the front of the stratified order and stop.
  const cap = ctx.quota != null ? ctx.quota * 2 + 10 : Infinity;
  const instances: Instance<FuncLocalizeGold>[] = [];
  for (const target of ordered) {
    if (instances.length >= cap) break;
    const built = await buildInstance(ctx, opts, endpoint, target, eligible, texts);
    if ("reason" in built) drop(built.reason);
    else instances.push(built);
  }
  return { instances, candidates, dropped };
}

function qualified(c: Candidate): string {
  return definitionTargetKey(c.file.path, c.def.key);
}

function stratumOf(c: Candidate): string {
  const kind = c.def.kind === "class" ? "class" : c.def.parent ? "member" : "function";
  const size = bucket(c.codeLines, [3, 10, 30], ["XS", "S", "M", "L"]);
  return `${kind}|${size}`;
}

// Other definitions whose docstrings are removed with the target's: same file first, then the rest of the repo.
function chooseDistractors(target: Candidate, eligible: Candidate[], n: number, seed: number): Candidate[] {
  if (n <= 0) return [];
  const random = rng(seedFrom("distractors", seed, qualified(target)));
  const isRelated = (c: Candidate) => c.file.path === target.file.path && c.def.key === target.def.key;
  const sameFile = shuffle(
    eligible.filter((c) => c.file.path === target.file.path && !isRelated(c)),
    random,
  );
  const chosen = sameFile.slice(0, n);
  // Then other files of the same language: an undocumented definition in another language is no plausible
  // confusion for the agent, so it would not make the target any less unique.
  const others = eligible.filter((c) => c.file.path !== target.file.path && sameLanguageFamily(c.file.language, target.file.language));
  const used = new Set<number>();
  while (chosen.length < n && used.size < others.length) {
    const i = Math.floor(random() * others.length);
    if (used.has(i)) continue;
    used.add(i);
    chosen.push(others[i] as Candidate);
  }
  return chosen;
}

async function buildInstance(
  ctx: GenerateContext,
  opts: FuncLocalizeOptions,
  endpoint: Endpoint | null,
  target: Candidate,
  eligible: Candidate[],
  texts: Map<string, string>,
): Promise<Instance<FuncLocalizeGold> | { reason: string }> {
  const def = target.def;
  const doc = def.docstring as NonNullable<Definition["docstring"]>;
  const distractors = chooseDistractors(target, eligible, opts.distractors, ctx.seed);
  const removals = new Map<string, LineEdit[]>();
  for (const c of [target, ...distractors]) {
    const list = removals.get(c.file.path) ?? [];
    list.push(docstringRemoval(c.def.docstring as NonNullable<Definition["docstring"]>));
    removals.set(c.file.path, list);
  }
  const setupEdits: { path: string; before: string; after: string }[] = [];
  for (const [path, edits] of removals) {
    const before = texts.get(path) as string;
    const after = applyLineEdits(before, edits);
    const language = languageForPath(path);
    const broken = path === target.file.path ? (indexText(path, after, before)?.hasErrors ?? true) : language === null || hasSyntaxErrors(language, after);
    if (broken) return { reason: "mask-breaks-parse" };
    setupEdits.push({ path, before, after });
  }
  const maskedTarget = setupEdits.find((e) => e.path === target.file.path)?.after as string;
  const maskedIndex = indexText(target.file.path, maskedTarget, texts.get(target.file.path));
  const maskedDef = maskedIndex ? findByKey(maskedIndex, def.key) : null;
  if (!maskedDef || maskedDef.docstring) return { reason: "mask-changes-definitions" };
  // The gold state: the starting state with the target's docstring back in place.
  const goldText = applyLineEdits(
    target.text,
    (removals.get(target.file.path) ?? []).filter((e) => e.line !== doc.span.start.line),
  );

  let description: DescriptionOutcome;
  if (endpoint) {
    const code = target.text.slice(def.span.startOffset, def.span.endOffset);
    description = await describeWithLlm(endpoint, {
      name: def.name,
      kind: def.kind,
      language: target.file.language,
      code,
      seed: seedFrom("description", ctx.seed, qualified(target)),
    });
  } else {
    description = describeFromDocstring(doc.text, def.name);
  }
  if (!description.ok) return { reason: description.reason };

  const gold: FuncLocalizeGold = {
    file: target.file.path,
    key: def.key,
    qualifiedName: def.qualifiedName,
    name: def.name,
    kind: def.kind,
    docstring: doc.text,
    docstring_raw: doc.raw,
    distractors: distractors.map((c) => ({ file: c.file.path, key: c.def.key })),
    patch: patchFromTexts([{ path: target.file.path, before: maskedTarget, after: goldText }]),
  };
  const language = target.file.language;
  return {
    instance_id: makeInstanceId("func-localize", ctx.repo, qualified(target)),
    task: "func-localize",
    language,
    repo: ctx.repo,
    setup_patch: patchFromTexts(setupEdits),
    instruction: funcLocalizeInstruction(description.text, language),
    gold,
    meta: {
      generator_version: FUNC_LOCALIZE_VERSION,
      seed: ctx.seed,
      difficulty: {
        stratum: stratumOf(target),
        kind: def.kind,
        body_lines: bodyCodeLines(def, target.text).length,
        file_depth: target.file.path.split("/").length - 1,
        distractors_same_file: distractors.filter((c) => c.file.path === target.file.path).length,
      },
      validity: { gold: false, null: false, hacks: {} },
      target_file: target.file.path,
      description: description.text,
      description_source: description.source,
    },
  };
}
