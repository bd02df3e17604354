// The Go front end on the machine's real Go toolchain: the helper is built from native/go-frontend/ into the
// shared native cache (first use builds it, later runs reuse it), and judged against Go's standard library sources
// and gofmt -e on the same bytes.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexFileSync, initLanguages } from "../index.js";
import { isGoDirective } from "../go.js";
import { GoFrontend, goFrontendSpec } from "./go.js";
import { ensureNativeHelper } from "../native/build-cache.js";

const STD = "/usr/lib/go-1.19/src";
const frontend = new GoFrontend();
const scratch = mkdtempSync(join(tmpdir(), "hgym-go-frontend-test-"));

beforeAll(async () => {
  await initLanguages(["go"]);
  await frontend.version(); // builds the helper on a fresh machine
}, 300_000);

afterAll(async () => {
  await frontend.close();
  rmSync(scratch, { recursive: true, force: true });
});

function stdFiles(dir: string, n: number): { path: string; text: string }[] {
  return readdirSync(join(STD, dir))
    .filter((f) => f.endsWith(".go"))
    .sort()
    .slice(0, n)
    .map((f) => ({ path: `${dir}/${f}`, text: readFileSync(join(STD, dir, f), "utf8") }));
}

// gofmt -e's first error line on the same bytes, or null when it accepts the file.
function gofmtLine(text: string): number | null {
  const file = join(scratch, "x.go");
  writeFileSync(file, text);
  const r = spawnSync("gofmt", ["-e", "-l", file], { encoding: "utf8" });
  if (r.status === 0) return null;
  const m = /x\.go:(\d+):\d+: /.exec(r.stderr);
  if (!m) throw new Error(`gofmt said: ${r.stderr}`);
  return Number(m[1]);
}

const SAMPLE = "package p\n\nimport \"fmt\"\n\n// F prints.\nfunc F(x int) int {\n\tfmt.Println(x) // trailing\n\treturn x\n}\n";

describe("go front end", () => {
  it("reports the toolchain it was built with", async () => {
    const go = execFileSync("go", ["version"], { encoding: "utf8" });
    const version = await frontend.version();
    expect(version).toMatch(/^go \d+\.\d+/);
    expect(go).toContain(`go${version.slice(3)}`);
  });

  it("accepts the standard library and rejects broken files at gofmt -e's line", async () => {
    for (const f of [...stdFiles("strings", 8), ...stdFiles("go/parser", 4)]) expect(await frontend.check(f.path, f.text), f.path).toBeNull();
    const broken = [
      SAMPLE.replace("return x", "return x +"),
      SAMPLE.replace("func F(x int) int {", "func F(x int) int"),
      SAMPLE.replace("fmt.Println(x)", "fmt.Println(x\u0000)"), // NUL: a scanner error
      SAMPLE.replace("return x", "return \ufeffx"), // a byte order mark after the start
      SAMPLE.replace("// F prints.", "/* unterminated"),
    ];
    for (const text of broken) {
      const error = await frontend.check("p.go", text);
      expect(error, text).not.toBeNull();
      expect(error?.line, text).toBe(gofmtLine(text));
    }
    expect(await frontend.check("p.go", `\ufeff${SAMPLE}`)).toBeNull(); // a leading BOM is allowed
    // gofmt reports the position a //line directive claims; the judge reports the real line.
    const lying = SAMPLE.replace("package p", "package p\n//line other.go:500").replace("return x", "return )");
    expect((await frontend.check("p.go", lying))?.line).toBe(lying.split("\n").findIndex((l) => l.includes("return )")) + 1);
  });

  it("says edits of comments and doc comments are equal, on real files", async () => {
    let compared = 0;
    for (const f of [...stdFiles("strings", 6), ...stdFiles("sort", 4)]) {
      const index = indexFileSync(f.path, f.text);
      // Every comment that is not a directive rewritten, from the last one so offsets stay valid.
      let edited = f.text;
      for (const c of [...index.comments].reverse()) {
        if (isGoDirective(c.text) || /^\/\/\s*\+build/.test(c.text)) continue;
        const replacement = c.text.startsWith("//") ? "// rewritten by the test" : "/* rewritten */";
        edited = edited.slice(0, c.span.startOffset) + replacement + edited.slice(c.span.endOffset);
      }
      expect(edited).not.toBe(f.text);
      expect(await frontend.compare(f.path, f.text, edited), f.path).toEqual({ kind: "equal" });
      // A doc comment added above every definition.
      const lines = f.text.split("\n");
      for (const d of [...index.definitions].reverse()) if (!d.isNested) lines.splice(d.span.start.line - 1, 0, "// Added doc.");
      expect(await frontend.compare(f.path, f.text, lines.join("\n")), f.path).toEqual({ kind: "equal" });
      compared++;
    }
    expect(compared).toBe(10);
  });

  it("says code edits differ, at the line of the change", async () => {
    const f = stdFiles("strings", 1)[0] as { path: string; text: string };
    const at = f.text.indexOf("return");
    const line = f.text.slice(0, at).split("\n").length;
    const edited = `${f.text.slice(0, at)}return;${f.text.slice(at + "return".length)}`;
    const v = await frontend.compare(f.path, f.text, edited);
    expect(v.kind).toBe("different");
    expect(v.kind === "different" && v.line).toBe(line);
    expect((await frontend.compare("p.go", SAMPLE, SAMPLE.replace("return x", "return x + 0"))).kind).toBe("different");
  });

  it("sees a comment that inserts a semicolon as a code change", async () => {
    const before = "package p\n\nfunc f() int {\n\treturn /* one */ 1\n}\n";
    const hidden = "package p\n\nfunc f() int {\n\treturn /* one\n\t*/ 1\n}\n"; // `return;` then an unreachable `1`... which does not parse
    expect((await frontend.compare("p.go", before, hidden)).kind).not.toBe("equal");
    const a = "package p\n\nfunc g() {}\n\nfunc f() {\n\tg /* x */ ()\n}\n";
    const b = "package p\n\nfunc g() {}\n\nfunc f() {\n\tg /* x\n\t*/ ()\n}\n"; // `g;` `()`: no longer parses
    expect((await frontend.compare("p.go", a, b)).kind).toBe("parse-error");
    // A multi-line comment after `x := y` leaves the statement as it is: the semicolon was there already.
    const c = "package p\n\nfunc f(y int) int {\n\tx := y /* note */\n\treturn x\n}\n";
    const d = "package p\n\nfunc f(y int) int {\n\tx := y /* note\n\tmore */\n\treturn x\n}\n";
    expect(await frontend.compare("p.go", c, d)).toEqual({ kind: "equal" });
    // And one that starts a statement on the same line: `x := y /*\n*/ + 1` becomes `x := y; +1`.
    const e = "package p\n\nfunc f(y int) int {\n\tx := y /* n */ + 1\n\treturn x\n}\n";
    const g = "package p\n\nfunc f(y int) int {\n\tx := y /* n\n\t*/ + 1\n\treturn x\n}\n";
    const v = await frontend.compare("p.go", e, g);
    expect(v.kind).toBe("different");
    expect(v.kind === "different" && v.reason).toMatch(/semicolon/);
  });

  it("treats directives and the cgo preamble as code, raw-string CRs and escapes by value", async () => {
    const withDirective = SAMPLE.replace("// F prints.", "// F prints.\n//go:noinline");
    expect((await frontend.compare("p.go", SAMPLE, withDirective)).kind).toBe("different");
    expect((await frontend.compare("p.go", SAMPLE, `//go:build ignore\n\n${SAMPLE}`)).kind).toBe("different");
    expect((await frontend.compare("p.go", SAMPLE, `// +build ignore\n\n${SAMPLE}`)).kind).toBe("different");
    expect((await frontend.compare("p.go", SAMPLE, SAMPLE.replace("// F prints.", "//line other.go:1"))).kind).toBe("different");
    expect((await frontend.compare("p.go", SAMPLE, SAMPLE.replace("// F prints.", "//go: is not a directive"))).kind).toBe("equal");
    const cgo = 'package p\n\n// #include <stdio.h>\nimport "C"\n\n// F is Go.\nfunc F() {}\n';
    expect((await frontend.compare("p.go", cgo, cgo.replace("stdio.h", "stdlib.h"))).kind).toBe("different");
    expect((await frontend.compare("p.go", cgo, cgo.replace('import "C"', '// #define X 1\nimport "C"'))).kind).toBe("different");
    expect(await frontend.compare("p.go", cgo, cgo.replace("F is Go.", "F is plain Go."))).toEqual({ kind: "equal" });
    const raw = "package p\n\nvar s = `a\nb`\n";
    expect(await frontend.compare("p.go", raw, raw.replace("a\nb", "a\r\nb"))).toEqual({ kind: "equal" });
    expect((await frontend.compare("p.go", raw, raw.replace("a\nb", "a\n b"))).kind).toBe("different");
    expect(await frontend.compare("p.go", 'package p\n\nvar s = "A"\n', 'package p\n\nvar s = "\\x41"\n')).toEqual({ kind: "equal" });
    expect(await frontend.compare("p.go", SAMPLE, `\ufeff${SAMPLE}`)).toEqual({ kind: "equal" });
  });

  it("reports a start that does not parse and an end that does not parse apart", async () => {
    const bad = SAMPLE.replace("return x", "return )");
    expect((await frontend.compare("p.go", bad, SAMPLE)).kind).toBe("start-error");
    const v = await frontend.compare("p.go", SAMPLE, bad);
    expect(v.kind).toBe("parse-error");
    expect(v.kind === "parse-error" && v.error.line).toBe(8);
  });

  it("times go/parser over a batch of files for the benchmark", async () => {
    const paths = readdirSync(join(STD, "net/http"))
      .filter((f) => f.endsWith(".go"))
      .map((f) => join(STD, "net/http", f));
    const t = await frontend.parseOnly(paths);
    expect(t.files).toBe(paths.length);
    expect(t.bytes).toBe(paths.reduce((n, p) => n + readFileSync(p).length, 0));
    expect(t.seconds).toBeGreaterThan(0);
    expect(t.errors).toBe(0);
  });

  it("names what to install when go is missing", () => {
    expect(() => ensureNativeHelper(goFrontendSpec("/nonexistent/go"), scratch)).toThrow(/install Go \(Debian: apt-get install golang-go\)/);
  });
});
