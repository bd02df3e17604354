// func-localize red-team cases: docstrings written in every form the language accepts (solutions), and
// docstrings in the wrong places or hiding code (hacks). The generic comment-family cases come on top.

import type { Definition, LanguageId } from "../../lang/types.js";
import type { FuncLocalizeGold } from "../func-localize/types.js";
import type { CaseContext, FinalState, RedTeamCase } from "./case.js";
import { defAt, definitions, indentOf, insertBefore, line, replaceLine } from "./edits.js";
import { genericCommentFamilyCases } from "./generic-cases.js";

type Ctx = CaseContext<FuncLocalizeGold>;
type Case = RedTeamCase<FuncLocalizeGold>;
type Lang = Case["language"];

const langOf = (ctx: Ctx): LanguageId => ctx.instance.language;

// The starting text of the target's file and the target in it.
function target(ctx: Ctx): { path: string; text: string; def: Definition } | null {
  const path = ctx.instance.gold.file;
  const text = ctx.start.read(path);
  const def = text !== null ? defAt(path, text, ctx.instance.gold.key) : null;
  return text !== null && def ? { path, text, def } : null;
}

// Inserts `lines` (already holding their own relative layout) as the docstring of `def` in `text`: Python as the
// first statement of the body, TS/JS on the lines above the definition. Every line gets the right indentation.
function withDoc(text: string, def: Definition, language: LanguageId, lines: string[]): string | null {
  if (language === "python") {
    if (!def.bodySpan || def.bodySpan.start.line <= def.signatureSpan.end.line) return null;
    const ind = indentOf(line(text, def.bodySpan.start.line));
    return insertBefore(text, def.bodySpan.start.line, lines.map((l) => ind + l));
  }
  const ind = indentOf(line(text, def.span.start.line));
  return insertBefore(text, def.span.start.line, lines.map((l) => ind + l));
}

// A solution: the target documented with `lines` instead of the original docstring.
function docSolution(name: string, language: Lang, description: string, lines: string[] | ((ctx: Ctx) => string[] | null)): Case {
  return {
    name,
    family: "func-localize",
    language,
    kind: "solution",
    description,
    produce: (ctx) => {
      const t = target(ctx);
      const ls = typeof lines === "function" ? lines(ctx) : lines;
      if (!t || !ls) return null;
      const after = withDoc(t.text, t.def, langOf(ctx), ls);
      return after ? { texts: { [t.path]: after } } : null;
    },
  };
}

// Other undocumented definitions (distractors first) that can take a docstring, as (path, def) pairs.
function others(ctx: Ctx): { path: string; def: Definition }[] {
  const out: { path: string; def: Definition }[] = [];
  const g = ctx.instance.gold;
  for (const d of g.distractors) {
    const text = ctx.start.read(d.file);
    const def = text !== null ? defAt(d.file, text, d.key) : null;
    if (def && !def.docstring) out.push({ path: d.file, def });
  }
  return out;
}

function addDocs(ctx: Ctx, base: Record<string, string>, targets: { path: string; def: Definition }[], content: string): FinalState | null {
  const texts: Record<string, string> = { ...base };
  // Bottom-up per file, so earlier insertions do not move later definitions.
  const sorted = targets.slice().sort((a, b) => b.def.span.start.line - a.def.span.start.line);
  for (const t of sorted) {
    const text = texts[t.path] ?? ctx.start.read(t.path);
    if (text === null) return null;
    // Definitions are found again in the current text (an insertion above shifted nothing below: bottom-up).
    const def = defAt(t.path, text, t.def.key);
    if (!def) return null;
    const language = ctx.instance.language;
    const after = withDoc(text, def, language, [language === "python" ? `"""${content}"""` : `/** ${content} */`]);
    if (!after) return null;
    texts[t.path] = after;
  }
  return { texts };
}

const PY_SOLUTIONS: Case[] = [
  docSolution("one-line-docstring", "python", "a short one-line docstring instead of the original", ['"""Computes the result described in the task."""']),
  docSolution("raw-prefixed-docstring", "python", "an r-prefixed docstring containing a backslash", ['r"""Matches text against a pattern such as \\d+ and returns the outcome."""']),
  docSolution("unicode-prefixed-docstring", "python", "a u-prefixed docstring", ['u"""Computes the result described in the task."""']),
  docSolution("single-quoted-docstring", "python", "a docstring in single quotes on one line", ["'Computes the result described in the task.'"]),
  docSolution("implicitly-concatenated-docstring", "python", "two adjacent string literals (CPython joins them into one docstring)", ['"Computes the result described " "in the task."']),
  docSolution("parenthesized-docstring", "python", "a docstring in parentheses over two lines", ['("Computes the result described "', ' "in the task.")']),
  docSolution("docstring-with-crlf-inside", "python", "a multi-line docstring whose inner line break is CRLF in an LF file (CPython reads it as LF)", ['"""Computes the result described in the task.\r', "", 'Longer explanation on a second paragraph."""']),
  docSolution("docstring-with-code-text", "python", "a docstring quoting code and a hash sign", ['"""Returns ``f(x) # not a comment``; see also', '``quoted`` text and a tab\there."""']),
  docSolution("docstring-then-comment-line", "python", "a docstring followed by a comment line before the code", ['"""Computes the result described in the task."""', "# (implementation notes follow)"]),
  docSolution("docstring-with-trailing-comment", "python", "a docstring with a comment after it on the same line", ['"""Computes the result described in the task."""  # written by hand']),
  docSolution("docstring-escaped-quotes", "python", 'a docstring with escaped triple quotes inside', ['"""Handles the \\"\\"\\"quoted\\"\\"\\" case as well."""']),
  {
    name: "original-docstring-in-crlf-file",
    family: "func-localize",
    language: "python",
    kind: "solution",
    description: "the original docstring restored and the whole file saved with CRLF line endings",
    produce: (ctx) => {
      const g = ctx.gold.get(ctx.instance.gold.file);
      return g && !g.includes("\r") ? { texts: { [ctx.instance.gold.file]: g.replace(/\n/g, "\r\n") } } : null;
    },
  },
];

const ES_SOLUTIONS: Case[] = [
  docSolution("jsdoc-followed-by-line-comment", "typescript", "a JSDoc block, then a `//` lint directive line, then the definition", ["/** Computes the result described in the task. */", "// eslint-disable-next-line @typescript-eslint/no-explicit-any"]),
  docSolution("one-line-jsdoc", "typescript", "a one-line JSDoc", ["/** Computes the result described in the task. */"]),
  docSolution("jsdoc-with-tags", "javascript", "a multi-line JSDoc with @param and @returns tags", ["/**", " * Computes the result described in the task.", " *", " * @param {unknown} value the input", " * @returns {unknown} the result", " */"]),
  docSolution("jsdoc-followed-by-line-comment", "javascript", "a JSDoc block, then a `//` line, then the definition", ["/** Computes the result described in the task. */", "// eslint-disable-next-line no-unused-vars"]),
];

function hack(name: string, language: Lang, description: string, produce: (ctx: Ctx) => FinalState | null): Case {
  return { name, family: "func-localize", language, kind: "hack", description, produce };
}

const HACKS: Case[] = [];
for (const language of ["python", "typescript", "javascript"] as const) {
  HACKS.push(
    hack("docstring-on-every-definition", language, "the original docstring on the target plus a filler docstring on every undocumented definition of the file", (ctx) => {
      const g = ctx.instance.gold;
      const goldText = ctx.gold.get(g.file);
      if (!goldText) return null;
      const undocumented = definitions(g.file, goldText).filter((d) => !d.docstring && d.key !== g.key);
      if (undocumented.length === 0) return null;
      return addDocs(ctx, { [g.file]: goldText }, undocumented.map((def) => ({ path: g.file, def })), "Documentation for this definition.");
    }),
    hack("docstring-on-distractor-only", language, "the original docstring written on a distractor instead of the target", (ctx) => {
      const o = others(ctx)[0];
      return o ? addDocs(ctx, {}, [o], ctx.instance.gold.docstring.split("\n")[0] ?? "Documentation.") : null;
    }),
    hack("docstring-on-target-and-distractor", language, "the right docstring plus one on a distractor", (ctx) => {
      const o = others(ctx).find((x) => x.path !== ctx.instance.gold.file) ?? others(ctx)[0];
      const goldText = ctx.gold.get(ctx.instance.gold.file);
      return o && goldText ? addDocs(ctx, { [ctx.instance.gold.file]: goldText }, [o], "Also documented.") : null;
    }),
  );
}
HACKS.push(
  hack("code-swallowed-into-docstring", "python", "the target's first statement wrapped in triple quotes: a docstring appears and the statement is gone", (ctx) => {
    const t = target(ctx);
    if (!t || !t.def.bodySpan) return null;
    const n = t.def.bodySpan.start.line;
    const l = line(t.text, n);
    if (n <= t.def.signatureSpan.end.line || /["'\\]|[([{,:]\s*$/.test(l)) return null;
    return { texts: { [t.path]: replaceLine(t.text, n, [`${indentOf(l)}"""${l.trim()}"""`]) } };
  }),
  hack("comment-instead-of-docstring", "python", "a # comment with the docstring's words as the target's first body line (no docstring)", (ctx) => {
    const t = target(ctx);
    if (!t || !t.def.bodySpan || t.def.bodySpan.start.line <= t.def.signatureSpan.end.line) return null;
    const n = t.def.bodySpan.start.line;
    return { texts: { [t.path]: insertBefore(t.text, n, [`${indentOf(line(t.text, n))}# ${ctx.instance.gold.docstring.split("\n")[0]}`]) } };
  }),
  hack("block-comment-instead-of-jsdoc", "typescript", "a plain /* */ block comment (not JSDoc) above the target", (ctx) => {
    const t = target(ctx);
    if (!t) return null;
    const after = withDoc(t.text, t.def, "typescript", [`/* ${ctx.instance.gold.docstring.split("\n")[0]?.replace(/\*\//g, "")} */`]);
    return after ? { texts: { [t.path]: after } } : null;
  }),
);

// Session 4: string statements CPython does not take as docstrings, a docstring set by assignment, JSDoc that
// documents nothing or sits inside the body (hacks); docstrings in the forms and characters the languages accept
// (solutions).
const FIRST_LINE = (ctx: Ctx): string => (ctx.instance.gold.docstring.split("\n")[0] ?? "Documentation.").replace(/["\\]/g, "");

// The target's first body line replaced by `lines` placed as its first statement (Python), or above it (TS/JS).
function docHack(name: string, language: Lang, description: string, lines: (ctx: Ctx) => string[] | null, reason?: RegExp): Case {
  return {
    ...hack(name, language, description, (ctx) => {
      const t = target(ctx);
      const ls = lines(ctx);
      if (!t || !ls) return null;
      const after = withDoc(t.text, t.def, langOf(ctx), ls);
      return after ? { texts: { [t.path]: after } } : null;
    }),
    ...(reason ? { reason } : {}),
  };
}

HACKS.push(
  docHack("bytes-literal-docstring", "python", "a b\"\"\"...\"\"\" literal as the first statement: CPython's docstring must be a str, so this is a new statement", (ctx) => [`b"""${FIRST_LINE(ctx).replace(/[^\x20-\x7e]/g, "")}"""`], /code-changed/),
  docHack("f-string-docstring", "python", "an f\"\"\"...\"\"\" literal as the first statement: a JoinedStr, never a docstring", (ctx) => [`f"""${FIRST_LINE(ctx).replace(/[{}]/g, "")}"""`], /code-changed/),
  docHack("docstring-as-second-statement", "python", "a comment-free `pass` first, then the docstring text: the string is no longer the first statement", (ctx) => ["pass", `"""${FIRST_LINE(ctx)}"""`], /code-changed/),
  hack("doc-assigned-after-definition", "python", "the docstring set by `name.__doc__ = ...` after a top-level function (code, not a docstring)", (ctx) => {
    const t = target(ctx);
    if (!t || t.def.parent !== null || t.def.kind !== "function") return null;
    return { texts: { [t.path]: insertBefore(t.text, t.def.span.end.line + 1, [`${t.def.name}.__doc__ = "${FIRST_LINE(ctx)}"`]) } };
  }),
  docHack("empty-jsdoc", "typescript", "an empty `/** */` block above the target: a JSDoc that documents nothing", () => ["/** */"]),
  docHack("empty-jsdoc", "javascript", "an empty `/***/` block above the target", () => ["/***/"]),
  hack("jsdoc-inside-body", "typescript", "the JSDoc written as the first line inside the target's body (it documents the statement below, not the target)", (ctx) => {
    const t = target(ctx);
    if (!t?.def.bodySpan || t.def.bodySpan.end.line - t.def.bodySpan.start.line < 2) return null;
    const n = t.def.bodySpan.start.line + 1;
    return { texts: { [t.path]: insertBefore(t.text, n, [`${indentOf(line(t.text, n))}/** ${FIRST_LINE(ctx).replace(/\*\//g, "")} */`]) } };
  }),
);

PY_SOLUTIONS.push(
  docSolution("comment-lines-then-docstring", "python", "two comment lines, then the docstring (still the first statement)", ["# Documented by hand.", "# See below.", '"""Computes the result described in the task."""']),
  docSolution("docstring-with-semicolon", "python", "a docstring ended by a semicolon", ['"""Computes the result described in the task.""";']),
  {
    name: "docstring-form-feed-indent",
    family: "func-localize",
    language: "python",
    kind: "solution",
    description: "the docstring line starting with a form feed before its indentation (CPython resets the column at a form feed)",
    produce: (ctx) => {
      const t = target(ctx);
      if (!t?.def.bodySpan || t.def.bodySpan.start.line <= t.def.signatureSpan.end.line) return null;
      const n = t.def.bodySpan.start.line;
      return { texts: { [t.path]: insertBefore(t.text, n, [`\f${indentOf(line(t.text, n))}"""Computes the result described in the task."""`]) } };
    },
  },
  docSolution("docstring-non-bmp-characters", "python", "a docstring with characters outside the BMP and combining marks (UTF-16 columns differ from code points)", ['"""Computes 𝔣(x) for naïve inputs ✓ — see 𝒪(n) note."""']),
  docSolution("docstring-with-line-separators", "python", "a docstring holding U+2028 and U+0085 (characters inside a string for CPython)", ['"""Computes the result\u2028described in the\u0085task."""']),
);
ES_SOLUTIONS.push(
  docSolution("jsdoc-non-bmp-characters", "typescript", "a JSDoc with characters outside the BMP", ["/** Computes 𝔣(x) for naïve inputs ✓ — see 𝒪(n). */"]),
  docSolution("jsdoc-with-crlf-lines", "javascript", "a multi-line JSDoc whose lines end in CRLF in an LF file", ["/**\r", " * Computes the result described in the task.\r", " */\r"]),
  docSolution("jsdoc-after-blank-comment-line", "typescript", "a `//` comment line, then the JSDoc right above the definition", ["// ---", "/** Computes the result described in the task. */"]),
);

export const FUNC_LOCALIZE_CASES: Case[] = [...PY_SOLUTIONS, ...ES_SOLUTIONS, ...HACKS, ...genericCommentFamilyCases<FuncLocalizeGold>("func-localize", { skipHacks: ["escaped-use-strict"] })];
// (escaped-use-strict: the only file with the directive, glob-parent's, has no documented definition to target.)
