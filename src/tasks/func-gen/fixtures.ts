// Small repositories for the func-gen tests: a Python module with a tested function (exec mode), and a
// TypeScript module (static mode).

import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const STATS_PY = `"""Small statistics helpers."""


def mean(values):
    """The arithmetic mean of a non-empty sequence of numbers; ValueError when it is empty."""
    if not values:
        raise ValueError("mean of an empty sequence")
    total = 0
    for v in values:
        total += v
    return total / len(values)


def spread(values):
    """The difference between the largest and the smallest value, 0 for fewer than two values."""
    if len(values) < 2:
        return 0
    low = min(values)
    high = max(values)
    return high - low
`;

export const STATS_TEST = `import unittest

from stats.core import mean


class MeanTest(unittest.TestCase):
    def test_mean(self):
        self.assertEqual(mean([1, 2, 3, 6]), 3)
        self.assertEqual(mean([5]), 5)

    def test_empty(self):
        with self.assertRaises(ValueError):
            mean([])


if __name__ == "__main__":
    unittest.main()
`;

// A RepoST-style eval script: the original inlined, tests comparing it with mean_new_implementation.
export const MEAN_EVAL_SCRIPT = `def mean(values):
    """The arithmetic mean of a non-empty sequence of numbers; ValueError when it is empty."""
    if not values:
        raise ValueError("mean of an empty sequence")
    total = 0
    for v in values:
        total += v
    return total / len(values)


def test_mean():
    for case in ([1, 2, 3, 6], [5], [2.5, 3.5], list(range(100))):
        assert mean_new_implementation(case) == mean(case), case
    try:
        mean_new_implementation([])
    except ValueError:
        pass
    else:
        raise AssertionError("no ValueError for an empty sequence")


if __name__ == "__main__":
    test_mean()
`;

// Plain `assert` statements (no assert* method to guard): the value check must happen where the value is made.
export const STATS_PLAIN_TEST = `import unittest

from stats.core import mean


class PlainTest(unittest.TestCase):
    def test_mean(self):
        assert mean([1, 2, 3, 6]) == 3
        assert [mean([5])] == [5]

    def test_empty(self):
        with self.assertRaises(ValueError):
            mean([])
`;

export const STATS_REPO: Record<string, string> = {
  "stats/__init__.py": "",
  "stats/core.py": STATS_PY,
  "tests/__init__.py": "",
  "tests/test_core.py": STATS_TEST,
};

export const TS_REPO: Record<string, string> = {
  "src/text.ts": `/** Helpers for user-visible text. */

/**
 * Shorten a text to at most max characters, ending in an ellipsis when it was cut.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const cut = text.slice(0, Math.max(0, max - 1));
  return cut + "…";
}

/**
 * Trivial: only delegates.
 */
export function upper(text: string): string {
  return text.toUpperCase();
}

export class Counter {
  private counts = new Map<string, number>();

  /**
   * Count one more occurrence of a word and return its new count.
   */
  add(word: string): number {
    const key = word.toLowerCase();
    const next = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, next);
    return next;
  }
}
`,
};

// The Python standard library's json package (pure-Python parts), as a repository.
export function stdlibJsonRepo(): Record<string, string> {
  const dir = execFileSync("python3", ["-c", "import json, os; print(os.path.dirname(json.__file__))"], { encoding: "utf8" }).trim();
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (f.endsWith(".py")) files[`json/${f}`] = readFileSync(join(dir, f), "utf8");
  return files;
}

// A JavaScript package whose function is tested with node's own test runner (exec mode, `node --test`).
export const JS_STATS_REPO: Record<string, string> = {
  "package.json": JSON.stringify({ name: "jsstats", version: "1.0.0", type: "module" }, null, 2) + "\n",
  "src/stats.js": `/** Small statistics helpers. */

/**
 * The arithmetic mean of a non-empty array of numbers; throws a RangeError for an empty one.
 */
export function mean(values) {
  if (values.length === 0) {
    throw new RangeError("mean of an empty array");
  }
  let total = 0;
  for (const v of values) {
    total += v;
  }
  return total / values.length;
}
`,
  "test/stats.test.js": `import { test } from "node:test";
import assert from "node:assert/strict";
import { mean } from "../src/stats.js";

test("mean of numbers", () => {
  assert.equal(mean([1, 2, 3, 6]), 3);
  assert.equal(mean([5]), 5);
});

test("empty array throws", () => {
  assert.throws(() => mean([]), RangeError);
});
`,
};
