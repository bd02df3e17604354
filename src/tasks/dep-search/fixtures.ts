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
