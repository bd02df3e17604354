// The Rust front end (native/rust-frontend: syn + proc-macro2, built offline from Debian's crates with Debian's
// cargo) on real standard-library sources and crafted traps. Its parse verdicts are checked against rustc's own
// parser where the machine's rustc offers one (`-Z parse-only` behind RUSTC_BOOTSTRAP: a test oracle only, it is
// not a stable interface).

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import { RustFrontend, rustFrontendSpec, rustToolchain } from "./rust.js";

const STD = "/usr/src/rustc-1.63.0/library";
const STD_FILES = ["core/src/option.rs", "core/src/result.rs", "alloc/src/vec/mod.rs", "core/src/iter/traits/iterator.rs", "core/src/str/pattern.rs"];
// Builds are keyed by sources + toolchain, so a cache kept between runs only saves the (slow) first build.
const CACHE = join(tmpdir(), "hgym-rust-frontend-test-cache");
const frontend = new RustFrontend(() => CACHE);
const scratch = mkdtempSync(join(tmpdir(), "hgym-rust-fe-"));

afterAll(async () => {
  await frontend.close();
  rmSync(scratch, { recursive: true, force: true });
});

// rustc's own parser, when the machine's rustc still has `-Z parse-only` (rustc 1.63 does).
function rustcParses(text: string): boolean | null {
  const file = join(scratch, "t.rs");
  writeFileSync(file, text);
  const r = spawnSync(rustToolchain().rustc, ["-Z", "parse-only", "--edition", "2021", file], { env: { ...process.env, RUSTC_BOOTSTRAP: "1" }, encoding: "utf8" });
  if (/unknown debugging option|unrecognized option/.test(r.stderr)) return null;
  return r.status === 0;
}

function rustcCompiles(text: string): boolean | null {
  const file = join(scratch, "c.rs");
  writeFileSync(file, text);
  const r = spawnSync(rustToolchain().rustc, ["--emit=metadata", "--crate-type", "lib", "--edition", "2021", "-o", join(scratch, "c.rmeta"), file], { encoding: "utf8" });
  return r.error ? null : r.status === 0;
}

const AFTER_PARSE = new Set(["doc comment on a parameter", "doc comment on a closure parameter"]);

const TRAPS: Record<string, string> = {
  plain: "fn main() { let x = 1; }\n",
  "missing expression": "fn main() { let x = ; }\n",
  "bare CR in a string": 'fn main() { let s = "a\rb"; }\n',
  "bare CR in a doc comment": "/// a\rb\nfn main() {}\n",
  "bare CR in a plain comment": "// a\rb\nfn main() {}\n",
  "bare CR as whitespace": "fn main() {}\rfn g() {}\n",
  "CRLF everywhere": "/// doc\r\nfn main() {\r\n    let s = \"a\r\nb\";\r\n}\r\n",
  "NUL in code": "fn main() {}\0\n",
  "NUL in a string": 'fn main() { let s = "\0"; }\n',
  "NUL in a comment": "// \0\n/* \0 */\nfn main() {}\n",
  "doc comment on a parameter": "fn f(/// doc\n x: u32) {}\nfn main() {}\n",
  "doc comment on a closure parameter": "fn main() { let f = |/// doc\n x: u8| x; }\n",
  "doc comment at the end of a block": "fn main() { let x = 1; /// doc\n }\n",
  "doc comment at the end of a struct": "struct S { a: u8, /// doc\n }\nfn main() {}\n",
  "inner doc after an item": "fn main() {}\n//! late\n",
  "unterminated nested block comment": "/* a /* b */ fn main() {}\n",
  "nested block comment": "/* a /* b */ c */ fn main() {}\n",
  "shebang": "#!/usr/bin/env run-cargo-script\nfn main() {}\n",
  "byte-order mark": "\ufefffn main() {}\n",
  "raw string holding comment markers": 'fn main() { let s = r#"// not a comment /* "#; }\n',
  "lifetimes and chars": "fn f<'a>(x: &'a str) -> char { let c = 'a'; c }\nfn main() {}\n",
};

describe("Rust front end", () => {
  beforeAll(async () => {
    await frontend.version(); // builds the helper on first use (minutes on a busy machine)
  }, 900_000);

  it("names the parser, its lexer and the toolchain it was built with", async () => {
    expect(await frontend.version()).toMatch(/^syn 1\.\d+\.\d+ \(proc-macro2 1\.\d+\.\d+; built with rustc 1\.\d+/);
  });

  it("parses real standard-library files", async () => {
    for (const f of STD_FILES) expect(await frontend.check(f, readFileSync(join(STD, f), "utf8")), f).toBeNull();
  });

  it("agrees with rustc's own parser on every trap", async () => {
    const disagreements: string[] = [];
    for (const [name, text] of Object.entries(TRAPS)) {
      const ours = (await frontend.check("t.rs", text)) === null;
      // rustc's parser accepts doc comments on parameters; its AST validation, which runs right after parsing in
      // every build, rejects them: there the oracle is a real (metadata-only) compile.
      const rustc = AFTER_PARSE.has(name) ? rustcCompiles(text) : rustcParses(text);
      if (rustc !== null && rustc !== ours) disagreements.push(`${name}: rustc ${rustc ? "accepts" : "rejects"}, we ${ours ? "accept" : "reject"}`);
    }
    expect(disagreements).toEqual([]);
    // The verdicts themselves (also where no rustc oracle is available).
    expect(await frontend.check("t.rs", TRAPS["missing expression"] as string)).toEqual({ line: 1, message: "expected expression" });
    expect(await frontend.check("t.rs", TRAPS["bare CR in a string"] as string)).toMatchObject({ message: expect.stringMatching(/lex error/) });
    expect(await frontend.check("t.rs", TRAPS["doc comment on a parameter"] as string)).toMatchObject({ message: expect.stringMatching(/function parameters/) });
    expect(await frontend.check("t.rs", TRAPS["CRLF everywhere"] as string)).toBeNull();
  });

  it("compare: doc comments and comments are comments; doc attributes written as code are code", async () => {
    const base = "pub fn f(x: u8) -> u8 {\n    x + 1\n}\n";
    const eq = async (after: string, before = base) => (await frontend.compare("t.rs", before, after)).kind;
    expect(await eq(`/// Adds one.\n${base}`)).toBe("equal");
    expect(await eq(`/** Adds one. */\n${base}`)).toBe("equal");
    expect(await eq(`//! Crate docs.\n${base}`)).toBe("equal");
    expect(await eq(`/* outer /* nested */ still a comment */\n${base}`)).toBe("equal");
    expect(await eq(`/// Adds one.\n#[inline]\n${base}`)).toBe("different");
    expect(await eq(`#[doc = " Adds one."]\n${base}`)).toBe("different");
    expect(await eq(`#[doc(hidden)]\n${base}`)).toBe("different");
    expect(await eq(`#![doc = " Crate docs."]\n${base}`)).toBe("different");
    expect(await eq(base.replace(/\n/g, "\r\n"))).toBe("equal");
    // `/* /* */ fn g() {} */`: the nested comment swallows the function for rustc.
    expect(await eq(`/* a /* b */ pub fn g() {} */\n${base}`)).toBe("equal");
    expect(await eq(`/* a */ pub fn g() {} /* b */\n${base}`)).toBe("different");
  });

  it("compare: a doc comment passed to a macro is a token the macro receives; literals compare by their text", async () => {
    const m = 'fn f() -> &\'static str { stringify!(x) }\n';
    expect((await frontend.compare("t.rs", m, m.replace("(x)", "(/// doc\n x)"))).kind).toBe("different");
    expect((await frontend.compare("t.rs", `/// m\n${m}`, m)).kind).toBe("equal");
    const raw = 'fn f() -> &\'static str { r#"a // b"# }\n';
    expect((await frontend.compare("t.rs", raw, raw.replace("// b", "// c"))).kind).toBe("different");
    const crlf = 'fn f() -> &\'static str { "a\nb" }\n';
    expect((await frontend.compare("t.rs", crlf, crlf.replace("a\nb", "a\r\nb"))).kind).toBe("equal"); // rustc reads CRLF as LF
    const spaced = "type T = Vec<Vec<u8>>;\n";
    const v = await frontend.compare("t.rs", spaced, spaced.replace(">>", ">/**/>"));
    expect(v).toMatchObject({ kind: "different", reason: expect.stringMatching(/spacing/) }); // conservative: documented
  });

  it("compare: reports where the code changed and which side does not parse", async () => {
    const before = "fn f() {\n    let a = 1;\n}\n";
    expect(await frontend.compare("t.rs", before, before.replace("1", "2"))).toEqual({ kind: "different", line: 2, reason: "code differs: `1` became `2`" });
    expect((await frontend.compare("t.rs", before, before.replace("1;", "1"))).kind).toBe("parse-error");
    expect((await frontend.compare("t.rs", "fn (", before)).kind).toBe("start-error");
    expect(await frontend.compare("t.rs", before, `${before}\ud800`)).toMatchObject({ kind: "parse-error", error: { message: expect.stringMatching(/UTF-8/) } });
  });

  it("parseOnly times syn's parse of files inside the helper", async () => {
    const r = await frontend.parseOnly(STD_FILES.map((f) => join(STD, f)));
    expect(r.files).toBe(STD_FILES.length);
    expect(r.failed).toBe(0);
    expect(r.bytes).toBe(STD_FILES.reduce((n, f) => n + readFileSync(join(STD, f)).length, 0));
    expect(r.seconds).toBeGreaterThan(0);
  });

  it("a missing toolchain is one clear message", () => {
    const spec = rustFrontendSpec({ cargo: "/nonexistent/cargo", rustc: "/nonexistent/rustc" });
    const f = new RustFrontend(() => CACHE, spec);
    return expect(f.check("t.rs", "fn main() {}")).rejects.toThrow(UserError);
  });

  it("prefers Debian's cargo and rustc when installed", () => {
    const tool = rustToolchain();
    if (execFileSync("sh", ["-c", "test -x /usr/bin/cargo && echo yes || echo no"], { encoding: "utf8" }).trim() === "yes") expect(tool.cargo).toBe("/usr/bin/cargo");
  });
});
