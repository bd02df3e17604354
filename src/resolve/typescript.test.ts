import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResolver } from "./index.js";
import type { CallResolver, ResolveRequest, ResolveResult } from "./types.js";

const FILES: Record<string, string> = {
  "src/util.ts": `export function helper(x: string): string {
  return x;
}

export class Base {
  constructor(public n = 1) {}
  m(): number {
    return 1;
  }
  filter(x: number): number {
    return x;
  }
}

export const arrow = (): number => 1;

export const obj = {
  run(): number {
    return 2;
  },
  go: () => 3,
};

export class NoCtor {}
`,
  "src/reexport.ts": `export { helper as renamedHelper } from "./util";
export * from "./util";
`,
  "src/main.ts": `import { helper as h, Base, arrow, obj, NoCtor } from "./util";
import { renamedHelper, helper } from "./reexport";
import { depFn } from "dep";

class Child extends Base {
  constructor() {
    super(2);
  }
  m(): number {
    return super.m() + this.filter(1);
  }
  run(): number {
    return this.m();
  }
}

const alias = helper;

export function main(cb: () => void): void {
  h("a");
  renamedHelper("b");
  new Child();
  new NoCtor();
  arrow();
  obj.run();
  obj.go();
  alias("c");
  Math.max(1, 2);
  depFn();
  cb();
  const inner = (): string => helper("d");
  inner();
  const s = "héllo😀"; h(s);
}
`,
  "src/lib.js": `export function jsHelper() {
  return 1;
}

export class Widget {
  draw() {
    return this.paint();
  }
  paint() {
    return jsHelper();
  }
}
`,
  "src/app.js": `import { jsHelper as run, Widget } from "./lib.js";

export function start() {
  run();
  const w = new Widget();
  return w.draw();
}
`,
  // Shapes the language service answers without a declaration name (zod's v3 sources are full of them).
  "src/props.ts": `import * as missing from "not-installed-pkg";
import * as gone from "./not-there";

export class Base {
  constructor(public n: number) {}
}
export class Mid extends Base {}
export class Leaf extends Mid {
  constructor() {
    super(1);
  }
}

export class Registry {
  static create = <T>(n: T): Registry => new Registry();
  addItem = (x: number): number => x;
  double = x => x * 2;
}

export function use(holder: { make: new () => Base }, mapper = (v: number) => v + 1): number {
  const r = Registry.create(1);
  r.addItem(2);
  r.double(3);
  new Mid(4);
  const This = (r as any).constructor;
  new This();
  const lost = missing.helpers.fn;
  lost();
  const local = gone.helpers.fn;
  local();
  new holder.make();
  const apply = x => x();
  return mapper(5) + apply(() => 1);
}

export function helperFn(a: number): number {
  return a;
}

export class Holder {
  get fn(): (a: number) => number {
    return helperFn;
  }
  "~run"(): number {
    return this["~run"]() + this["~other"]();
  }
  "~other"(): number {
    return 1;
  }
}

export function indirect(cb: (a: number) => number): number {
  new Holder().fn(3);
  helperFn.bind(null);
  Object.prototype.hasOwnProperty.call({}, "a");
  cb.call(null, 0);
  return helperFn.call(null, 1) + helperFn.apply(null, [2]);
}
`,
  // JavaScript's assignment definitions, named as the index names them (the assigned property).
  "src/proto.js": `function Route(path) {
  this.path = path;
}

Route.prototype.dispatch = function dispatch(req) {
  return this.handle(req);
};

Route.prototype.handle = function (req) {
  return req;
};

exports.make = function (p) {
  return new Route(p);
};

exports.run = function run(p) {
  return exports.make(p).dispatch(1);
};
`,
  // Functions stored in properties of objects whose type nothing states (js-yaml's type tables, CommonJS).
  "src/table.js": `function resolveNull(data) {
  return data === null;
}

const nullType = { resolve: resolveNull, kind: "scalar" };

function isNull(data) {
  return data === null;
}
const shortType = { isNull };

function Type(options) {
  this.construct = options.construct || function (data) { return data; };
  this.kind = options.kind;
}

function Err() {}
Err.prototype.toString = function toString() { return "Err"; };

exports.table = [nullType, shortType];

function check(type, data, n) {
  type.resolve(data);
  type.isNull(data);
  type.construct(data);
  type.kind.trim();
  type.resolve.call(type, data);
  type.replacer.call(type, data);
  (n + 1).toString();
  n.toString();
  return new Type({}) && new Err();
}
module.exports.check = check;
`,
  "node_modules/dep/package.json": `{ "name": "dep", "version": "1.0.0", "types": "index.d.ts", "main": "index.js" }\n`,
  "node_modules/dep/index.d.ts": "export declare function depFn(): void;\n",
};

function lineOf(file: string, needle: string, from = 0): number {
  const i = FILES[file]!.split("\n").findIndex((l, idx) => idx >= from && l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in ${file}`);
  return i + 1;
}

function at(file: string, needle: string, name: string): ResolveRequest {
  const line = lineOf(file, needle);
  const text = FILES[file]!.split("\n")[line - 1]!;
  const column = text.indexOf(name, text.indexOf(needle));
  return { file, line, column };
}

function targets(r: ResolveResult | undefined): string[] {
  if (r?.status !== "resolved") return [`unresolved: ${r?.status === "unresolved" ? r.reason : "missing"}`];
  return r.targets.map((t) => (t.inRepo ? `${t.file}:${t.line}:${t.column}` : "outside"));
}

describe("TypeScript/JavaScript call resolver", () => {
  let root: string;
  let resolver: CallResolver;
  const U = "src/util.ts";
  const M = "src/main.ts";

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "hgym-tsresolve-"));
    for (const [rel, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    resolver = await createResolver("typescript", root, ["src/util.ts", "src/reexport.ts", "src/main.ts", "src/lib.js", "src/app.js", "src/props.ts", "src/proto.js", "src/table.js"]);
  });

  afterAll(async () => {
    await resolver?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("follows renamed imports and re-exports to the original function", async () => {
    const results = await resolver.resolve([at(M, 'h("a")', "h"), at(M, 'renamedHelper("b")', "renamedHelper"), at(M, 'helper("d")', "helper")]);
    expect(results.map(targets)).toEqual([[`${U}:1:16`], [`${U}:1:16`], [`${U}:1:16`]]);
  });

  it("reports `new X()` as the class, with or without a constructor", async () => {
    const results = await resolver.resolve([at(M, "new Child()", "Child"), at(M, "new NoCtor()", "NoCtor")]);
    expect(results.map(targets)).toEqual([[`${M}:5:6`], [`${U}:${lineOf(U, "class NoCtor")}:13`]]);
  });

  it("resolves this.m(), super.m(), super(...) and an inherited this.filter()", async () => {
    const results = await resolver.resolve([
      at(M, "return this.m()", "m"),
      at(M, "super.m()", "m"),
      at(M, "super(2)", "super"),
      at(M, "this.filter(1)", "filter"),
    ]);
    expect(results.map(targets)).toEqual([
      [`${M}:${lineOf(M, "m(): number")}:2`], // Child.m
      [`${U}:${lineOf(U, "m(): number")}:2`], // Base.m
      [`${U}:5:13`], // Base, via its constructor
      [`${U}:${lineOf(U, "filter(x")}:2`],
    ]);
  });

  it("resolves arrow functions bound to const, object-literal methods and a const alias", async () => {
    const results = await resolver.resolve([
      at(M, "arrow()", "arrow"),
      at(M, "obj.run()", "run"),
      at(M, "obj.go()", "go"),
      at(M, 'alias("c")', "alias"),
      at(M, "inner();", "inner"),
    ]);
    expect(results.map(targets)).toEqual([
      [`${U}:${lineOf(U, "export const arrow")}:13`],
      [`${U}:${lineOf(U, "run(): number")}:2`],
      [`${U}:${lineOf(U, "go: () => 3")}:2`],
      [`${U}:1:16`],
      [`${M}:${lineOf(M, "const inner")}:8`],
    ]);
  });

  it("converts UTF-16 columns after non-ASCII text on the same line", async () => {
    const req = at(M, "const s =", "h(s)");
    expect(req.column).toBe(FILES[M]!.split("\n")[req.line - 1]!.indexOf("h(s)"));
    const [r] = await resolver.resolve([req]);
    expect(targets(r)).toEqual([`${U}:1:16`]);
  });

  it("marks lib.d.ts and node_modules targets as outside the repository", async () => {
    const [max, dep] = await resolver.resolve([at(M, "Math.max", "max"), at(M, "depFn();", "depFn")]);
    for (const r of [max, dep]) {
      expect(r?.status).toBe("resolved");
      if (r?.status !== "resolved") continue;
      expect(r.targets.length).toBeGreaterThan(0);
      expect(r.targets.every((t) => !t.inRepo && path.isAbsolute(t.file))).toBe(true);
    }
    if (dep?.status === "resolved") expect(dep.targets[0]!.file).toContain(`node_modules${path.sep}dep`);
  });

  it("declares a parameter call ambiguous and returns unresolved for positions that are not identifiers", async () => {
    const [param, blank, unknownFile] = await resolver.resolve([
      at(M, "cb();", "cb"),
      { file: M, line: lineOf(M, 'h("a")'), column: 0 },
      { file: "src/none.ts", line: 1, column: 0 },
    ]);
    // `cb: () => void`: any function of that type may run, so the callee cannot be named.
    expect(param).toMatchObject({ status: "ambiguous", kind: "callable-typed-variable", reason: expect.stringContaining("not a function or class") });
    expect(blank).toMatchObject({ status: "unresolved", reason: expect.stringContaining("no identifier") });
    expect(unknownFile).toMatchObject({ status: "unresolved" });
  });

  it("resolves JavaScript: renamed import, new, this-method, method through an instance", async () => {
    const L = "src/lib.js";
    const A = "src/app.js";
    const results = await resolver.resolve([
      at(A, "run();", "run"),
      at(A, "new Widget()", "Widget"),
      at(A, "w.draw()", "draw"),
      at(L, "this.paint()", "paint"),
      at(L, "return jsHelper()", "jsHelper"),
    ]);
    expect(results.map(targets)).toEqual([
      [`${L}:1:16`],
      [`${L}:5:13`],
      [`${L}:${lineOf(L, "draw()")}:2`],
      [`${L}:${lineOf(L, "paint() {")}:2`],
      [`${L}:1:16`],
    ]);
  });

  it("names class properties holding arrow functions (the service answers with the function itself)", async () => {
    const P = "src/props.ts";
    const results = await resolver.resolve([at(P, "Registry.create(1)", "create"), at(P, "r.addItem(2)", "addItem"), at(P, "r.double(3)", "double")]);
    expect(results.map(targets)).toEqual([
      [`${P}:${lineOf(P, "static create")}:9`],
      [`${P}:${lineOf(P, "addItem = ")}:2`],
      [`${P}:${lineOf(P, "double = ")}:2`],
    ]);
  });

  it("reports `new Sub()` and `super()` as the class named, not the ancestor whose constructor is inherited", async () => {
    const P = "src/props.ts";
    const results = await resolver.resolve([at(P, "new Mid(4)", "Mid"), at(P, "super(1)", "super")]);
    const mid = `${P}:${lineOf(P, "class Mid")}:13`;
    expect(results.map(targets)).toEqual([[mid], [mid]]);
  });

  it("never leaves a value the service cannot name as unresolved, except through an import of a missing package", async () => {
    const P = "src/props.ts";
    const [computed, viaMissing, viaLocal, ctorType, param, defaulted] = await resolver.resolve([
      at(P, "new This()", "This"),
      at(P, "lost();", "lost"),
      at(P, "local();", "local"),
      at(P, "new holder.make()", "make"),
      at(P, "x => x()", "x()"),
      at(P, "mapper(5)", "mapper"),
    ]);
    // `(r as any).constructor`: any class may be constructed; unresolved would let the name rule call it external.
    expect(computed).toMatchObject({ status: "ambiguous", reason: expect.stringContaining("cannot name") });
    // `missing.helpers.fn` comes from a package that is not installed: outside the repository (the import rule decides).
    expect(viaMissing).toMatchObject({ status: "unresolved", reason: expect.stringContaining("cannot be loaded") });
    // a relative import that does not load is a file of the repository: nothing says the code is outside it.
    expect(viaLocal).toMatchObject({ status: "ambiguous", kind: "any-typed-variable" });
    // `new () => Base` is a signature type; `x` is a parameter, however its arrow is written; a parameter's default is
    // only what runs when the caller passes nothing.
    expect(ctorType).toMatchObject({ status: "ambiguous" });
    expect(param).toMatchObject({ status: "ambiguous", kind: "any-typed-variable" });
    expect(defaulted).toMatchObject({ status: "ambiguous", kind: "callable-typed-variable" });
  });

  it("resolves `f.call(...)` / `f.apply(...)` to what they run: the receiver", async () => {
    const P = "src/props.ts";
    const [call, apply, bind, own, param] = await resolver.resolve([
      at(P, "helperFn.call(null, 1)", "call"),
      at(P, "helperFn.apply(null", "apply"),
      at(P, "helperFn.bind(null)", "bind"),
      at(P, "hasOwnProperty.call", "call"),
      at(P, "cb.call(null, 0)", "call"),
    ]);
    const helper = `${P}:${lineOf(P, "export function helperFn")}:16`;
    expect([call, apply].map(targets)).toEqual([[helper], [helper]]);
    expect(targets(bind)).toEqual(["outside"]); // bind runs nothing
    expect(targets(own)).toEqual(["outside"]); // Object.prototype.hasOwnProperty, lib
    expect(param).toMatchObject({ status: "ambiguous", kind: "callable-typed-variable" });
  });

  it("resolves an element access with a string literal (`this[\"~other\"]()`) like a property access", async () => {
    const P = "src/props.ts";
    const line = lineOf(P, 'this["~other"]()');
    const column = FILES[P]!.split("\n")[line - 1]!.indexOf('"~other"]');
    const [r] = await resolver.resolve([{ file: P, line, column }]);
    expect(targets(r)).toEqual([`${P}:${lineOf(P, '"~other"(): number')}:2`]);
  });

  it("declares a call of a getter's value ambiguous (the getter is not what is called)", async () => {
    const [r] = await resolver.resolve([at("src/props.ts", "new Holder().fn(3)", "fn")]);
    expect(r).toMatchObject({ status: "ambiguous", kind: "accessor-value" });
  });

  it("resolves JavaScript's assignment definitions (`X.prototype.m = function`, `exports.f = function`) to the property", async () => {
    const J = "src/proto.js";
    const results = await resolver.resolve([at(J, "this.handle(req)", "handle"), at(J, "exports.make(p)", "make"), at(J, ".dispatch(1)", "dispatch")]);
    expect(results.map(targets)).toEqual([
      [`${J}:${lineOf(J, "Route.prototype.handle =")}:16`],
      [`${J}:${lineOf(J, "exports.make =")}:8`],
      [`${J}:${lineOf(J, "Route.prototype.dispatch =")}:16`], // not the function expression's own name
    ]);
  });

  it("declares a call on an untyped receiver ambiguous when the repository stores a function in a property of that name", async () => {
    const T = "src/table.js";
    const [resolve, shorthand, construct, trim, viaCall, replacer, primitive, toString] = await resolver.resolve([
      at(T, "type.resolve(data)", "resolve"),
      at(T, "type.isNull(data)", "isNull"),
      at(T, "type.construct(data)", "construct"),
      at(T, "type.kind.trim()", "trim"),
      at(T, "type.resolve.call(type", "call"),
      at(T, "type.replacer.call(type", "call"),
      at(T, "(n + 1).toString()", "toString"),
      at(T, "n.toString()", "toString"),
    ]);
    // `{ resolve: resolveNull }` and `this.construct = options.construct || function ...` store repository functions.
    expect(resolve).toMatchObject({ status: "ambiguous", kind: "stored-function-property", reason: expect.stringContaining(`${T}:5`) });
    expect(shorthand).toMatchObject({ status: "ambiguous", kind: "stored-function-property", reason: expect.stringContaining(`${T}:10`) });
    expect(construct).toMatchObject({ status: "ambiguous", kind: "stored-function-property", reason: expect.stringContaining(`${T}:13`) });
    // `kind` holds strings only, `trim` is stored nowhere: the name rules of the dependency rule decide.
    expect(trim).toMatchObject({ status: "unresolved" });
    // `f.call(...)` runs `f` also when the service cannot type `f`; `replacer` is stored nowhere.
    expect(viaCall).toMatchObject({ status: "ambiguous", kind: "stored-function-property" });
    expect(replacer).toMatchObject({ status: "unresolved", reason: expect.stringContaining("replacer") });
    // `n + 1` is a primitive whatever `n` is (TypeScript types it any): lib's toString. `n` alone may be an Err.
    expect(targets(primitive)).toEqual(["outside"]);
    expect(toString).toMatchObject({ status: "ambiguous", kind: "stored-function-property", reason: expect.stringContaining(`${T}:18`) });
  });

  it("serves TSX through the same backend (createResolver(\"tsx\"))", async () => {
    writeFileSync(path.join(root, "src/view.tsx"), `import { helper } from "./util";\n\nexport function View() {\n  return <div>{helper("x")}</div>;\n}\n`);
    const tsx = await createResolver("tsx", root, ["src/view.tsx", "src/util.ts"], { typescript: { compilerOptions: { jsx: 1 } } });
    try {
      const [r] = await tsx.resolve([{ file: "src/view.tsx", line: 4, column: 15 }]);
      expect(targets(r)).toEqual([`${U}:1:16`]);
    } finally {
      await tsx.close();
    }
  });
});
