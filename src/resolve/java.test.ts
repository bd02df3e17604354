// The Java resolver end to end: native/java-resolver built with the machine's JDK, javac's attribution over a
// small Maven-layout repository written to a temp dir (overloads, an interface, an abstract class, a functional
// interface, constructors, a static import, classes of a library that is not installed), asked at call positions
// found in the text.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResolver } from "./index.js";
import type { CallResolver, ResolveResult } from "./types.js";

const P = "src/main/java/com/ex";
const FILES: Record<string, string> = {
  [`${P}/Shape.java`]: `package com.ex;

/** A shape. */
public interface Shape {
  double area();

  default String label() { return "shape"; }
}
`,
  [`${P}/Base.java`]: `package com.ex;

public abstract class Base {
  public void hello() { }

  protected abstract int size();

  public static int util(int x) { return x; }
}
`,
  // Two modules of a multi-module build, each with its own com.dup.Util.
  "moda/src/main/java/com/dup/Util.java": "package com.dup;\n\npublic class Util {\n  public static int f() { return 1; }\n}\n",
  "modb/src/main/java/com/dup/Util.java": "package com.dup;\n\npublic class Util {\n  public static int f() { return 2; }\n}\n",
  [`${P}/Point.java`]: `package com.ex;

public record Point(int x, int y) {
  public int sum() { return x() + y; }

  public enum Axis { X, Y }

  static Axis axis(String s) { return Axis.valueOf(s); }
}
`,
  [`${P}/Sq.java`]: `package com.ex;

import java.util.*;
import java.util.function.Function;
import org.missing.Lib;
import org.missing.Parent;
import static org.missing.Util.helper;
import static com.ex.Base.util;
import com.dup.Util;

public class Sq extends Base implements Shape {
  private final double n;

  private static final Runnable FIELD = () -> { };

  public Sq(double n) { this.n = n; }

  public Sq() { this(1.0); }

  public double area() { return n * n; }

  protected int size() { return 1; }

  static int twice(int x) { return 2 * x; }

  static String twice(String s) { return s + s; }

  static <T> T same(T t) { return t; }

  void run(Shape s, Base b, Function<Integer, Integer> f, List<String> xs) {
    s.area();
    area();
    s.label();
    twice(3);
    twice("a");
    same("x");
    f.apply(3);
    xs.add("x");
    new Sq(2.0);
    new ArrayList<String>();
    b.size();
    b.hello();
    util(2);
    Lib lib = new Lib();
    lib.go();
    Lib.stat().chain();
    helper(1);
    Runnable r = () -> { };
    r = () -> hello();
    r.run();
    Runnable once = () -> hello();
    once.run();
    Function<Integer, Integer> inc = (Integer i) -> i + 1;
    inc.apply(1);
    FIELD.run();
    String.valueOf(n).length();
    new Inner().work();
    Util.f();
  }

  class Inner extends Parent {
    void work() {
      inherited();
      twice(4);
    }
  }
}
`,
};

let root: string;
let resolver: CallResolver;

function at(file: string, snippet: string, name: string): { file: string; line: number; column: number } {
  const text = FILES[file]!;
  const i = text.indexOf(snippet);
  if (i < 0) throw new Error(`no ${snippet} in ${file}`);
  const offset = i + snippet.indexOf(name);
  const before = text.slice(0, offset).split("\n");
  return { file, line: before.length, column: before[before.length - 1]!.length };
}

// The expected answer: the position of a declaration's name in Sq.java.
function decl(snippet: string, name: string): string {
  const p = at(`${P}/Sq.java`, snippet, name);
  return `Sq.java:${p.line}:${p.column}`;
}

async function ask(snippet: string, name: string): Promise<string> {
  const [r] = await resolver.resolve([at(`${P}/Sq.java`, snippet, name)]);
  return target(r!);
}

function target(r: ResolveResult): string {
  if (r.status !== "resolved") return `${r.status}:${r.status === "ambiguous" ? r.kind : r.reason}`;
  return r.targets.map((t) => (t.inRepo ? `${path.basename(t.file)}:${t.line}:${t.column}` : `external${r.via ? `(${r.via})` : ""}`)).join(",");
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "hgym-java-resolver-"));
  for (const [p, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), text);
  }
  resolver = await createResolver("java", root, []);
}, 180_000);

afterAll(async () => {
  await resolver?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("Java call resolution with javac", () => {
  it("binds overloads, generic methods and default methods to their declarations", async () => {
    expect(await ask("    area();", "area")).toBe(decl("double area()", "area"));
    expect(await ask("twice(3)", "twice")).toBe(decl("int twice(int", "twice"));
    expect(await ask('twice("a")', "twice")).toBe(decl("String twice(String", "twice"));
    expect(await ask('same("x")', "same")).toBe(decl("T same(", "same"));
    expect(await ask("s.label()", "label")).toBe("Shape.java:7:17");
    expect(await ask("b.hello()", "hello")).toBe("Base.java:4:14");
    expect(await ask("util(2)", "util")).toBe("Base.java:8:20");
    expect(await ask("twice(4)", "twice")).toBe(decl("int twice(int", "twice"));
  });

  it("resolves `new Foo(..)` and `this(..)` to the class", async () => {
    expect(await ask("new Sq(2.0)", "Sq")).toBe(decl("class Sq ", "Sq"));
    expect(await ask("this(1.0)", "this")).toBe(decl("class Sq ", "Sq"));
    expect(await ask("new Inner()", "Inner")).toBe(decl("class Inner", "Inner"));
    expect(await ask("new ArrayList<String>()", "ArrayList")).toBe("external");
  });

  it("calls abstract, interface and functional-interface methods ambiguous", async () => {
    expect(await ask("s.area()", "area")).toBe("ambiguous:interface-method");
    expect(await ask("b.size()", "size")).toBe("ambiguous:abstract-method");
    expect(await ask("f.apply(3)", "apply")).toBe("ambiguous:functional-interface");
    expect(await ask("f.apply(3)", "apply")).toBe("ambiguous:functional-interface");
  });

  it("follows a local variable or final field bound to a lambda and never assigned again", async () => {
    expect(await ask("once.run()", "run")).toBe(decl("Runnable once", "once"));
    expect(await ask("inc.apply(1)", "apply")).toBe(decl("Integer> inc", "inc"));
    expect(await ask("FIELD.run()", "run")).toBe(decl("Runnable FIELD", "FIELD"));
    expect(await ask("r.run()", "run")).toBe("ambiguous:functional-interface");
  });

  it("answers the JDK as external, and classes of a library that is not installed as external", async () => {
    expect(await ask('xs.add("x")', "add")).toBe("external");
    expect(await ask("String.valueOf(n)", "valueOf")).toBe("external");
    expect(await ask("String.valueOf(n).length()", "length")).toBe("external");
    expect(await ask("new Lib()", "Lib")).toBe("external(non-repo-import)");
    expect(await ask("lib.go()", "go")).toBe("external(non-repo-import)");
    expect(await ask("Lib.stat().chain()", "chain")).toBe("external(non-repo-import)");
    expect(await ask("helper(1)", "helper")).toBe("external(non-repo-import)");
    // Inherited from a superclass that is not installed: no repository class in scope declares it.
    expect(await ask("inherited()", "inherited")).toBe("external(non-repo-import)");
  });

  it("answers members javac generates (record accessors, enum valueOf) as external", async () => {
    const file = `${P}/Point.java`;
    const [accessor, valueOf] = await resolver.resolve([at(file, "x() + y", "x"), at(file, "Axis.valueOf(s)", "valueOf")]);
    expect(target(accessor!)).toBe("external");
    expect(target(valueOf!)).toBe("external");
  });

  it("calls a class that several files of the repository declare ambiguous", async () => {
    expect(await ask("Util.f()", "f")).toBe("ambiguous:duplicate-class");
  });

  it("gives one answer per request and refuses positions that name no call", async () => {
    const rs = await resolver.resolve([at(`${P}/Sq.java`, "twice(3)", "twice"), { file: `${P}/Sq.java`, line: 1, column: 0 }, { file: "Nope.java", line: 1, column: 0 }]);
    expect(rs.map((r) => r.status)).toEqual(["resolved", "unresolved", "unresolved"]);
  });
});
