import { beforeAll, describe, expect, it } from "vitest";
import { indexFileSync, initLanguages } from "./index.js";
import type { Definition, FileIndex } from "./types.js";

beforeAll(async () => {
  await initLanguages(["typescript", "tsx", "javascript"]);
});

const TS = `import d, { a as b, c } from "./m";
import * as ns from "ns";
import type { T } from "./types";
export { x as y } from "./re";
export * from "./all";
import fs = require("fs");

/**
 * Adds things.
 * @param a first
 */
export function add(a: number, b = def()): number {
  return helper(a) + new Foo(b).v;
}

/** Arrow doc */
export const arrow = async (x: string) => {
  await thing(x);
};

/** Class doc above the decorator. */
@Component({ sel: make() })
export class Widget<T> extends Base implements I {
  /** Field arrow doc. */
  handler = (e: Event) => this.handle(e);
  constructor(private a: A) {
    super(a);
  }
  @Input() get value(): string { return this._v; }
  set value(v: string) { this._v = v; }
  async load() {
    const cb = () => fetchIt();
    return cb();
  }
  static #priv() { obj[k](); }
  *gen() { yield next(); }
}

const obj = {
  m() { return m1(); },
  n: function () { return n1(); },
  o: () => 1,
  inner: { deep() {} },
};

Foo.prototype.bar = function () { baz(); };

namespace NS {
  export function f() {}
}

function outer() {
  function nested() { return deep.call(); }
  items.map((i) => transform(i));
  return nested();
}

export default class {}

const s = "é😀"; callAfterEmoji();
`;

function byKey(file: FileIndex): Map<string, Definition> {
  return new Map(file.definitions.map((d) => [d.key, d]));
}

describe("typescript indexing", () => {
  it("finds every definition with kind, key, parent and nesting", () => {
    const file = indexFileSync("src/widget.ts", TS);
    expect(file.language).toBe("typescript");
    expect(file.hasErrors).toBe(false);
    expect(file.definitions.map((d) => [d.kind, d.key, d.parent, d.isNested])).toEqual([
      ["function", "add", null, false],
      ["arrow_function", "arrow", null, false],
      ["class", "Widget", null, false],
      ["arrow_function", "Widget.handler", "Widget", false],
      ["constructor", "Widget.constructor", "Widget", false],
      ["getter", "Widget.value", "Widget", false],
      ["setter", "Widget.value#2", "Widget", false],
      ["async_method", "Widget.load", "Widget", false],
      ["arrow_function", "Widget.load.cb", "Widget.load", true],
      ["method", "Widget.#priv", "Widget", false],
      ["method", "Widget.gen", "Widget", false],
      ["method", "obj.m", null, false],
      ["function_expression", "obj.n", null, false],
      ["arrow_function", "obj.o", null, false],
      ["method", "obj.inner.deep", null, false],
      ["function_expression", "Foo.prototype.bar", null, false],
      ["function", "NS.f", null, false],
      ["function", "outer", null, false],
      ["function", "outer.nested", "outer", true],
    ]);
    const defs = byKey(file);
    expect(defs.get("Foo.prototype.bar")?.name).toBe("bar");
    expect(defs.get("Widget.value#2")?.qualifiedName).toBe("src/widget.ts::Widget.value#2");
  });

  it("JSDoc: above export, above decorators, above class fields; text without markers", () => {
    const defs = byKey(indexFileSync("src/widget.ts", TS));
    expect(defs.get("add")?.docstring?.text).toBe("Adds things.\n@param a first");
    expect(defs.get("add")?.docstring?.span.start).toEqual({ line: 8, column: 0 });
    expect(defs.get("arrow")?.docstring?.text).toBe("Arrow doc");
    expect(defs.get("Widget")?.docstring?.text).toBe("Class doc above the decorator.");
    expect(defs.get("Widget.handler")?.docstring?.raw).toBe("/** Field arrow doc. */");
    expect(defs.get("Widget.constructor")?.docstring).toBeNull();
    expect(defs.get("obj.m")?.docstring).toBeNull();
  });

  it("spans", () => {
    const defs = byKey(indexFileSync("src/widget.ts", TS));
    const widget = defs.get("Widget") as Definition;
    expect(widget.span.start).toEqual({ line: 22, column: 0 });
    expect(widget.decoratorSpan?.start).toEqual({ line: 22, column: 0 });
    expect(TS.slice(widget.signatureSpan.startOffset, widget.signatureSpan.endOffset)).toBe("class Widget<T> extends Base implements I");
    const add = defs.get("add") as Definition;
    expect(TS.slice(add.signatureSpan.startOffset, add.signatureSpan.endOffset)).toBe("function add(a: number, b = def()): number");
    expect(TS.slice(add.bodySpan?.startOffset, add.bodySpan?.endOffset)).toMatch(/^\{\n {2}return helper\(a\)/);
    const value = defs.get("Widget.value") as Definition;
    expect(value.span.start).toEqual({ line: 29, column: 2 }); // the @Input() decorator
    expect(value.nameSpan.start).toEqual({ line: 29, column: 15 });
    const arrow = defs.get("arrow") as Definition;
    expect(TS.slice(arrow.span.startOffset, arrow.span.endOffset)).toMatch(/^const arrow = async/);
  });

  it("calls: new, super, member names, nested flags, defaults and decorators excluded", () => {
    const defs = byKey(indexFileSync("src/widget.ts", TS));
    const calls = (key: string) => defs.get(key)?.calls.map((c) => [c.callee, c.name, c.inNested, c.isNew]);
    expect(calls("add")).toEqual([
      ["helper", "helper", false, false],
      ["Foo", "Foo", false, true],
    ]);
    expect(calls("Widget.constructor")).toEqual([["super", "super", false, false]]);
    expect(calls("Widget.load")).toEqual([
      ["fetchIt", "fetchIt", true, false],
      ["cb", "cb", false, false],
    ]);
    expect(calls("Widget.#priv")).toEqual([["obj[k]", "", false, false]]);
    expect(calls("outer")).toEqual([
      ["deep.call", "call", true, false],
      ["items.map", "map", false, false],
      ["transform", "transform", true, false],
      ["nested", "nested", false, false],
    ]);
    expect(calls("outer.nested")).toEqual([["deep.call", "call", false, false]]);
    const widgetCalls = defs.get("Widget")?.calls.map((c) => c.name) ?? [];
    expect(widgetCalls).toContain("Input"); // a member decorator runs in the class body
    expect(widgetCalls).not.toContain("Component");
    expect(widgetCalls).not.toContain("make");
  });

  it("calls through a string key name the key (quotes removed, span on the literal); computed and escaped keys name nothing", () => {
    const src = 'class V {\n  run(x) {\n    this["~validate"](x);\n    this[\'b\'](x);\n    this[k](x);\n    this["a\\u0062"](x);\n    this[`t`](x);\n  }\n}\n';
    const run = byKey(indexFileSync("src/v.js", src)).get("V.run") as Definition;
    expect(run.calls.map((c) => [c.callee, c.name])).toEqual([
      ['this["~validate"]', "~validate"],
      ["this['b']", "b"],
      ["this[k]", ""],
      ['this["a\\u0062"]', ""],
      ["this[`t`]", ""],
    ]);
    const first = run.calls[0];
    expect(src.slice(first?.nameSpan.startOffset, first?.nameSpan.endOffset)).toBe('"~validate"');
  });

  it("imports", () => {
    const file = indexFileSync("src/widget.ts", TS);
    expect(file.imports.map((i) => [i.module, i.names, i.alias])).toEqual([
      ["./m", [{ name: "default", alias: "d" }, { name: "a", alias: "b" }, { name: "c", alias: null }], null],
      ["ns", [], "ns"],
      ["./types", [{ name: "T", alias: null }], null],
      ["./re", [{ name: "x", alias: "y" }], null],
      ["./all", [{ name: "*", alias: null }], null],
      ["fs", [], "fs"],
    ]);
  });

  it("UTF-16 columns after non-ASCII text", () => {
    const file = indexFileSync("src/widget.ts", TS);
    const lineNo = TS.split("\n").findIndex((l) => l.includes("callAfterEmoji")) + 1;
    expect(file.comments.length).toBe(4);
    // Module-level calls belong to no definition; find the position through a wrapper instead.
    const wrapped = indexFileSync("w.ts", `function w() {\n  const s = "é😀"; callAfterEmoji();\n}\n`);
    expect(wrapped.definitions[0]?.calls[0]?.nameSpan.start).toEqual({ line: 2, column: 19 });
    expect(lineNo).toBeGreaterThan(0);
  });

  it("syntax errors are flagged, the rest is indexed", () => {
    const file = indexFileSync("bad.ts", `function ok() { return 1; }\nfunction broken( {\n}\nclass Later { m() { go(); } }\n`);
    expect(file.hasErrors).toBe(true);
    expect(file.errorPoints.length).toBeGreaterThan(0);
    expect(file.definitions.map((d) => d.key)).toContain("ok");
  });
});

describe("javascript and tsx", () => {
  it("indexes CommonJS, class fields and JS method decorators", () => {
    const js = `const path = require("path");
const { readFile, writeFile: write } = require("fs/promises");

/** Loads the thing. */
module.exports.load = async function load(p) {
  return readFile(path.join(p, "x"));
};

class Store {
  cache = new Map();
  /** Field function. */
  get = (k) => this.cache.get(k);
  @logged() method(a = fallback()) { return work(a); }
}
`;
    const file = indexFileSync("lib/store.js", js);
    expect(file.language).toBe("javascript");
    expect(file.imports.map((i) => [i.module, i.names, i.alias])).toEqual([
      ["path", [], "path"],
      ["fs/promises", [{ name: "readFile", alias: null }, { name: "writeFile", alias: "write" }], null],
    ]);
    const defs = byKey(file);
    expect(file.definitions.map((d) => [d.kind, d.key])).toEqual([
      ["function_expression", "module.exports.load"],
      ["class", "Store"],
      ["arrow_function", "Store.get"],
      ["method", "Store.method"],
    ]);
    expect(defs.get("module.exports.load")?.docstring?.text).toBe("Loads the thing.");
    expect(defs.get("module.exports.load")?.calls.map((c) => c.name)).toEqual(["readFile", "join"]);
    expect(defs.get("Store.get")?.docstring?.text).toBe("Field function.");
    expect(defs.get("Store.method")?.calls.map((c) => c.name)).toEqual(["work"]);
    expect(defs.get("Store.method")?.decoratorSpan?.start).toEqual({ line: 13, column: 2 });
    expect(defs.get("Store")?.calls.map((c) => [c.name, c.isNew, c.inNested])).toEqual([
      ["Map", true, false],
      ["get", false, true],
      ["logged", false, false],
      ["fallback", false, false],
      ["work", false, true],
    ]);
  });

  it("JSDoc above a decorated method and above export default", () => {
    const src = `class K {
  /** Decorated method doc. */
  @Memo()
  @Trace
  compute(): number { return 1; }

  /** Not attached: code follows. */
  x = 1;
  plain() {}
}

/** Default export doc. */
export default function main() { run(); }
`;
    const defs = byKey(indexFileSync("k.ts", src));
    expect(defs.get("K.compute")?.docstring?.text).toBe("Decorated method doc.");
    expect(defs.get("K.compute")?.span.start).toEqual({ line: 3, column: 2 });
    expect(defs.get("K.compute")?.decoratorSpan?.end).toEqual({ line: 3, column: 9 });
    expect(defs.get("K.plain")?.docstring).toBeNull();
    expect(defs.get("main")?.docstring?.text).toBe("Default export doc.");
    expect(defs.get("main")?.calls.map((c) => c.name)).toEqual(["run"]);
  });

  it("indexes TSX components", () => {
    const tsx = `/** A button. */
export const Button = ({ label }: Props) => <button onClick={() => click(label)}>{format(label)}</button>;
export function App() { return <Button label="x" />; }
`;
    const file = indexFileSync("ui/app.tsx", tsx);
    expect(file.language).toBe("tsx");
    expect(file.hasErrors).toBe(false);
    expect(file.definitions.map((d) => [d.kind, d.key, d.docstring?.text ?? null])).toEqual([
      ["arrow_function", "Button", "A button."],
      ["function", "App", null],
    ]);
    expect(file.definitions[0]?.calls.map((c) => [c.name, c.inNested])).toEqual([
      ["click", true],
      ["format", false],
    ]);
  });
});
