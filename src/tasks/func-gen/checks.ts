// The checks every func-gen mode starts with: only the target file changed, it parses, the target is still there
// with its docstring, and nothing outside its body changed (the final text, re-masked, has the same syntax tree as
// the starting text). Plus the cheap content checks static and judge modes use: not the placeholder, not a stub,
// no call to itself (unless the original is recursive).

import { isEcmascript } from "../../lang/profile.js";
import { hasEscapedLineTerminator, javaArityRulesOut } from "../../lang/java.js";
import type { CallSite, Definition, LanguageId } from "../../lang/types.js";
import type { Instance } from "../types.js";
import type { Violation } from "../../core/reward.js";
import type { WorkspaceResult } from "../../core/repo-view.js";
import { compareTrees, findByKey, indexText, languageForPath } from "../common/code.js";
import { findSyntaxError } from "../../lang/tree-compare.js";
import { compareSource, sourceSyntaxError } from "../../lang/frontend/index.js";
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

export async function checkStructure(instance: Instance<FuncGenGold>, result: WorkspaceResult): Promise<StructureOutcome> {
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
  // The language's own front end judges first (encoding declarations, tab/space mixes, TypeScript the compiler
  // rejects); tree-sitter must parse too, since it is what locates the body.
  const judged = text === startText ? null : await sourceSyntaxError(language, gold.file, text);
  if (judged) {
    violations.push({ code: "parse-error", message: `${gold.file} does not compile (${judged.message})`, file: gold.file, line: judged.line });
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
  // A lone CR (and, in JS/TS, U+2028/U+2029) ends a line for CPython and ECMAScript but not for tree-sitter, so
  // code after it inside a "comment" would run unseen by the similarity and the checks: refused outright.
  const bodyText = text.slice(region.start, region.end);
  // Java: the same for a unicode escape of a line end (`\u000a`), which javac reads before comments.
  if (/\r(?!\n)/.test(bodyText) || (isEcmascript(language) && /[\u2028\u2029]/.test(bodyText)) || (language === "java" && hasEscapedLineTerminator(bodyText))) {
    violations.push({ code: "line-terminator-hidden", message: "the body holds a lone carriage return, a Unicode line separator or (Java) an escaped line end, which the language reads as a line end", file: gold.file });
  }
  // "Nothing outside the body changed" is decided by the front end: the final text with the body masked again
  // must be the starting text for CPython / the TypeScript parser (CRLF endings alone are no change).
  const remasked = maskText(text, region);
  const cmp = compareTrees(language, startText, remasked);
  if (!cmp.equal) {
    const judgedCmp = await compareSource(language, gold.file, startText, remasked, false);
    if (judgedCmp.kind !== "equal") {
      violations.push({
        code: judgedCmp.kind === "parse-error" ? "parse-error" : "code-outside-body-changed",
        message:
          judgedCmp.kind === "different"
            ? `code outside the body of ${gold.qualifiedName} changed (${judgedCmp.reason})`
            : `code outside the body of ${gold.qualifiedName} changed (${judgedCmp.error.message})`,
        file: gold.file,
        line: judgedCmp.kind === "different" ? judgedCmp.line : judgedCmp.error.line,
      });
    }
  } else if (text !== startText) {
    // tree-sitter sees no change; the front end must agree (a coding declaration re-decodes every literal).
    const judgedCmp = await compareSource(language, gold.file, startText, remasked, false);
    if (judgedCmp.kind !== "equal") {
      violations.push({ code: "code-outside-body-changed", message: `code outside the body of ${gold.qualifiedName} changed (${judgedCmp.kind === "different" ? judgedCmp.reason : judgedCmp.error.message})`, file: gold.file });
    }
  }
  if (text.slice(region.start, region.end).trim() === placeholderFor(language)) {
    violations.push({ code: "placeholder-left", message: "the body is still the placeholder", file: gold.file });
  }
  return { violations, candidate: { text, def, region, language } };
}

// Whether `call` (inside `def`) calls `def` itself: the bare name for a function; for a method, the name on the
// instance or the class (`self.`/`cls.`/`this.`/`<Class>.`). A same-named method of another object
// (`this.globalCommand.version()` inside `version`) is not a self-call, so it neither makes the original
// "recursive" nor excuses a candidate that only calls itself.
// A Go method names its receiver in the signature (`func (s *Server) Start()`): `s.Start()` is the self-call; pass
// the file's `text` so it can be read.
export function isSelfCall(call: CallSite, def: Definition, text?: string): boolean {
  if (call.inNested || call.name !== def.name) return false;
  // Java: a call whose argument count does not fit is another overload of the same name.
  if (text !== undefined && def.qualifiedName.includes(".java::") && javaArityRulesOut(call.span, call.nameSpan.endOffset, text.slice(def.signatureSpan.startOffset, def.signatureSpan.endOffset), text)) return false;
  const callee = call.callee.replace(/\s+/g, "").replace(/^await/, "");
  const goReceiver = text !== undefined && def.kind === "method" ? /^func\s*\(\s*([A-Za-z_]\w*)\s/.exec(text.slice(def.signatureSpan.startOffset, def.signatureSpan.endOffset))?.[1] : undefined;
  if (goReceiver !== undefined && callee === `${goReceiver}.${def.name}`) return true;
  if (callee === def.name) return def.kind !== "method" || goReceiver === undefined; // a Go method's bare name is another function
  if (!def.parent) return false;
  const owner = def.qualname.split(/::|\./).slice(-2, -1)[0] ?? "";
  // Rust also calls a method as an associated function: `Self::name(..)`, `Type::name(..)`.
  return ["self", "cls", "this", owner].some((r) => r !== "" && callee === `${r}.${def.name}`) || ["Self", owner].some((r) => r !== "" && callee === `${r}::${def.name}`);
}

// Content checks for modes that do not run the code.
export function checkContent(gold: FuncGenGold, c: Candidate): Violation[] {
  const out: Violation[] = [];
  if (isStubBody(c.text, c.language, c.region)) {
    out.push({ code: "stub-body", message: "the body is a stub (pass, ..., raise/throw, or an empty return)", file: gold.file });
  }
  if (!gold.recursive && c.def.calls.some((call) => isSelfCall(call, c.def, c.text))) {
    out.push({ code: "calls-itself", message: `the body calls ${gold.name} itself instead of implementing it`, file: gold.file });
  }
  return out;
}
