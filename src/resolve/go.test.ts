// The Go resolver end to end: native/go-resolver built with the machine's Go toolchain, go/types over a small
// module written to a temp dir (a second package, build-constrained files, generics, embedding, an interface, a
// func-typed field, a module that is not downloaded, a test file), asked at call positions found in the text.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResolver } from "./index.js";
import type { CallResolver, ResolveResult } from "./types.js";

const FILES: Record<string, string> = {
  "go.mod": "module example.com/app\n\ngo 1.19\n\nrequire github.com/spf13/cobra v1.8.0\n",
  "pkg/util/util.go": `package util

// Helper helps.
func Helper() int { return 1 }

// Box holds a value.
type Box[T any] struct{ v T }

// Get returns the value.
func (b Box[T]) Get() T { return b.v }

// Map applies f.
func Map[T any](xs []T, f func(T) T) []T { return xs }
`,
  "pkg/util/plat_linux.go": "package util\n\nfunc Plat() int { return 1 }\n",
  "pkg/util/plat_other.go": "//go:build !linux\n\npackage util\n\nfunc Plat() int { return 2 }\n",
  "pkg/util/unix.go": "//go:build linux || darwin\n\npackage util\n\nfunc UnixOnly() int { return 3 }\n",
  "pkg/util/everywhere.go": "package util\n\nfunc Everywhere() int { return 4 }\n",
  "main.go": `package main

import (
	"fmt"
	"strings"

	"example.com/app/pkg/util"
	"github.com/spf13/cobra"
)

type Shape interface{ Area() float64 }

// Wrapped embeds a type of a module that is not downloaded.
type Wrapped struct{ *cobra.Command }

type Base struct{}

func (Base) Hello() string { return "hi" }

type Sq struct {
	Base
	n  float64
	fn func() int
}

func (s Sq) Area() float64 { return s.n * s.n }

func run(s Shape, q Sq) {
	fmt.Println(strings.ToUpper("x"))
	util.Helper()
	s.Area()
	q.Area()
	q.Hello()
	q.fn()
	_ = len("x")
	_ = float64(3)
	util.Map([]int{1}, nil)
	b := util.Box[int]{}
	b.Get()
	cmd := cobra.Command{}
	cmd.Execute()
	cmd.Flags().VisitAll(nil)
	w := Wrapped{}
	w.Execute()
	cobra.OnInitialize()
	util.Plat()
	util.Everywhere()
}
`,
  "funcs.go": `package main

var pad = func(s string) string { return s + " " }

var Hook = func() {}

var swapped = func() int { return 1 }

func init() { swapped = func() int { return 2 } }

func locals() {
	f := func() int { return 1 }
	g := func() int { return 2 }
	g = func() int { return 3 }
	f()
	g()
	pad("x")
	Hook()
	swapped()
}
`,
  "unix_main.go": "//go:build linux\n\npackage main\n\nimport \"example.com/app/pkg/util\"\n\nfunc unixRun() int { return util.UnixOnly() }\n",
  "main_test.go": "package main\n\nimport \"testing\"\n\nfunc TestRun(t *testing.T) { run(Sq{}, Sq{}) }\n",
};

let root: string;
let resolver: CallResolver;

// The position of `name` inside the first occurrence of `snippet` in `file`.
function at(file: string, snippet: string, name: string): { file: string; line: number; column: number } {
  const text = FILES[file]!;
  const i = text.indexOf(snippet);
  if (i < 0) throw new Error(`no ${snippet} in ${file}`);
  const offset = i + snippet.indexOf(name);
  const before = text.slice(0, offset).split("\n");
  return { file, line: before.length, column: before[before.length - 1]!.length };
}

// The expected answer: where a declaration's name is.
function decl(file: string, snippet: string, name: string): string {
  const p = at(file, snippet, name);
  return `${file}:${p.line}:${p.column}`;
}

async function ask(file: string, snippet: string, name: string): Promise<ResolveResult> {
  const [r] = await resolver.resolve([at(file, snippet, name)]);
  return r!;
}

function target(r: ResolveResult): string {
  if (r.status !== "resolved") return `${r.status}:${r.status === "ambiguous" ? r.kind : r.reason}`;
  return r.targets.map((t) => (t.inRepo ? `${t.file}:${t.line}:${t.column}` : `external${r.via ? `(${r.via})` : ""}`)).join(",");
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "hgym-go-resolver-"));
  for (const [p, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), text);
  }
  resolver = await createResolver("go", root, []);
}, 180_000);

afterAll(async () => {
  await resolver?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("Go call resolution with go/types", () => {
  it("names functions and concrete methods of the repository by their declaration's name", async () => {
    expect(target(await ask("main.go", "util.Helper()", "Helper"))).toBe(decl("pkg/util/util.go", "func Helper", "Helper"));
    expect(target(await ask("main.go", "q.Area()", "Area"))).toBe(decl("main.go", "Sq) Area()", "Area"));
    // A method promoted from an embedded struct is the embedded type's declaration.
    expect(target(await ask("main.go", "q.Hello()", "Hello"))).toBe(decl("main.go", "(Base) Hello", "Hello"));
    // Generic function and a method of an instantiated generic type: the generic declarations.
    expect(target(await ask("main.go", "util.Map(", "Map"))).toBe(decl("pkg/util/util.go", "func Map", "Map"));
    expect(target(await ask("main.go", "b.Get()", "Get"))).toBe(decl("pkg/util/util.go", ") Get()", "Get"));
    // From a test file of the package.
    expect(target(await ask("main_test.go", "run(Sq{}", "run"))).toBe(decl("main.go", "func run(", "run"));
  });

  it("answers the standard library, builtins and conversions as external", async () => {
    expect(target(await ask("main.go", "fmt.Println(", "Println"))).toBe("external");
    expect(target(await ask("main.go", "strings.ToUpper(", "ToUpper"))).toBe("external");
    expect(target(await ask("main.go", "len(", "len"))).toBe("external(builtin)");
    expect(target(await ask("main.go", "float64(3)", "float64"))).toBe("external(builtin)");
  });

  it("answers calls through a module that is not downloaded as external, not ambiguous", async () => {
    expect(target(await ask("main.go", "cobra.OnInitialize()", "OnInitialize"))).toBe("external(non-repo-import)");
    expect(target(await ask("main.go", "cmd.Execute()", "Execute"))).toBe("external(non-repo-import)");
    // On the result of such a call (a pointer to a type go/types cannot give), and promoted from an embedded one.
    expect(target(await ask("main.go", "VisitAll(nil)", "VisitAll"))).toBe("external(non-repo-import)");
    expect(target(await ask("main.go", "w.Execute()", "Execute"))).toBe("external(non-repo-import)");
  });

  it("calls an interface method or a func-typed field ambiguous", async () => {
    expect(target(await ask("main.go", "s.Area()", "Area"))).toBe("ambiguous:interface-method");
    expect(target(await ask("main.go", "q.fn()", "fn"))).toBe("ambiguous:func-value");
  });

  it("follows a variable bound once to a function literal, and calls one that is assigned again ambiguous", async () => {
    expect(target(await ask("funcs.go", "\tf()", "f"))).toBe(decl("funcs.go", "f := func", "f"));
    expect(target(await ask("funcs.go", "pad(\"x\")", "pad"))).toBe(decl("funcs.go", "var pad", "pad"));
    expect(target(await ask("funcs.go", "\tg()", "g"))).toBe("ambiguous:func-value");
    expect(target(await ask("funcs.go", "swapped()\n", "swapped"))).toBe("ambiguous:func-value");
    // Exported: another package may assign it.
    expect(target(await ask("funcs.go", "Hook()", "Hook"))).toBe("ambiguous:func-value");
  });

  it("calls a platform-dependent binding ambiguous, and a binding built wherever the call is resolved", async () => {
    expect(target(await ask("main.go", "util.Plat()", "Plat"))).toBe("ambiguous:platform-dependent");
    expect(target(await ask("main.go", "util.Everywhere()", "Everywhere"))).toBe(decl("pkg/util/everywhere.go", "func Everywhere", "Everywhere"));
    // unix_main.go is built on linux only, where unix.go is built too.
    expect(target(await ask("unix_main.go", "util.UnixOnly()", "UnixOnly"))).toBe(decl("pkg/util/unix.go", "func UnixOnly", "UnixOnly"));
  });

  it("gives one answer per request and refuses positions that name nothing", async () => {
    const rs = await resolver.resolve([at("main.go", "util.Helper()", "Helper"), { file: "main.go", line: 1, column: 0 }, { file: "missing.go", line: 1, column: 0 }]);
    expect(rs.map((r) => r.status)).toEqual(["resolved", "unresolved", "unresolved"]);
  });
});
