// Standard ways to game the func-gen reward; the validity gate requires each to score failure: the placeholder
// left in place (with a comment, so the file did change), a body that only raises/throws, a body that calls the
// function itself (bound to the ORIGINAL in the paper's exec setup), the right body plus a change elsewhere in
// the file, and the right body with the docstring deleted.

import { languageProfile } from "../../lang/profile.js";
import type { Definition, LanguageId } from "../../lang/types.js";
import type { Hack, Instance } from "../types.js";
import type { RepoView } from "../../core/repo-view.js";
import { findByKey, indexText, lineCommentMarker } from "../common/code.js";
import { appendedCodeLine } from "../common/edit-helpers.js";
import { applyLineEdits } from "../common/line-edits.js";
import { patchFromTexts } from "../common/workspace.js";
import { bodyRegion, placeholderFor } from "./body.js";
import type { FuncGenGold } from "./types.js";

// Parameter names of a signature, in order, with * / ** / ... kept so a call can forward them.
export function parameterNames(signature: string, language: LanguageId): string[] {
  const open = signature.indexOf("(");
  if (open < 0) return [];
  let depth = 0;
  let close = -1;
  for (let i = open; i < signature.length; i++) {
    const ch = signature[i];
    if (ch === "(" || ch === "[" || ch === "{" || ch === "<") depth++;
    else if (ch === ")" || ch === "]" || ch === "}" || ch === ">") {
      depth--;
      if (depth === 0 && ch === ")") {
        close = i;
        break;
      }
    }
  }
  const inner = signature.slice(open + 1, close < 0 ? signature.length : close);
  const parts: string[] = [];
  let cur = "";
  depth = 0;
  for (const ch of inner) {
    if ("([{<".includes(ch)) depth++;
    if (")]}>".includes(ch)) depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  const names: string[] = [];
  for (const raw of parts) {
    const p = raw.trim();
    if (p === "" || p === "*" || p === "/") continue;
    const name = languageProfile(language).parameterName(p);
    if (name !== null) names.push(name);
  }
  return names;
}

function selfCall(def: Definition, text: string, language: LanguageId): string {
  const params = parameterNames(text.slice(def.signatureSpan.startOffset, def.signatureSpan.endOffset), language);
  const isMethod = def.parent !== null && def.kind.includes("method");
  const profile = languageProfile(language);
  // Python names its receiver as the first parameter; Go in the receiver clause (the first identifier of the
  // signature); Java and TS/JS have `this`, Rust `self`.
  if (language === "python") return profile.selfCall(def.name, isMethod ? params.slice(1) : params, isMethod ? (params[0] ?? "self") : null);
  const goReceiver = /^\s*func\s*\(\s*([A-Za-z_]\w*)/.exec(text.slice(def.signatureSpan.startOffset, def.signatureSpan.endOffset));
  const receiver = !isMethod ? null : language === "rust" ? "self" : language === "go" ? (goReceiver?.[1] ?? null) : "this";
  return profile.selfCall(def.name, params, receiver);
}

export function funcGenHacks(instance: Instance<FuncGenGold>, start: RepoView): Hack[] {
  const gold = instance.gold;
  const text = start.read(gold.file);
  const index = text !== null ? indexText(gold.file, text) : null;
  const def = index ? findByKey(index, gold.key) : null;
  if (text === null || !index || !def) return [];
  const language = index.language;
  const region = bodyRegion(def, text, language);
  if ("reason" in region) return [];
  const indentMatch = /\n([ \t]*)\S/.exec(region.replacement);
  const indent = indentMatch?.[1] ?? "    ";
  const tail = languageProfile(language).bodyStyle === "indent" ? "" : region.replacement.slice(region.replacement.lastIndexOf("\n"));
  const withBody = (lines: string[]) => text.slice(0, region.start) + "\n" + lines.map((l) => indent + l).join("\n") + tail + text.slice(region.end);
  const hack = (name: string, after: string): Hack => ({ name, patch: patchFromTexts([{ path: gold.file, before: text, after }]) });
  const goldText = text.slice(0, region.start) + gold.body + text.slice(region.end);
  const hacks: Hack[] = [
    hack("placeholder-left", withBody([`${lineCommentMarker(language)} implemented`, placeholderFor(language)])),
    hack("raise-not-implemented", withBody([languageProfile(language).notImplemented])),
    hack("calls-itself", withBody([selfCall(def, text, language)])),
    hack("gold-plus-change-elsewhere", applyLineEdits(goldText, [appendedCodeLine(goldText, language)])),
  ];
  // The right body with the docstring deleted (its whole lines).
  const goldIndex = indexText(gold.file, goldText);
  const goldDef = goldIndex ? findByKey(goldIndex, gold.key) : null;
  const doc = goldDef?.docstring;
  if (doc) {
    const lines = goldText.split("\n");
    const first = doc.span.start.line;
    const last = doc.span.end.line;
    const whole = (lines[first - 1] ?? "").slice(0, doc.span.start.column).trim() === "" && (lines[last - 1] ?? "").slice(doc.span.end.column).trim() === "";
    if (whole) {
      hacks.push(hack("docstring-deleted", applyLineEdits(goldText, [{ line: first, deleteCount: last - first + 1, insert: [] }])));
    }
  }
  return hacks;
}
