import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync, appendFileSync, chmodSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { SnapshotStore, snapshotView } from "./store.js";
import { makeFilePatch, makePatch } from "../patch/make.js";
import { applyPatch } from "../patch/apply.js";
import { collectResult, materializeWorkspace, isolatedGitEnv } from "./workspace.js";
import type { Snapshot } from "./types.js";
import { forgetCachedPackEntries } from "./objectcache.js";
import { commitAll, gitInit, makeTempDir, writeFiles } from "./testutil.js";

// Git as the agent would run it inside the workspace (no host configuration).
function wsGit(dir: string, args: string[], input?: string): string {
  return execFileSync("git", args, { cwd: dir, env: isolatedGitEnv(), input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
}

const MODULE = 'def helper():\n    """SECRET DOCSTRING that the agent must write."""\n    return 42\n\n\ndef other():\n    return 1\n';
const MASKED = "def helper():\n    return 42\n\n\ndef other():\n    return 1\n";

// Every case runs on both kinds of workspace: a full copy and a copy-on-write overlay of a shared base
// (overlay.test.ts has the overlay-only cases: isolation, crash cleanup, fallback).
describe.each(["copy", "overlay"] as const)("workspaces (%s)", (mode) => {
  const tmp = makeTempDir();
  const upstream = join(tmp.path, "upstream-secret-name");
  let store: SnapshotStore;
  let snapshot: Snapshot;
  let setup = "";
  const wsRoot = join(tmp.path, "workspaces");

  beforeAll(async () => {
    store = new SnapshotStore(join(tmp.path, "store"));
    gitInit(upstream);
    writeFiles(upstream, {
      "pkg/mod.py": MODULE,
      "pkg/util.py": "def u():\n    return 'u'\n",
      "pkg/to_delete.py": "x = 1\n",
      "bin/run.sh": "#!/bin/sh\necho run\n",
      "docs/guide.md": "# Guide\n" + "text line\n".repeat(30),
      "crlf.txt": "a\r\nb\r\n",
      ".gitattributes": "* text=auto\ncrlf.txt -text\n", // crlf.txt is committed with its CRs
      "README": "readme\n",
    });
    chmodSync(join(upstream, "bin/run.sh"), 0o755);
    symlinkSync("pkg/util.py", join(upstream, "util_link.py"));
    commitAll(upstream, "upstream");
    snapshot = await store.ingest(`${upstream}@main`);
    const view = snapshotView(store, snapshot);
    setup = makePatch([
      { path: "pkg/mod.py", before: view.read("pkg/mod.py"), after: MASKED },
      { path: "pkg/to_delete.py", before: view.read("pkg/to_delete.py"), after: null },
      { path: "pkg/added.py", before: null, after: "ADDED = True\n" },
    ]);
  });
  afterAll(() => tmp.cleanup());

  it("materializes the starting state as a one-commit repository with a neutral path", async () => {
    const ws = await materializeWorkspace(store, snapshot, setup, { root: wsRoot, mode });
    try {
      expect([ws.mode, ws.fallback]).toEqual([mode, null]);
      expect(basename(ws.dir)).toBe("upstream-secret-name"); // the repository name, as the sandbox mounts it
      expect(dirname(dirname(ws.dir))).toBe(wsRoot);
      expect(ws.dir).not.toContain(snapshot.commit as string);
      expect(ws.dir).not.toContain(snapshot.commit?.slice(0, 7) as string);
      expect(readFileSync(join(ws.dir, "pkg/mod.py"), "utf8")).toBe(MASKED);
      expect(readFileSync(join(ws.dir, "pkg/added.py"), "utf8")).toBe("ADDED = True\n");
      expect(existsSync(join(ws.dir, "pkg/to_delete.py"))).toBe(false);
      expect(readFileSync(join(ws.dir, "crlf.txt"), "utf8")).toBe("a\r\nb\r\n");
      expect(statSync(join(ws.dir, "bin/run.sh")).mode & 0o111).not.toBe(0);
      expect(statSync(join(ws.dir, "README")).mode & 0o111).toBe(0);
      expect(lstatSync(join(ws.dir, "util_link.py")).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(ws.dir, "util_link.py"))).toBe("pkg/util.py");

      expect(wsGit(ws.dir, ["rev-list", "--all"]).trim()).toBe(ws.commit);
      expect(wsGit(ws.dir, ["log", "-1", "--format=%an <%ae>|%cn <%ce>|%ad", "--date=unix"]).trim()).toBe(
        "hgym <hgym@localhost>|hgym <hgym@localhost>|946684800",
      );
      expect(wsGit(ws.dir, ["remote"]).trim()).toBe("");
      expect(wsGit(ws.dir, ["status", "--porcelain"])).toBe(""); // index and tree agree, CRLF file included
      expect(wsGit(ws.dir, ["ls-files", "-s", "bin/run.sh"])).toMatch(/^100755 /);
      expect(wsGit(ws.dir, ["ls-files", "-s", "util_link.py"])).toMatch(/^120000 /);
      // The agent can commit with the configured identity.
      writeFileSync(join(ws.dir, "README"), "edited\n");
      wsGit(ws.dir, ["commit", "-qam", "agent commit"]);
      expect(wsGit(ws.dir, ["log", "-1", "--format=%an"]).trim()).toBe("hgym");
    } finally {
      await ws.remove();
    }
    expect(existsSync(ws.dir)).toBe(false);
  });

  it("gives the same commit id every time (fixed author and date)", async () => {
    const a = await materializeWorkspace(store, snapshot, setup, { root: wsRoot, mode });
    const b = await materializeWorkspace(store, snapshot, setup, { root: wsRoot, mode });
    try {
      expect(a.commit).toBe(b.commit);
      expect(a.dir).not.toBe(b.dir);
      const plain = await materializeWorkspace(store, snapshot, "", { root: wsRoot, mode });
      expect(plain.commit).not.toBe(a.commit);
      // With no setup patch the tree we write is exactly the upstream commit's tree, and git finds no fault.
      expect(wsGit(plain.dir, ["rev-parse", "main^{tree}"])).toBe(wsGit(upstream, ["rev-parse", "HEAD^{tree}"]));
      wsGit(plain.dir, ["fsck", "--strict", "--no-dangling"]);
      wsGit(a.dir, ["fsck", "--strict", "--no-dangling"]);
      expect(wsGit(a.dir, ["count-objects", "-v"])).toMatch(/in-pack: \d+/);
      await plain.remove();
    } finally {
      await a.remove();
      await b.remove();
    }
  });

  it("builds the same workspace from the on-disk object cache as from the in-memory one", async () => {
    const warm = await materializeWorkspace(store, snapshot, setup, { root: wsRoot, mode });
    forgetCachedPackEntries();
    const fromDisk = await materializeWorkspace(store, snapshot, setup, { root: wsRoot, mode });
    try {
      expect(fromDisk.commit).toBe(warm.commit);
      wsGit(fromDisk.dir, ["fsck", "--strict", "--no-dangling"]);
      expect(wsGit(fromDisk.dir, ["status", "--porcelain"])).toBe("");
    } finally {
      await warm.remove();
      await fromDisk.remove();
    }
  });

  it("never stores the unpatched text in the workspace's git objects", async () => {
    const ws = await materializeWorkspace(store, snapshot, setup, { root: wsRoot, mode });
    try {
      const all = wsGit(ws.dir, ["cat-file", "--batch-all-objects", "--batch"]);
      expect(all).toContain("def helper():"); // the masked file is there ...
      expect(all).not.toContain("SECRET DOCSTRING"); // ... but never its original text
      expect(all).not.toContain("x = 1\n"); // nor the file the setup patch deleted
      const originalOid = wsGit(ws.dir, ["hash-object", "--stdin"], MODULE).trim();
      expect(() => wsGit(ws.dir, ["cat-file", "-e", originalOid])).toThrow();
      const sidecar = readFileSync(join(dirname(ws.dir), ".hgym-workspace.json"), "utf8");
      expect(sidecar).not.toContain(upstream);
      expect(readFileSync(join(ws.dir, ".git", "config"), "utf8")).not.toContain(upstream);
    } finally {
      await ws.remove();
    }
  });

  it("hands on a file left in bytes that are not UTF-8 as binary, never as text with replacement characters", async () => {
    const ws = await materializeWorkspace(store, snapshot, setup, { root: wsRoot, mode });
    try {
      // A latin-1 byte inside a comment: CPython refuses the file (it is not UTF-8), but decoded leniently it would
      // read as a comment holding U+FFFD, which compiles. A BOM is valid UTF-8 and stays in the text.
      writeFileSync(join(ws.dir, "pkg/mod.py"), Buffer.concat([Buffer.from("# caf"), Buffer.from([0xe9]), Buffer.from("\n" + MASKED)]));
      writeFileSync(join(ws.dir, "pkg/util.py"), "\ufeffdef u():\n    return 'u'\n");
      const { result } = await collectResult(ws.dir, { start: ws.start });
      const mod = result.changes.find((c) => c.path === "pkg/mod.py");
      expect(mod).toMatchObject({ status: "modified", binary: true, before: null, after: null });
      const util = result.changes.find((c) => c.path === "pkg/util.py");
      expect(util).toMatchObject({ binary: false, after: "\ufeffdef u():\n    return 'u'\n" });
    } finally {
      await ws.remove();
    }
  });

  it("collects modified, added, deleted, renamed and binary changes against the starting commit", async () => {
    const ws = await materializeWorkspace(store, snapshot, setup, { root: wsRoot, mode });
    try {
      const untouched = await collectResult(ws.dir);
      expect(untouched.diff).toBe("");
      expect(untouched.result.changes).toEqual([]);

      writeFileSync(join(ws.dir, "pkg/mod.py"), MASKED.replace("return 42", "return 43"));
      writeFileSync(join(ws.dir, "pkg/brand_new.py"), "NEW = 1\n");
      rmSync(join(ws.dir, "pkg/util.py"));
      renameSync(join(ws.dir, "docs/guide.md"), join(ws.dir, "docs/renamed.md"));
      writeFileSync(join(ws.dir, "image.png"), Buffer.from([0x89, 0x50, 0, 0, 1, 2]));
      writeFileSync(join(ws.dir, "crlf.txt"), "a\r\nB\r\n");
      // The agent commits part of it and leaves the index dirty: changes are still measured from the start.
      wsGit(ws.dir, ["add", "pkg/brand_new.py"]);
      wsGit(ws.dir, ["commit", "-qm", "partial"]);
      wsGit(ws.dir, ["rm", "-q", "--cached", "README"]);

      const { diff, result } = await collectResult(ws.dir);
      const summary = result.changes.map((c) => [c.status, c.path, c.oldPath, c.binary]);
      expect(summary).toEqual([
        ["modified", "crlf.txt", null, false],
        ["renamed", "docs/renamed.md", "docs/guide.md", false],
        ["added", "image.png", null, true],
        ["added", "pkg/brand_new.py", null, false],
        ["modified", "pkg/mod.py", null, false],
        ["deleted", "pkg/util.py", null, false],
      ]);
      const mod = result.changes.find((c) => c.path === "pkg/mod.py");
      expect(mod?.before).toBe(MASKED);
      expect(mod?.after).toBe(MASKED.replace("return 42", "return 43"));
      expect(result.changes.find((c) => c.path === "crlf.txt")?.after).toBe("a\r\nB\r\n");
      expect(result.changes.find((c) => c.path === "pkg/util.py")?.before).toBe("def u():\n    return 'u'\n");
      expect(result.changes.find((c) => c.path === "image.png")?.after).toBeNull();
      expect(result.readBefore("pkg/mod.py")).toBe(MASKED);
      expect(result.readBefore("pkg/brand_new.py")).toBeNull();
      expect(result.readBefore("README")).toBe("readme\n");
      expect(diff).toContain("GIT binary patch");
      expect(diff).toContain("rename from docs/guide.md");

      // The trusted starting state gives the same before-texts.
      const trusted = await collectResult(ws.dir, { start: ws.start });
      expect(trusted.diff).toBe(diff);
      expect(trusted.result.changes).toEqual(result.changes);

      // The diff applies to a fresh copy of the starting state and reproduces the agent's tree.
      const fresh = await materializeWorkspace(store, snapshot, setup, { root: wsRoot, mode });
      try {
        writeFileSync(join(wsRoot, "agent.diff"), diff);
        wsGit(fresh.dir, ["apply", "--binary", join(wsRoot, "agent.diff")]);
        expect(readFileSync(join(fresh.dir, "docs/renamed.md"), "utf8")).toBe(readFileSync(join(ws.dir, "docs/renamed.md"), "utf8"));
        expect(readFileSync(join(fresh.dir, "image.png"))).toEqual(readFileSync(join(ws.dir, "image.png")));
      } finally {
        await fresh.remove();
      }

      // Text changes of the collected diff apply in memory to the starting view as well.
      const applied = applyPatch(ws.start, diff);
      expect(applied.read("pkg/mod.py")).toBe(MASKED.replace("return 42", "return 43"));
      expect(applied.read("docs/guide.md")).toBeNull();
    } finally {
      await ws.remove();
    }
  });

  it("does not run anything the agent put into .git/config or hooks while collecting", async () => {
    const ws = await materializeWorkspace(store, snapshot, setup, { root: wsRoot, mode });
    const marker = join(tmp.path, "pwned");
    try {
      appendFileSync(join(ws.dir, ".git", "config"), `[core]\n\tfsmonitor = "touch ${marker}"\n\thooksPath = /tmp\n[diff]\n\texternal = "touch ${marker}"\n`);
      writeFileSync(join(ws.dir, ".gitattributes"), "* filter=evil\n");
      appendFileSync(join(ws.dir, ".git", "config"), `[filter "evil"]\n\tclean = "touch ${marker}"\n`);
      writeFileSync(join(ws.dir, "README"), "changed\n");
      const { result } = await collectResult(ws.dir);
      expect(existsSync(marker)).toBe(false);
      expect(result.changes.map((c) => c.path)).toEqual([".gitattributes", "README"]);
    } finally {
      await ws.remove();
    }
  });

  it("refuses a setup patch that does not apply", async () => {
    const bad = makeFilePatch("pkg/util.py", "not the content\n", "x\n");
    await expect(materializeWorkspace(store, snapshot, bad, { root: wsRoot, mode })).rejects.toThrow(/pkg\/util\.py: hunk #1/);
  });
});
