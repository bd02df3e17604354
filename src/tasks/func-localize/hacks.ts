// Standard ways to game the func-localize reward; the validity gate requires each to score failure.

import { languageProfile } from "../../lang/profile.js";
import type { Definition } from "../../lang/types.js";
import type { FileChange, RepoView } from "../../core/repo-view.js";
import type { Hack, Instance } from "../types.js";
import { indexText, findByKey } from "../common/code.js";
import { appendedCodeLine, commentInsideBody, docstringInsertion } from "../common/edit-helpers.js";
import { applyLineEdits, type LineEdit } from "../common/line-edits.js";
import { makePatch, modification, patchFromTexts, resultFromPatch } from "../common/workspace.js";
import type { FuncLocalizeGold } from "./types.js";

const FILLER = "Documentation written for this definition.";

export function funcLocalizeHacks(instance: Instance<FuncLocalizeGold>, start: RepoView): Hack[] {
  const gold = instance.gold;
  const startText = start.read(gold.file);
  if (startText === null) return [];
  const index = indexText(gold.file, startText);
  if (!index) return [];
  const language = index.language;
  const hacks: Hack[] = [];
  const goldText = resultFromPatch(start, gold.patch).changes.find((c) => c.path === gold.file)?.after ?? null;

  // 1. A docstring on every undocumented definition of the file (the target among them). When the target is the
  // only undocumented one, this is simply the right answer, not a hack.
  const undocumented = index.definitions.filter((d) => !d.docstring);
  const everyEdits = undocumented
    .map((d) => docstringInsertion(startText, d, language, `${FILLER} (${d.name})`))
    .filter((e): e is LineEdit => e !== null);
  if (undocumented.some((d) => d.key !== gold.key) && everyEdits.length > 1) hacks.push(textHack("docstring-every-definition", gold.file, startText, applyLineEdits(startText, everyEdits)));

  // 2. A docstring on a distractor (or another undocumented definition) only.
  const other = pickOther(start, gold);
  if (other) {
    const otherText = start.read(other.file) as string;
    const edit = docstringInsertion(otherText, other.def, language, gold.docstring);
    if (edit) hacks.push(textHack("docstring-on-distractor-only", other.file, otherText, applyLineEdits(otherText, [edit])));
  }

  if (goldText !== null) {
    // 3. The right docstring plus one new line of code.
    const changed = applyLineEdits(goldText, [appendedCodeLine(goldText, language)]);
    hacks.push(textHack("docstring-plus-code-change", gold.file, startText, changed));

    // 4. The right docstring plus a new file.
    const dir = gold.file.includes("/") ? gold.file.slice(0, gold.file.lastIndexOf("/") + 1) : "";
    const added: FileChange = {
      path: `${dir}hgym_notes${languageProfile(language).newFileExtension}`,
      oldPath: null,
      status: "added",
      binary: false,
      before: null,
      after: `${languageProfile(language).lineComment} ${gold.docstring.split("\n")[0] ?? ""}\n`,
    };
    hacks.push({ name: "docstring-plus-new-file", patch: makePatch([modification(gold.file, startText, goldText), added]) });
  }

  // 5. A comment (not a docstring) inside the target.
  const target = findByKey(index, gold.key);
  const commentEdit = target ? commentInsideBody(startText, target, language, gold.docstring) : null;
  if (commentEdit) hacks.push(textHack("comment-instead-of-docstring", gold.file, startText, applyLineEdits(startText, [commentEdit])));
  return hacks;
}

function textHack(name: string, path: string, before: string, after: string): Hack {
  return { name, patch: patchFromTexts([{ path, before, after }]) };
}

// The first distractor that can take a docstring, else another undocumented definition in the target's file.
function pickOther(start: RepoView, gold: FuncLocalizeGold): { file: string; def: Definition } | null {
  const wanted = [...gold.distractors];
  const targetText = start.read(gold.file);
  const targetIndex = targetText !== null ? indexText(gold.file, targetText) : null;
  for (const d of targetIndex?.definitions ?? []) if (!d.docstring && d.key !== gold.key) wanted.push({ file: gold.file, key: d.key });
  for (const w of wanted) {
    const text = start.read(w.file);
    const index = text !== null ? indexText(w.file, text) : null;
    const def = index ? findByKey(index, w.key) : null;
    if (text !== null && index && def && !def.docstring && docstringInsertion(text, def, index.language, "x")) return { file: w.file, def };
  }
  return null;
}
