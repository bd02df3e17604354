import { describe, expect, it } from "vitest";
import { initLanguages, isDeclarationFile, languageForPath, parseSync, withTree } from "./index.js";
import { indexFile } from "./indexer.js";
import { UserError } from "../core/errors.js";

describe("parser", () => {
  it("the synchronous API says what to do before the grammars are loaded", async () => {
    expect(() => parseSync("javascript", "x")).toThrow(/await initLanguages\(\)/);
    // indexFile loads what it needs by itself.
    const file = await indexFile("a.js", "function f() { g(); }\n");
    expect(file.definitions.map((d) => d.key)).toEqual(["f"]);
  });

  it("maps extensions to languages", () => {
    expect(languageForPath("pkg/mod.py")).toBe("python");
    expect(languageForPath("pkg/stub.pyi")).toBe("python");
    expect(languageForPath("src/a.ts")).toBe("typescript");
    expect(languageForPath("src/a.mts")).toBe("typescript");
    expect(languageForPath("src/a.cts")).toBe("typescript");
    expect(languageForPath("src/types.d.ts")).toBe("typescript");
    expect(languageForPath("src/App.TSX")).toBe("tsx");
    expect(languageForPath("a.js")).toBe("javascript");
    expect(languageForPath("a.mjs")).toBe("javascript");
    expect(languageForPath("a.cjs")).toBe("javascript");
    expect(languageForPath("a.jsx")).toBe("javascript");
    expect(languageForPath("README.md")).toBeNull();
    expect(languageForPath("Makefile")).toBeNull();
    expect(languageForPath("dir.py/file")).toBeNull();
    expect(isDeclarationFile("src/types.d.ts")).toBe(true);
    expect(isDeclarationFile("src/types.d.mts")).toBe(true);
    expect(isDeclarationFile("src/types.ts")).toBe(false);
  });

  it("unknown extensions are a user error naming the file", async () => {
    await expect(indexFile("notes.txt", "hello")).rejects.toThrow(UserError);
    await expect(indexFile("notes.txt", "hello")).rejects.toThrow(/notes\.txt/);
  });

  it("tree-sitter positions are UTF-16 code units, as our Points are", async () => {
    await initLanguages(["python"]);
    const text = "s = 'é😀'; f(1)\n";
    withTree("python", text, (tree) => {
      const call = tree.rootNode.descendantsOfType("call")[0];
      expect(call?.startIndex).toBe(text.indexOf("f(1)"));
      expect(call?.startPosition.column).toBe(text.indexOf("f(1)"));
    });
  });
});
