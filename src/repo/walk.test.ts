// The directory walk against git's own answers: which files of a working tree or a plain folder are kept and
// which are counted as gitignored, compared with `git check-ignore` and `git ls-files` on real repositories.

import { spawnSync } from "node:child_process";
import { cpSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commitAll, git, gitInit, makeTempDir, writeFiles } from "./testutil.js";
import { resolveFilterOptions, walkDirectory, type BlobSink } from "./walk.js";

const sink = (): BlobSink => {
  const blobs = new Set<string>();
  return { has: (b) => blobs.has(b), put: async (b) => void blobs.add(b) };
};

const filter = resolveFilterOptions();

// Paths git reports as ignored (`check-ignore -v -n` gives the deciding pattern; a `!` pattern re-includes).
function gitIgnored(repo: string, paths: string[], useIndex = false): Set<string> {
  const args = ["check-ignore", ...(useIndex ? [] : ["--no-index"]), "--stdin", "-z", "-v", "-n"];
  // Exit status 1 means "none ignored", which is an answer, not a failure.
  const r = spawnSync("git", args, { cwd: repo, input: paths.join("\0") + "\0", encoding: "utf8", env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null" } });
  if (r.status !== 0 && r.status !== 1) throw new Error(`git check-ignore failed: ${r.stderr}`);
  const out = r.stdout;
  const fields = out.split("\0");
  const ignored = new Set<string>();
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const pattern = fields[i + 2] as string;
    if (pattern !== "" && !pattern.startsWith("!")) ignored.add(fields[i + 3] as string);
  }
  return ignored;
}

describe("walking a plain folder uses git's ignore matching", () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());

  it("keeps exactly the files git check-ignore does not ignore, for tricky patterns", async () => {
    const dir = join(tmp.path, "plain");
    const gitignore = [
      "# a comment",
      "\\#hash.txt", // escaped #: a file literally named #hash.txt
      "\\!bang.txt", // escaped !
      "*.py[co]",
      "/root-only.txt", // anchored
      "doc/*.html",
      "!doc/keep.html", // negation
      "**/cache/", // directory-only at any depth
      "lib/**/gen.js", // ** in the middle
      "spaced.txt   ", // trailing spaces are trimmed
      "kept\\ ", // an escaped trailing space is part of the name
      "build/", // directory-only: a file named build elsewhere is not matched
      "a?c.md",
      "[!x]y.md",
      "logs/**", // everything inside
      "!logs/important.log", // cannot re-include inside an excluded folder? (git: the folder itself is not excluded by logs/**)
    ].join("\n");
    const files: Record<string, string> = {
      ".gitignore": gitignore + "\n",
      "#hash.txt": "x\n",
      "hash.txt": "x\n",
      "!bang.txt": "x\n",
      "bang.txt": "x\n",
      "m.pyc": "x\n",
      "x/m.pyo": "x\n",
      "m.py": "x = 1\n",
      "root-only.txt": "x\n",
      "sub/root-only.txt": "x\n",
      "doc/a.html": "x\n",
      "doc/keep.html": "x\n",
      "doc/sub/a.html": "x\n",
      "cache/x.txt": "x\n",
      "a/b/cache/x.txt": "x\n",
      "notcache/cache": "a file named cache\n",
      "lib/gen.js": "x\n",
      "lib/a/b/gen.js": "x\n",
      "lib/other.js": "x\n",
      "spaced.txt": "x\n",
      "kept ": "x\n",
      "kept": "x\n",
      "build/out.py": "x\n",
      "src/build": "a file named build\n",
      "abc.md": "x\n",
      "abbc.md": "x\n",
      "ay.md": "x\n",
      "xy.md": "x\n",
      "logs/a.log": "x\n",
      "logs/important.log": "x\n",
      "nested/.gitignore": "local.py\n!m.pyc\n",
      "nested/local.py": "x\n",
      "nested/m.pyc": "re-included by the deeper file\n",
      "nested/mod.py": "x\n",
    };
    writeFiles(dir, files);
    const walked = await walkDirectory(dir, filter, sink());
    const kept = new Set(walked.files.map((f) => f.path));

    // git's answer, from a copy made into a repository (the walked folder stays a plain folder).
    const copy = join(tmp.path, "copy");
    cpSync(dir, copy, { recursive: true });
    gitInit(copy);
    const ignored = gitIgnored(copy, Object.keys(files));
    expect(ignored.size).toBeGreaterThan(12); // the comparison is not vacuous
    for (const path of Object.keys(files)) expect([path, kept.has(path)]).toEqual([path, !ignored.has(path)]);
    expect(kept.has("#hash.txt")).toBe(false);
    expect(kept.has("kept ")).toBe(false);
    expect(kept.has("kept")).toBe(true);
    expect(kept.has("nested/m.pyc")).toBe(true);
  });

  it("takes a folder inside an ignored part of a repository as it is", async () => {
    const repo = join(tmp.path, "outer");
    gitInit(repo);
    writeFiles(repo, { ".gitignore": "deps/\n", "deps/lib/code.py": "x = 1\n", "deps/lib/.gitignore": "*.log\n", "deps/lib/a.log": "x\n" });
    const walked = await walkDirectory(join(repo, "deps", "lib"), filter, sink());
    expect(walked.files.map((f) => f.path)).toEqual([".gitignore", "code.py"]);
    expect(walked.tally.counts().gitignored).toBe(1);
  });
});

describe("walking a git working tree uses git's own file list", () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());

  it("never reports a tracked file as gitignored, and applies .gitignore to untracked files only", async () => {
    const repo = join(tmp.path, "zodlike");
    gitInit(repo);
    writeFiles(repo, {
      "packages/zod/package.json": '{"name":"zod"}\n',
      "packages/zod/src/index.ts": "export const z = 1;\n",
      "gone.py": "x = 1\n",
    });
    commitAll(repo, "init");
    // Added after the commit, as in zod: a rule that matches a tracked file.
    writeFiles(repo, {
      ".gitignore": "package.json\n*.log\ndist/\n",
      "packages/other/package.json": "{}\n",
      "dist/a.js": "x\n",
      "dist/b.js": "x\n",
      "debug.log": "x\n",
      "new.py": "y = 2\n",
    });
    unlinkSync(join(repo, "gone.py"));
    const walked = await walkDirectory(repo, filter, sink());
    expect(walked.files.map((f) => f.path)).toEqual([".gitignore", "new.py", "packages/zod/package.json", "packages/zod/src/index.ts"]);
    // An ignored folder counts once; a folder holding only ignored files is not itself ignored.
    expect(walked.tally.examples().gitignored).toEqual(["debug.log", "dist/", "packages/other/package.json"]);
    // git agrees: the tracked file is not ignored (check-ignore consults the index), the untracked one is.
    expect(gitIgnored(repo, ["packages/zod/package.json"], true).size).toBe(0);
    expect(gitIgnored(repo, ["packages/zod/package.json"]).size).toBe(1); // what a matcher without the index says
    expect(git(repo, ["check-ignore", "packages/other/package.json"]).trim()).toBe("packages/other/package.json");
    expect(walked.tally.examples().vcs).toEqual([".git/"]);
  });

  it("lists a repository nested in the tree by its own rules, and counts its .git once", async () => {
    const repo = join(tmp.path, "outer");
    gitInit(repo);
    writeFiles(repo, { ".gitignore": "*.tmp\n", "a.py": "x = 1\n" });
    commitAll(repo, "init");
    const inner = join(repo, "inner");
    gitInit(inner);
    writeFiles(inner, { ".gitignore": "secret.py\n", "secret.py": "x\n", "lib.py": "x = 1\n", "scratch.tmp": "kept: the outer rule does not apply\n" });
    symlinkSync("lib.py", join(inner, "alias.py"));
    const walked = await walkDirectory(repo, filter, sink());
    expect(walked.files.map((f) => f.path)).toEqual([".gitignore", "a.py", "inner/.gitignore", "inner/alias.py", "inner/lib.py", "inner/scratch.tmp"]);
    expect(walked.tally.examples().gitignored).toEqual(["inner/secret.py"]);
    expect(walked.tally.examples().vcs).toEqual([".git/", "inner/.git/"]);
    rmSync(inner, { recursive: true, force: true });
  });

  it("skips vendored folders by name before git's verdict, counting each once", async () => {
    const repo = join(tmp.path, "vend");
    gitInit(repo);
    writeFiles(repo, { ".gitignore": "node_modules/\n", "node_modules/p/index.js": "x\n", "vendor/v.py": "x\n", "src/m.py": "x = 1\n" });
    commitAll(repo, "init"); // vendor/ is tracked, node_modules/ ignored
    writeFileSync(join(repo, "vendor", "untracked.py"), "x\n");
    const walked = await walkDirectory(repo, filter, sink());
    expect(walked.files.map((f) => f.path)).toEqual([".gitignore", "src/m.py"]);
    expect(walked.tally.counts()).toMatchObject({ vendored: 2, vcs: 1 });
    expect(walked.tally.counts().gitignored).toBeUndefined();
  });
});
