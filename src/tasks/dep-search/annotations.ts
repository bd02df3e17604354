// dep-search annotations: the comment the agent writes above each dependency, how it is recognised (leniently:
// case, punctuation, "function/class" wording and spacing may vary, but it must name the target), and which
// definition it attaches to — the first one starting below it, skipping blank lines, other comments and
// decorators. A comment with no definition right below it attaches to nothing and counts as a false positive.

import type { Definition, FileIndex, LanguageId } from "../../lang/types.js";
import { lineCommentMarker } from "../common/code.js";

export function annotationText(language: LanguageId, targetName: string): string {
  return `${lineCommentMarker(language)} this function/class is called by the ${targetName} function`;
}

const ANNOTATION = /^this (?:(?:function|class|method|or|and) )*is called by (?:the )?([a-z0-9_$.]+?)(?: (?:function|method|class))?$/;

// The name an annotation comment names, or null when the comment is not an annotation at all.
// Cheap pre-test: every annotation's normalized text contains "called by", and the normalization turns any run of
// characters outside [a-z0-9_$.] into one space, so the raw comment must contain "called", such a run, and "by"
// (case-insensitively: only ASCII letters lowercase to c, a, l, e, d, b or y). Most comments fail this at once and
// skip the five regex passes below.
const MAY_BE_ANNOTATION = /called[^a-z0-9_$.]+by/i;

export function annotatedName(commentText: string): string | null {
  if (!MAY_BE_ANNOTATION.test(commentText)) return null;
  const normalized = commentText
    .toLowerCase()
    .replace(/^\s*(#+|\/\/+|\/\*+)|\*+\/\s*$/g, "")
    .replace(/[^a-z0-9_$.]+/g, " ")
    .replace(/\s+/g, " ")
    .replace(/\.+$|^\.+/g, "")
    .trim()
    .replace(/\.$/, "");
  const m = ANNOTATION.exec(normalized);
  return m ? (m[1] as string).replace(/\.+$/, "") : null;
}

// Does an annotation's name refer to the target? Its plain name or its qualified name both count.
export function namesTarget(name: string, target: { name: string; key: string }): boolean {
  const qual = target.key.replace(/#\d+$/, "").toLowerCase();
  return name === target.name.toLowerCase() || name === qual;
}

export interface Annotation {
  line: number; // line of the comment
  attachedKey: string | null; // key of the definition it attaches to
  name: string; // the name it says calls the definition
}

// Every annotation comment of a file and what it attaches to. Verification asks for the same (index, text) pairs
// over and over (the cached index of a starting text is shared by every patch against it), so the answer is
// remembered per index object; callers must not mutate the returned array.
const annotationMemo = new WeakMap<FileIndex, { text: string; annotations: Annotation[] }>();

export function findAnnotations(index: FileIndex, text: string): Annotation[] {
  const memo = annotationMemo.get(index);
  if (memo && memo.text === text) return memo.annotations;
  const annotations = computeAnnotations(index, text);
  annotationMemo.set(index, { text, annotations });
  return annotations;
}

function computeAnnotations(index: FileIndex, text: string): Annotation[] {
  const commentLines = new Set<number>();
  const annotations: { line: number; name: string; endOffset: number }[] = [];
  for (const c of index.comments) {
    // Columns are UTF-16 code units, i.e. string indices from the start of the line.
    const lineStart = c.span.startOffset - c.span.start.column;
    if (text.slice(lineStart, c.span.startOffset).trim() !== "") continue; // a trailing comment after code
    for (let l = c.span.start.line; l <= c.span.end.line; l++) commentLines.add(l);
    if (c.span.start.line !== c.span.end.line) continue;
    const name = annotatedName(c.text);
    if (name !== null) annotations.push({ line: c.span.start.line, name, endOffset: c.span.endOffset });
  }
  if (annotations.length === 0) return [];
  const byLine = definitionsByStartLine(index.definitions);
  return annotations.map((a) => {
    // Walk the lines below the comment, skipping blank ones and other comments, by offsets rather than splitting
    // the whole file into lines.
    let l = a.line + 1;
    let nl = text.indexOf("\n", a.endOffset);
    while (nl >= 0) {
      const start = nl + 1;
      const next = text.indexOf("\n", start);
      const lineText = next < 0 ? text.slice(start) : text.slice(start, next);
      if (lineText.trim() !== "" && !commentLines.has(l)) break;
      l++;
      nl = next;
    }
    return { line: a.line, name: a.name, attachedKey: byLine.get(l)?.key ?? null };
  });
}

// The outermost definition starting on each line; a definition is reachable both from its first decorator's
// line and from its signature's line (a comment written between the decorators and the `def` still attaches).
function definitionsByStartLine(defs: Definition[]): Map<number, Definition> {
  const map = new Map<number, Definition>();
  const sorted = defs.slice().sort((a, b) => a.span.startOffset - b.span.startOffset || b.span.endOffset - a.span.endOffset);
  for (const d of sorted) {
    if (!map.has(d.span.start.line)) map.set(d.span.start.line, d);
  }
  for (const d of sorted) {
    if (!map.has(d.signatureSpan.start.line)) map.set(d.signatureSpan.start.line, d);
  }
  return map;
}
