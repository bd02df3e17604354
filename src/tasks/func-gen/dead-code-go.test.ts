// Go's dead code for static mode: statements after return / panic(...) / goto in the same block (a labeled
// statement is reachable again: a goto may jump to it), `if false { }` (only its block when it has an
// initializer, which runs), and body tokens that read a raw string as Go does (no escapes inside backquotes).

import { beforeAll, describe, expect, it } from "vitest";
import { initLanguages } from "../../lang/parser.js";
import { bodyTokens, isStubBody, isTrivialBody } from "./body.js";
import { deadRanges } from "./dead-code.js";

beforeAll(async () => {
  await initLanguages(["go"]);
});

const SRC = `package p

func f(x int) int {
	if false {
		println("never")
	}
	if y := g(); false {
		println("block only")
	}
	if x > 0 {
		panic("negative")
		println("after panic")
	}
	goto done
	println("after goto")
done:
	println("label reached")
	return x
	println("after return")
}

func g() int { return 1 }
`;

const dead = (text: string): string[] => {
  const start = text.indexOf("{", text.indexOf("func f")) + 1;
  const end = text.indexOf("\n}\n", start) + 1;
  return deadRanges(text, "go", { start, end }).map((r) => text.slice(r.start, r.end).replace(/\s+/g, " ").trim());
};

describe("Go dead code and body tokens", () => {
  it("finds what can never run, and only that", () => {
    const d = dead(SRC);
    expect(d).toContain('if false { println("never") }');
    expect(d).toContain('{ println("block only") }');
    expect(d).toContain('println("after panic")');
    expect(d).toContain('println("after goto")');
    expect(d).toContain('println("after return")');
    expect(d.join(" | ")).not.toContain("label reached");
    expect(d.join(" | ")).not.toContain("y := g()");
  });

  it("reads statements through Go's statement_list: stubs, trivial bodies, the placeholder", () => {
    const body = (b: string) => {
      const text = `package p\n\nfunc f() error {\n${b}\n}\n`;
      const start = text.indexOf("{") + 1;
      return { text, region: { start, end: text.lastIndexOf("}"), replacement: "" } };
    };
    const stub = body('\tpanic("TODO: implement")');
    expect(isStubBody(stub.text, "go", stub.region)).toBe(true);
    const nil = body("\treturn nil");
    expect(isStubBody(nil.text, "go", nil.region)).toBe(true);
    expect(isTrivialBody(nil.text, "go", nil.region)).toBe(true);
    const real = body("\tx := g()\n\tif x > 1 {\n\t\treturn nil\n\t}\n\treturn nil");
    expect(isStubBody(real.text, "go", real.region)).toBe(false);
    expect(isTrivialBody(real.text, "go", real.region)).toBe(false);
  });

  it("tokenizes raw strings without escapes", () => {
    const text = "s := `a\\` + b // c\nt := 'x'";
    expect(bodyTokens(text, "go", { start: 0, end: text.length })).toEqual(["s", ":", "=", "<str>", "+", "b", "t", ":", "=", "<str>"]);
  });
});
