import { describe, it, expect, afterAll } from "vitest";
import { readFileSync, existsSync, writeFileSync, chmodSync, rmSync, renameSync } from "node:fs";
import { join } from "node:path";
import { applyPatch, changesFromPatch } from "./apply.js";
import { makeFilePatch, makePatch, type PatchChange } from "./make.js";
import { parsePatch } from "./parse.js";
import type { RepoView } from "../core/repo-view.js";
import { rng } from "../util/hash.js";
import { commitAll, git, gitInit, makeTempDir, writeFiles } from "../repo/testutil.js";

function viewOf(files: Record<string, string>): RepoView {
  return { paths: () => Object.keys(files).sort(), read: (p) => files[p] ?? null };
}

function changesBetween(before: Record<string, string>, after: Record<string, string>): PatchChange[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return paths.map((path) => ({ path, before: before[path] ?? null, after: after[path] ?? null }));
}

const BEFORE: Record<string, string> = {
  "no-eol.txt": "first\nlast without newline",
  "gains-eol.txt": "a\nb",
  "loses-eol.txt": "a\nb\n",
  "crlf.txt": "one\r\ntwo\r\nthree\r\n",
  "mixed.txt": "unix\nwindows\r\nunix again\n",
  "to-empty.txt": "something\n",
  "from-empty.txt": "",
  "deleted-empty.txt": "",
  "deleted.py": "def gone():\n    pass\n",
  "unicode.md": "héllo wörld\n日本語のテキスト\nemoji 🎉\n",
  "long.py": Array.from({ length: 60 }, (_, i) => `line ${i}\n`).join(""),
  "dir with space/file name.txt": "spaced\n",
};
const AFTER: Record<string, string> = {
  "no-eol.txt": "first\nchanged last without newline",
  "gains-eol.txt": "a\nb\n",
  "loses-eol.txt": "a\nb",
  "crlf.txt": "one\r\nTWO\r\nthree\r\nfour\r\n",
  "mixed.txt": "unix\nwindows changed\r\nunix again\n",
  "to-empty.txt": "",
  "from-empty.txt": "now has text\n",
  "added-empty.txt": "",
  "added.ts": "export const x = 1;\n",
  "unicode.md": "héllo wörld\n日本語の新しいテキスト\nemoji 🎉🎉\n",
  "long.py": Array.from({ length: 62 }, (_, i) => (i % 17 === 3 ? `changed ${i}\n` : `line ${i}\n`)).join(""),
  "dir with space/file name.txt": "spaced out\n",
};

describe("makePatch / applyPatch round trip", () => {
  it("reproduces every after-state byte for byte", () => {
    const patch = makePatch(changesBetween(BEFORE, AFTER));
    const applied = applyPatch(viewOf(BEFORE), patch);
    for (const [path, text] of Object.entries(AFTER)) expect([path, applied.read(path)]).toEqual([path, text]);
    expect(applied.read("deleted.py")).toBeNull();
    expect(applied.read("deleted-empty.txt")).toBeNull();
    expect(applied.paths()).toEqual(Object.keys(AFTER).sort());
    expect(applied.changed).toContain("deleted.py");
    expect(applied.changed).not.toContain("untouched");
  });

  it("is deterministic and empty for no change", () => {
    const a = makePatch(changesBetween(BEFORE, AFTER));
    const b = makePatch(changesBetween(BEFORE, AFTER).reverse());
    expect(a).toBe(b);
    expect(makeFilePatch("x", "same\n", "same\n")).toBe("");
    expect(makeFilePatch("x", null, null)).toBe("");
  });

  it("round-trips random edits (seeded)", () => {
    const random = rng(12345);
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const vocab = ["alpha", "beta", "", "  indented", "x = 1", "\r", "tab\there", "ünï"];
    for (let round = 0; round < 300; round++) {
      const n = Math.floor(random() * 30);
      const lines = Array.from({ length: n }, () => pick(vocab) + (random() < 0.2 ? "\r\n" : "\n"));
      const before = lines.join("") + (random() < 0.3 ? pick(vocab) : "");
      const edited = lines.slice();
      const edits = Math.floor(random() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * (edited.length + 1));
        const kind = random();
        if (kind < 0.4) edited.splice(at, 0, pick(vocab) + "\n");
        else if (kind < 0.7) edited.splice(at, 1);
        else edited.splice(at, 1, pick(vocab) + "\n");
      }
      const after = edited.join("") + (random() < 0.3 ? pick(vocab) : "");
      const patch = makeFilePatch("f.txt", before, after);
      const applied = applyPatch(viewOf({ "f.txt": before }), patch);
      expect(applied.read("f.txt")).toBe(after);
    }
  });

  it("writes renames and applies them", () => {
    const patch = makePatch([{ path: "new/name.py", oldPath: "old.py", before: "a\nb\n", after: "a\nB\n" }]);
    expect(patch).toContain("rename from old.py\nrename to new/name.py\n");
    const applied = applyPatch(viewOf({ "old.py": "a\nb\n" }), patch);
    expect(applied.read("old.py")).toBeNull();
    expect(applied.read("new/name.py")).toBe("a\nB\n");
    const [change] = changesFromPatch(viewOf({ "old.py": "a\nb\n" }), patch);
    expect(change).toEqual({ path: "new/name.py", oldPath: "old.py", status: "renamed", binary: false, before: "a\nb\n", after: "a\nB\n" });
  });

  it("rejects a hunk that does not apply, naming the file and the hunk", () => {
    const patch = makeFilePatch("src/a.py", "x = 1\ny = 2\n", "x = 1\ny = 3\n");
    expect(() => applyPatch(viewOf({ "src/a.py": "x = 1\ny = 5\n" }), patch)).toThrow(/src\/a\.py: hunk #1 \(@@ -1,2 \+1,2 @@\)/);
    expect(() => applyPatch(viewOf({}), patch)).toThrow(/src\/a\.py is modified by the patch but does not exist/);
    const add = makeFilePatch("n.py", null, "x\n");
    expect(() => applyPatch(viewOf({ "n.py": "y\n" }), add)).toThrow(/n\.py is created by the patch but already exists/);
  });

  it("finds a hunk that moved (like git apply) but not past an earlier one", () => {
    const before = "a\nb\nc\nd\ne\nf\n";
    const patch = makeFilePatch("f", before, "a\nb\nc\nD\ne\nf\n");
    const shifted = "new1\nnew2\n" + before;
    expect(applyPatch(viewOf({ f: shifted }), patch).read("f")).toBe("new1\nnew2\na\nb\nc\nD\ne\nf\n");
  });
});

describe("interoperability with git", () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());

  it("git apply accepts what makePatch writes and produces the same bytes", () => {
    const repo = join(tmp.path, "apply");
    gitInit(repo);
    writeFiles(repo, BEFORE);
    commitAll(repo, "before");
    const patch = makePatch(changesBetween(BEFORE, AFTER));
    writeFileSync(join(tmp.path, "p.diff"), patch);
    git(repo, ["apply", "--check", join(tmp.path, "p.diff")]);
    git(repo, ["apply", join(tmp.path, "p.diff")]);
    for (const [path, text] of Object.entries(AFTER)) expect([path, readFileSync(join(repo, path), "utf8")]).toEqual([path, text]);
    expect(existsSync(join(repo, "deleted.py"))).toBe(false);
    // And git agrees the tree is now exactly AFTER.
    git(repo, ["add", "-A"]);
    const names = git(repo, ["ls-files"]).trim().split("\n").sort();
    expect(names).toEqual(Object.keys(AFTER).sort());
  });

  it("parses what git diff writes: renames (-M), binary, mode changes, quoted paths", () => {
    const repo = join(tmp.path, "diff");
    gitInit(repo);
    const big = Array.from({ length: 40 }, (_, i) => `def f${i}():\n    return ${i}\n`).join("");
    writeFiles(repo, {
      "mod.py": "a = 1\nb = 2\n",
      "old_name.py": big,
      "gone.txt": "bye\n",
      "img.bin": Buffer.from([0, 1, 2, 3, 4]),
      "script.sh": "echo hi\n",
      "café.txt": "accent\n",
      "crlf.txt": "x\r\ny\r\n",
    });
    const base = commitAll(repo, "base");
    writeFiles(repo, {
      "mod.py": "a = 1\nb = 3\n",
      "img.bin": Buffer.from([0, 9, 9, 9]),
      "new.txt": "fresh\n",
      "café.txt": "accent changed\n",
      "crlf.txt": "x\r\nY\r\n",
    });
    renameSync(join(repo, "old_name.py"), join(repo, "new_name.py"));
    writeFileSync(join(repo, "new_name.py"), big.replace("return 7", "return 70"));
    rmSync(join(repo, "gone.txt"));
    chmodSync(join(repo, "script.sh"), 0o755);
    git(repo, ["add", "-A"]);
    for (const binaryFlag of [[], ["--binary"]]) {
      const diff = git(repo, ["diff", "--cached", "-M", ...binaryFlag, base]);
      const parsed = parsePatch(diff);
      const summary = parsed.map((p) => [p.status, p.oldPath, p.newPath, p.binary]);
      expect(summary).toEqual([
        ["modified", "café.txt", "café.txt", false],
        ["modified", "crlf.txt", "crlf.txt", false],
        ["deleted", "gone.txt", null, false],
        ["modified", "img.bin", "img.bin", true],
        ["modified", "mod.py", "mod.py", false],
        ["added", null, "new.txt", false],
        ["renamed", "old_name.py", "new_name.py", false],
        ["modified", "script.sh", "script.sh", false],
      ]);
      expect(parsed.find((p) => p.newPath === "script.sh")).toMatchObject({ oldMode: "100644", newMode: "100755", hunks: [] });
      expect(parsed.find((p) => p.newPath === "new_name.py")?.similarity).toBeGreaterThan(50);

      const before = viewOf({
        "mod.py": "a = 1\nb = 2\n",
        "old_name.py": big,
        "gone.txt": "bye\n",
        "script.sh": "echo hi\n",
        "café.txt": "accent\n",
        "crlf.txt": "x\r\ny\r\n",
      });
      const applied = applyPatch(before, diff);
      expect(applied.read("mod.py")).toBe("a = 1\nb = 3\n");
      expect(applied.read("new_name.py")).toBe(big.replace("return 7", "return 70"));
      expect(applied.read("old_name.py")).toBeNull();
      expect(applied.read("café.txt")).toBe("accent changed\n");
      expect(applied.read("crlf.txt")).toBe("x\r\nY\r\n");
      expect(applied.isBinary("img.bin")).toBe(true);
      const changes = changesFromPatch(before, diff);
      expect(changes.find((c) => c.path === "img.bin")).toEqual({ path: "img.bin", oldPath: null, status: "modified", binary: true, before: null, after: null });
      // A mode-only change is a change with its modes, so the verifiers can reject it.
      expect(changes.find((c) => c.path === "script.sh")).toMatchObject({ status: "modified", before: "echo hi\n", after: "echo hi\n", oldMode: "100644", newMode: "100755" });
      expect(changes.find((c) => c.path === "new.txt")).toMatchObject({ newMode: "100644" });
      expect(changes.find((c) => c.path === "gone.txt")).toMatchObject({ status: "deleted", before: "bye\n", after: null });
      expect(changes.find((c) => c.path === "new.txt")).toMatchObject({ status: "added", before: null, after: "fresh\n" });
    }
  });
});
