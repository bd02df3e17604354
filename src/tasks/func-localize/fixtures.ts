// Small real repositories used by the func-localize tests (Python and TypeScript): several files, decorators,
// documented classes with documented methods, nested functions, same-named functions in two files, a method
// named `filter`.

export const PYTHON_REPO: Record<string, string> = {
  "pkg/__init__.py": "",
  "pkg/paths.py": `import os
import functools


def cached(fn):
    """Remember results of a one-argument callable."""
    memo = {}

    @functools.wraps(fn)
    def wrapper(arg):
        if arg not in memo:
            memo[arg] = fn(arg)
        return memo[arg]
    return wrapper


@cached
def normalize_path(path):
    """Turn a possibly relative location into an absolute, normalised one.

    Args:
        path: the location to clean up.
    """
    base = os.getcwd()
    return os.path.normpath(os.path.join(base, path))


def split_all(path):
    """Break a location into every one of its components, first to last."""
    parts = []
    while True:
        head, tail = os.path.split(path)
        if not tail:
            break
        parts.insert(0, tail)
        path = head
    return parts


def identity(x):
    """Give back the argument."""
    return x
`,
  "pkg/registry.py": `class Registry:
    """Keeps a mapping of handlers keyed by string names."""

    def __init__(self):
        """Create an empty registry with no handlers."""
        self.items = {}
        self.order = []

    def register(self, key, handler):
        """Add a handler under the key, refusing duplicates."""
        if key in self.items:
            raise KeyError(key)
        self.items[key] = handler
        self.order.append(key)
        return handler

    def filter(self, predicate):
        """Collect the keys whose handler satisfies the predicate, in insertion order."""
        out = []
        for k in self.order:
            if predicate(self.items[k]):
                out.append(k)
        return out

    def only_doc(self):
        """Nothing else here."""


def parse(text):
    """Cut comma separated text into stripped fields."""
    fields = text.split(",")
    return [f.strip() for f in fields]
`,
  "pkg/other.py": `def parse(text):
    """Cut semicolon separated text into fields, dropping empty ones."""
    fields = text.split(";")
    return [f for f in fields if f]


def outer(values):
    """Sum the squares of the values with a nested helper."""
    def square(v):
        """Multiply a number by itself."""
        result = v * v
        return result
    return sum(square(v) for v in values)
`,
  "tests/test_paths.py": `def test_split():
    """Splitting works on simple paths."""
    assert True
    assert 1 == 1
`,
};

export const TYPESCRIPT_REPO: Record<string, string> = {
  "src/util.ts": `/** Joins two path segments with a single slash between them. */
export function joinPath(a: string, b: string): string {
  const left = a.endsWith("/") ? a.slice(0, -1) : a;
  return \`\${left}/\${b}\`;
}

/**
 * Keeps counts of events by name.
 */
export class Counter {
  private counts = new Map<string, number>();

  /** Increase the stored number for an event and give back the new total. */
  bump(name: string): number {
    const next = (this.counts.get(name) ?? 0) + 1;
    this.counts.set(name, next);
    return next;
  }

  /** Return the names that have been seen at least the given number of times. */
  filter(min: number): string[] {
    const out: string[] = [];
    for (const [k, v] of this.counts) if (v >= min) out.push(k);
    return out;
  }
}
`,
  "src/time.ts": `/** Format a duration in milliseconds as a short human readable string. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return \`\${ms}ms\`;
  return \`\${(ms / 1000).toFixed(1)}s\`;
}

/** Wait for the given number of milliseconds before resolving. */
export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return;
}
`,
  "src/util.test.ts": `/** A helper used only by tests of the path joiner. */
export function fixture(): string {
  const a = "x";
  return a + "y";
}
`,
};
