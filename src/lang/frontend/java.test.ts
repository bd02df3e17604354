// The Java front end on the machine's real JDK: the helper is built from native/java-frontend/ into a fresh cache,
// runs as one JVM for every request, and judges Java's traps as javac does (unicode escapes read before comments,
// text blocks normalising line ends, annotations being code), on crafted texts and on the JDK's own sources.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JavaFrontend, findJdkBin } from "./java.js";
import { compareSource, sourceSyntaxError } from "./index.js";
import { extractJdkSources, readJdkSources, removeJdkSources } from "../java-test-corpus.js";
import { indexFileSync, initLanguages } from "../indexer.js";

const cacheRoot = mkdtempSync(join(tmpdir(), "hgym-java-frontend-test-"));
const frontend = new JavaFrontend({ cacheRoot });
afterAll(async () => {
  await frontend.close();
  rmSync(cacheRoot, { recursive: true, force: true });
});

const CLASS = `package p;

import java.util.List;

/** A counter. */
public class Counter {
  private int n;

  /**
   * Adds one.
   * @return the new count
   */
  @SuppressWarnings("unused")
  public int inc() {
    return ++n;
  }

  String text() {
    return """
        count: %d
        """.formatted(n);
  }
}
`;

const cmp = (after: string, before = CLASS) => frontend.compare("p/Counter.java", before, after);
const swap = (from: string, to: string, text = CLASS) => {
  expect(text.includes(from), from).toBe(true);
  return text.replace(from, to);
};

describe("Java front end (javac)", () => {
  beforeAll(async () => {
    await frontend.version(); // builds the helper once (a few seconds)
  }, 120_000);

  it("builds into the cache once, names javac and keeps one JVM for all requests", async () => {
    expect(await frontend.version()).toMatch(/^javac \d+/);
    expect(readdirSync(cacheRoot).filter((d) => d.startsWith("java-frontend-"))).toHaveLength(1);
    const pid = frontend.pid;
    const verdicts = await Promise.all(Array.from({ length: 40 }, (_, i) => frontend.check("A.java", i % 2 ? `class A { int x = ${i}; }` : `class A { int x = ; }`)));
    verdicts.forEach((v, i) => expect(v === null, `request ${i}`).toBe(i % 2 === 1));
    expect(frontend.pid).toBe(pid);
  });

  it("reports javac's first parse error and its line", async () => {
    expect(await frontend.check("A.java", "class A {\n  void f() {\n    int x = ;\n  }\n}\n")).toEqual({ line: 3, message: "illegal start of expression" });
    expect(await frontend.check("A.java", "class A {\n  /* open\n}\n")).toMatchObject({ line: 2, message: expect.stringMatching(/unclosed comment/) });
    // Unreachable code is the flow analysis' error, not the parser's: parse only lets it through.
    expect(await frontend.check("A.java", "class A { int f() { return 1; g(); } }")).toBeNull();
  });

  it("sees comment and Javadoc edits as no change", async () => {
    expect(await cmp(swap("/** A counter. */\n", ""))).toEqual({ kind: "equal" });
    expect(await cmp(swap("  public int inc() {", "  // bumps the count\n  public int inc() { /* inline */"))).toEqual({ kind: "equal" });
    // A @deprecated tag sets javac's deprecation flag, but it is a comment for the reward (docs/LANGUAGES.md).
    expect(await cmp(swap("   * Adds one.", "   * Adds one.\n   * @deprecated use add"))).toEqual({ kind: "equal" });
    expect(await cmp(CLASS.replace(/\n/g, "\r\n"))).toEqual({ kind: "equal" });
  });

  it("sees CRLF inside a text block as the same string (the language normalises it)", async () => {
    expect(await cmp(swap('    return """\n        count: %d\n        """', '    return """\r\n        count: %d\r\n        """'))).toEqual({ kind: "equal" });
    // ... but not a changed text-block line
    expect(await cmp(swap("count: %d", "count = %d"))).toMatchObject({ kind: "different", reason: expect.stringMatching(/literal/) });
  });

  it("reads unicode escapes before comments, as javac does", async () => {
    // A line comment ends at an escaped newline: the rest of the line is code.
    const newline = await cmp(swap("  private int n;", "  private int n; // note \\u000a private int m;"));
    expect(newline).toMatchObject({ kind: "different", line: 7 });
    // An escaped '*' closes a block comment early.
    const star = await cmp(swap("  private int n;", "  private int n; /* a \\u002a/ int m; /* b */"));
    expect(star).toMatchObject({ kind: "different" });
    // An escaped letter is the letter: same identifier.
    expect(await cmp(swap("private int n;", "private int \\u006e;"))).toEqual({ kind: "equal" });
  });

  it("treats annotations as code, also when a comment mentions one", async () => {
    expect(await cmp(swap('  @SuppressWarnings("unused")\n', ""))).toMatchObject({ kind: "different", line: 13 });
    expect(await cmp(swap('"unused"', '"all"'))).toMatchObject({ kind: "different" });
    expect(await cmp(swap("  public int inc() {", "  @Deprecated\n  public int inc() {"))).toMatchObject({ kind: "different" });
    expect(await cmp(swap('  @SuppressWarnings("unused")\n', '  // @SuppressWarnings("unused")\n'))).toMatchObject({ kind: "different" });
    expect(await cmp(swap("  public int inc() {", '  // @SuppressWarnings("all")\n  public int inc() {'))).toEqual({ kind: "equal" });
  });

  it("rejects other code changes, parse errors and starts that do not parse", async () => {
    expect(await cmp(swap("++n", "n++"))).toMatchObject({ kind: "different" });
    expect(await cmp(CLASS + "\nclass Extra {}\n")).toMatchObject({ kind: "different", reason: expect.stringMatching(/class/) });
    expect(await cmp(swap("return ++n;", "return ++n"))).toMatchObject({ kind: "parse-error", error: { line: 15 } });
    expect(await cmp(CLASS, "class {")).toMatchObject({ kind: "start-error" });
    expect(await frontend.check("A.java", "class A { String s = \"\ud800\"; }")).toMatchObject({ line: 1, message: expect.stringMatching(/surrogate/) });
  });

  it("is what compareSource and sourceSyntaxError use for Java", async () => {
    expect(await compareSource("java", "p/Counter.java", CLASS, swap("/** A counter. */", "/** Counts. */"), false)).toEqual({ kind: "equal" });
    expect(await sourceSyntaxError("java", "A.java", "class A {")).toMatchObject({ line: 1 });
  });

  it("judges real JDK sources: Javadoc stripped is equal, one changed token is not", async () => {
    for (const { path, text } of readJdkSources()) {
      expect(await frontend.check(path, text), path).toBeNull();
      const noJavadoc = text.replace(/\/\*\*[\s\S]*?\*\//g, "");
      expect(noJavadoc.length, path).toBeLessThan(text.length);
      expect(await frontend.compare(path, text, noJavadoc), path).toEqual({ kind: "equal" });
      const edited = text.replace(/\breturn\b/, "return ");
      expect(await frontend.compare(path, text, edited), path).toEqual({ kind: "equal" });
      const changed = text.replace(/(\n\s+)return\b/, "$1retorn");
      expect((await frontend.compare(path, text, changed)).kind, path).not.toBe("equal");
    }
  }, 60_000);

  it("agrees with javac on which declarations have Javadoc, and on its text (JDK sources)", async () => {
    await initLanguages(["java"]);
    const words = (s: string) => s.replace(/\s+/g, " ").trim();
    let compared = 0;
    const disagree: string[] = [];
    for (const { path, text } of readJdkSources()) {
      const ours = indexFileSync(path, text).definitions;
      for (const d of await frontend.docComments(path, text)) {
        const name = d.name === "<init>" ? null : d.name;
        const def = ours.find((x) => x.span.start.line === d.line && (name === null ? x.kind === "constructor" : x.name === name));
        if (!def) {
          if (d.kind !== "field") disagree.push(`${path}:${d.line} ${d.kind} ${d.name}: not indexed`);
          continue;
        }
        compared++;
        const mine = def.docstring ? words(def.docstring.text) : null;
        const javac = d.doc !== null ? words(d.doc) : null;
        if ((mine === null) !== (javac === null) || (mine !== null && javac !== null && mine !== javac)) disagree.push(`${path}:${d.line} ${def.key}: ours ${JSON.stringify(mine?.slice(0, 60))}, javac ${JSON.stringify(javac?.slice(0, 60))}`);
      }
    }
    expect(disagree).toEqual([]);
    expect(compared).toBeGreaterThan(500);
  }, 60_000);

  it("times javac's parse of a batch of files (parseOnly, for the benchmark)", async () => {
    const { dir, files } = extractJdkSources();
    try {
      const t = await frontend.parseOnly(files);
      expect(t.files).toBe(files.length);
      expect(t.errors).toBe(0);
      expect(t.bytes).toBeGreaterThan(100_000);
      expect(t.seconds).toBeGreaterThan(0);
    } finally {
      removeJdkSources(dir);
    }
  });

  it("finds the JDK through PATH and names what to install when there is none", async () => {
    expect(findJdkBin(process.env.PATH ?? "")).toMatch(/bin$/);
    expect(findJdkBin("/nonexistent")).toBeNull();
    const none = new JavaFrontend({ path: "/nonexistent", cacheRoot });
    await expect(none.check("A.java", "class A {}")).rejects.toThrow(/install a JDK/);
  });
});
