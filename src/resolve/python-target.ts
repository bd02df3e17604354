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
  | { kind: "none"; name: string } // `name = None`: a binding no call can run (calling it raises TypeError)
  | { kind: "other"; name: string; text: string };

// `name = None` or `name: T = None`, nothing else on the line but a comment.
const NONE_AFTER = /^\s*(?::[^=]*)?=(?!=)\s*None\s*(?:#.*)?$/;
const DOTTED = new RegExp(`^${IDENT}(?:\\s*\\.\\s*${IDENT})*$`, "u");

// `a, b, c = x, y.z, w` (either side optionally parenthesised): the name at `column` is the i-th target and the
// i-th value is a dotted name, so the name holds that value (logging's `acquire, release, handlers =
// _acquireLock, _releaseLock, _handlerList`). Values are split at top-level commas; only the i-th must be a dotted
// name. Returns the alias, or null for any other shape (starred targets, counts that differ, a call as the value).
function tupleAlias(lineText: string, column: number, name: string): { value: string; column: number } | null {
  const eq = /^(\s*\(?\s*)([^=()#]*?)(\s*\)?\s*)=(?!=)(\s*)(.*?)\s*(?:#.*)?$/du.exec(lineText);
  if (!eq?.indices) return null;
  const targetsStart = eq.indices[2]![0];
  const targets = eq[2]!.split(",");
  if (targets.length < 2) return null;
  let offset = targetsStart;
  let index = -1;
  for (const [i, t] of targets.entries()) {
    const lead = t.length - t.trimStart().length;
    if (offset + lead === column && t.trim() === name) index = i;
    if (!new RegExp(`^${IDENT}$`, "u").test(t.trim()) && !(i === targets.length - 1 && t.trim() === "")) return null;
    offset += t.length + 1;
  }
  if (index < 0) return null;
  let valueText = eq[5]!;
  let valueStart = eq.indices[5]![0];
  const paren = /^\((.*)\)$/s.exec(valueText);
  if (paren) {
    valueText = paren[1]!;
    valueStart += 1;
  }
  const values: { text: string; start: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= valueText.length; i++) {
    const ch = valueText[i];
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (ch === "'" || ch === '"') return null; // strings may hold commas and brackets: not worth reading
    if (i === valueText.length || (ch === "," && depth === 0)) {
      values.push({ text: valueText.slice(start, i), start });
      start = i + 1;
    }
  }
  if (values.at(-1)?.text.trim() === "") values.pop();
  const namedTargets = targets.filter((t) => t.trim() !== "").length;
  if (depth !== 0 || values.length !== namedTargets) return null;
  const v = values[index]!;
  const value = v.text.trim();
  if (!DOTTED.test(value)) return null;
  const lastIdent = value.search(LAST_IDENT);
  return { value, column: valueStart + v.start + (v.text.length - v.text.trimStart().length) + lastIdent };
}

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
  if (name && NONE_AFTER.test(lineText.slice(afterStart))) return { kind: "none", name };
  const m = ALIAS_AFTER.exec(lineText.slice(afterStart));
  const value = m?.[1];
  const valueSpan = m?.indices?.[1];
  if (name && value !== undefined && valueSpan) {
    const lastIdentOffset = value.search(LAST_IDENT);
    return { kind: "alias", name, value, valueColumn: afterStart + valueSpan[0] + lastIdentOffset };
  }
  const attr = name ? attributeOfValue(lineText, afterStart) : null;
  if (attr) return { kind: "alias", name, value: attr.value, valueColumn: attr.column };
  const tuple = name ? tupleAlias(lineText, column, name) : null;
  if (tuple) return { kind: "alias", name, value: tuple.value, valueColumn: tuple.column };
  return { kind: "other", name, text: lineText.trim() };
}
