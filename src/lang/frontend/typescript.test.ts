// The TypeScript front end on real sources from node_modules: comments inserted before every statement (as the
// compiler places statements) compare equal, a one-token change does not, and the parse agrees with the
// compiler's own diagnostics; plus the script kinds per extension.

import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { compareTypeScript, scriptKindFor, typescriptSyntaxError } from "./typescript.js";
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
});
