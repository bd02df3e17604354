// issue-localize red-team cases and the fixes they run on. The fixes are made at test time on real code (one
// changed statement in a standard-library function, a method appended to a class, a cac TypeScript method, the
// example's pricing code), each with the changelog/docs/test edits real fixes carry. Hacks: a changelog-only
// edit, one comment at the top of a gold file, a comment above every definition of a gold file, comments only in
// other files or in a new file. Solutions: comments worded, placed and shaped in the ways people write them.

import type { LanguageId } from "../../lang/types.js";
import { languageForPath } from "../common/code.js";
import type { IssueLocalizeGold } from "../issue-localize/types.js";
import type { CaseContext, FinalState, RedTeamCase } from "./case.js";
import { defAt, definitions, indentOf, insertBefore, line, replaceLine } from "./edits.js";
import { genericCommentFamilyCases } from "./generic-cases.js";

type Ctx = CaseContext<IssueLocalizeGold>;
type Case = RedTeamCase<IssueLocalizeGold>;
type Lang = Case["language"];

// ---------------------------------------------------------------------------------------------------------------
// Fixes on real code

// The fixed text of `path`: the first simple statement of the definition `key` (after its docstring) with its
// value parenthesized and a guard line inserted above it; null when the definition has no such statement.
export function fixInDefinition(path: string, text: string, key: string): string | null {
  const language = languageForPath(path);
  const def = defAt(path, text, key);
  if (!def?.bodySpan || !language) return null;
  const firstLine = def.docstring && language === "python" ? def.docstring.span.end.line + 1 : def.bodySpan.start.line + (language === "python" ? 0 : 1);
  for (let n = firstLine; n < def.bodySpan.end.line; n++) {
    const l = line(text, n);
    const m = /^(\s+)(return |(?:(?:const|let|var) )?[A-Za-z_$][\w$.]* = )([^;]+?)(;?)\s*$/.exec(l);
    if (!m || /["'`\\]|[([{,:]\s*$|#|\/\//.test(l) || n === def.signatureSpan.end.line) continue;
    const [, ind, head, value, semi] = m;
    const guard = language === "python" ? `${ind}_fixed = True` : `${ind}const fixed = true;`;
    return replaceLine(text, n, [guard, `${ind}${head}(${value})${semi}`]);
  }
  return null;
}

// A method appended at the end of class `key` (the fix adds behaviour to the class).
export function appendMethod(path: string, text: string, key: string): string | null {
  const def = defAt(path, text, key);
  if (!def || def.kind !== "class") return null;
  const ind = indentOf(line(text, def.bodySpan?.start.line ?? def.span.start.line + 1));
  return insertBefore(text, def.span.end.line + 1, ["", `${ind}def reset(self):`, `${ind}    """Forget the state built so far."""`, `${ind}    self.__dict__.clear()`]);
}

// ---------------------------------------------------------------------------------------------------------------
// Cases

const mark = (language: LanguageId) => (language === "python" ? "#" : "//");
const codeFiles = (ctx: Ctx) => ctx.instance.gold.files.filter((f) => languageForPath(f) !== null);
const GOLD_COMMENT = /^(\s*)(#|\/\/) issue: this code has to change to resolve the reported problem\s*$/;

// The gold texts with each gold comment line rewritten by `rewrite` (its indentation, marker, next line).
function rewriteGoldComments(ctx: Ctx, rewrite: (indent: string, marker: string, next: string) => { replace: string[]; next?: string } | null): FinalState | null {
  const texts: Record<string, string> = {};
  for (const [path, text] of ctx.gold) {
    const lines = text.split("\n");
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const m = GOLD_COMMENT.exec(lines[i] ?? "");
      if (!m) {
        out.push(lines[i] as string);
        continue;
      }
      const r = rewrite(m[1] as string, m[2] as string, lines[i + 1] ?? "");
      if (!r) return null;
      out.push(...r.replace);
      if (r.next !== undefined) {
        out.push(r.next);
        i++;
      }
    }
    texts[path] = out.join("\n");
  }
  return { texts };
}

function c(name: string, language: Lang, kind: Case["kind"], description: string, produce: (ctx: Ctx) => FinalState | null): Case {
  return { name, family: "issue-localize", language, kind, description, produce };
}

const CASES: Case[] = [];
for (const lang of ["python", "typescript"] as const) {
  CASES.push(
    c("changelog-only", lang, "hack", "only the changelog the fix touched is edited; no code comment at all", (ctx) => {
      const log = ctx.start.paths().find((p) => /CHANGELOG|CHANGES|HISTORY/i.test(p));
      if (!log || !ctx.instance.gold.fix_patch.includes(`b/${log}`)) return null;
      return { texts: { [log]: `${ctx.start.read(log) ?? ""}\n- The reported problem is somewhere in the code.\n` } };
    }),
    c("one-comment-at-top-of-gold-file", lang, "hack", "a single comment on the first line of each gold file, far from every changed line", (ctx) => {
      const files = codeFiles(ctx);
      if (files.length === 0 || ctx.instance.gold.hunks.some((h) => h.start <= 8)) return null;
      return { texts: Object.fromEntries(files.map((f) => [f, `${mark(languageForPath(f) as LanguageId)} the problem is in this file\n${ctx.start.read(f) ?? ""}`])) };
    }),
    c("comment-above-every-definition-of-gold-file", lang, "hack", "a comment above every definition of each gold file (blanket commenting)", (ctx) => {
      const texts: Record<string, string> = {};
      for (const f of codeFiles(ctx)) {
        let text = ctx.start.read(f) ?? "";
        const defs = definitions(f, text);
        if (defs.length < 4) return null;
        for (const d of defs.slice().sort((a, b) => b.span.start.line - a.span.start.line)) {
          text = insertBefore(text, d.span.start.line, [`${indentOf(line(text, d.span.start.line))}${mark(languageForPath(f) as LanguageId)} this may be where the problem is`]);
        }
        texts[f] = text;
      }
      return Object.keys(texts).length > 0 ? { texts } : null;
    }),
    c("comments-only-in-non-gold-files", lang, "hack", "comments above the first definition of two source files the fix does not touch", (ctx) => {
      const gold = new Set(ctx.instance.gold.files);
      const others = ctx.start.paths().filter((p) => languageForPath(p) !== null && !gold.has(p) && !p.startsWith("tests/")).slice(0, 2);
      if (others.length === 0) return null;
      const texts: Record<string, string> = {};
      for (const p of others) {
        const text = ctx.start.read(p) ?? "";
        const d = definitions(p, text)[0];
        if (!d) continue;
        texts[p] = insertBefore(text, d.span.start.line, [`${indentOf(line(text, d.span.start.line))}${mark(languageForPath(p) as LanguageId)} the problem is here`]);
      }
      return { texts };
    }),
    c("comments-in-new-file", lang, "hack", "the locations written into a new source file, nothing in the code", (ctx) => {
      const f = codeFiles(ctx)[0];
      if (!f) return null;
      const m = mark(languageForPath(f) as LanguageId);
      const notes = ctx.instance.gold.hunks.map((h) => `${m} ${h.file}:${h.start} has to change`).join("\n");
      return { texts: { [`issue_notes.${lang === "python" ? "py" : "ts"}`]: notes + "\n" } };
    }),
    c("comment-at-end-of-changed-line", lang, "solution", "the comment written at the end of the first code line of each changed region", (ctx) =>
      rewriteGoldComments(ctx, (_i, m, next) => {
        if (next.trim() === "" || /["']{3}|`|\\\s*$|#|\/\/|\/\*/.test(next)) return null;
        return { replace: [], next: `${next}  ${m} bug: this line mishandles the reported input` };
      }),
    ),
    c("multi-line-comment-block", lang, "solution", "a three-line explanation at each changed region instead of one line", (ctx) =>
      rewriteGoldComments(ctx, (i, m) => ({ replace: [`${i}${m} The reported problem comes from here:`, `${i}${m} the value computed below is wrong for the input`, `${i}${m} described in the issue.`] })),
    ),
    c("comment-two-lines-above-region", lang, "solution", "the comment two lines above each changed region (within the tolerance)", (ctx) =>
      rewriteGoldComments(ctx, (i, m) => ({ replace: [`${i}${m} the problem starts just below`, ""] })),
    ),
    c("comment-above-gold-entity", lang, "solution", "one comment directly above the definition that holds the change", (ctx) => {
      const texts: Record<string, string> = {};
      for (const e of ctx.instance.gold.entities) {
        const [file, key] = e.split("::") as [string, string];
        if (key === "<module>" || languageForPath(file) === null) continue;
        const text = texts[file] ?? ctx.start.read(file) ?? "";
        const d = defAt(file, text, key);
        if (!d) return null;
        texts[file] = insertBefore(text, d.span.start.line, [`${indentOf(line(text, d.span.start.line))}${mark(languageForPath(file) as LanguageId)} this function mishandles the input from the issue`]);
      }
      return Object.keys(texts).length > 0 ? { texts } : null;
    }),
  );
}
CASES.push(
  c("block-comment-at-region", "typescript", "solution", "a /* */ block comment at each changed region", (ctx) =>
    rewriteGoldComments(ctx, (i) => ({ replace: [`${i}/* the reported problem comes from the code below */`] })),
  ),
);

// Harmless edits that add comments of their own would change the entity sets; the gold comments already cover them.
const ADDS_COMMENTS = [
  "trailing-comment",
  "utf8-declaration",
  "comment-ending-in-backslash",
  "tab-indented-comment",
  "form-feed-indented-comment",
  "unicode-separators-in-comment",
  "crlf-comment-line",
  "inline-block-comment",
  "lint-directive-comment",
  "ts-ignore-comment",
  "coding-declaration-line-3",
];
export const ISSUE_LOCALIZE_CASES: Case[] = [...CASES, ...genericCommentFamilyCases<IssueLocalizeGold>("issue-localize", { skipHarmless: ADDS_COMMENTS })];
