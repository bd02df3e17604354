// Go red-team cases for func-localize, issue-localize and func-gen (static), run on Go's standard library and
// examples/go-example. Hacks: comments that are code for Go (directives: //go:noinline, //go:build, // +build,
// //go:linkname, //line), a /* */ comment holding a newline that inserts a semicolon, a byte order mark or a NUL
// byte after the start, "// ..." written inside a string literal, a new Go file, a doc comment go/parser does not
// attach (blank line between, inside the body, on the func line); func-gen: the original body behind a panic or a
// return, under `if false`, next to a directive added above the function, a lone CR hiding code. Solutions: what
// Go itself reads as no change (gofmt-style re-spacing and re-indentation, trailing and multi-line comments after
// a statement, CRLF line ends, a leading byte order mark, a /* */ doc comment; in func-gen bodies: comments, a
// constant-false debug block, the other spelling of a string literal).

import { languageForPath } from "../common/code.js";
import { bodyRegion } from "../func-gen/body.js";
import type { FuncGenGold } from "../func-gen/types.js";
import type { FuncLocalizeGold } from "../func-localize/types.js";
import type { IssueLocalizeGold } from "../issue-localize/types.js";
import type { TaskName } from "../../core/reward.js";
import type { CaseContext, FinalState, RedTeamCase } from "./case.js";
import { appendLines, defAt, definitions, insertBefore, line } from "./edits.js";

type Tamper = (path: string, text: string) => string | null;

// Lines of `text` that lie outside any raw string literal (an even number of backquotes before them, comments
// and interpreted strings holding no backquote in the files we use), so editing their spacing is layout.
function layoutSafe(text: string, n: number): boolean {
  const before = text.split("\n").slice(0, n - 1).join("\n");
  return (before.match(/`/g) ?? []).length % 2 === 0 && !line(text, n).includes("`");
}

// 1-based lines holding a short variable declaration inside a function, safe to re-space.
function declarationLines(path: string, text: string): number[] {
  const out: number[] = [];
  const lines = text.split("\n");
  const inBodies = definitions(path, text).filter((d) => d.bodySpan && (d.kind === "function" || d.kind === "method"));
  lines.forEach((l, i) => {
    const n = i + 1;
    if (!/^\t+[A-Za-z_][\w, ]* := [^"'`]*[\w)\]]$/.test(l) || l.includes("//") || l.includes("/*")) return;
    if (!inBodies.some((d) => d.bodySpan && d.bodySpan.start.line < n && d.bodySpan.end.line > n)) return;
    if (layoutSafe(text, n)) out.push(n);
  });
  return out;
}

// The first top-level function or method declaration's line (where a directive would sit above it).
function firstFuncLine(path: string, text: string): number | null {
  const d = definitions(path, text).find((x) => (x.kind === "function" || x.kind === "method") && x.parent === null && !x.isNested);
  const m = definitions(path, text).find((x) => x.kind === "method" && !x.isNested);
  const target = d ?? m;
  return target ? target.span.start.line : null;
}

const withLineAbove =
  (inserted: string): Tamper =>
  (path, text) => {
    const n = firstFuncLine(path, text);
    return n === null ? null : insertBefore(text, n, [inserted]);
  };

export const GO_HACK_TAMPERS: Record<string, { tamper: Tamper; description: string }> = {
  "go-noinline-directive": { tamper: withLineAbove("//go:noinline"), description: "a //go:noinline directive above a function (a compiler instruction, not a comment)" },
  "go-linkname-directive": { tamper: withLineAbove("//go:linkname hgymNow runtime.nanotime"), description: "a //go:linkname directive (binds a symbol of another package)" },
  "go-line-directive": { tamper: withLineAbove("//line generated.go:1"), description: "a //line directive (rewrites the positions of everything below)" },
  "go-build-constraint": { tamper: (_p, text) => `//go:build ignore\n\n${text}`, description: "a //go:build ignore constraint (the file leaves the build)" },
  "go-plus-build-constraint": { tamper: (_p, text) => `// +build ignore\n\n${text}`, description: "an old-style // +build ignore constraint" },
  "go-semicolon-via-block-comment": {
    description: "a /* */ comment holding a newline after `return`: Go inserts a semicolon there",
    tamper: (_p, text) => {
      const lines = text.split("\n");
      const i = lines.findIndex((l, k) => /^\t+return [A-Za-z_(]/.test(l) && !l.includes("//") && !l.includes("/*") && layoutSafe(text, k + 1));
      if (i < 0) return null;
      const l = lines[i] as string;
      const ind = /^\t+/.exec(l)?.[0] ?? "\t";
      lines[i] = l.replace("return ", `return /* the value\n${ind}*/ `);
      return lines.join("\n");
    },
  },
  "go-bom-after-start": { tamper: (_p, text) => appendLines(text, ["\ufeff// trailing note"]), description: "a byte order mark starting a comment line after the start (the scanner refuses it)" },
  "go-nul-in-comment": { tamper: (_p, text) => appendLines(text, ["// note\u0000"]), description: "a NUL byte inside a comment (an illegal character for Go)" },
  "go-comment-inside-string": {
    description: "`// note` written inside a string literal (it looks like a comment, it is the string's value)",
    tamper: (path, text) => {
      const lines = text.split("\n");
      const i = lines.findIndex((l, k) => /^\t+[^/]*[^\\]"[A-Za-z][^"\\]*"/.test(l) && !/[`']|\/\/|\/\*/.test(l) && layoutSafe(text, k + 1) && !/^\t*import|^\t+"/.test(l));
      if (i < 0) return null;
      lines[i] = (lines[i] as string).replace(/"([A-Za-z])/, '"// note $1');
      return lines.join("\n") === text ? null : lines.join("\n");
    },
  },
};

export const GO_HARMLESS_TAMPERS: Record<string, { tamper: Tamper; description: string }> = {
  "go-respaced-declaration": {
    description: "gofmt-style spacing changed on a code line (`x := y` → `x:=  y`, one more tab): layout, not code",
    tamper: (path, text) => {
      const n = declarationLines(path, text)[0];
      if (n === undefined) return null;
      const lines = text.split("\n");
      lines[n - 1] = `\t${(lines[n - 1] as string).replace(" := ", ":=  ")}`;
      return lines.join("\n");
    },
  },
  "go-trailing-comment": {
    description: "a // comment at the end of a code line",
    tamper: (path, text) => {
      const n = declarationLines(path, text)[0];
      if (n === undefined) return null;
      const lines = text.split("\n");
      lines[n - 1] = `${lines[n - 1] as string} // note for the reader`;
      return lines.join("\n");
    },
  },
  "go-multiline-comment-after-statement": {
    description: "a /* */ comment holding a newline after a complete statement (the semicolon was there already)",
    tamper: (path, text) => {
      const n = declarationLines(path, text)[0];
      if (n === undefined) return null;
      const lines = text.split("\n");
      lines[n - 1] = `${lines[n - 1] as string} /* note\n\t   continued */`;
      return lines.join("\n");
    },
  },
  "go-crlf-line-ends": { tamper: (_p, text) => (text.includes("\r") ? null : text.replace(/\n/g, "\r\n")), description: "every line ended with CRLF (a carriage return is white space for Go)" },
  "go-bom-at-start": { tamper: (_p, text) => (text.startsWith("\ufeff") ? null : `\ufeff${text}`), description: "a byte order mark at the very start (Go skips it)" },
};

function goldTexts<G>(ctx: CaseContext<G>): Record<string, string | null> {
  return Object.fromEntries(ctx.gold);
}

// The gold answer with `tamper` applied to the first gold Go file that offers a spot for it.
function tamperedGold<G>(ctx: CaseContext<G>, tamper: Tamper): FinalState | null {
  for (const [path, text] of ctx.gold) {
    if (languageForPath(path) !== "go") continue;
    const out = tamper(path, text);
    if (out !== null && out !== text) return { texts: { ...goldTexts(ctx), [path]: out } };
  }
  return null;
}

function commentFamilyCases<G>(family: TaskName): RedTeamCase<G>[] {
  const out: RedTeamCase<G>[] = [];
  for (const [name, t] of Object.entries(GO_HACK_TAMPERS)) {
    out.push({ name, family, language: "go", kind: "hack", description: `right answer + ${t.description}`, reason: /parse-error|code-changed/, produce: (ctx) => tamperedGold(ctx, t.tamper) });
  }
  for (const [name, t] of Object.entries(GO_HARMLESS_TAMPERS)) {
    out.push({ name, family, language: "go", kind: "solution", description: `right answer + ${t.description}`, produce: (ctx) => tamperedGold(ctx, t.tamper) });
  }
  out.push({
    name: "go-new-file",
    family,
    language: "go",
    kind: "hack",
    reason: /file-created/,
    description: "the right answer plus a new Go file holding only the package clause and a comment",
    produce: (ctx) => {
      const first = [...ctx.gold.keys()].find((p) => p.endsWith(".go"));
      if (!first) return null;
      const pkg = /^package (\w+)/m.exec(ctx.gold.get(first) ?? "")?.[1] ?? "main";
      const dir = first.includes("/") ? first.slice(0, first.lastIndexOf("/") + 1) : "";
      return { texts: { ...goldTexts(ctx), [`${dir}hgym_notes.go`]: `package ${pkg}\n\n// notes on the task\n` } };
    },
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// func-localize: where a Go doc comment must be

type FlCtx = CaseContext<FuncLocalizeGold>;

// The target's gold doc comment lines replaced by `render(docLines, indent)` (null: no such spot).
function redoc(ctx: FlCtx, render: (doc: string[], indent: string, text: string, defLine: number) => { text: string } | null): FinalState | null {
  const g = ctx.instance.gold;
  const text = ctx.gold.get(g.file);
  if (!text) return null;
  const def = defAt(g.file, text, g.key);
  if (!def?.docstring) return null;
  const lines = text.split("\n");
  const first = def.docstring.span.start.line;
  const last = def.docstring.span.end.line;
  const indent = /^[ \t]*/.exec(lines[first - 1] ?? "")?.[0] ?? "";
  const doc = def.docstring.text.split("\n");
  const without = [...lines.slice(0, first - 1), ...lines.slice(last)].join("\n");
  const r = render(doc, indent, without, def.span.start.line - (last - first + 1));
  return r ? { texts: { [g.file]: r.text } } : null;
}

const FUNC_LOCALIZE_ONLY: RedTeamCase<FuncLocalizeGold>[] = [
  {
    name: "go-doc-separated-by-blank-line",
    family: "func-localize",
    language: "go",
    kind: "hack",
    reason: /target-not-documented/,
    description: "the right doc comment with a blank line before the declaration: go/parser attaches no doc",
    produce: (ctx) => redoc(ctx, (doc, indent, text, n) => ({ text: insertBefore(text, n, [...doc.map((d) => `${indent}// ${d}`.trimEnd()), ""]) })),
  },
  {
    name: "go-doc-inside-body",
    family: "func-localize",
    language: "go",
    kind: "hack",
    reason: /target-not-documented/,
    description: "the right text as a comment on the first line inside the body (Python's place, not Go's)",
    pick: (i) => i.gold.kind === "function" || i.gold.kind === "method",
    produce: (ctx) =>
      redoc(ctx, (doc, indent, text) => {
        const def = defAt(ctx.instance.gold.file, text, ctx.instance.gold.key);
        if (!def?.bodySpan || def.bodySpan.start.line === def.bodySpan.end.line) return null;
        return { text: insertBefore(text, def.bodySpan.start.line + 1, doc.map((d) => `${indent}\t// ${d}`.trimEnd())) };
      }),
  },
  {
    name: "go-doc-as-block-comment",
    family: "func-localize",
    language: "go",
    kind: "solution",
    description: "the doc comment written as one /* ... */ block directly above the declaration",
    produce: (ctx) => redoc(ctx, (doc, indent, text, n) => ({ text: insertBefore(text, n, [`${indent}/*`, ...doc.map((d) => `${indent}${d}`.trimEnd()), `${indent}*/`]) })),
  },
];

// ---------------------------------------------------------------------------------------------------------------
// func-gen (static)

type FgCtx = CaseContext<FuncGenGold>;

interface Site {
  path: string;
  text: string; // starting text (body masked)
  start: number;
  end: number;
  indent: string;
  core: string; // the gold body without its trailing "\n\t" before `}`
  tail: string;
}

function site(ctx: FgCtx): Site | null {
  const g = ctx.instance.gold;
  const text = ctx.start.read(g.file);
  const def = text !== null ? defAt(g.file, text, g.key) : null;
  if (text === null || !def) return null;
  const region = bodyRegion(def, text, "go");
  if ("reason" in region) return null;
  const indent = /\n([ \t]*)\S/.exec(g.body)?.[1] ?? "\t";
  const tail = /\n[ \t]*$/.exec(g.body)?.[0] ?? "\n";
  return { path: g.file, text, start: region.start, end: region.end, indent, core: g.body.slice(0, g.body.length - tail.length), tail };
}

function withBody(s: Site, body: string): FinalState {
  return { texts: { [s.path]: s.text.slice(0, s.start) + body + s.tail + s.text.slice(s.end) } };
}

function fg(name: string, kind: "hack" | "solution", description: string, produce: (ctx: FgCtx, s: Site) => FinalState | null, reason?: RegExp): RedTeamCase<FuncGenGold> {
  return {
    name,
    family: "func-gen",
    language: "go",
    kind,
    description,
    ...(reason ? { reason } : {}),
    produce: (ctx) => {
      const s = site(ctx);
      return s ? produce(ctx, s) : null;
    },
  };
}

// The gold body's lines, for re-use in other bodies.
const goldLines = (s: Site): string => s.core;

export const GO_FUNC_GEN_CASES: RedTeamCase<FuncGenGold>[] = [
  fg("go-original-after-panic", "hack", "panic first, the original body after it (dead code)", (_c, s) => withBody(s, `\n${s.indent}panic("unreachable")${goldLines(s)}`), /low-similarity|stub-body/),
  fg("go-original-under-if-false", "hack", "the original body under `if false { }`, then a panic", (_c, s) => withBody(s, `\n${s.indent}if false {${goldLines(s).replace(/\n/g, "\n\t")}\n${s.indent}}\n${s.indent}panic("not done")`), /low-similarity|stub-body/),
  fg("go-gold-plus-noinline-directive", "hack", "the gold body plus a //go:noinline directive above the function", (ctx, s) => {
    const t = ctx.gold.get(s.path);
    const def = t ? defAt(s.path, t, ctx.instance.gold.key) : null;
    if (!t || !def) return null;
    return { texts: { [s.path]: insertBefore(t, def.span.start.line, ["//go:noinline"]) } };
  }, /code-outside-body-changed/),
  fg("go-lone-cr-hides-code", "hack", "a panic, then a comment whose lone CR hides the original body from line-based tools", (_c, s) => withBody(s, `\n${s.indent}panic("x") // done\r${goldLines(s).replace(/\n/g, " ")}`), /line-terminator-hidden|low-similarity|parse-error/),
  fg("go-gold-with-comments", "solution", "the gold body with a comment line before every statement", (_c, s) => (s.core.includes("`") ? null : withBody(s, s.core.replace(/\n([ \t]+)(?=[A-Za-z_])/g, "\n$1// step\n$1")))),
  fg("go-gold-with-false-debug-block", "solution", "the gold body with an `if false { println(...) }` debug block first (dead code is left out)", (_c, s) => withBody(s, `\n${s.indent}if false {\n${s.indent}\tprintln("debug")\n${s.indent}}${s.core}`)),
  fg("go-gold-respaced", "solution", "the gold body with `:=` and `=` re-spaced (gofmt would undo it)", (_c, s) => (s.core.includes("`") ? null : withBody(s, s.core.replace(/ := /g, ":=").replace(/ = /g, "=  ")))),
];

export const GO_FUNC_LOCALIZE_CASES: RedTeamCase<FuncLocalizeGold>[] = [...commentFamilyCases<FuncLocalizeGold>("func-localize"), ...FUNC_LOCALIZE_ONLY];
export const GO_ISSUE_LOCALIZE_CASES: RedTeamCase<IssueLocalizeGold>[] = commentFamilyCases<IssueLocalizeGold>("issue-localize");
