// The checks every func-gen mode starts with: only the target file changed, it parses, the target is still there
// with its docstring, and nothing outside its body changed (the final text, re-masked, has the same syntax tree as
// the starting text). Plus the cheap content checks static and judge modes use: not the placeholder, not a stub,
// no call to itself (unless the original is recursive).

import type { Definition, LanguageId } from "../../lang/types.js";
import type { Instance, Violation, WorkspaceResult } from "../types.js";
import { compareTrees, findByKey, indexText, languageForPath } from "../common/code.js";
import { findSyntaxError } from "../../lang/tree-compare.js";
import { bodyRegion, isStubBody, maskText, placeholderFor, type BodyRegion } from "./body.js";
import type { FuncGenGold } from "./types.js";

export interface Candidate {
  text: string; // final text of the target file
  def: Definition;
  region: BodyRegion;
  language: LanguageId;
}

export interface StructureOutcome {
  violations: Violation[];
  candidate: Candidate | null; // null when the target or its body cannot be found
}

export function checkStructure(instance: Instance<FuncGenGold>, result: WorkspaceResult): StructureOutcome {
  const gold = instance.gold;
  const violations: Violation[] = [];
  const language = languageForPath(gold.file) ?? instance.language;
  for (const c of result.changes) {
    if (c.path !== gold.file || c.status !== "modified") {
      violations.push({ code: "other-file-changed", message: `${c.path} was ${c.status === "modified" ? "changed" : c.status}; only ${gold.file} may change`, file: c.path });
    }
    if (c.status === "modified" && (c.oldMode ?? null) !== (c.newMode ?? null)) {
      violations.push({ code: "mode-changed", message: `the mode of ${c.path} changed from ${c.oldMode ?? "?"} to ${c.newMode ?? "?"}`, file: c.path });
    }
  }
  const change = result.changes.find((c) => c.path === gold.file && c.status === "modified");
  const startText = result.readBefore(gold.file);
  const text = change?.after ?? startText;
  if (text === null || startText === null) {
    violations.push({ code: "target-missing", message: `${gold.file} is missing`, file: gold.file });
    return { violations, candidate: null };
  }
  // Includes Python indentation that CPython rejects (tree-sitter alone tolerates it).
  const syntaxError = findSyntaxError(language, text, startText);
  if (syntaxError) {
    violations.push({ code: "parse-error", message: `${gold.file} does not parse (${syntaxError.message})`, file: gold.file, line: syntaxError.line });
    return { violations, candidate: null };
  }
  const index = indexText(gold.file, text);
  const def = index ? findByKey(index, gold.key) : null;
  if (!def) {
    violations.push({ code: "target-missing", message: `the function ${gold.qualifiedName} is gone`, file: gold.file });
    return { violations, candidate: null };
  }
  if (!def.docstring || def.docstring.text !== gold.docstring) {
    violations.push({ code: "docstring-changed", message: `the docstring of ${gold.qualifiedName} was ${def.docstring ? "changed" : "removed"}`, file: gold.file });
  }
  const region = bodyRegion(def, text, language);
  if ("reason" in region) {
    violations.push({ code: "body-missing", message: `the body of ${gold.qualifiedName} cannot be located (${region.reason})`, file: gold.file });
    return { violations, candidate: null };
  }
  const remasked = maskText(text, region);
  const cmp = compareTrees(language, startText, remasked);
  if (!cmp.equal) {
    violations.push({
      code: "code-outside-body-changed",
      message: `code outside the body of ${gold.qualifiedName} changed (${cmp.reason})`,
      file: gold.file,
      ...(cmp.after ? { line: cmp.after.line } : {}),
    });
  }
  if (text.slice(region.start, region.end).trim() === placeholderFor(language)) {
    violations.push({ code: "placeholder-left", message: "the body is still the placeholder", file: gold.file });
  }
  return { violations, candidate: { text, def, region, language } };
}

// Content checks for modes that do not run the code.
export function checkContent(gold: FuncGenGold, c: Candidate): Violation[] {
  const out: Violation[] = [];
  if (isStubBody(c.text, c.language, c.region)) {
    out.push({ code: "stub-body", message: "the body is a stub (pass, ..., raise/throw, or an empty return)", file: gold.file });
  }
  if (!gold.recursive && c.def.calls.some((call) => !call.inNested && call.name === gold.name)) {
    out.push({ code: "calls-itself", message: `the body calls ${gold.name} itself instead of implementing it`, file: gold.file });
  }
  return out;
}
