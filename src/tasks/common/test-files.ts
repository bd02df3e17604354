// Test-file detection. Targets come from source files, not tests (docs/DESIGN.md §3), unless --include-tests. Matching
// is done on whole path segments and file-name patterns, never on substrings: the paper's code skipped any path
// containing "test" or "env" anywhere, dropping e.g. `environment/` or `contest.py`.

// `testdata`: Go's tool ignores it (fixtures, often deliberately broken code); `benches`: Rust's Cargo benchmarks
// (Rust's `tests/` is covered; unit tests inside a source file's `#[cfg(test)]` module are not a file rule).
const TEST_DIRS = new Set(["test", "tests", "testing", "__tests__", "__test__", "spec", "specs", "__mocks__", "e2e", "testdata", "benches"]);

const TEST_FILE_PATTERNS: RegExp[] = [
  /^test_.+\.py$/, // test_foo.py
  /^.+_tests?\.py$/, // foo_test.py, foo_tests.py
  /^conftest\.py$/,
  /^.+\.(test|spec)\.[cm]?[jt]sx?$/, // foo.test.ts, foo.spec.js, foo.test.mjs
  /^.+_test\.[cm]?[jt]sx?$/, // foo_test.js
  /^.+_test\.go$/, // Go: the go tool builds foo_test.go only for `go test`
  /^(Test[A-Z0-9_].*|.+Tests?|.+IT|.+TestCase)\.java$/, // Java: Surefire's and Failsafe's default includes
];

export function isTestPath(path: string): boolean {
  const segments = path.split("/").filter((s) => s.length > 0);
  const file = segments.pop();
  if (file === undefined) return false;
  if (segments.some((dir) => TEST_DIRS.has(dir.toLowerCase()))) return true;
  return TEST_FILE_PATTERNS.some((re) => re.test(file));
}
