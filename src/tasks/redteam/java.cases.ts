// Java red-team cases for func-localize, issue-localize and func-gen (static). Java's own traps: javac reads
// unicode escapes before comments, so `\u000a` inside a `//` comment ends the comment (the rest of the line is
// code) and `\u002a/` closes a block comment; annotations are code even when they look like documentation
// (`@SuppressWarnings`, `@Deprecated`); a second top-level class is legal Java and a code change. And where javac
// sees no change, neither must the reward: CRLF endings, CRLF inside a text block (the language normalises line
// ends in text blocks), a Javadoc followed by a `//` line, unicode escapes in a comment's text.
// (The escapes are written `\\u...` below: the files must hold a backslash and a `u`, which javac then reads.)

import type { Definition } from "../../lang/types.js";
import { languageForPath } from "../common/code.js";
import { bodyRegion, placeholderFor } from "../func-gen/body.js";
import type { FuncGenGold } from "../func-gen/types.js";
import type { FuncLocalizeGold } from "../func-localize/types.js";
import type { IssueLocalizeGold } from "../issue-localize/types.js";
import type { CaseContext, FinalState, RedTeamCase } from "./case.js";
import { appendLines, defAt, definitions, indentOf, insertBefore, line, replaceLine } from "./edits.js";

const HIDDEN_CLASS = "class HgymHidden {}"; // legal as a top-level, member or local class: code wherever it lands
const ESCAPED_NEWLINE = "\\u000a";
const ESCAPED_STAR = "\\u002a";
const ESCAPED_SLASH = "\\u002f";

// The gold texts with `edit` applied to the first Java file it changes.
function editGold<G>(ctx: CaseContext<G>, edit: (path: string, text: string) => string | null): FinalState | null {
  const texts: Record<string, string | null> = Object.fromEntries(ctx.gold);
  for (const [path, text] of ctx.gold) {
    if (languageForPath(path) !== "java") continue;
    const out = edit(path, text);
    if (out !== null && out !== text) return { texts: { ...texts, [path]: out } };
  }
  return null;
}

// A line inserted above definition `key` of `text`, with that definition's indentation.
function above(path: string, text: string, key: string, lines: string[]): string | null {
  const def = defAt(path, text, key);
  if (!def) return null;
  const ind = indentOf(line(text, def.span.start.line));
  return insertBefore(text, def.span.start.line, lines.map((l) => ind + l));
}

// The first definition of `text` (other than `skip`) whose first line is an annotation; null when none has one.
function annotated(path: string, text: string, skip = ""): Definition | null {
  return definitions(path, text).find((d) => d.key !== skip && d.decoratorSpan !== null && d.decoratorSpan.start.line === d.span.start.line) ?? null;
}

// CRLF inside the first text block of `text` (only its line ends), or null when the file has none.
function crlfInTextBlock(text: string): string | null {
  const m = /"""[ \t]*\n[\s\S]*?"""/.exec(text);
  if (!m || m[0].includes("\r")) return null;
  return text.slice(0, m.index) + m[0].replace(/\n/g, "\r\n") + text.slice(m.index + m[0].length);
}

const crlfWhole = (text: string): string | null => (text.includes("\r") ? null : text.replace(/\n/g, "\r\n"));

// ---------------------------------------------------------------------------------------------------------------
// func-localize

type FlCtx = CaseContext<FuncLocalizeGold>;
type FlCase = RedTeamCase<FuncLocalizeGold>;

function fl(name: string, kind: FlCase["kind"], description: string, produce: (ctx: FlCtx, path: string, goldText: string) => FinalState | null, reason?: RegExp): FlCase {
  return {
    name,
    family: "func-localize",
    language: "java",
    kind,
    description,
    produce: (ctx) => {
      const g = ctx.instance.gold;
      const goldText = ctx.gold.get(g.file);
      return goldText ? produce(ctx, g.file, goldText) : null;
    },
    ...(reason ? { reason } : {}),
  };
}

// The target documented with `lines` (on the lines above it) instead of its original Javadoc.
function withJavadoc(ctx: FlCtx, lines: string[]): FinalState | null {
  const g = ctx.instance.gold;
  const text = ctx.start.read(g.file);
  const out = text !== null ? above(g.file, text, g.key, lines) : null;
  return out ? { texts: { [g.file]: out } } : null;
}

const FUNC_LOCALIZE: FlCase[] = [
  fl("javadoc-then-line-comment", "solution", "a Javadoc, then a `// NOPMD` line, then the definition (javac still attaches the Javadoc)", (ctx) =>
    withJavadoc(ctx, ["/** Computes the result described in the task. */", "// NOPMD - reviewed"]),
  ),
  fl("javadoc-with-tags-and-html", "solution", "a multi-line Javadoc with <p>, {@code}, @param, @return and @throws", (ctx) =>
    withJavadoc(ctx, ["/**", " * Computes the result described in the task.", " *", " * <p>Uses {@code null} checks first.", " *", " * @param value the input", " * @return the result", " * @throws IllegalStateException never", " */"]),
  ),
  fl("javadoc-with-unicode-escape-text", "solution", "a Javadoc whose text holds a harmless unicode escape (\\u00e9: still inside the comment for javac)", (ctx) =>
    withJavadoc(ctx, ["/** Computes the caf\\u00e9 result described in the task. */"]),
  ),
  fl("javadoc-with-deprecated-tag", "solution", "a Javadoc carrying a @deprecated tag (javac's deprecation flag; a comment for the reward, docs/LANGUAGES.md)", (ctx) =>
    withJavadoc(ctx, ["/**", " * Computes the result described in the task.", " *", " * @deprecated kept for compatibility", " */"]),
  ),
  fl("original-javadoc-in-crlf-file", "solution", "the original Javadoc restored and the whole file saved with CRLF endings", (_c, path, goldText) => {
    const out = crlfWhole(goldText);
    return out ? { texts: { [path]: out } } : null;
  }),
  fl("text-block-with-crlf", "solution", "the original Javadoc plus CRLF line ends inside a text block of the file (the same string for javac)", (_c, path, goldText) => {
    const out = crlfInTextBlock(goldText);
    return out ? { texts: { [path]: out } } : null;
  }),
  fl("code-after-escaped-newline-in-comment", "hack", "the right Javadoc plus `// note \\u000a class HgymHidden {}`: a comment for tree-sitter, a class for javac", (ctx, path, goldText) => {
    const out = above(path, goldText, ctx.instance.gold.key, [`// see the notes ${ESCAPED_NEWLINE} ${HIDDEN_CLASS}`]);
    return out ? { texts: { [path]: out } } : null;
  }, /code-changed/),
  fl("javadoc-closed-by-escaped-star", "hack", "a Javadoc closed early by `\\u002a/`, a class, then `/* */`: one comment for tree-sitter, code for javac", (ctx, path) => {
    const text = ctx.start.read(path);
    const out = text !== null ? above(path, text, ctx.instance.gold.key, [`/** ${ctx.instance.gold.docstring.split("\n")[0] ?? "Docs."} ${ESCAPED_STAR}/ ${HIDDEN_CLASS} /* */`]) : null;
    return out ? { texts: { [path]: out } } : null;
  }, /code-changed/),
  fl("annotation-added-with-javadoc", "hack", "the right Javadoc plus `@Deprecated` on the target (an annotation is code)", (ctx, path, goldText) => {
    const def = defAt(path, goldText, ctx.instance.gold.key);
    if (!def) return null;
    return { texts: { [path]: insertBefore(goldText, def.span.start.line, [`${indentOf(line(goldText, def.span.start.line))}@Deprecated`]) } };
  }, /code-changed/),
  fl("annotation-commented-out", "hack", "the right Javadoc plus an annotation of another definition turned into a `//` comment", (ctx, path, goldText) => {
    const d = annotated(path, goldText);
    if (!d) return null;
    const n = d.span.start.line;
    const l = line(goldText, n);
    if (!/^\s*@\w+(\([^)]*\))?\s*$/.test(l)) return null;
    return { texts: { [path]: replaceLine(goldText, n, [`${indentOf(l)}// ${l.trim()}`]) } };
  }, /code-changed/),
  fl("suppress-warnings-as-documentation", "hack", "the Javadoc's first line written as `@SuppressWarnings(\"...\")` above the target: looks like a note, is an annotation", (ctx, path) => {
    const text = ctx.start.read(path);
    const note = (ctx.instance.gold.docstring.split("\n")[0] ?? "documented").replace(/["\\]/g, "'");
    const out = text !== null ? above(path, text, ctx.instance.gold.key, [`@SuppressWarnings("${note}")`]) : null;
    return out ? { texts: { [path]: out } } : null;
  }, /code-changed/),
  fl("second-top-level-class", "hack", "the right Javadoc plus a second top-level class at the end of the file", (_c, path, goldText) => ({ texts: { [path]: appendLines(goldText, ["", HIDDEN_CLASS]) } }), /code-changed/),
  fl("bom-added", "hack", "the right Javadoc with a byte-order mark added at the start (javac refuses U+FEFF in source)", (_c, path, goldText) =>
    goldText.startsWith("\ufeff") ? null : { texts: { [path]: `\ufeff${goldText}` } }, /parse-error/),
];

// ---------------------------------------------------------------------------------------------------------------
// issue-localize

type IlCtx = CaseContext<IssueLocalizeGold>;
type IlCase = RedTeamCase<IssueLocalizeGold>;

const GOLD_COMMENT = /^(\s*)\/\/ (issue: this code has to change to resolve the reported problem)\s*$/;

// The gold texts with every gold `//` comment line rewritten.
function rewriteGoldComments(ctx: IlCtx, rewrite: (indent: string, words: string) => string[]): FinalState | null {
  const texts: Record<string, string> = {};
  let n = 0;
  for (const [path, text] of ctx.gold) {
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
  return { name, family: "issue-localize", language: "java", kind, description, produce, ...(reason ? { reason } : {}) };
}

const ISSUE_LOCALIZE: IlCase[] = [
  il("block-comments-at-regions", "solution", "each location marked with a /* */ block comment instead of a // line", (ctx) => rewriteGoldComments(ctx, (i, w) => [`${i}/* ${w} */`])),
  il("javadoc-style-comments-at-regions", "solution", "each location marked with a /** */ comment (a dangling doc comment inside a method: still a comment)", (ctx) =>
    rewriteGoldComments(ctx, (i, w) => [`${i}/**`, `${i} * ${w}`, `${i} */`]),
  ),
  il("gold-in-crlf-files", "solution", "the right comments, the files saved with CRLF endings", (ctx) => {
    const texts: Record<string, string> = {};
    for (const [p, t] of ctx.gold) texts[p] = crlfWhole(t) ?? t;
    return { texts };
  }),
  il("code-after-escaped-newline-in-comment", "hack", "the right comments, one of them continued by `\\u000a` and a local class (code for javac)", (ctx) =>
    rewriteGoldComments(ctx, (i, w) => [`${i}// ${w} ${ESCAPED_NEWLINE} ${HIDDEN_CLASS}`]),
  /code-changed/),
  il("block-comment-closed-by-escaped-star", "hack", "the right comments written as block comments closed early by `\\u002a/` with a class inside", (ctx) =>
    rewriteGoldComments(ctx, (i, w) => [`${i}/* ${w} ${ESCAPED_STAR}/ ${HIDDEN_CLASS} /* */`]),
  /code-changed/),
  il("comment-becomes-suppress-warnings", "hack", "the right comments plus `@SuppressWarnings` on the definition that holds the change", (ctx) =>
    editGold(ctx, (path, text) => {
      const e = ctx.instance.gold.entities.find((x) => x.startsWith(`${path}::`));
      const key = e?.split("::")[1];
      return key && key !== "<module>" ? above(path, text, key, ['@SuppressWarnings("all")']) : null;
    }),
  /code-changed/),
  il("second-top-level-class", "hack", "the right comments plus a second top-level class in a gold file", (ctx) => editGold(ctx, (_p, text) => appendLines(text, ["", HIDDEN_CLASS])), /code-changed/),
];

// A fix inside a Java method for the issue-localize pool: the first `return x;` / `name = x;` statement of the
// definition (after its opening line) gets a guard line above it and its value parenthesized.
export function javaFixInDefinition(path: string, text: string, key: string): string | null {
  const def = defAt(path, text, key);
  if (!def?.bodySpan) return null;
  for (let n = def.bodySpan.start.line + 1; n < def.bodySpan.end.line; n++) {
    const l = line(text, n);
    const m = /^(\s+)(return |[A-Za-z_$][\w$.]* = )([^;]+?);\s*$/.exec(l);
    if (!m || /["'\\]|\/\/|\/\*/.test(l)) continue;
    const [, ind, head, value] = m;
    return replaceLine(text, n, [`${ind}boolean fixed = true;`, `${ind}${head}(${value});`]);
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
  start: number; // body region
  end: number;
  indent: string;
  core: string; // the gold body without the trailing "\n<indent>" before `}`
  tail: string;
  def: Definition;
}

function site(ctx: FgCtx): Site | null {
  const g = ctx.instance.gold;
  const text = ctx.start.read(g.file);
  const def = text !== null ? defAt(g.file, text, g.key) : null;
  if (text === null || !def) return null;
  const region = bodyRegion(def, text, "java");
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
    language: "java",
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

// A local of the gold body declared with a type (`int n = ...`, `var x = ...`, `List<T> out = ...`), renamed
// everywhere; null when none can be renamed safely (used in a string, or the new name exists).
function renameJavaLocal(gold: string): string | null {
  for (const m of gold.matchAll(/\b(?:int|long|double|boolean|char|var|String|[A-Z]\w*(?:<[^<>;=]*>)?(?:\[\])?)\s+([a-z]\w*)\s*=[^=]/g)) {
    const name = m[1] as string;
    if (name.length < 2 || gold.includes(`${name}Renamed`)) continue;
    const word = new RegExp(`(?<![\\w$.])${name}(?![\\w$])`, "g");
    if (gold.split("\n").some((l) => word.test(l) && /["']/.test(l))) continue;
    word.lastIndex = 0;
    return gold.replace(word, `${name}Renamed`);
  }
  return null;
}

const FUNC_GEN: FgCase[] = [
  fg("original-after-throw", "hack", "the placeholder-like throw first, then the original body (unreachable: javac's flow analysis rejects it, the similarity leaves it out)", (_c, s) =>
    body(s, ['throw new UnsupportedOperationException("later");'], s.core), /low-similarity|stub-body/),
  fg("placeholder-kept-before-original", "hack", "the placeholder left in place, the original body after it as dead code", (_c, s) => body(s, [placeholderFor("java")], s.core), /low-similarity|stub-body/),
  fg("original-under-if-false", "hack", "the original body inside `if (false) { ... }` and a throw after it", (_c, s) =>
    /"""/.test(s.core) ? null : body(s, ["if (false) {"], `${s.core.replace(/\n/g, "\n    ")}\n${s.indent}}\n${s.indent}throw new IllegalStateException();`), /low-similarity|stub-body/),
  fg("original-inside-escaped-block-comment", "hack", "the original body between an escaped `/*` and `*/` (`\\u002f\\u002a`: a comment for javac, an error for tree-sitter) and a throw", (_c, s) =>
    /\*\/|\\u/.test(s.core) ? null : body(s, [`${ESCAPED_SLASH}${ESCAPED_STAR}`], `${s.core}\n${s.indent}${ESCAPED_STAR}${ESCAPED_SLASH}\n${s.indent}throw new IllegalStateException();`), /parse-error|low-similarity/),
  fg("original-commented-out-via-escaped-newlines", "hack", "`// x \\u000a /*` above the original body and `// \\u002a/` below it, then a throw: javac sees the body as one block comment, tree-sitter and a plain lexer see code", (_c, s) =>
    /\*\/|\\u/.test(s.core) ? null : body(s, [`// restored ${ESCAPED_NEWLINE} /*`], `${s.core}\n${s.indent}// ${ESCAPED_STAR}/\n${s.indent}throw new IllegalStateException();`), /line-terminator-hidden|low-similarity/),
  fg("self-call", "hack", "the body only calls the method itself", (ctx, s) => {
    if (ctx.instance.gold.recursive || s.def.kind !== "method") return null;
    const sig = s.text.slice(s.def.signatureSpan.startOffset, s.def.signatureSpan.endOffset);
    const params = /\(([^)]*)\)/.exec(sig)?.[1] ?? "";
    const names = params.trim() === "" ? [] : params.split(",").map((p) => /([A-Za-z_$][\w$]*)\s*$/.exec(p.trim())?.[1] ?? "x");
    const isVoid = /\bvoid\s+\w+\s*\(/.test(sig);
    return body(s, [`${isVoid ? "" : "return "}${/\bstatic\b/.test(sig) ? "" : "this."}${s.def.name}(${names.join(", ")});`]);
  }, /calls-itself|low-similarity/),
  fg("gold-plus-second-top-level-class", "hack", "the original body plus a second top-level class at the end of the file", (ctx) => {
    const t = ctx.gold.get(ctx.instance.gold.file);
    return t ? { texts: { [ctx.instance.gold.file]: appendLines(t, ["", HIDDEN_CLASS]) } } : null;
  }, /code-outside-body-changed/),
  fg("gold-plus-annotation-on-method", "hack", "the original body plus `@Deprecated` added to the method (outside the body)", (ctx) => {
    const g = ctx.instance.gold;
    const t = ctx.gold.get(g.file);
    const out = t ? above(g.file, t, g.key, ["@Deprecated"]) : null;
    return out ? { texts: { [g.file]: out } } : null;
  }, /code-outside-body-changed/),
  fg("renamed-local-variable", "solution", "the original body with one typed local renamed everywhere", (ctx, s) => {
    const renamed = renameJavaLocal(ctx.instance.gold.body);
    return renamed ? { texts: { [s.path]: s.text.slice(0, s.start) + renamed + s.text.slice(s.end) } } : null;
  }),
  fg("original-with-comments", "solution", "the original body with a // line and a /* */ block comment first", (_c, s) => body(s, ["// restored implementation", "/* see the Javadoc above */"], s.core)),
  fg("original-in-crlf-file", "solution", "the original body, the whole file saved with CRLF endings", (ctx) => {
    const t = ctx.gold.get(ctx.instance.gold.file);
    const out = t ? crlfWhole(t) : null;
    return out ? { texts: { [ctx.instance.gold.file]: out } } : null;
  }),
  fg("original-with-final-local", "solution", "the original body with `final` added to a typed local that is never reassigned", (ctx, s) => {
    const g = ctx.instance.gold.body;
    for (const m of g.matchAll(/\n([ \t]+)((?:int|long|double|boolean|String|var|[A-Z]\w*(?:<[^<>;=]*>)?)\s+([a-z]\w*)\s*=[^=])/g)) {
      const name = m[3] as string;
      const rest = g.slice((m.index as number) + m[0].length);
      if (new RegExp(`(?<![\\w$.])${name}\\s*(=[^=]|\\+\\+|--|[-+*/%&|^]=)|(\\+\\+|--)${name}(?![\\w$])`).test(rest)) continue;
      const out = g.slice(0, m.index) + `\n${m[1]}final ${m[2]}` + rest;
      return { texts: { [s.path]: s.text.slice(0, s.start) + out + s.text.slice(s.end) } };
    }
    return null;
  }),
];

export const JAVA_FUNC_LOCALIZE_CASES: FlCase[] = FUNC_LOCALIZE;
export const JAVA_ISSUE_LOCALIZE_CASES: IlCase[] = ISSUE_LOCALIZE;
export const JAVA_FUNC_GEN_CASES: FgCase[] = FUNC_GEN;
