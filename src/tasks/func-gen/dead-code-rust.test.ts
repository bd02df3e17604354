// Rust's dead code for static mode: what follows `return`, `break`, `continue` or a never-returning macro
// (`panic!`, `unreachable!`, `todo!`, `unimplemented!`) in the same block, except items (visible in the whole
// block); `if false { }` and `while false { }`; stubs made of those macros; body tokens that know raw strings,
// char literals and lifetimes.

import { beforeAll, describe, expect, it } from "vitest";
import { initLanguages } from "../../lang/parser.js";
import { bodyTokens, isStubBody, isTrivialBody } from "./body.js";
import { deadRanges } from "./dead-code.js";

beforeAll(async () => {
  await initLanguages(["rust"]);
});

const SRC = `fn f(x: i32) -> i32 {
    if false {
        println!("never");
    }
    while false {
        println!("no loop");
    }
    if x > 0 {
        panic!("negative");
        println!("after panic");
    }
    for i in 0..3 {
        continue;
        println!("after continue {}", i);
    }
    if x == 7 {
        std::process::abort();
    }
    return helper(x);
    println!("after return");
    fn helper(y: i32) -> i32 { y }
}
`;

const dead = (text: string): string[] => {
  const start = text.indexOf("{") + 1;
  const end = text.lastIndexOf("}");
  return deadRanges(text, "rust", { start, end }).map((r) => text.slice(r.start, r.end).replace(/\s+/g, " ").trim());
};

describe("Rust dead code and body tokens", () => {
  it("finds what can never run, and only that", () => {
    const d = dead(SRC);
    expect(d).toContain('if false { println!("never"); }');
    expect(d).toContain('while false { println!("no loop"); }');
    expect(d).toContain('println!("after panic");');
    expect(d).toContain('println!("after continue {}", i);');
    expect(d).toContain('println!("after return");');
    expect(d.join(" | ")).not.toContain("fn helper"); // an item stays: it is visible in the whole block
    expect(d.join(" | ")).not.toContain("abort");
  });

  it("todo!(), unimplemented!() and panic!() bodies are stubs and trivial", () => {
    const body = (b: string) => {
      const text = `fn f() -> u8 {\n${b}\n}\n`;
      return { text, region: { start: text.indexOf("{") + 1, end: text.lastIndexOf("}"), replacement: "" } };
    };
    for (const b of ["    todo!()", '    unimplemented!("later");', '    panic!("no")', "    std::unreachable!()"]) {
      const s = body(b);
      expect(isStubBody(s.text, "rust", s.region), b).toBe(true);
      expect(isTrivialBody(s.text, "rust", s.region), b).toBe(true);
    }
    const real = body("    let x = g();\n    if x > 1 { return 2; }\n    x");
    expect(isStubBody(real.text, "rust", real.region)).toBe(false);
    expect(isTrivialBody(real.text, "rust", real.region)).toBe(false);
  });

  it("tokenizes raw strings, chars and lifetimes", () => {
    const text = `let s: &'a str = r#"a " // b"#; let c = '"'; let d = b'\\''; // gone\nlet e = "x\\"y";`;
    expect(bodyTokens(text, "rust", { start: 0, end: text.length })).toEqual(
      ["let", "s", ":", "&", "'a", "str", "=", "<str>", ";", "let", "c", "=", "<str>", ";", "let", "d", "=", "<str>", ";", "let", "e", "=", "<str>", ";"],
    );
  });
});
