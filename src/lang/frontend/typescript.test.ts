// The TypeScript front end on real sources from node_modules: comments inserted before every statement (as the
// compiler places statements) compare equal, a one-token change does not, and the parse agrees with the
// compiler's own diagnostics; plus the script kinds per extension.

import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { compareTypeScript, compareTypeScriptByFullParse, scriptKindFor, typescriptSyntaxError } from "./typescript.js";
import { NODE_MODULES, nodeSources as sources } from "../test-corpus.js";

const files = [...sources(join(NODE_MODULES, "commander/lib"), 10), ...sources(join(NODE_MODULES, "hono/dist"), 40), ...sources(join(NODE_MODULES, "diff/libesm"), 20)];

describe("TypeScript front end on real sources", () => {
  it("found real files", () => {
    expect(files.length).toBeGreaterThan(40);
  });
  it("every file parses; a comment before every statement is equal; a one-token change is not", async () => {
    let changed = 0;
    for (const path of files) {
      const text = readFileSync(path, "utf8");
      expect(await typescriptSyntaxError(path, text), path).toBeNull();
      const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, scriptKindFor(ts, path));
      const starts: number[] = [];
      const visit = (n: ts.Node) => {
        if (ts.isStatement(n) || ts.isClassElement(n)) starts.push(n.getStart(sf));
        n.forEachChild(visit);
      };
      sf.forEachChild(visit);
      let commented = text;
      for (const at of [...new Set(starts)].sort((a, b) => b - a)) commented = `${commented.slice(0, at)}/* note */ ${commented.slice(at)}`;
      expect((await compareTypeScript(path, text, commented)).kind, path).toBe("equal");
      // A small change: the value of the first `return` becomes a comma expression `0, value`.
      let target: ts.Node | undefined;
      const find = (n: ts.Node) => {
        if (!target && ts.isReturnStatement(n) && n.expression) target = n.expression;
        n.forEachChild(find);
      };
      sf.forEachChild(find);
      if (!target) continue;
      const at = target.getStart(sf);
      const edited = `${text.slice(0, at)}0, ${text.slice(at)}`;
      expect((await compareTypeScript(path, text, edited)).kind, path).toBe("different");
      changed++;
    }
    expect(changed).toBeGreaterThan(20);
  }, 120_000);
  it("parses each extension with the compiler's script kind", () => {
    expect(scriptKindFor(ts, "a.tsx")).toBe(ts.ScriptKind.TSX);
    expect(scriptKindFor(ts, "a.jsx")).toBe(ts.ScriptKind.JSX);
    for (const p of ["a.ts", "a.mts", "a.cts", "a.d.ts"]) expect(scriptKindFor(ts, p)).toBe(ts.ScriptKind.TS);
    for (const p of ["a.js", "a.mjs", "a.cjs"]) expect(scriptKindFor(ts, p)).toBe(ts.ScriptKind.JS);
  });
  it("reports the compiler's errors with their line", async () => {
    expect(await typescriptSyntaxError("a.ts", "let a = 1;\nlet b = ;\n")).toMatchObject({ line: 2 });
    expect(await typescriptSyntaxError("a.ts", "const x = <T,>(y: T) => y;\n")).toBeNull();
    // JSX is only JSX in .tsx: a generic arrow function in .tsx needs the trailing comma.
    expect(await typescriptSyntaxError("a.tsx", "const x = <T>(y: T) => y;\n")).not.toBeNull();
    expect(await typescriptSyntaxError("a.js", "enum E { A }\n")).not.toBeNull();
  });
});

describe("JSX comments", () => {
  const cmp = (before: string, after: string) => compareTypeScript("view.tsx", before, after);

  it("a {/* comment */} child, on its own line or inline, is a comment", async () => {
    expect(await cmp("const x = <div>\n  <span />\n</div>;\n", "const x = <div>\n  {/* note */}\n  <span />\n</div>;\n")).toEqual({ kind: "equal" });
    expect(await cmp("const x = <div>hi</div>;\n", "const x = <div>{/* note */}hi</div>;\n")).toEqual({ kind: "equal" });
    expect(await cmp("const x = <>\n  <a />\n</>;\n", "const x = <>\n  {/* note */}\n  <a />\n</>;\n")).toEqual({ kind: "equal" });
  });

  it("text, a real expression or a split text child are changes", async () => {
    expect((await cmp("const x = <div>hi</div>;\n", "const x = <div>hi // note</div>;\n")).kind).toBe("different");
    expect((await cmp("const x = <div>\n  <span />\n</div>;\n", "const x = <div>\n  {x}\n  <span />\n</div>;\n")).kind).toBe("different");
    expect((await cmp("const x = <div>a b</div>;\n", "const x = <div>a {/* note */} b</div>;\n")).kind).toBe("different");
    // A space without a line break is significant text; replacing it by a comment changes the children.
    expect((await cmp("const x = <div> <span /></div>;\n", "const x = <div>{/* c */}<span /></div>;\n")).kind).toBe("different");
  });

  // Session 5: JSX text compares by the string the compiler emits for it, not by its raw text, so a comment on the
  // line after a text is a comment (it was "different" before: the text's raw value had lost its last indentation).
  it("a {/* comment */} on the line after a text is a comment; white space the emit keeps is not", async () => {
    const view = "export const A = () => (\n  <p>\n    hello\n  </p>\n);\n";
    expect(await cmp(view, view.replace("    hello\n", "    hello\n    {/* greeting */}\n"))).toEqual({ kind: "equal" });
    expect(await cmp(view, view.replace("    hello\n", "      hello\n"))).toEqual({ kind: "equal" });
    // On the text's own line the comment leaves a trailing space in the text ("hello "): a change of the output.
    expect((await cmp(view, view.replace("    hello\n", "    hello {/* greeting */}\n"))).kind).toBe("different");
    // A no-break space or a line separator next to the text: trimmed by the TypeScript emit, not by Babel's.
    expect((await cmp(view, view.replace("    hello\n", "  \u00a0 hello\n"))).kind).toBe("different");
    expect((await cmp(view, view.replace("    hello\n", "    hello\u2028\n"))).kind).toBe("different");
  });
});

// What the compiler's tree does not show: white space the TypeScript scanner skips and JavaScript engines reject,
// directives recognised by their raw text, the raw text a tagged template receives, and pragma comments the
// compiler reads (each was accepted as "only comments changed" before).
describe("beyond the tree", () => {
  const js = "'use strict';\nfunction f(a) {\n  const s = String.raw`A\\n`;\n  return a + s;\n}\nmodule.exports = f;\n";
  const cmp = (after: string, path = "m.js", before = js) => compareTypeScript(path, before, after);

  it("U+0085 or U+200B between two tokens does not parse (node refuses the file); inside a comment or string it is harmless", async () => {
    for (const ch of ["\u0085", "\u200b"]) {
      const after = js.replace("  return a", `  return${ch}a`);
      expect((await cmp(after)).kind).toBe("parse-error");
      expect(() => new Function(after.replace("module.exports = f;", ""))).toThrow(SyntaxError);
      expect(await cmp(js.replace("  return a", `  // note${ch}here\n  return a`))).toEqual({ kind: "equal" });
      expect(await cmp(js.replace("  return a", `  /* ${ch} */ return a`))).toEqual({ kind: "equal" });
    }
    // ECMAScript's own white space (no-break space, BOM) stays white space.
    expect(await cmp(js.replace("  return a", "  return\u00a0a"))).toEqual({ kind: "equal" });
  });

  it("new.target and import.meta written with a Unicode escape do not parse (engines refuse them); other escaped names are equal", async () => {
    const cls = "function F() {\n  return new.target;\n}\nexport const u = import.meta.url;\n";
    for (const after of [cls.replace("new.target", "new.t\\u0061rget"), cls.replace("import.meta", "import.m\\u{65}ta"), cls.replace("new.target", "n\\u0065w.target")]) {
      expect((await compareTypeScript("m.mjs", cls, after)).kind, after).toBe("parse-error");
      expect((await compareTypeScript("m.ts", cls, after)).kind, after).toBe("parse-error");
    }
    expect((await compareTypeScript("m.mjs", cls.replace("new.target", "new.t\\u0061rget"), cls)).kind).toBe("start-error");
    // An escaped identifier is the same identifier for the language.
    expect(await compareTypeScript("m.mjs", "const abc = 1;\nf(abc);\n", "const abc = 1;\nf(\\u0061bc);\n")).toEqual({ kind: "equal" });
  });

  it("`<!--` made of three tokens by deleting white space is an HTML-like comment in a script: different", async () => {
    const before = "var a = 1, b = 2;\nconsole.log(a < !--b);\n";
    const after = before.replace("< !--", "<!--");
    expect(await compareTypeScriptByFullParse("s.js", before, after)).toMatchObject({ kind: "different", line: 2 });
    expect((await compareTypeScript("s.cjs", before, after)).kind).toBe("different");
    expect(() => new Function(after)).toThrow(SyntaxError); // a classic script: the line's rest is a comment
    // A module reads it as the TypeScript parser does, and a start that already had it is unchanged.
    expect(await compareTypeScript("s.mjs", before, after)).toEqual({ kind: "equal" });
    expect(await compareTypeScript("s.js", after, `// note\n${after}`)).toEqual({ kind: "equal" });
    // In a comment, string or template it is text.
    const text = "const s = '<!--', t = `<!--${s}`;\nconsole.log(s, t);\n";
    expect(await compareTypeScript("s.js", text, text.replace("console", "// <!-- x\nconsole"))).toEqual({ kind: "equal" });
    expect(await compareTypeScript("s.js", before, before.replace("console", "/* <!-- x */ console"))).toEqual({ kind: "equal" });
  });

  it("@jsx pragmas anywhere in a JSX file (Babel reads every comment) and a changed #! line are changes", async () => {
    const tsx = 'import { h } from "x";\nexport const F = () => <div>hi</div>;\n';
    const inner = tsx.replace("export const", "/** @jsx h */\nexport const");
    expect(await compareTypeScript("v.tsx", tsx, inner)).toMatchObject({ kind: "different" });
    expect(await compareTypeScript("v.jsx", tsx, tsx.replace("export const", "// @jsxRuntime classic\nexport const"))).toMatchObject({ kind: "different" });
    expect(await compareTypeScript("v.tsx", inner, inner.replace("@jsx h", "@jsx React.createElement"))).toMatchObject({ kind: "different" });
    expect(await compareTypeScript("v.tsx", inner, inner.replace("/** @jsx h */", "/** @jsx h */\n// a note"))).toEqual({ kind: "equal" });
    // Outside JSX files the pragma means nothing past the leading comments.
    expect(await compareTypeScript("v.ts", "const a = 1;\nconst b = 2;\n", "const a = 1;\n/** @jsx h */\nconst b = 2;\n")).toEqual({ kind: "equal" });
    const cli = "#!/usr/bin/env node\nconsole.log(1);\n";
    for (const after of [cli.replace("node", "node --require ./x.js"), cli.replace("#!/usr/bin/env node\n", "// cli\n")]) {
      expect(await compareTypeScript("cli.js", cli, after)).toMatchObject({ kind: "different", line: 1 });
    }
    expect(await compareTypeScript("cli.js", cli, cli.replace("console", "// says one\nconsole"))).toEqual({ kind: "equal" });
    expect(await compareTypeScript("cli.js", "console.log(1);\n", cli)).toEqual({ kind: "equal" });
  });

  it("a directive written with an escape is no directive: different", async () => {
    expect((await cmp(js.replace("'use strict'", "'use\\x20strict'"))).kind).toBe("different");
    // A plain string with the same value written differently elsewhere is still compared by value.
    expect(await compareTypeScript("a.ts", "const s = 'A';\n", "const s = '\\x41';\n")).toEqual({ kind: "equal" });
  });

  it("a tagged template's raw text counts (String.raw), its line ends do not", async () => {
    expect((await cmp(js.replace("String.raw`A", "String.raw`\\x41"))).kind).toBe("different");
    const t = "const a = String.raw`x\ny${1}z\nw`;\nconst b = `p\nq`;\n";
    expect(await compareTypeScript("t.ts", t, t.replace(/\n/g, "\r\n"))).toEqual({ kind: "equal" });
    expect(await compareTypeScript("t.ts", t, t.replace(/\n/g, "\r"))).toEqual({ kind: "equal" });
  });

  it("triple-slash directives and @jsx pragmas change the program; type-check and lint directives do not", async () => {
    expect((await cmp(`/// <reference types="node" />\n${js}`)).kind).toBe("different");
    expect((await cmp(`/// <reference path="./other.js" />\n${js}`)).kind).toBe("different");
    const tsx = 'import { h } from "x";\nexport const F = () => <div>hi</div>;\n';
    expect((await compareTypeScript("v.tsx", tsx, `/** @jsx h */\n${tsx}`)).kind).toBe("different");
    expect((await compareTypeScript("v.tsx", tsx, `/** @jsxImportSource preact */\n${tsx}`)).kind).toBe("different");
    expect(await compareTypeScript("v.tsx", tsx, `/** Renders the greeting. */\n${tsx}`)).toEqual({ kind: "equal" });
    expect(await cmp(`// @ts-nocheck\n${js}`)).toEqual({ kind: "equal" });
    expect(await cmp(js.replace("  return a", "  // @ts-ignore\n  // eslint-disable-next-line\n  return a"))).toEqual({ kind: "equal" });
    // `///` prose is a comment, and so is a directive that moved down with the file (positions do not count).
    expect(await cmp(`/// this function/class is called by the f function\n${js}`)).toEqual({ kind: "equal" });
    const ref = `/// <reference types="node" />\n${js}`;
    expect(await compareTypeScript("m.js", ref, `// header\n${ref}`)).toEqual({ kind: "equal" });
  });
});
