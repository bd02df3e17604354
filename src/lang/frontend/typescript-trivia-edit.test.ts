// The trivia shortcut of the TypeScript front end against the full parse it replaces: thousands of edits of real
// files (openai-node's TypeScript sources, hono's and commander's JavaScript), made where edits are most likely to
// fool a shortcut — next to tokens, inside comments, strings, regular expressions and templates, at line ends —
// with comment and white-space snippets, half-comments, line separators and stray punctuation. Whenever the
// shortcut answers, the full parse must say "equal"; and the shortcut must answer often enough to matter. Then
// hand-made attacks, each checked against the full parse and against the verdict the language gives.

import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { compareTypeScript, compareTypeScriptByFullParse, compilerParse, firstError } from "./typescript.js";
import { onlyTriviaChanged } from "./typescript-trivia-edit.js";
import { NODE_MODULES, nodeSources } from "../test-corpus.js";
import { rng as random } from "../../util/hash.js";

const SNIPPETS = [
  "// note\n", "/* note */", " /* note */ ", "\n", " ", "\t", "\r\n", "/** @param x the thing */\n", "/**/", "/* a\n b */",
  "//", "/*", "*/", "// unterminated", "\u2028", "\u2029", "\u0085", "\u200b", "\ufeff", "<!-- c\n", "--> c\n",
  "<<<<<<< HEAD\n", "#!x\n", "/", "*", ";", "a", "`", "'", "\"", "${", "}", "/* ${ */", "// `\n", "/*/ */", "/ /",
];

function positions(text: string, next: () => number, count: number): number[] {
  const out: number[] = [];
  const interesting: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "\n" || "/<>`'\"{}*;".includes(c)) interesting.push(i, i + 1);
  }
  for (let k = 0; k < count; k++) {
    const r = next();
    if (r < 0.6 && interesting.length > 0) out.push(interesting[Math.floor(next() * interesting.length)] as number);
    else out.push(Math.floor(next() * (text.length + 1)));
  }
  return out;
}

function mutate(text: string, at: number, next: () => number): string {
  const r = next();
  if (r < 0.75) return text.slice(0, at) + (SNIPPETS[Math.floor(next() * SNIPPETS.length)] as string) + text.slice(at);
  if (r < 0.9) return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 6)); // a deletion
  // A comment added here and another one further down (two edits).
  const far = Math.min(text.length, at + 1 + Math.floor(next() * 400));
  return `${text.slice(0, at)}/* one */${text.slice(at, far)}\n// two\n${text.slice(far)}`;
}

const files = [
  ...nodeSources(join(NODE_MODULES, "openai/src"), 400).filter((_, i) => i % 8 === 0),
  ...nodeSources(join(NODE_MODULES, "hono/dist"), 200).filter((_, i) => i % 10 === 0),
  ...nodeSources(join(NODE_MODULES, "commander/lib"), 10),
];

describe("TypeScript trivia shortcut", () => {
  it("agrees with the full parse on thousands of edits of real files", async () => {
    expect(files.length).toBeGreaterThan(50);
    let answered = 0;
    let total = 0;
    let missed = 0;
    const next = random(20261130);
    for (const path of files) {
      const text = readFileSync(path, "utf8");
      const sf = compilerParse(ts, path, text);
      if (firstError(ts, sf)) continue;
      for (const at of positions(text, next, 40)) {
        const after = mutate(text, at, next);
        if (after === text) continue;
        total++;
        const fast = onlyTriviaChanged(ts, sf, text, after);
        const full = await compareTypeScriptByFullParse(path, text, after);
        if (fast) {
          answered++;
          expect(full.kind, `${path} edited at ${at}: ${JSON.stringify(after.slice(Math.max(0, at - 20), at + 30))}`).toBe("equal");
        } else if (full.kind === "equal") {
          missed++;
        }
        // The front end's answer is the full parse's, whichever way it was reached.
        expect((await compareTypeScript(path, text, after)).kind).toBe(full.kind);
      }
    }
    console.log(`trivia shortcut: ${total} edits, answered ${answered}, full parse equal but not answered ${missed}`);
    expect(total).toBeGreaterThan(2000);
    // The shortcut must carry the common case: most edits that only touch comments and white space.
    expect(answered).toBeGreaterThan(total * 0.2);
    expect(missed).toBeLessThan(answered);
  }, 300_000);

  const attacks: { name: string; path: string; before: string; after: string; verdict: string }[] = [
    { name: "line-break comment after return (ASI)", path: "a.ts", before: "function f() {\n  return x;\n}\n", after: "function f() {\n  return /*\n*/ x;\n}\n", verdict: "different" },
    { name: "line separator after return", path: "a.ts", before: "function f() {\n  return x;\n}\n", after: "function f() {\n  return\u2028x;\n}\n", verdict: "different" },
    { name: "comment glued to a division", path: "a.ts", before: "const y = a / b;\nconst z = 1;\n", after: "const y = a //* c */ b;\nconst z = 1;\n", verdict: "different" },
    { name: "line comment that swallows code", path: "a.ts", before: "const a = 1; const b = 2;\n", after: "const a = 1; // note const b = 2;\n", verdict: "different" },
    { name: "unterminated block comment", path: "a.ts", before: "const a = 1;\nconst b = 2;\n", after: "const a = 1;\n/* note\nconst b = 2;\n", verdict: "parse-error" },
    { name: "comment removed between two identifiers", path: "a.ts", before: "let a = b /* c */ in d;\n", after: "let a = b in d;\n", verdict: "equal" },
    { name: "tokens made adjacent", path: "a.ts", before: "type T = typeof /* x */ a;\n", after: "type T = typeofa;\n", verdict: "different" },
    { name: "comment inside a regular expression", path: "a.ts", before: "const r = /a b/;\n", after: "const r = /a /* c */ b/;\n", verdict: "different" },
    { name: "comment inside a template text", path: "a.ts", before: "const s = `a ${x} b`;\n", after: "const s = `a /* c */ ${x} b`;\n", verdict: "different" },
    { name: "comment inside a template substitution", path: "a.ts", before: "const s = `a ${x} b`;\n", after: "const s = `a ${x /* c */} b`;\n", verdict: "equal" },
    { name: "comment inside JSX text", path: "a.tsx", before: "const e = <div>hello world</div>;\n", after: "const e = <div>hello /* c */ world</div>;\n", verdict: "different" },
    { name: "comment between JSX attributes", path: "a.tsx", before: "const e = <div a=\"1\" b=\"2\" />;\n", after: "const e = <div a=\"1\" /* c */ b=\"2\" />;\n", verdict: "equal" },
    { name: "triple-slash reference added at the top", path: "a.ts", before: "const a = 1;\n", after: "/// <reference path=\"other.ts\" />\nconst a = 1;\n", verdict: "different" },
    { name: "jsx pragma added at the top", path: "a.tsx", before: "const e = <div />;\n", after: "/** @jsx h */\nconst e = <div />;\n", verdict: "different" },
    { name: "next-line character between tokens", path: "a.ts", before: "const a = 1;\n", after: "const a =\u0085 1;\n", verdict: "parse-error" },
    { name: "conflict marker in a gap", path: "a.ts", before: "const a = 1;\nconst b = 2;\n", after: "const a = 1;\n<<<<<<< HEAD\nconst b = 2;\n", verdict: "parse-error" },
    { name: "HTML-like comment at a line start", path: "a.js", before: "let a = 1;\nlet b = 2;\n", after: "let a = 1;\n<!-- note\nlet b = 2;\n", verdict: "parse-error" },
    { name: "generic call split by a line-break comment", path: "a.ts", before: "f<T>(x);\n", after: "f<T>/*\n*/(x);\n", verdict: "equal" },
    { name: "arrow split by a line break", path: "a.ts", before: "const f = (a) => a;\n", after: "const f = (a) /*\n*/ => a;\n", verdict: "parse-error" },
    { name: "postfix ++ after a line-break comment", path: "a.ts", before: "a++;\nb;\n", after: "a/*\n*/++;\nb;\n", verdict: "parse-error" },
    { name: "trailing comment on a code line and JSDoc above a function", path: "a.ts", before: "const a = 1;\nfunction f() {}\n", after: "const a = 1; // one\n/** Does f. */\nfunction f() {}\n", verdict: "equal" },
    { name: "comment appended after the last token without a final newline", path: "a.ts", before: "const a = 1;", after: "const a = 1; // end", verdict: "equal" },
    // Session 5: `>>>>>>> ` after a gap that now ends a line is a merge-conflict marker (the shortcut said equal).
    { name: "seven closing generics brought to a line start", path: "a.ts", before: "type T = A<B<C<D<E<F<G<H<number>/*\n*/>>>>>>> ;\n", after: "type T = A<B<C<D<E<F<G<H<number>\n>>>>>>> ;\n", verdict: "parse-error" },
    { name: "seven closing generics after a line comment", path: "a.ts", before: "type T = A<B<C<D<E<F<G<H<number>/*\n*/>>>>>>> ;\n", after: "type T = A<B<C<D<E<F<G<H<number>// c\n>>>>>>> ;\n", verdict: "parse-error" },
    { name: "a line comment before a line starting with a comparison", path: "a.ts", before: "const t = a\n  > b;\n", after: "const t = a // c\n  > b;\n", verdict: "equal" },
  ];

  for (const a of attacks) {
    it(`attack: ${a.name}`, async () => {
      const full = await compareTypeScriptByFullParse(a.path, a.before, a.after);
      expect(full.kind).toBe(a.verdict);
      expect((await compareTypeScript(a.path, a.before, a.after)).kind).toBe(a.verdict);
      const sf = compilerParse(ts, a.path, a.before);
      if (onlyTriviaChanged(ts, sf, a.before, a.after)) expect(a.verdict).toBe("equal");
    });
  }

  it("answers the common gold-answer shapes without a second parse", () => {
    const before = "export class A {\n  m(): number {\n    return 1;\n  }\n}\nconst a = 1;\n";
    const sf = compilerParse(ts, "a.ts", before);
    expect(onlyTriviaChanged(ts, sf, before, before.replace("  m()", "  // the method\n  m()"))).toBe(true);
    expect(onlyTriviaChanged(ts, sf, before, before.replace("const a = 1;", "const a = 1; // one"))).toBe(true);
    expect(onlyTriviaChanged(ts, sf, before, before.replace("export class", "/** A class. */\nexport class").replace("  m()", "  /** m. */\n  m()"))).toBe(false); // leading gap of the file: full parse
    expect(onlyTriviaChanged(ts, sf, before, before.replace("  m()", "  /** m. */\n  m()").replace("const a", "/* a */ const a"))).toBe(true);
  });
});
