import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { indexFile, initLanguages } from "./indexer.js";
import type { Definition, FileIndex } from "./types.js";

const STD = "/usr/src/rustc-1.63.0/library";
const EXAMPLE = join(import.meta.dirname, "../../examples/rust-example");

const byKey = (idx: FileIndex): Map<string, Definition> => new Map(idx.definitions.map((d) => [d.key, d]));

const SAMPLE = `//! Crate docs: not a definition's doc.
use std::collections::{HashMap, hash_map::Entry as E};
use crate::a::b as c;
extern crate alloc as heap;

/// A thing.
#[derive(Debug)]
pub struct Foo<T> { x: T }

/** Block doc */
impl<T: Clone> Foo<T> {
    /// Makes one.
    ///
    ///   Indented line.
    #[inline]
    pub fn new(x: T) -> Self {
        let add = |y: u8| y + 1;
        Self::helper();
        x.clone();
        assert_eq!(compute(1), 2, "{}", self.fmt_it());
        Foo { x }
    }
    #[must_use]
    /// After an attribute.
    async fn helper() {}
}

impl fmt::Display for Foo<u8> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { write!(f, "x") }
}
impl fmt::Debug for Foo<u8> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { Ok(()) }
}

/// A trait.
pub trait Tr {
    /// Required.
    fn req(&self);
    fn def(&self) -> u8 { 0 }
}

//// Four slashes: a plain comment.
enum E { A, B(u8) }

mod inner {
    /*! Inner block doc of the module. */
    pub fn g() {
        let h = move || {};
        fn nested() {}
    }
}

#[doc = "written as code"]
fn attr_doc() {}

/// Doc on a macro: no definition.
macro_rules! mm { () => { f() } }

extern "C" { fn ext(); }

#[cfg(any(unix, windows))]
fn cfg_fn() {}
`;

describe("Rust adapter", () => {
  let idx: FileIndex;
  beforeAll(async () => {
    await initLanguages();
    idx = await indexFile("src/lib.rs", SAMPLE);
  });

  it("finds items with Rust qualified names: Type::method, impl blocks keyed by type, #n for repeats, mod prefixes", () => {
    expect(idx.hasErrors).toBe(false);
    expect(idx.definitions.map((d) => `${d.kind} ${d.key}`)).toEqual([
      "struct Foo",
      "impl Foo#2",
      "method Foo::new",
      "arrow_function Foo::new::add",
      "async_method Foo::helper",
      "impl Foo#3",
      "method Foo::fmt",
      "impl Foo#4",
      "method Foo::fmt#2",
      "trait Tr",
      "method Tr::req",
      "method Tr::def",
      "enum E",
      "function inner::g",
      "arrow_function inner::g::h",
      "function inner::g::nested",
      "function attr_doc",
      "function cfg_fn",
    ]);
    const d = byKey(idx);
    expect(d.get("Foo::new")?.qualifiedName).toBe("src/lib.rs::Foo::new");
    expect(d.get("Foo::new")?.parent).toBe("Foo#2");
    expect(d.get("Foo::new::add")?.isNested).toBe(true);
    expect(d.get("inner::g::nested")?.isNested).toBe(true);
    expect(d.get("Tr::req")?.bodySpan).toBeNull();
  });

  it("reads outer doc comments above an item, across attributes; inner docs, //// and #[doc] are not docstrings", () => {
    const d = byKey(idx);
    expect(d.get("Foo")?.docstring?.text).toBe("A thing.");
    expect(d.get("Foo#2")?.docstring?.text).toBe("Block doc");
    expect(d.get("Foo::new")?.docstring?.text).toBe("Makes one.\n\n  Indented line.");
    expect(d.get("Foo::new")?.docstring?.raw).toBe("/// Makes one.\n    ///\n    ///   Indented line.");
    expect(d.get("Foo::new")?.decoratorSpan?.start.line).toBe(15); // #[inline]
    expect(d.get("Foo::helper")?.docstring?.text).toBe("After an attribute.");
    expect(d.get("Tr::req")?.docstring?.text).toBe("Required.");
    expect(d.get("E")?.docstring).toBeNull();
    expect(d.get("inner::g")?.docstring).toBeNull();
    expect(d.get("attr_doc")?.docstring).toBeNull();
  });

  it("records calls (paths, methods, inside macro arguments) but not macro invocations or attribute arguments", () => {
    const calls = byKey(idx).get("Foo::new")?.calls.map((c) => `${c.callee}/${c.name}`);
    expect(calls).toEqual(["Self::helper/helper", "x.clone/clone", "compute/compute", "self.fmt_it/fmt_it"]);
    expect(byKey(idx).get("cfg_fn")?.calls).toEqual([]);
  });

  it("flattens use trees into imports and keeps comments without their line end", () => {
    expect(idx.imports.map((i) => [i.module, i.names.map((n) => `${n.name}${n.alias ? ` as ${n.alias}` : ""}`), i.alias])).toEqual([
      ["std::collections", ["HashMap", "hash_map::Entry as E"], null],
      ["crate::a", ["b as c"], null],
      ["alloc", [], "heap"],
    ]);
    expect(idx.comments[0]?.text).toBe("//! Crate docs: not a definition's doc.");
    expect(idx.comments.every((c) => !c.text.endsWith("\n"))).toBe(true);
  });

  it("indexes the example crate and real standard-library files without errors", async () => {
    for (const f of ["src/lib.rs", "src/warehouse.rs", "src/report.rs"]) {
      const i = await indexFile(f, readFileSync(join(EXAMPLE, f), "utf8"));
      expect(i.hasErrors, f).toBe(false);
    }
    const w = byKey(await indexFile("src/warehouse.rs", readFileSync(join(EXAMPLE, "src/warehouse.rs"), "utf8")));
    expect(w.get("Warehouse::ship")?.docstring?.text).toMatch(/^Takes `quantity` units/);
    expect(w.get("tests::bolt")?.kind).toBe("function");
    const option = await indexFile("core/src/option.rs", readFileSync(join(STD, "core/src/option.rs"), "utf8"));
    const o = byKey(option);
    expect(o.get("Option")?.kind).toBe("enum");
    expect(o.get("Option#2")?.kind).toBe("impl");
    expect(o.get("Option::unwrap_or")?.docstring?.text).toMatch(/Returns the contained \[`Some`\] value or a provided default/);
    const vec = await indexFile("alloc/src/vec/mod.rs", readFileSync(join(STD, "alloc/src/vec/mod.rs"), "utf8"));
    expect(byKey(vec).get("Vec::push")?.kind).toBe("method");
  });
});
