// What a Python go-to-definition answer points at, read from the target line. Pyright already jumps through
// imports (`from .util import helper as h` lands on `def helper`), so an answer is either the name of a
// `def`/`class` (a dependency), a plain alias assignment (`helper = other_func`, `self.cb = self.run`) that the
// resolver follows one more step, or something that is not a definition (a parameter, a loop variable, the result
// of a call, an import pyright could not resolve): then the analyzer does not know what runs.

const IDENT = String.raw`[\p{ID_Start}_][\p{ID_Continue}]*`;
const IDENT_AT_START = new RegExp(`^${IDENT}`, "u");
const DEF_BEFORE = /^\s*(?:async\s+)?def\s+$/;
const CLASS_BEFORE = /^\s*class\s+$/;
// `name = a.b.c` or `name: T = a.b.c`, nothing else on the line but a comment. `==` is a comparison, not this.
const ALIAS_AFTER = new RegExp(String.raw`^\s*(?::[^=]*)?=(?!=)\s*(${IDENT}(?:\s*\.\s*${IDENT})*)\s*(?:#.*)?$`, "du");
const LAST_IDENT = new RegExp(`${IDENT}$`, "u");

// `name = <primary>.attr` where the primary may hold calls and subscripts (`re.compile(p).search`,
// `self._streams[0].write`): the variable holds that attribute's value, so the callee is what `attr` resolves to.
// Only a single primary expression qualifies — after emptying every bracket the value must be dotted names alone —
// so `a.b if c else d.e`, `f or g.h` and arithmetic stay "other".
const ASSIGN_VALUE = /^\s*(?::[^=]*)?=(?!=)\s*(.+?)\s*(?:#.*)?$/d;
function attributeOfValue(lineText: string, afterName: number): { value: string; column: number } | null {
  const m = ASSIGN_VALUE.exec(lineText.slice(afterName));
  const value = m?.[1];
  const span = m?.indices?.[1];
  if (value === undefined || !span) return null;
  // String literals may hold brackets and quotes; only their presence matters.
  const code = value.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""');
  let depth = 0;
  let flat = "";
  for (const ch of code) {
    if (ch === ")" || ch === "]") depth--;
    if (depth === 0) flat += ch;
    if (ch === "(" || ch === "[") depth++;
    if (depth < 0) return null;
  }
  if (depth !== 0 || /[{}]/.test(code) || /["']/.test(flat)) return null;
  if (!/^[\p{ID_Start}_][\p{ID_Continue}]*(?:\s*(?:\(\)|\[\])|\s*\.\s*[\p{ID_Start}_][\p{ID_Continue}]*)*$/u.test(flat)) return null;
  const last = /\.\s*([\p{ID_Start}_][\p{ID_Continue}]*)$/du.exec(value);
  if (!last?.indices?.[1] || flat.endsWith(")") || flat.endsWith("]")) return null;
  return { value, column: afterName + span[0] + last.indices[1][0] };
}

export type PythonTargetShape =
  | { kind: "definition"; name: string; what: "function" | "class" }
  | { kind: "alias"; name: string; valueColumn: number; value: string } // valueColumn: last identifier of the value
  | { kind: "other"; name: string; text: string };

// The identifier starting at `column` (UTF-16) of `lineText`, or null when there is none.
export function identifierAt(lineText: string, column: number): string | null {
  const m = IDENT_AT_START.exec(lineText.slice(column));
  return m ? m[0] : null;
}

export function classifyPythonTarget(lineText: string, column: number): PythonTargetShape {
  const name = identifierAt(lineText, column) ?? "";
  const before = lineText.slice(0, column);
  if (DEF_BEFORE.test(before)) return { kind: "definition", name, what: "function" };
  if (CLASS_BEFORE.test(before)) return { kind: "definition", name, what: "class" };
  const afterStart = column + name.length;
  const m = ALIAS_AFTER.exec(lineText.slice(afterStart));
  const value = m?.[1];
  const valueSpan = m?.indices?.[1];
  if (name && value !== undefined && valueSpan) {
    const lastIdentOffset = value.search(LAST_IDENT);
    return { kind: "alias", name, value, valueColumn: afterStart + valueSpan[0] + lastIdentOffset };
  }
  const attr = name ? attributeOfValue(lineText, afterStart) : null;
  if (attr) return { kind: "alias", name, value: attr.value, valueColumn: attr.column };
  return { kind: "other", name, text: lineText.trim() };
}
