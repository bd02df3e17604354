// dep-search red-team cases: annotations everywhere, twice, on the wrong definitions, inside docstrings (hacks);
// annotations worded, spaced and placed in every way the rules allow (solutions). The generic comment-family
// cases come on top.

import type { Definition } from "../../lang/types.js";
import type { DepSearchGold } from "../dep-search/types.js";
import type { CaseContext, FinalState, RedTeamCase } from "./case.js";
import { defAt, definitions, indentOf, insertBefore, line } from "./edits.js";
import { genericCommentFamilyCases } from "./generic-cases.js";

type Ctx = CaseContext<DepSearchGold>;
type Case = RedTeamCase<DepSearchGold>;
type Lang = Case["language"];

interface Mark {
  file: string;
  key: string;
  text: (indent: string, ctx: Ctx) => string[]; // the lines to insert (without indentation)
  place?: "above" | "below-decorators";
}

const mk = (ctx: Ctx) => (ctx.instance.language === "python" ? "#" : "//");
const standard = (_i: string, ctx: Ctx) => [`${mk(ctx)} this function/class is called by the ${ctx.instance.gold.target.name} function`];

// Inserts the marks into the starting texts, bottom-up per file; null when a definition cannot be found.
function annotate(ctx: Ctx, marks: Mark[]): FinalState | null {
  const texts: Record<string, string> = {};
  const byFile = new Map<string, { line: number; lines: string[] }[]>();
  for (const m of marks) {
    const text = ctx.start.read(m.file);
    const def = text !== null ? defAt(m.file, text, m.key) : null;
    if (text === null || !def) return null;
    let at = def.span.start.line;
    if (m.place === "below-decorators") {
      if (!def.decoratorSpan) return null;
      at = def.signatureSpan.start.line;
    }
    const ind = indentOf(line(text, at));
    const list = byFile.get(m.file) ?? [];
    list.push({ line: at, lines: m.text(ind, ctx).map((l) => ind + l) });
    byFile.set(m.file, list);
  }
  for (const [file, inserts] of byFile) {
    let text = ctx.start.read(file) as string;
    for (const ins of inserts.sort((a, b) => b.line - a.line)) text = insertBefore(text, ins.line, ins.lines);
    texts[file] = text;
  }
  return { texts };
}

function defLine(ctx: Ctx, d: { file: string; key: string }): number {
  const text = ctx.start.read(d.file);
  return (text !== null ? defAt(d.file, text, d.key)?.span.start.line : undefined) ?? 0;
}

const deps = (ctx: Ctx): Mark[] => ctx.instance.gold.dependencies.map((d) => ({ file: d.file, key: d.key, text: standard }));

// A definition near `dep` in its file that is not a dependency (and not the target), if any.
function neighbourNonDep(ctx: Ctx, dep: { file: string; key: string }): Definition | null {
  const text = ctx.start.read(dep.file);
  if (text === null) return null;
  const gold = new Set(ctx.instance.gold.dependencies.map((d) => `${d.file}::${d.key}`));
  const defs = definitions(dep.file, text).filter((d) => !gold.has(`${dep.file}::${d.key}`));
  const self = defAt(dep.file, text, dep.key);
  if (!self) return null;
  return defs.find((d) => d.span.start.line > self.span.start.line && d.span.start.line !== self.span.start.line) ?? defs.find((d) => d.span.start.line !== self.span.start.line) ?? null;
}

function c(name: string, language: Lang, kind: Case["kind"], description: string, produce: (ctx: Ctx) => FinalState | null, pick?: Case["pick"]): Case {
  return { name, family: "dep-search", language, kind, description, produce, ...(pick ? { pick } : {}) };
}

const CASES: Case[] = [];
for (const lang of ["python", "typescript", "javascript", "go", "java"] as const) {
  CASES.push(
    c("annotate-every-definition-of-gold-files", lang, "hack", "the annotation above every definition of every file that holds a dependency or the target", (ctx) => {
      const g = ctx.instance.gold;
      const files = [...new Set([g.target.file, ...g.dependencies.map((d) => d.file)])];
      const marks: Mark[] = files.flatMap((f) => definitions(f, ctx.start.read(f) ?? "").map((d) => ({ file: f, key: d.key, text: standard })));
      return annotate(ctx, marks);
    }),
    c("duplicate-annotation", lang, "hack", "the right annotations, one of them written twice", (ctx) => {
      const d = deps(ctx);
      return d[0] ? annotate(ctx, [...d, d[0]]) : null;
    }),
    c("annotation-on-wrong-definition", lang, "hack", "one annotation moved to a neighbouring definition that is not a dependency", (ctx) => {
      const [first, ...rest] = deps(ctx);
      if (!first) return null;
      const wrong = neighbourNonDep(ctx, first);
      return wrong ? annotate(ctx, [{ file: first.file, key: wrong.key, text: standard }, ...rest]) : null;
    }),
    c("target-annotated-as-its-own-dependency", lang, "hack", "the right annotations plus one above the target itself", (ctx) => {
      const t = ctx.instance.gold.target;
      if (ctx.instance.gold.dependencies.some((d) => d.file === t.file && d.key === t.key)) return null;
      return annotate(ctx, [...deps(ctx), { file: t.file, key: t.key, text: standard }]);
    }),
    c("one-dependency-left-out", lang, "hack", "every annotation but one (the agent hedges on the least certain call)", (ctx) => {
      const d = deps(ctx);
      return d.length >= 2 ? annotate(ctx, d.slice(1)) : null;
    }),
    c("annotation-at-top-of-file", lang, "hack", "the right annotations plus one more at the top of each file, attached to whatever follows", (ctx) => {
      const base = annotate(ctx, deps(ctx));
      if (!base?.texts) return null;
      const texts = { ...base.texts } as Record<string, string>;
      for (const [p, t] of Object.entries(texts)) texts[p] = `${mk(ctx)} this function/class is called by the ${ctx.instance.gold.target.name} function\n${t}`;
      return { texts };
    }),
    c("annotations-with-extra-spaces", lang, "solution", "annotations with extra spaces, different case and a trailing period", (ctx) =>
      annotate(ctx, deps(ctx).map((m) => ({ ...m, text: (_i, x) => [`${mk(x)}   This   function/class  is  called by  the ${x.instance.gold.target.name}   function.  `] }))),
    ),
    c("annotations-with-qualified-name", lang, "solution", "annotations naming the target by its qualified name and calling it a method", (ctx) => {
      const q = ctx.instance.gold.target.key.replace(/#\d+$/, "");
      return annotate(ctx, deps(ctx).map((m) => ({ ...m, text: (_i, x) => [`${mk(x)} this method is called by ${q}`] })));
    }),
    c("annotation-blank-line-before-definition", lang, "solution", "each annotation followed by a blank line and another comment before its definition", (ctx) =>
      annotate(ctx, deps(ctx).map((m) => ({ ...m, text: (_i, x) => [...standard("", x), "", `${mk(x)} (see the call site)`] }))),
    ),
  );
}
CASES.push(
  c("annotation-in-docstring", "python", "hack", "the annotation text written as a new docstring of each dependency (docstrings are code in dep-search)", (ctx) => {
    const g = ctx.instance.gold;
    const texts: Record<string, string> = {};
    // Bottom-up within each file, so an insertion never moves a definition still to be handled.
    const ordered = g.dependencies.slice().sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (defLine(ctx, b) - defLine(ctx, a)));
    for (const d of ordered) {
      const text = texts[d.file] ?? ctx.start.read(d.file);
      const def = text !== null ? defAt(d.file, text, d.key) : null;
      if (text === null || !def || def.docstring || def.kind === "class" || !def.bodySpan || def.bodySpan.start.line <= def.signatureSpan.end.line) return null;
      const n = def.bodySpan.start.line;
      texts[d.file] = insertBefore(text, n, [`${indentOf(line(text, n))}"""this function/class is called by the ${g.target.name} function"""`]);
    }
    return { texts };
  }),
  c("annotation-below-decorators", "python", "solution", "annotations between the decorators and the `def` line (the rules allow either side)", (ctx) => {
    const marks = deps(ctx);
    let below = 0;
    const placed = marks.map((m) => {
      const text = ctx.start.read(m.file);
      const def = text !== null ? defAt(m.file, text, m.key) : null;
      if (def?.decoratorSpan) {
        below++;
        return { ...m, place: "below-decorators" as const };
      }
      return m;
    });
    return below > 0 ? annotate(ctx, placed) : null;
  }),
  c("annotations-as-block-comments", "typescript", "solution", "annotations written as one-line /* */ block comments", (ctx) =>
    annotate(ctx, deps(ctx).map((m) => ({ ...m, text: (_i, x) => [`/* this function/class is called by the ${x.instance.gold.target.name} function */`] }))),
  ),
);

// Session 4: annotations written the way models write them (backticks, parentheses, tabs, CRLF, deeper
// indentation) are accepted; a look-alike name or an annotation after code on a line is not an annotation.
const named = (ctx: Ctx, f: (name: string, marker: string) => string): Mark[] => deps(ctx).map((m) => ({ ...m, text: (_i, x) => [f(x.instance.gold.target.name, mk(x))] }));
// The target's name with one Latin letter replaced by its Cyrillic look-alike, or null when it has none.
function lookalike(name: string): string | null {
  const map: Record<string, string> = { a: "\u0430", e: "\u0435", o: "\u043e", c: "\u0441", p: "\u0440" };
  const i = [...name].findIndex((ch) => ch in map);
  return i < 0 ? null : name.slice(0, i) + map[name[i] as string] + name.slice(i + 1);
}
for (const lang of ["python", "typescript", "javascript"] as const) {
  CASES.push(
    c("annotation-name-in-backticks", lang, "solution", "annotations naming the target in Markdown backticks", (ctx) => annotate(ctx, named(ctx, (n, m) => `${m} this function/class is called by the \`${n}\` function`))),
    c("annotation-name-with-parentheses", lang, "solution", "annotations naming the target as a call, `name()`", (ctx) => annotate(ctx, named(ctx, (n, m) => `${m} this function/class is called by the ${n}() function`))),
    c("annotation-tab-separated", lang, "solution", "annotation words separated by tabs", (ctx) => annotate(ctx, named(ctx, (n, m) => `${m}\tthis function/class\tis called by the\t${n}\tfunction`))),
    c("annotation-line-crlf", lang, "solution", "each annotation line ending in CRLF in an LF file", (ctx) => annotate(ctx, named(ctx, (n, m) => `${m} this function/class is called by the ${n} function\r`))),
    c("annotation-lookalike-name", lang, "hack", "annotations naming the target with a Cyrillic look-alike letter (another name)", (ctx) => {
      const fake = lookalike(ctx.instance.gold.target.name);
      return fake ? annotate(ctx, named(ctx, (_n, m) => `${m} this function/class is called by the ${fake} function`)) : null;
    }),
  );
}
CASES.push(
  c("annotation-indented-deeper", "python", "solution", "annotations indented four spaces deeper than their definition (comment lines have no indentation for CPython)", (ctx) =>
    annotate(ctx, named(ctx, (n, m) => `    ${m} this function/class is called by the ${n} function`)),
  ),
  c("triple-slash-annotation", "typescript", "solution", "annotations written with `///` (not a compiler directive: no `<tag>`)", (ctx) => annotate(ctx, named(ctx, (n) => `/// this function/class is called by the ${n} function`))),
  c("annotation-after-code-on-previous-line", "python", "hack", "each annotation appended to the code line above its definition instead of on its own line", (ctx) => {
    const texts: Record<string, string> = {};
    for (const d of ctx.instance.gold.dependencies) {
      const text = texts[d.file] ?? ctx.start.read(d.file);
      const def = text !== null ? defAt(d.file, text, d.key) : null;
      if (text === null || !def) return null;
      let k = def.span.start.line - 1;
      while (k >= 1 && line(text, k).trim() === "") k--;
      const above = line(text, k);
      if (k < 1 || /["'#\\]|^\s*@/.test(above)) return null;
      texts[d.file] = text.split("\n").map((l, i) => (i === k - 1 ? `${l}  # this function/class is called by the ${ctx.instance.gold.target.name} function` : l)).join("\n");
    }
    return { texts };
  }),
);

export const DEP_SEARCH_CASES: Case[] = [...CASES, ...genericCommentFamilyCases<DepSearchGold>("dep-search")];
