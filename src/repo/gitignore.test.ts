import { describe, it, expect, afterAll } from "vitest";
import { IgnoreRules, isIgnored, type IgnoreScope } from "./gitignore.js";
import { git, gitInit, makeTempDir, writeFiles } from "./testutil.js";

describe("gitignore matcher", () => {
  const rules = (text: string): IgnoreScope[] => [{ base: "", rules: new IgnoreRules(text) }];

  it("handles basename, anchored, directory-only and negated patterns", () => {
    const s = rules("*.log\n/build\ndist/\n!keep.log\n# comment\n\\#hash\n");
    expect(isIgnored(s, "a.log", false)).toBe(true);
    expect(isIgnored(s, "deep/x/a.log", false)).toBe(true);
    expect(isIgnored(s, "keep.log", false)).toBe(false);
    expect(isIgnored(s, "build", true)).toBe(true);
    expect(isIgnored(s, "src/build", true)).toBe(false);
    expect(isIgnored(s, "dist", true)).toBe(true);
    expect(isIgnored(s, "dist", false)).toBe(false);
    expect(isIgnored(s, "x/dist", true)).toBe(true);
    expect(isIgnored(s, "#hash", false)).toBe(true);
    expect(isIgnored(s, "comment", false)).toBe(false);
  });

  it("handles the forms of **", () => {
    const s = rules("**/logs\na/**/b\nout/**\n");
    expect(isIgnored(s, "logs", true)).toBe(true);
    expect(isIgnored(s, "x/y/logs", true)).toBe(true);
    expect(isIgnored(s, "a/b", false)).toBe(true);
    expect(isIgnored(s, "a/x/y/b", false)).toBe(true);
    expect(isIgnored(s, "xa/b", false)).toBe(false);
    expect(isIgnored(s, "out", true)).toBe(false);
    expect(isIgnored(s, "out/f", false)).toBe(true);
  });

  it("lets a nested .gitignore override its parent", () => {
    const scopes: IgnoreScope[] = [
      { base: "", rules: new IgnoreRules("*.txt\n") },
      { base: "sub", rules: new IgnoreRules("!important.txt\n") },
    ];
    expect(isIgnored(scopes, "sub/important.txt", false)).toBe(false);
    expect(isIgnored(scopes, "sub/other.txt", false)).toBe(true);
    expect(isIgnored(scopes, "important.txt", false)).toBe(true);
  });

  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());

  it("agrees with git check-ignore on a set of tricky patterns", () => {
    const patterns = [
      "*.py[co]",
      "/root-only.txt",
      "doc/*.html",
      "!doc/keep.html",
      "**/cache/",
      "lib/**/gen",
      "trailing\\ ",
      "a?c",
      "[!x]y.md",
      "*.o",
      "!special.o",
      "foo/**",
      "!foo/bar.txt",
    ].join("\n");
    const paths = [
      "m.pyc", "x/m.pyo", "m.py", "root-only.txt", "sub/root-only.txt", "doc/a.html", "doc/keep.html",
      "doc/sub/a.html", "cache/x", "a/b/cache/x", "lib/gen", "lib/a/b/gen", "trailing ", "abc", "abbc", "ay.md",
      "xy.md", "k.o", "special.o", "foo/bar.txt", "foo/baz.txt",
    ];
    gitInit(tmp.path);
    writeFiles(tmp.path, { ".gitignore": patterns + "\n" });
    const out = git(tmp.path, ["check-ignore", "--no-index", "--stdin", "-z", "-v", "-n"], paths.join("\0") + "\0");
    const fields = out.split("\0");
    const gitSays = new Map<string, boolean>();
    for (let i = 0; i + 3 < fields.length; i += 4) {
      const pattern = fields[i + 2] as string;
      gitSays.set(fields[i + 3] as string, pattern !== "" && !pattern.startsWith("!"));
    }
    expect([...gitSays.values()].filter(Boolean).length).toBeGreaterThan(8); // the comparison is not vacuous
    const scopes = rules(patterns);
    for (const p of paths) {
      // check-ignore reports a path inside an ignored directory as ignored; the walk never enters such a
      // directory, so check the parents first as the walk does.
      const parts = p.split("/");
      let ours = false;
      for (let k = 1; k < parts.length && !ours; k++) ours = isIgnored(scopes, parts.slice(0, k).join("/"), true);
      if (!ours) ours = isIgnored(scopes, p, false);
      expect([p, ours]).toEqual([p, gitSays.get(p) ?? false]);
    }
  });
});
