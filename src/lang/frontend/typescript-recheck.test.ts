// TypeScript the compiler accepts is never indexed as a syntax error: zod 4's own sources (in node_modules, the
// files using variance annotations `<out T>` / `<in T>` that tree-sitter-typescript rejects) index cleanly, with
// every definition's span on its own name; real syntax errors are still flagged.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { indexFileSync, initLanguages } from "../indexer.js";
import { withTree } from "../parser.js";
import { compilerVerdict } from "./typescript-recheck.js";

const VARIANCE = /<(?:in |out |in out )[A-Z]|, (?:in |out )[A-Z]\w*(?: extends|[,>])/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "tests") out.push(...sourceFiles(p));
    } else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

describe("the compiler decides TS/JS syntax errors the grammar reports", () => {
  const zodSrc = join(process.cwd(), "node_modules", "zod", "src", "v4");
  let varianceFiles: string[] = [];

  beforeAll(async () => {
    await initLanguages(["typescript", "tsx", "javascript"]);
    varianceFiles = sourceFiles(zodSrc).filter((p) => VARIANCE.test(readFileSync(p, "utf8")));
  });

  it("indexes zod 4's files with variance annotations without errors, definitions intact", () => {
    expect(varianceFiles.length).toBeGreaterThanOrEqual(3); // core/schemas.ts, core/checks.ts, classic/schemas.ts ...
    for (const path of varianceFiles) {
      const text = readFileSync(path, "utf8");
      // The premise: the grammar in use rejects these files.
      expect([path, withTree("typescript", text, (t) => t.rootNode.hasError)]).toEqual([path, true]);
      const index = indexFileSync(path, text, "typescript");
      expect([path, index.hasErrors, index.errorPoints]).toEqual([path, false, []]);
      expect(index.definitions.length).toBeGreaterThan(10);
      for (const d of index.definitions) {
        const written = text.slice(d.nameSpan.startOffset, d.nameSpan.endOffset).replace(/^(["'])(.*)\1$/, "$2"); // "~standard"
        expect([path, d.key, written]).toEqual([path, d.key, d.name]);
      }
    }
  });

  it("blanks only the variance keywords, keeping every offset", () => {
    const text = "export interface Box<out T, in U, in out V> { get(): T; set(u: U): void; v: V }\nexport function f<const T>(x: T): T { return x; }\n";
    const verdict = compilerVerdict("box.ts", text);
    expect(verdict.accepted).toBe(true);
    expect(verdict.blanked).toBe(text.replace("<out T", "<    T").replace("in U", "   U").replace("in out V", "       V"));
    const index = indexFileSync("box.ts", text);
    expect(index.hasErrors).toBe(false);
    expect(index.definitions.map((d) => d.name)).toContain("f");
  });

  it("still flags what the compiler rejects, in TS and in JS", () => {
    const broken = indexFileSync("bad.ts", "interface A<out T> { x: T }\nfunction g( {\n");
    expect(broken.hasErrors).toBe(true);
    expect(broken.errorPoints.length).toBeGreaterThan(0);
    expect(compilerVerdict("bad.ts", "function (").accepted).toBe(false);
    // Type annotations are TypeScript-only: a .js file with them is a syntax error for the compiler too.
    expect(indexFileSync("types.js", "let a: number = 1;\n").hasErrors).toBe(true);
  });
});
