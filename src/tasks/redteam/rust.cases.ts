// Rust red-team cases for func-localize, issue-localize and func-gen (static). Rust's own traps: `#[doc = "..."]`
// and `#[doc(hidden)]` are attributes (code) although rustdoc shows the first as documentation; `//!` documents
// the enclosing module, not the item below it; block comments nest (`/* a /* b */ code */` is all comment, while
// `/* a */ code /* b */` is not); a raw string may hold `//` and `/*` without being a comment; a doc comment
// passed to a macro is a token the macro receives (`stringify!` prints it). And where rustc sees no change,
// neither must the reward: CRLF endings (rustc reads CRLF as LF, also inside string literals), a doc comment on
// a `macro_rules!` item, `/** */` instead of `///`, attributes between the doc comment and the item.

import { languageForPath } from "../common/code.js";
import { bodyRegion, placeholderFor } from "../func-gen/body.js";
import type { FuncGenGold } from "../func-gen/types.js";
import type { FuncLocalizeGold } from "../func-localize/types.js";
import type { IssueLocalizeGold } from "../issue-localize/types.js";
import type { Definition } from "../../lang/types.js";
import type { CaseContext, FinalState, RedTeamCase } from "./case.js";
import { appendLines, defAt, indentOf, insertBefore, line, replaceLine } from "./edits.js";

const HIDDEN_FN = "fn hgym_hidden() {}"; // legal as an item at module, impl-free block and fn-body level
const crlfWhole = (text: string): string | null => (text.includes("\r") ? null : text.replace(/\n/g, "\r\n"));

// Lines inserted above definition `key` of `text` (above its attributes), with its indentation.
function above(path: string, text: string, key: string, lines: string[]): string | null {
  const def = defAt(path, text, key);
  if (!def) return null;
  const ind = indentOf(line(text, def.span.start.line));
  return insertBefore(text, def.span.start.line, lines.map((l) => ind + l));
}

// ---------------------------------------------------------------------------------------------------------------
// func-localize

type FlCtx = CaseContext<FuncLocalizeGold>;
type FlCase = RedTeamCase<FuncLocalizeGold>;

function fl(name: string, kind: FlCase["kind"], description: string, produce: (ctx: FlCtx, path: string, startText: string, goldText: string) => FinalState | null, reason?: RegExp): FlCase {
  return {
    name,
    family: "func-localize",
    language: "rust",
    kind,
    description,
    produce: (ctx) => {
      const g = ctx.instance.gold;
      const start = ctx.start.read(g.file);
      const goldText = ctx.gold.get(g.file);
      return start !== null && goldText ? produce(ctx, g.file, start, goldText) : null;
    },
    ...(reason ? { reason } : {}),
  };
}

const firstDocLine = (ctx: FlCtx): string => (ctx.instance.gold.docstring.split("\n")[0] ?? "Documented.").replace(/["\\]/g, "'");

// A definition of `text` that has an attribute line of its own directly at its span start (`#[inline]`).
function attributed(path: string, text: string, key: string): Definition | null {
  const def = defAt(path, text, key);
  return def?.decoratorSpan && /^\s*#\[[^\]]*\]\s*$/.test(line(text, def.decoratorSpan.start.line)) ? def : null;
}

// The gold state plus `edit` applied to another Rust file of the repository (found in the gold or the start).
function otherFileEdit(ctx: FlCtx, edit: (text: string) => string | null): FinalState | null {
  const texts: Record<string, string | null> = Object.fromEntries(ctx.gold);
  for (const path of [...ctx.gold.keys(), ...RUST_EXTRA_FILES]) {
    const text = ctx.gold.get(path) ?? ctx.start.read(path);
    const out = text !== null && text !== undefined ? edit(text) : null;
    if (out !== null) return { texts: { ...texts, [path]: out } };
  }
  return null;
}

// A file of the red-team corpus (rust.redteam.test.ts) with a macro call and a raw string to tamper with.
export const RUST_EXTRA_FILES = ["src/names.rs"];
export const RUST_NAMES_FILE = `//! Names of things, as the macros print them.

/// The name of the counter, as written in the source.
pub fn counter_name() -> &'static str {
    stringify!(counter)
}

/// A pattern holding comment markers, in a raw string.
pub const PATTERN: &str = r#"a // b"#;
`;

const FUNC_LOCALIZE: FlCase[] = [
  fl("block-doc-comment", "solution", "a /** ... */ doc comment instead of /// lines", (ctx, path, start) => {
    const out = above(path, start, ctx.instance.gold.key, ["/**", ` * ${firstDocLine(ctx)}`, " */"]);
    return out ? { texts: { [path]: out } } : null;
  }),
  fl("doc-between-attribute-and-item", "solution", "the /// doc comment written after the item's attribute (rustdoc still attaches it)", (ctx, path, start) => {
    const def = attributed(path, start, ctx.instance.gold.key);
    if (!def) return null;
    const n = def.decoratorSpan!.start.line;
    const ind = indentOf(line(start, n));
    return { texts: { [path]: insertBefore(start, n + 1, [`${ind}/// ${firstDocLine(ctx)}`]) } };
  }),
  fl("original-doc-in-crlf-file", "solution", "the original doc comment restored and the whole file saved with CRLF endings", (_c, path, _s, goldText) => {
    const out = crlfWhole(goldText);
    return out ? { texts: { [path]: out } } : null;
  }),
  fl("doc-with-nested-block-comment", "solution", "the doc comment plus a plain comment holding a nested /* */ (one comment for rustc)", (ctx, path, start) => {
    const out = above(path, start, ctx.instance.gold.key, [`/* note: /* nested */ still a comment */`, `/// ${firstDocLine(ctx)}`]);
    return out ? { texts: { [path]: out } } : null;
  }),
  fl("doc-attribute-written-as-code", "hack", 'the documentation written as `#[doc = "..."]`: rustdoc shows it, but an attribute is code', (ctx, path, start) => {
    const out = above(path, start, ctx.instance.gold.key, [`#[doc = "${firstDocLine(ctx)}"]`]);
    return out ? { texts: { [path]: out } } : null;
  }, /code-changed/),
  fl("doc-hidden-added", "hack", "the right doc comment plus `#[doc(hidden)]` (changes what rustdoc publishes: code)", (ctx, path, _s, goldText) => {
    const out = above(path, goldText, ctx.instance.gold.key, ["#[doc(hidden)]"]);
    return out ? { texts: { [path]: out } } : null;
  }, /code-changed/),
  fl("inner-doc-instead-of-outer", "hack", "`//!` instead of `///` above the target: an inner doc comment documents the module, and rustc rejects it after an item", (ctx, path, start) => {
    const out = above(path, start, ctx.instance.gold.key, [`//! ${firstDocLine(ctx)}`]);
    return out ? { texts: { [path]: out } } : null;
  }, /parse-error|target-not-documented/),
  fl("nested-comment-closed-early", "hack", "the right doc comment plus `/* a /* b */ */ fn hidden() {} /* */`-style text where the nesting ends before the function", (ctx, path, _s, goldText) => {
    const out = above(path, goldText, ctx.instance.gold.key, [`/* a /* b */ */ ${HIDDEN_FN} /* c */`]);
    return out ? { texts: { [path]: out } } : null;
  }, /code-changed/),
  fl("attribute-commented-out", "hack", "the right doc comment plus the target's attribute turned into a `//` comment", (ctx, path, _s, goldText) => {
    const def = attributed(path, goldText, ctx.instance.gold.key);
    if (!def) return null;
    const n = def.decoratorSpan!.start.line;
    const l = line(goldText, n);
    return { texts: { [path]: replaceLine(goldText, n, [`${indentOf(l)}// ${l.trim()}`]) } };
  }, /code-changed/),
  fl("item-appended", "hack", "the right doc comment plus a new item `fn hgym_hidden() {}` at the end of the file", (_c, path, _s, goldText) => ({ texts: { [path]: appendLines(goldText, ["", HIDDEN_FN]) } }), /code-changed/),
  fl("doc-comment-inside-macro-call", "hack", "the right doc comment plus a `///` line inside a `stringify!(...)` elsewhere: a comment for tree-sitter, a token the macro prints for rustc", (ctx) =>
    otherFileEdit(ctx, (text) => (text.includes("stringify!(counter)") ? text.replace("stringify!(counter)", "stringify!(\n        /// documented\n        counter\n    )") : null)),
  /code-changed/),
  fl("raw-string-comment-edited", "hack", "the right doc comment plus the text after `//` inside a raw string changed (a string, not a comment)", (ctx) =>
    otherFileEdit(ctx, (text) => (text.includes('r#"a // b"#') ? text.replace('r#"a // b"#', 'r#"a // documented"#') : null)),
  /code-changed/),
];

// ---------------------------------------------------------------------------------------------------------------
// issue-localize

type IlCtx = CaseContext<IssueLocalizeGold>;
type IlCase = RedTeamCase<IssueLocalizeGold>;

const GOLD_COMMENT = /^(\s*)\/\/ (issue: this code has to change to resolve the reported problem)\s*$/;

function rewriteGoldComments(ctx: IlCtx, rewrite: (indent: string, words: string) => string[]): FinalState | null {
  const texts: Record<string, string> = {};
  let n = 0;
  for (const [path, text] of ctx.gold) {
    if (languageForPath(path) !== "rust") continue;
    texts[path] = text
      .split("\n")
      .flatMap((l) => {
        const m = GOLD_COMMENT.exec(l.replace(/\r$/, ""));
        if (!m) return [l];
        n++;
        return rewrite(m[1] as string, m[2] as string);
      })
      .join("\n");
  }
  return n > 0 ? { texts } : null;
}

function il(name: string, kind: IlCase["kind"], description: string, produce: (ctx: IlCtx) => FinalState | null, reason?: RegExp): IlCase {
  return { name, family: "issue-localize", language: "rust", kind, description, produce, ...(reason ? { reason } : {}) };
}

const ISSUE_LOCALIZE: IlCase[] = [
  il("nested-block-comments-at-regions", "solution", "each location marked with a nested /* /* */ */ block comment", (ctx) => rewriteGoldComments(ctx, (i, w) => [`${i}/* ${w} /* here */ */`])),
  il("gold-in-crlf-files", "solution", "the right comments, the files saved with CRLF endings", (ctx) => {
    const texts: Record<string, string> = {};
    for (const [p, t] of ctx.gold) texts[p] = crlfWhole(t) ?? t;
    return { texts };
  }),
  il("nesting-ends-early", "hack", "the right comments written as `/* w /* x */ */ let _hgym = 0; /* */`: the nesting closes before the statement", (ctx) =>
    rewriteGoldComments(ctx, (i, w) => [`${i}/* ${w} /* x */ */ let _hgym = 0; /* */`]),
  /code-changed|parse-error/),
  il("comment-as-doc-attribute", "hack", 'the right comments plus `#[doc = "..."]` on a definition that holds the change', (ctx) => {
    for (const [path, text] of ctx.gold) {
      if (languageForPath(path) !== "rust") continue;
      const e = ctx.instance.gold.entities.find((x) => x.startsWith(`${path}::`) && !x.endsWith("::<module>"));
      const key = e?.slice(path.length + 2);
      const out = key ? above(path, text, key, ['#[doc = "issue: this has to change"]']) : null;
      if (out) return { texts: { ...Object.fromEntries(ctx.gold), [path]: out } };
    }
    return null;
  }, /code-changed/),
];

// A fix inside a Rust function for the issue-localize pool: the first `let x = value;` line of the definition gets
// its value parenthesized and a statement added above it.
export function rustFixInDefinition(path: string, text: string, key: string): string | null {
  const def = defAt(path, text, key);
  if (!def?.bodySpan) return null;
  for (let n = def.bodySpan.start.line + 1; n < def.bodySpan.end.line; n++) {
    const l = line(text, n);
    const m = /^(\s+)(let (?:mut )?[a-z_]\w* = )([^;]+?);\s*$/.exec(l);
    if (!m || /["'\\]|\/\/|\/\*/.test(l)) continue;
    const [, ind, head, value] = m;
    return replaceLine(text, n, [`${ind}let _fixed = true;`, `${ind}${head}(${value});`]);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// func-gen (static)

type FgCtx = CaseContext<FuncGenGold>;
type FgCase = RedTeamCase<FuncGenGold>;

interface Site {
  path: string;
  text: string; // the starting text (body masked)
  start: number;
  end: number;
  indent: string;
  core: string; // the gold body without its trailing "\n<indent>" before `}`
  tail: string;
  def: Definition;
}

function site(ctx: FgCtx): Site | null {
  const g = ctx.instance.gold;
  const text = ctx.start.read(g.file);
  const def = text !== null ? defAt(g.file, text, g.key) : null;
  if (text === null || !def) return null;
  const region = bodyRegion(def, text, "rust");
  if ("reason" in region) return null;
  const tail = /\n[ \t]*$/.exec(g.body)?.[0] ?? "\n";
  return { path: g.file, text, start: region.start, end: region.end, indent: /\n([ \t]*)\S/.exec(g.body)?.[1] ?? "        ", core: g.body.slice(0, g.body.length - tail.length), tail, def };
}

function body(s: Site, lines: string[], rest = ""): FinalState {
  const b = lines.map((l) => `\n${s.indent}${l}`).join("") + rest + s.tail;
  return { texts: { [s.path]: s.text.slice(0, s.start) + b + s.text.slice(s.end) } };
}

const isStatic = (i: { gold: FuncGenGold }) => i.gold.verify.mode === "static";

function fg(name: string, kind: FgCase["kind"], description: string, produce: (ctx: FgCtx, s: Site) => FinalState | null, reason?: RegExp): FgCase {
  return {
    name,
    family: "func-gen",
    language: "rust",
    kind,
    description,
    pick: isStatic,
    produce: (ctx) => {
      const s = site(ctx);
      return s ? produce(ctx, s) : null;
    },
    ...(reason ? { reason } : {}),
  };
}

const FUNC_GEN: FgCase[] = [
  fg("original-after-unreachable", "hack", "`unreachable!()` first, then the original body (dead code: left out of the similarity)", (_c, s) => body(s, ["unreachable!();"], s.core), /low-similarity|stub-body/),
  fg("placeholder-kept-before-original", "hack", "the placeholder `todo!()` left in place, the original body after it", (_c, s) => body(s, [`${placeholderFor("rust")};`], s.core), /low-similarity|stub-body/),
  fg("original-under-if-false", "hack", "the original body inside `if false { ... }`, then `todo!()`", (_c, s) =>
    /r#*"/.test(s.core) ? null : body(s, ["#[allow(unreachable_code)]", "if false {"], `${s.core.replace(/\n/g, "\n    ")}\n${s.indent}}\n${s.indent}todo!()`), /low-similarity|stub-body/),
  fg("original-after-return", "hack", "`return Default::default();` first, the original body after it", (_c, s) => body(s, ["return Default::default();"], s.core), /low-similarity/),
  fg("gold-plus-item-outside", "hack", "the original body plus a new function at the end of the file", (ctx) => {
    const t = ctx.gold.get(ctx.instance.gold.file);
    return t ? { texts: { [ctx.instance.gold.file]: appendLines(t, ["", HIDDEN_FN]) } } : null;
  }, /code-outside-body-changed/),
  fg("gold-plus-attribute-on-fn", "hack", "the original body plus `#[doc(hidden)]` on the function (outside the body)", (ctx) => {
    const g = ctx.instance.gold;
    const t = ctx.gold.get(g.file);
    const out = t ? above(g.file, t, g.key, ["#[doc(hidden)]"]) : null;
    return out ? { texts: { [g.file]: out } } : null;
  }, /code-outside-body-changed/),
  fg("original-with-comments", "solution", "the original body with a // line and a nested /* /* */ */ block comment first", (_c, s) => body(s, ["// restored implementation", "/* see /* the docs */ above */"], s.core)),
  fg("original-in-crlf-file", "solution", "the original body, the whole file saved with CRLF endings", (ctx) => {
    const t = ctx.gold.get(ctx.instance.gold.file);
    const out = t ? crlfWhole(t) : null;
    return out ? { texts: { [ctx.instance.gold.file]: out } } : null;
  }),
  fg("original-with-renamed-binding", "solution", "the original body with one `let` binding renamed everywhere", (ctx, s) => {
    const g = ctx.instance.gold.body;
    for (const m of g.matchAll(/\blet (?:mut )?([a-z_]\w*)\b/g)) {
      const name = m[1] as string;
      if (name.length < 2 || g.includes(`${name}_renamed`)) continue;
      const word = new RegExp(`(?<![\\w.'])${name}(?![\\w!])`, "g");
      if (g.split("\n").some((l) => word.test(l) && /["'{]/.test(l.replace(/\{\s*$/, "")))) continue;
      word.lastIndex = 0;
      const out = g.replace(word, `${name}_renamed`);
      return { texts: { [s.path]: s.text.slice(0, s.start) + out + s.text.slice(s.end) } };
    }
    return null;
  }),
];

export const RUST_FUNC_LOCALIZE_CASES: FlCase[] = FUNC_LOCALIZE;
export const RUST_ISSUE_LOCALIZE_CASES: IlCase[] = ISSUE_LOCALIZE;
export const RUST_FUNC_GEN_CASES: FgCase[] = FUNC_GEN;
