import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { goDocText, isGoDirective } from "./go.js";
import { indexFileSync, initLanguages } from "./index.js";
import type { Definition, FileIndex } from "./types.js";

beforeAll(async () => {
  await initLanguages(["go"]);
});

const byKey = (ix: FileIndex, key: string): Definition => {
  const d = ix.definitions.find((x) => x.key === key);
  if (!d) throw new Error(`no ${key} in ${ix.definitions.map((x) => x.key).join(", ")}`);
  return d;
};

const SRC = `// Package p is a test.
package p

import (
	"fmt"
	str "strings"
	_ "embed"
	. "os"
)

// Pair holds two values.
type Pair[K comparable, V any] struct {
	k K
	v V
}

type (
	// Shape has an area.
	Shape interface{ Area() float64 }

	Celsius float64 // a line comment, not a doc
	Alias = int
)

// Key returns the key.
//
// It is the first field.
func (p *Pair[K, V]) Key() K {
	helper := func(x K) K { return x }
	var other = func() {}
	other()
	return helper(p.k)
}

// Degrees is not a method of a pointer.
func (Celsius) Degrees() string { return fmt.Sprint(1) }

var x = 1 // trailing comment of x
func afterTrailing() {}

// separated by a blank line

func notDocumented() {
	fmt.Println(str.ToUpper("a"))
	Map[int](nil)
	(afterTrailing)()
	fns["k"]()
}

// Inline says hello.
//
//go:noinline
func Inline() {}

/* Block doc. */
func Block() {}

// Handler is bound to a name.
var Handler = func(w int) int {
	return w + 1
}

func init() {}
func init() {}
`;

describe("go adapter", () => {
  const ix = (): FileIndex => indexFileSync("pkg/p.go", SRC);

  it("indexes functions, methods (receiver type without pointer or type arguments), types and bound func literals", () => {
    const index = ix();
    expect(index.hasErrors).toBe(false);
    expect(index.language).toBe("go");
    const kinds = Object.fromEntries(index.definitions.map((d) => [d.key, d.kind]));
    expect(kinds).toMatchObject({
      Pair: "struct",
      Shape: "interface",
      Celsius: "class",
      Alias: "class",
      "Pair.Key": "method",
      "Pair.Key.helper": "function_expression",
      "Pair.Key.other": "function_expression",
      "Celsius.Degrees": "method",
      afterTrailing: "function",
      Handler: "function_expression",
      init: "function",
      "init#2": "function",
    });
    const key = byKey(index, "Pair.Key");
    expect(key.qualifiedName).toBe("pkg/p.go::Pair.Key");
    expect(key.parent).toBe("Pair"); // the receiver type declared in this file
    expect(byKey(index, "Pair.Key.helper").isNested).toBe(true);
    expect(byKey(index, "Pair.Key.helper").parent).toBe("Pair.Key");
    expect(SRC.slice(key.signatureSpan.startOffset, key.signatureSpan.endOffset)).toBe("func (p *Pair[K, V]) Key() K");
    const body = key.bodySpan;
    expect(body && SRC[body.startOffset]).toBe("{");
    expect(body && SRC[body.endOffset - 1]).toBe("}");
    const pair = byKey(index, "Pair");
    expect(SRC.slice(pair.signatureSpan.startOffset, pair.signatureSpan.endOffset)).toBe("type Pair[K comparable, V any] struct");
    expect(pair.bodySpan && SRC.slice(pair.bodySpan.startOffset, pair.bodySpan.endOffset)).toMatch(/^\{\n\tk K\n\tv V\n\}$/);
    expect(byKey(index, "Celsius").bodySpan).toBeNull();
  });

  it("reads doc comments by go/parser's rule", () => {
    const index = ix();
    const doc = (k: string) => byKey(index, k).docstring?.text ?? null;
    expect(doc("Pair")).toBe("Pair holds two values.");
    expect(doc("Shape")).toBe("Shape has an area."); // inside type ( ... ): the spec's own doc
    expect(doc("Celsius")).toBeNull();
    expect(doc("Pair.Key")).toBe("Key returns the key.\n\nIt is the first field.");
    expect(doc("afterTrailing")).toBeNull(); // the comment above is x's line comment
    expect(doc("notDocumented")).toBeNull(); // a blank line between
    expect(doc("Block")).toBe(" Block doc."); // go/ast keeps the space after /*
    expect(doc("Handler")).toBe("Handler is bound to a name.");
    // The directive below the doc is not part of it: removing the doc never removes the directive.
    const inline = byKey(index, "Inline").docstring;
    expect(inline?.text).toBe("Inline says hello.");
    expect(inline?.raw).toBe("// Inline says hello.\n//");
    expect(inline?.span.end.line).toBe((inline?.span.start.line ?? 0) + 1);
  });

  it("records calls with the called name, imports with their aliases, and comments", () => {
    const index = ix();
    const calls = byKey(index, "notDocumented").calls.map((c) => [c.callee, c.name]);
    expect(calls).toEqual([
      ["fmt.Println", "Println"],
      ["str.ToUpper", "ToUpper"],
      ["Map[int]", "Map"],
      ["(afterTrailing)", ""],
      ['fns["k"]', ""],
    ]);
    const key = byKey(index, "Pair.Key").calls.map((c) => [c.name, c.inNested]);
    expect(key).toEqual([
      ["other", false],
      ["helper", false],
    ]);
    const println = byKey(index, "notDocumented").calls[0];
    expect(println && SRC.slice(println.nameSpan.startOffset, println.nameSpan.endOffset)).toBe("Println");
    expect(index.imports.map((i) => [i.module, i.alias])).toEqual([
      ["fmt", null],
      ["strings", "str"],
      ["embed", "_"],
      ["os", "."],
    ]);
    expect(index.comments.some((c) => c.text === "//go:noinline")).toBe(true);
  });

  it("follows go/ast's directive and CommentGroup.Text rules", () => {
    expect(isGoDirective("//go:generate stringer")).toBe(true);
    expect(isGoDirective("//line a.go:10")).toBe(true);
    expect(isGoDirective("//export F")).toBe(true);
    expect(isGoDirective("/*line a.go:1*/")).toBe(true);
    expect(isGoDirective("// go:generate")).toBe(false);
    expect(isGoDirective("//TODO: x")).toBe(false);
    expect(isGoDirective("//note: x")).toBe(false);
    expect(goDocText(["// A b.", "//", "//", "//  indented", "//go:noinline"])).toBe("A b.\n\n indented");
    expect(goDocText(["/*\n  Block\n*/"])).toBe("  Block");
  });

  it("indexes real standard-library files without errors, methods named Type.Method", () => {
    const dir = "/usr/lib/go-1.19/src/strings";
    let methods = 0;
    let docs = 0;
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".go"))) {
      const index = indexFileSync(`strings/${name}`, readFileSync(join(dir, name), "utf8"));
      expect(index.hasErrors, name).toBe(false);
      for (const d of index.definitions) {
        if (d.kind === "method") {
          methods++;
          expect(d.qualname).toMatch(/^[A-Za-z_]\w*\.[A-Za-z_]\w*/);
        }
        if (d.docstring) docs++;
      }
    }
    expect(methods).toBeGreaterThan(40);
    expect(docs).toBeGreaterThan(100);
    const builder = indexFileSync("strings/builder.go", readFileSync(join(dir, "builder.go"), "utf8"));
    expect(byKey(builder, "Builder.WriteString").docstring?.text).toMatch(/^WriteString appends the contents of s to b's buffer/);
  });
});
