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
export function annotatedName(commentText: string): string | null {
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

// Every annotation comment of a file and what it attaches to.
export function findAnnotations(index: FileIndex, text: string): Annotation[] {
  const lines = text.split("\n");
  const commentLines = new Set<number>();
  const annotations: { line: number; name: string }[] = [];
  for (const c of index.comments) {
    const startLine = lines[c.span.start.line - 1] ?? "";
    if (startLine.slice(0, c.span.start.column).trim() !== "") continue; // a trailing comment after code
    for (let l = c.span.start.line; l <= c.span.end.line; l++) commentLines.add(l);
    const name = annotatedName(c.text);
    if (name !== null && c.span.start.line === c.span.end.line) annotations.push({ line: c.span.start.line, name });
  }
  const byLine = definitionsByStartLine(index.definitions);
  return annotations.map((a) => {
    let l = a.line + 1;
    while (l <= lines.length && ((lines[l - 1] ?? "").trim() === "" || commentLines.has(l))) l++;
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
