// Which definitions can be func-localize targets (and distractors): they have a docstring that can be removed
// cleanly, and a body that is more than the docstring and more than a one-line triviality, so that the masked
// definition still has behaviour to recognise and still parses.

import type { Definition, FileIndex } from "../../lang/types.js";
import { occupiesWholeLines } from "../common/edit-helpers.js";

export type Eligibility = { ok: true; codeLines: number } | { ok: false; reason: string };

const TRIVIAL_STATEMENT = /^(pass|\.\.\.|return;?|return (None|True|False|null|undefined|this|self|[A-Za-z_$][\w$]*|self\.[A-Za-z_]\w*|this\.[A-Za-z_$][\w$]*|-?\d+|"[^"]*"|'[^']*'|\[\]|\{\});?|raise NotImplementedError(\(.*\))?|throw new Error\(.*\);?|super\(\)(\.__init__)?\(.*\);?)$/;

// Code lines of the body other than the docstring: not blank, not comments, not lone braces.
export function bodyCodeLines(def: Definition, text: string): string[] {
  if (!def.bodySpan) return [];
  let body = text.slice(def.bodySpan.startOffset, def.bodySpan.endOffset);
  const doc = def.docstring;
  if (doc && doc.span.startOffset >= def.bodySpan.startOffset && doc.span.endOffset <= def.bodySpan.endOffset) {
    body = body.slice(0, doc.span.startOffset - def.bodySpan.startOffset) + body.slice(doc.span.endOffset - def.bodySpan.startOffset);
  }
  return body
    .split("\n")
    .map((l) => l.trim())
    .map((l) => l.replace(/^[{}]+|[{}]+$/g, "").trim())
    .filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("//") && !l.startsWith("/*") && !l.startsWith("*"));
}

export function eligibility(def: Definition, text: string): Eligibility {
  if (!def.docstring) return { ok: false, reason: "no-docstring" };
  if (!def.bodySpan) return { ok: false, reason: "no-body" };
  if (def.docstring.text.trim() === "") return { ok: false, reason: "empty-docstring" };
  if (!occupiesWholeLines(text, def.docstring)) return { ok: false, reason: "docstring-shares-line" };
  const lines = bodyCodeLines(def, text);
  if (lines.length === 0) return { ok: false, reason: "docstring-only-body" };
  if (lines.length === 1 && TRIVIAL_STATEMENT.test(lines[0] as string)) return { ok: false, reason: "trivial-body" };
  return { ok: true, codeLines: lines.length };
}

// Docstring texts that occur on more than one definition of the repository: a target documented like that
// (overloads, copy-pasted helpers) cannot be told apart from its twin by a description.
export function duplicateDocstrings(index: FileIndex[]): Set<string> {
  const seen = new Map<string, number>();
  for (const file of index)
    for (const def of file.definitions) {
      const t = def.docstring?.text.trim();
      if (t) seen.set(t, (seen.get(t) ?? 0) + 1);
    }
  return new Set([...seen].filter(([, n]) => n > 1).map(([t]) => t));
}
