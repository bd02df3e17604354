import { beforeAll, describe, expect, it } from "vitest";
import { indexFileSync, initLanguages } from "./index.js";
import { decodeJavaUnicodeEscapes, hasEscapedLineTerminator, javaArityRulesOut } from "./java.js";
import { readJdkSources } from "./java-test-corpus.js";
import type { Definition, FileIndex } from "./types.js";

beforeAll(async () => {
  await initLanguages(["java"]);
});

const SRC = `package com.example.shapes;

import java.util.List;
import java.util.*;
import static java.util.Objects.requireNonNull;
import static org.junit.Assert.*;

/**
 * A shape registry.
 *
 * @since 1.0
 */
@SuppressWarnings("unchecked")
public class Registry<T extends Shape> extends Base implements Iterable<T> {
  // a plain comment
  private final List<T> shapes = new ArrayList<>();

  /** Compares by area. */
  static final Comparator<Shape> BY_AREA = (a, b) -> {
    return Double.compare(a.area(), b.area());
  };

  /** Builds an empty registry. */
  public Registry() {
    super("registry");
  }

  /** Builds a registry holding {@code first}. */
  public Registry(T first) {
    this();
    add(first);
  }

  /** Adds a shape. */
  @Override
  public boolean add(T shape) {
    requireNonNull(shape);
    return shapes.add(shape);
  }

  @Deprecated /** Not Javadoc for javac: it sits after an annotation. */ public void old() {}

  /** Javadoc */
  // a line comment between the Javadoc and the method
  int count() { return shapes.size(); }

  /** The iterator. */
  public Iterator<T> iterator() {
    Runnable r = () -> log("iterating");
    r.run();
    return new Iterator<T>() {
      private int i;
      @Override public boolean hasNext() { return i < shapes.size(); }
      @Override public T next() { return shapes.get(i++); }
    };
  }

  /** Kinds of shapes. */
  enum Kind {
    ROUND {
      @Override String label() { return "round"; }
    },
    SQUARE;

    /** A label. */
    String label() { return name().toLowerCase(); }
  }

  /** Something drawable. */
  interface Drawable {
    /** Draws it. */
    void draw(Canvas c);

    default void drawTwice(Canvas c) { draw(c); draw(c); }
  }

  /** Marks things. */
  @interface Marker {
    int value() default 0;
  }

  /** A point. */
  record Point(int x, int y) {
    Point {
      if (x < 0) throw new IllegalArgumentException("x");
    }
  }

  class Inner {
    void visit() {
      class Local {
        void deep() { helper(); }
      }
      new Local().deep();
    }
  }

  int overload(int x) { return x; }
  int overload(String s) { return s.length(); }
}
`;

function byKey(index: FileIndex, key: string): Definition {
  const d = index.definitions.find((x) => x.key === key);
  if (!d) throw new Error(`no ${key} in ${index.definitions.map((x) => x.key).join(", ")}`);
  return d;
}

describe("Java adapter", () => {
  const index = () => indexFileSync("src/main/java/com/example/shapes/Registry.java", SRC);

  it("indexes every kind of declaration with qualified names", () => {
    const ix = index();
    expect(ix.language).toBe("java");
    expect(ix.hasErrors).toBe(false);
    const kinds = Object.fromEntries(ix.definitions.map((d) => [d.key, d.kind]));
    expect(kinds).toMatchObject({
      Registry: "class",
      "Registry.BY_AREA": "arrow_function",
      "Registry.Registry": "constructor",
      "Registry.Registry#2": "constructor",
      "Registry.add": "method",
      "Registry.Kind": "enum",
      "Registry.Kind.ROUND.label": "method",
      "Registry.Kind.label": "method",
      "Registry.Drawable": "interface",
      "Registry.Drawable.draw": "method",
      "Registry.Marker": "interface",
      "Registry.Marker.value": "method",
      "Registry.Point": "class",
      "Registry.Point.Point": "constructor",
      "Registry.Inner.visit.Local.deep": "method",
      "Registry.overload": "method",
      "Registry.overload#2": "method",
    });
    expect(byKey(ix, "Registry.add").qualifiedName).toBe("src/main/java/com/example/shapes/Registry.java::Registry.add");
    expect(byKey(ix, "Registry.Kind.label").parent).toBe("Registry.Kind");
    expect(byKey(ix, "Registry.Kind.ROUND.label").parent).toBe("Registry.Kind");
    expect(byKey(ix, "Registry.Inner.visit.Local").isNested).toBe(true);
    expect(byKey(ix, "Registry.Inner.visit").isNested).toBe(false);
  });

  it("reads Javadoc the way javac attaches it", () => {
    const ix = index();
    expect(byKey(ix, "Registry").docstring?.text).toBe("A shape registry.\n\n@since 1.0");
    expect(byKey(ix, "Registry.add").docstring?.text).toBe("Adds a shape.");
    expect(byKey(ix, "Registry.BY_AREA").docstring?.text).toBe("Compares by area.");
    expect(byKey(ix, "Registry.old").docstring).toBeNull();
    expect(byKey(ix, "Registry.count").docstring?.text).toBe("Javadoc");
    expect(byKey(ix, "Registry.Drawable.draw").docstring?.text).toBe("Draws it.");
    expect(byKey(ix, "Registry.Drawable.drawTwice").docstring).toBeNull();
    expect(byKey(ix, "Registry.Point").docstring?.text).toBe("A point.");
    // javac reads unicode escapes first: the text is decoded, except after an escaping backslash.
    const esc = indexFileSync("E.java", "/** Caf\\u00e9 \\\\u0041 \\uu0042 */\nclass E {}\n");
    expect(esc.definitions[0]?.docstring?.text).toBe("Caf\u00e9 \\\\u0041 B");
  });

  it("gives abstract and interface methods no body, and spans from the first annotation", () => {
    const ix = index();
    expect(byKey(ix, "Registry.Drawable.draw").bodySpan).toBeNull();
    expect(byKey(ix, "Registry.Marker.value").bodySpan).toBeNull();
    const add = byKey(ix, "Registry.add");
    expect(SRC.slice(add.span.startOffset, add.span.startOffset + 9)).toBe("@Override");
    expect(SRC.slice(add.signatureSpan.startOffset, add.signatureSpan.endOffset)).toBe("public boolean add(T shape)");
    expect(add.decoratorSpan?.start.line).toBe(add.span.start.line);
    const body = add.bodySpan as NonNullable<Definition["bodySpan"]>;
    expect(SRC[body.startOffset]).toBe("{");
    expect(SRC[body.endOffset - 1]).toBe("}");
    const draw = byKey(ix, "Registry.Drawable.draw");
    expect(SRC.slice(draw.signatureSpan.startOffset, draw.signatureSpan.endOffset)).toBe("void draw(Canvas c)");
  });

  it("records calls, constructor calls and anonymous classes' methods as nested", () => {
    const ix = index();
    const calls = (key: string) => byKey(ix, key).calls.map((c) => `${c.name}${c.isNew ? "(new)" : ""}${c.inNested ? "*" : ""}`);
    expect(calls("Registry.add")).toEqual(["requireNonNull", "add"]);
    expect(calls("Registry.Registry")).toEqual(["super"]);
    expect(calls("Registry.Registry#2")).toEqual(["this", "add"]);
    expect(calls("Registry.iterator")).toEqual(["log*", "run", "Iterator(new)", "size*", "get*"]);
    expect(byKey(ix, "Registry.iterator.hasNext").isNested).toBe(true);
    expect(byKey(ix, "Registry.iterator.hasNext").parent).toBe("Registry.iterator");
    expect(calls("Registry.Point.Point")).toEqual(["IllegalArgumentException(new)"]);
    const add = byKey(ix, "Registry.add").calls[1];
    expect(add?.callee).toBe("shapes.add");
    expect(SRC.slice(add?.nameSpan.startOffset, add?.nameSpan.endOffset)).toBe("add");
  });

  it("records imports (static and wildcard) and comments", () => {
    const ix = index();
    expect(ix.imports.map((i) => [i.module, i.names.map((n) => n.name)])).toEqual([
      ["java.util", ["List"]],
      ["java.util", ["*"]],
      ["java.util.Objects", ["requireNonNull"]],
      ["org.junit.Assert", ["*"]],
    ]);
    expect(ix.comments.some((c) => c.text === "// a plain comment")).toBe(true);
    expect(ix.comments.filter((c) => c.text.startsWith("/**")).length).toBeGreaterThan(10);
  });

  it("indexes real JDK sources without errors, with unique keys and their Javadoc", () => {
    for (const { path, text } of readJdkSources()) {
      const ix = indexFileSync(path, text);
      expect(ix.hasErrors, path).toBe(false);
      const keys = ix.definitions.map((d) => d.key);
      expect(new Set(keys).size, path).toBe(keys.length);
      const documented = ix.definitions.filter((d) => d.docstring && d.bodySpan && (d.kind === "method" || d.kind === "constructor"));
      expect(documented.length, path).toBeGreaterThan(2);
      for (const d of documented) {
        const doc = d.docstring as NonNullable<Definition["docstring"]>;
        expect(text.slice(doc.span.startOffset, doc.span.endOffset), `${path} ${d.key}`).toBe(doc.raw);
        expect(text.slice(doc.span.endOffset, d.span.startOffset).trim().replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, "").trim(), `${path} ${d.key}`).toBe("");
      }
    }
    const list = indexFileSync("java/util/ArrayList.java", readJdkSources(["java.base/java/util/ArrayList.java"])[0]?.text ?? "");
    expect(byKey(list, "ArrayList.add#2").docstring?.text).toMatch(/^Appends the specified element/);
    expect(byKey(list, "ArrayList.Itr.hasNext").kind).toBe("method");
  });

  it("decodes unicode escapes as javac reads them, and finds escaped line ends", () => {
    expect(decodeJavaUnicodeEscapes("a\\u0041\\uu0042 \\\\u0043 \\\\\\u0044")).toBe("aAB \\\\u0043 \\\\D");
    expect(decodeJavaUnicodeEscapes("\\u002f\\u002a x \\u002a\\u002f")).toBe("/* x */");
    expect(hasEscapedLineTerminator("// note \\u000a code();")).toBe(true);
    expect(hasEscapedLineTerminator("// note \\uu000D")).toBe(true);
    expect(hasEscapedLineTerminator('String s = "\\\\u000a";')).toBe(false); // an escaped backslash, then "u000a"
    expect(hasEscapedLineTerminator("// \\u00e9")).toBe(false);
  });

  it("tells an overload apart from the method itself by argument count", () => {
    const src = `class O {
  <K, V> int put(Map<K, V> m, String s) { return put(m); }
  int put(Map<String, Integer> m) { return put(m, "a,b"); }
  int sum(int first, int... rest) { return sum(1) + sum(1, 2, 3) + sum(f(1, 2)); }
  int one(int x) { return one((x + 1) * 2) + one(a < b, c > d); }
}
`;
    const ix = indexFileSync("O.java", src);
    const verdicts = (key: string) => {
      const d = byKey(ix, key);
      const sig = src.slice(d.signatureSpan.startOffset, d.signatureSpan.endOffset);
      return d.calls.map((c) => javaArityRulesOut(c.span, c.nameSpan.endOffset, sig, src));
    };
    expect(verdicts("O.put")).toEqual([true]); // put(m) inside put(m, s): another overload
    expect(verdicts("O.put#2")).toEqual([true]);
    expect(verdicts("O.sum")).toEqual([false, false, false, false]); // varargs: 1 fixed parameter, any count from 1 (f's call is not sum's)
    expect(verdicts("O.one")).toEqual([false, true]); // one comparison-holding call with 2 arguments rules itself out
  });
});
