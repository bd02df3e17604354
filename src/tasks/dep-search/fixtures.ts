// Small real repositories for the dep-search tests: decorators, classes, nested functions, same-named functions
// in two files, a repository method named `filter`, two dependencies defined on adjacent lines, a call through a
// callback parameter (which makes its target ambiguous, so it is not used) and a test file.

export const PYTHON_REPO: Record<string, string> = {
  "pkg/__init__.py": "",
  "pkg/helpers.py": `import functools


def log_calls(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


def parse(text):
    return text.split(",")


def clean(items): return [i.strip() for i in items]
def count(items): return len(items)


class Store:
    def __init__(self, name):
        self.name = name
        self.items = []

    def filter(self, pred):
        return [i for i in self.items if pred(i)]

    @log_calls
    def add(self, item):
        self.items.append(item)
        return self.filter(lambda x: x == item)
`,
  "pkg/other.py": `def parse(text):
    return text.split(";")
`,
  "pkg/main.py": `from pkg.helpers import parse, clean, count, Store, log_calls
from pkg import other


@log_calls
def process(text, default=count([])):
    items = clean(parse(text))
    more = other.parse(text)

    def inner():
        return count(more)
    return items, inner()


def build(name, suffix):
    store = Store(name)
    store.add(name + suffix)
    return store.filter(lambda s: bool(s)), sorted([name])


def apply(callback, name):
    return callback(clean([name]))


def greet():
    label = "héllo wörld ✓ 𝄞"; return clean(parse(label))
`,
  "tests/test_main.py": `from pkg.main import process


def test_process():
    assert process("a,b")
`,
};

export const TYPESCRIPT_REPO: Record<string, string> = {
  "tsconfig.json": `{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true } }\n`,
  "src/helpers.ts": `export function parse(text: string): string[] {
  return text.split(",");
}

export function clean(items: string[]): string[] { return items.map((i) => i.trim()); }
export function count(items: string[]): number { return items.length; }

export class Store {
  items: string[] = [];
  constructor(public name: string) {}

  filter(pred: (s: string) => boolean): string[] {
    return this.items.filter(pred);
  }

  add(item: string): string[] {
    this.items.push(item);
    return this.filter((x) => x === item);
  }
}
`,
  "src/other.ts": `export function parse(text: string): string[] {
  return text.split(";");
}
`,
  "src/main.ts": `import { parse, clean, count, Store } from "./helpers.js";
import * as other from "./other.js";

export function processText(text: string, fallback: number = count([])): [string[], number] {
  const items = clean(parse(text));
  const more = other.parse(text);
  const inner = () => count(more);
  return [items, inner()];
}

export function greet(): string[] {
  const label = "héllo wörld ✓ 𝄞"; return clean(parse(label));
}

export function apply(callback: (n: string[]) => string, name: string): string {
  return callback(clean([name]));
}

export function build(name: string, suffix: string): string[] {
  const store = new Store(name);
  store.add(name + suffix);
  return store.filter((s) => s.length > 0).concat([name].sort());
}
`,
};

// Every kind of call outcome in one small package: overloads (-> the implementation), a platform-dependent
// definition, a callable instance of a repository class (-> its `__call__`), a Protocol member, an abstract
// method, Callable / type[...] / Any parameters, a computed callee, calls on packages that are not installed,
// and nested definitions the target calls.
export const PYTHON_DISCIPLINE_REPO: Record<string, string> = {
  "pkg/__init__.py": "",
  "pkg/core.py": `import sys
import typing as t
from abc import ABC, abstractmethod
from typing import Any, Callable, Protocol, overload

import nox
from omegaconf import OmegaConf


@overload
def conv(x: int) -> int: ...
@overload
def conv(x: str) -> str: ...
def conv(x):
    return x


if sys.platform == "win32":
    def term_size():
        return 80
else:
    def term_size():
        return 100


class ParamType:
    def __call__(self, value):
        return self.convert(value)

    def convert(self, value):
        return value


class IntType(ParamType):
    pass


class Reader(Protocol):
    def read(self) -> str: ...


class Base(ABC):
    @abstractmethod
    def run(self) -> int: ...

    def go(self) -> int:
        return self.run()


def use_overload(v: int) -> int:
    return conv(v)


def use_platform() -> int:
    return term_size()


def use_instance(ty: ParamType, value: str) -> str:
    return ty(value)


def use_inherited_call(ty: IntType, value: str) -> str:
    return ty(value)


def use_protocol(r: Reader) -> str:
    return r.read()


def use_callable(f: Callable[[], int]) -> int:
    return f() + conv(1)


def use_type(cls: "type[ParamType]") -> ParamType:
    return cls()


def use_any(a: Any) -> Any:
    return a() + conv(2)


def use_computed(items: "list[ParamType]") -> object:
    return items[0]("x")


def use_uninstalled() -> object:
    cfg = OmegaConf.create({})
    nox.session(cfg)
    return conv(3)


def use_nested(v: int) -> int:
    def helper(x: int) -> int:
        return conv(x)
    return helper(v) + len([v])


class Proc:
    if sys.platform == "win32":
        def stop(self) -> int:
            return 1
        kill = stop
    else:
        def kill(self) -> int:
            return 2


def use_proc(p: Proc) -> int:
    return p.kill()


def fmt(x: int) -> int:
    return x


SETTINGS = dict(
    fmt=1,
)


def use_fmt() -> int:
    return fmt(1)
`,
};

// The same discipline for TypeScript: overload signatures, an interface member, an abstract method, `any` and
// function-typed parameters, and a package that is not installed.
export const TYPESCRIPT_DISCIPLINE_REPO: Record<string, string> = {
  "tsconfig.json": `{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true } }\n`,
  "src/core.ts": `import { create } from "not-installed-pkg";

export function conv(x: number): number;
export function conv(x: string): string;
export function conv(x: number | string): number | string {
  return x;
}

export interface Reader {
  read(): string;
}

export abstract class Base {
  abstract run(): number;
  go(): number {
    return this.run();
  }
}

export function useOverload(v: number): number {
  return conv(v);
}

export function useInterface(r: Reader): string {
  return r.read();
}

export function useAny(a: any): number {
  return a() + conv(1);
}

export function useCallback(f: () => number): number {
  return f() + conv(2);
}

export function useUninstalled(): number {
  create({});
  return conv(3);
}
`,
};
