// Test-file detection. Targets come from source files, not tests (docs/DESIGN.md §3), unless --include-tests. Matching
// is done on whole path segments and file-name patterns, never on substrings: the paper's code skipped any path
// containing "test" or "env" anywhere, dropping e.g. `environment/` or `contest.py`.

const TEST_DIRS = new Set(["test", "tests", "testing", "__tests__", "__test__", "spec", "specs", "__mocks__", "e2e"]);

const TEST_FILE_PATTERNS: RegExp[] = [
  /^test_.+\.py$/, // test_foo.py
  /^.+_tests?\.py$/, // foo_test.py, foo_tests.py
  /^conftest\.py$/,
  /^.+\.(test|spec)\.[cm]?[jt]sx?$/, // foo.test.ts, foo.spec.js, foo.test.mjs
  /^.+_test\.[cm]?[jt]sx?$/, // foo_test.js
];

export function isTestPath(path: string): boolean {
  const segments = path.split("/").filter((s) => s.length > 0);
  const file = segments.pop();
  if (file === undefined) return false;
  if (segments.some((dir) => TEST_DIRS.has(dir.toLowerCase()))) return true;
  return TEST_FILE_PATTERNS.some((re) => re.test(file));
}
