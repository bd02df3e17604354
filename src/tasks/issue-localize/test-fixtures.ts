// A small public-style Python project with a realistic history, built as a real git repository for the tests:
// an initial import, a feature, fixes written the way people write them (issue references, trailers, a URL, a
// fix description), a fix on a branch merged with a merge commit, a one-word "typo" commit, and a fix that
// renames a module. Dates and identities are fixed, so commit ids are the same on every machine.

import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const WRAP_V1 = `"""Line wrapping for plain text."""


def wrap_text(text, width=70):
    """Split text into lines of at most width characters, breaking at spaces."""
    lines = []
    current = ""
    for word in text.split(" "):
        candidate = word if not current else current + " " + word
        if len(candidate) > width and current:
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines


def slugify(title):
    """Lower-case a title and join its words with dashes, for use in URLs."""
    words = [w for w in title.lower().split() if w.isalnum()]
    return "-".join(words)
`;

const WRAP_V2 = WRAP_V1.replace("            current = candidate\n    return lines", "            current = candidate\n    if current:\n        lines.append(current)\n    return lines");

const TOKENS_V1 = `"""Counting words."""


def count_words(text):
    """How many words the text has."""
    if not text:
        return 0
    return len(text.split(" "))


def longest_word(text):
    """The longest word of the text, or an empty string."""
    best = ""
    for word in text.split():
        if len(word) > len(best):
            best = word
    return best
`;

const TOKENS_V2 = TOKENS_V1.replace('    return len(text.split(" "))', "    return len(text.split())");
const COUNTING_V3 = TOKENS_V2.replace("    return len(text.split())", '    return len([w for w in text.replace("-", "").split() if w])');

const INIT_V1 = `"""textkit: small helpers for plain text."""

from .wrap import wrap_text, slugify
from .tokens import count_words, longest_word
`;

const TEST_WRAP = `import unittest

from textkit.wrap import wrap_text


class WrapTest(unittest.TestCase):
    def test_short(self):
        self.assertEqual(wrap_text("a b", 10), ["a b"])
`;

export interface TextkitRepo {
  dir: string;
  commits: { initial: string; feature: string; wrapFix: string; typo: string; countFix: string; merge: string; renameFix: string };
}

export function buildTextkitRepo(dir: string): TextkitRepo {
  mkdirSync(dir, { recursive: true });
  let clock = 0;
  const env = () => {
    const date = new Date(Date.UTC(2024, 2, 1, 12, 0, 0) + clock++ * 3_600_000).toISOString();
    return {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_AUTHOR_NAME: "Dana Dev",
      GIT_AUTHOR_EMAIL: "dana@example.com",
      GIT_COMMITTER_NAME: "Dana Dev",
      GIT_COMMITTER_EMAIL: "dana@example.com",
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    };
  };
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env: env(), encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
  const write = (files: Record<string, string>) => {
    for (const [p, t] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), t);
    }
  };
  const commit = (message: string) => {
    git("add", "-A");
    git("commit", "-q", "-m", message);
    return git("rev-parse", "HEAD").trim();
  };
  git("init", "-q", "-b", "main");
  write({ "textkit/__init__.py": INIT_V1, "textkit/wrap.py": WRAP_V1, "textkit/tokens.py": TOKENS_V1, "tests/test_wrap.py": TEST_WRAP, "README.md": "# textkit\n" });
  const initial = commit("Initial import of textkit");
  write({ "textkit/case.py": 'def title_case(text):\n    """Capitalize every word."""\n    return " ".join(w.capitalize() for w in text.split())\n' });
  const feature = commit("Add a title_case helper for headings");
  write({ "textkit/wrap.py": WRAP_V2, "tests/test_wrap.py": TEST_WRAP + '\n    def test_last_word(self):\n        self.assertEqual(wrap_text("a b c", 3), ["a b", "c"])\n' });
  const wrapFix = commit(
    [
      "Fix wrap_text dropping the last word (#12)",
      "",
      'wrap_text("a b c", width=3) returned ["a b"] and silently lost the final',
      "word whenever the text did not end with a space, so every wrapped paragraph",
      "in the generated help pages was missing its last word.",
      "",
      "Flush the pending line after the loop so the last word is kept.",
      "",
      "Fixes #12",
      "See https://github.com/example/textkit/issues/12",
      "",
      "Signed-off-by: Dana Dev <dana@example.com>",
      "Co-authored-by: Sam Reviewer <sam@example.com>",
    ].join("\n"),
  );
  write({ "textkit/case.py": 'def title_case(text):\n    """Capitalize every word of the text."""\n    return " ".join(w.capitalize() for w in text.split())\n' });
  const typo = commit("Fix typo");
  git("checkout", "-q", "-b", "count-fix");
  write({ "textkit/tokens.py": TOKENS_V2 });
  const countFix = commit(
    [
      "fix(tokens): count_words is wrong for double spaces and tabs",
      "",
      'count_words("a  b") returned 3 because splitting on a single space yields an',
      "empty string between two spaces, and tabs or newlines were not treated as",
      "separators at all, so word counts in the statistics page were inflated.",
      "",
      "This commit splits on any run of whitespace instead.",
    ].join("\n"),
  );
  git("checkout", "-q", "main");
  git("merge", "-q", "--no-ff", "-m", "Merge branch 'count-fix' (fixes the word count bug)", "count-fix");
  const merge = git("rev-parse", "HEAD").trim();
  renameSync(join(dir, "textkit/tokens.py"), join(dir, "textkit/counting.py"));
  write({ "textkit/counting.py": COUNTING_V3, "textkit/__init__.py": INIT_V1.replace("from .tokens import", "from .counting import") });
  const renameFix = commit(
    [
      "Fix wrong word count for hyphenated words",
      "",
      'count_words("a well-known fact") returned 3 as expected, but "a well - known fact"',
      "returned 5 because a lone hyphen between spaces was counted as a word of its own,",
      "which made the statistics disagree with what editors show.",
      "",
      "Rename the module to counting and drop hyphens before splitting.",
    ].join("\n"),
  );
  return { dir, commits: { initial, feature, wrapFix, typo, countFix, merge, renameFix } };
}
