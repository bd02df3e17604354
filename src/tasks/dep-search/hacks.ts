// Standard ways to game the dep-search reward; the validity gate requires each to score failure.

import type { Definition, FileIndex } from "../../lang/types.js";
import type { Hack, Instance } from "../types.js";
import type { RepoView } from "../../core/repo-view.js";
import { findByKey, indexText, languageForPath, sameLanguageFamily } from "../common/code.js";
import { appendedCodeLine } from "../common/edit-helpers.js";
import { applyLineEdits } from "../common/line-edits.js";
import { patchFromTexts, resultFromPatch } from "../common/workspace.js";
import { annotationEdits } from "./generate.js";
import type { DepSearchGold } from "./types.js";

// The repository-wide hack annotates every definition of the target's and the dependencies' files plus a few
// more files (all of a small repository). That is enough: the target's own file always yields a false positive
// (the target annotated as its own dependency), and annotations in further files can only add false positives,
// so if this hack fails, annotating the whole repository fails too — without re-checking every file of a large
// repository for every instance.
const EXTRA_REPO_HACK_FILES = 5;

export function depSearchHacks(instance: Instance<DepSearchGold>, start: RepoView): Hack[] {
  const gold = instance.gold;
  const language = instance.language;
  const name = gold.target.name;
  const indexes = new Map<string, FileIndex | null>();
  const indexOf = (path: string): FileIndex | null => {
    if (!indexes.has(path)) {
      const text = start.read(path);
      indexes.set(path, text === null ? null : indexText(path, text));
    }
    return indexes.get(path) ?? null;
  };
  const read = (p: string) => start.read(p);
  const every = (paths: string[]) =>
    paths.flatMap((p) => (indexOf(p)?.definitions ?? []).map((def) => ({ file: p, def })));
  const hacks: Hack[] = [];

  hacks.push({ name: "annotate-every-definition-in-file", patch: patchFromTexts(annotationEdits(every([gold.target.file]), language, name, read)) });

  const goldFiles = [gold.target.file, ...gold.dependencies.map((d) => d.file)];
  const others = start
    .paths()
    .filter((p) => {
      const l = languageForPath(p);
      return l !== null && sameLanguageFamily(l, language) && !goldFiles.includes(p);
    });
  const repoFiles = [...new Set([...goldFiles, ...others.slice(0, EXTRA_REPO_HACK_FILES)])];
  hacks.push({ name: "annotate-every-definition-in-repo", patch: patchFromTexts(annotationEdits(every(repoFiles), language, name, read)) });

  const goldEdits = resultFromPatch(start, gold.patch).changes;
  const targetAfter = goldEdits.find((c) => c.path === gold.target.file)?.after ?? start.read(gold.target.file);
  const targetBefore = start.read(gold.target.file);
  if (targetAfter !== null && targetBefore !== null) {
    const texts = goldEdits.filter((c) => c.path !== gold.target.file).map((c) => ({ path: c.path, before: c.before as string, after: c.after as string }));
    texts.push({ path: gold.target.file, before: targetBefore, after: applyLineEdits(targetAfter, [appendedCodeLine(targetAfter, language)]) });
    hacks.push({ name: "annotations-plus-code-change", patch: patchFromTexts(texts) });
  }

  const deps = gold.dependencies
    .map((d) => ({ file: d.file, def: indexOf(d.file) ? findByKey(indexOf(d.file) as FileIndex, d.key) : null }))
    .filter((d): d is { file: string; def: Definition } => d.def !== null);
  hacks.push({ name: "annotations-twice", patch: patchFromTexts(annotationEdits([...deps, ...deps], language, name, read)) });

  // Each annotation moved off its dependency onto a neighbouring definition of the same file that is not itself a
  // dependency (the next one, else the previous one). Moving onto another dependency could reproduce the right
  // set (two dependencies that are the only definitions of their file), which is a correct answer, not a hack.
  const goldKeys = new Set(gold.dependencies.map((d) => `${d.file}::${d.key}`));
  const shifted = deps
    .map((d) => {
      const defs = (indexOf(d.file)?.definitions ?? [])
        .filter((x) => !goldKeys.has(`${d.file}::${x.key}`) && x.span.start.line !== d.def.span.start.line)
        .sort((a, b) => a.span.startOffset - b.span.startOffset);
      const to = defs.find((x) => x.span.start.line > d.def.span.start.line) ?? defs.filter((x) => x.span.start.line < d.def.span.start.line).pop();
      return to ? { file: d.file, def: to } : null;
    })
    .filter((d): d is { file: string; def: Definition } => d !== null);
  if (shifted.length > 0) hacks.push({ name: "annotations-shifted", patch: patchFromTexts(annotationEdits(shifted, language, name, read)) });
  return hacks;
}
