// dep-search rule 7's "what states a type", for the case the analyzer cannot answer: a call `recv.name(...)` whose
// receiver is a parameter annotated with a class imported from a package that is not installed
// (`def install_hydra(session: Session)` with `from nox import Session`; `cfg: DictConfig` from omegaconf in
// hydra). Pyright then knows no type and finds no definition, and the name rule would call the call ambiguous
// whenever some repository class has a method of that name (`run`, `get`, `install`). But the annotation states
// the type, and it is outside the repository: with the package installed the analyzer would answer with that
// package's method. So the call is external.
//
// Only the plain shape is taken: `recv.name(...)` (one attribute, nothing computed), `recv` a parameter of the
// innermost function around the call that declares it (or of an enclosing one, for a closure), never re-bound
// in that function, annotated `X`, `mod.X`, `Optional[X]`, `X | None` or the same as a string, with the first name
// of `X` bound by an import from outside the repository (not from `typing`, `abc`, `collections.abc`: `hydra: Any`
// states nothing) and not re-defined in the file. Anything else is left to the other rules.

import type { CallSite, Definition } from "../../lang/types.js";
import { bracketDepthAfter, pythonCodeOf } from "./python-lines.js";

const IDENT = "[A-Za-z_][A-Za-z0-9_]*";
const CALLEE = new RegExp(`^(${IDENT})\\.(${IDENT})$`);
const SIMPLE_ANNOTATION = new RegExp(`^["']?(?:Optional\\[\\s*)?["']?(${IDENT}(?:\\.${IDENT})*)["']?\\s*\\]?(?:\\s*\\|\\s*None)?["']?$`);
// Annotations from these modules do not name the class of the value: `Any`, `Callable`, `Type`, protocols and
// abstract collections (`Mapping`, `Iterable`: a repository class may be the one passed). The analyzer answers
// for them when it can; when it cannot, the call is left to rule 4 and 7 (ambiguous).
const TYPING_MODULES = new Set(["typing", "typing_extensions", "collections.abc", "abc", "types", "builtins", "numbers", "_typeshed"]);
const FUNCTION_KINDS = new Set<Definition["kind"]>(["function", "async_function", "method", "async_method", "getter", "setter", "constructor"]);

export function statedExternalReceiver(
  target: { file: string; def: Definition },
  call: CallSite,
  defs: readonly Definition[],
  text: string | null,
  outsideImportOf: (name: string) => string | null,
): boolean {
  if (!target.file.endsWith(".py") || text === null) return false;
  const m = CALLEE.exec(call.callee.replace(/\s+/g, ""));
  if (!m) return false;
  const recv = m[1]!;
  if (recv === "self" || recv === "cls") return false;
  const lines = text.split(/\r\n|\r|\n/);
  const at = call.nameSpan.start.line;
  // The functions around the call, innermost first.
  const around = defs
    .filter((d) => FUNCTION_KINDS.has(d.kind) && d.span.start.line <= at && at <= d.span.end.line && d.bodySpan !== null)
    .sort((a, b) => b.span.start.line - a.span.start.line);
  for (const fn of around) {
    const params = parameterList(lines, fn);
    if (params === null) return false;
    const declared = params.find((p) => p.name === recv);
    if (declared === undefined) {
      if (rebinds(lines, fn, recv)) return false; // a local of this function, of unknown type
      continue; // a closure variable: the enclosing function decides
    }
    if (declared.annotation === null || rebinds(lines, fn, recv)) return false;
    const ann = SIMPLE_ANNOTATION.exec(declared.annotation.trim());
    if (!ann) return false;
    const root = ann[1]!.split(".")[0]!;
    if (defs.some((d) => d.parent === null && d.name === root)) return false; // the file defines the name itself
    const module = outsideImportOf(root);
    return module !== null && !TYPING_MODULES.has(module.split(".")[0]!) && !TYPING_MODULES.has(module);
  }
  return false;
}

interface Parameter {
  name: string;
  annotation: string | null;
}

// The parameters written in a def's signature (text between its parentheses), split at top-level commas.
function parameterList(lines: readonly string[], fn: Definition): Parameter[] | null {
  const sig = fn.signatureSpan;
  const text = lines.slice(sig.start.line - 1, sig.end.line).join("\n");
  const open = text.indexOf("(");
  if (open < 0) return null;
  const out: Parameter[] = [];
  let depth = 0;
  let piece = "";
  let quote: string | null = null;
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      piece += ch;
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    if ("([{".includes(ch)) depth++;
    if (")]}".includes(ch)) {
      if (depth === 0) {
        out.push(...parameter(piece));
        return out;
      }
      depth--;
    }
    if (ch === "," && depth === 0) {
      out.push(...parameter(piece));
      piece = "";
      continue;
    }
    piece += ch;
  }
  return null;
}

function parameter(piece: string): Parameter[] {
  const p = piece.replace(/#[^\n]*/g, "").trim();
  const m = new RegExp(`^\\*{0,2}(${IDENT})\\s*(?::([^=]*))?(?:=.*)?$`, "s").exec(p);
  return m ? [{ name: m[1]!, annotation: m[2] === undefined ? null : m[2] }] : [];
}

// Does the function's body bind `name` anywhere (assignment — plain, augmented, annotated, to a tuple — walrus,
// `for`, `with ... as`, `except ... as`, `import ... as`, `global`/`nonlocal`, a nested def/class of that name)? A
// textual over-approximation, except that `name=` inside brackets is a keyword argument, not a binding: any sign
// of a binding makes the rule step aside.
function rebinds(lines: readonly string[], fn: Definition, name: string): boolean {
  const body = lines.slice(fn.bodySpan!.start.line - 1, fn.span.end.line).join("\n");
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const other = new RegExp(
    `\\b${n}\\s*:=|\\bfor\\s+[^\\n]*\\b${n}\\b[^\\n]*\\bin\\b|\\bas\\s+${n}\\b|\\b(?:global|nonlocal)\\s+[^\\n]*\\b${n}\\b|\\b(?:def|class)\\s+${n}\\b|\\blambda\\b[^:\\n]*\\b${n}\\b`,
  );
  if (other.test(body)) return true;
  // Assignments: the name outside any bracket, before an `=` (or `op=`) that is not a comparison, on its line.
  const word = new RegExp(`(?<![\\w.])${n}(?!\\w)`, "g");
  let open = 0; // brackets left open by the lines before (a call's arguments over several lines)
  for (const line of body.split("\n")) {
    const code = pythonCodeOf(line);
    for (const m of code.matchAll(word)) {
      if (bracketDepthAfter(code.slice(0, m.index), open) > 0) continue; // a keyword argument or inside an expression
      if (/^\s*(?::[^=]*)?(?:[-+*/%@&|^]|\*\*|\/\/|<<|>>)?=(?!=)/.test(code.slice(m.index + name.length)) || /^\s*,[^=]*=(?!=)/.test(code.slice(m.index + name.length))) return true;
    }
    open = bracketDepthAfter(code, open);
  }
  return false;
}
