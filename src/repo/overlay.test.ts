// Copy-on-write (overlay) workspaces with real mounts, the real bwrap sandbox and real repositories: isolation
// between workspaces of one base, results byte-identical to copy workspaces, the fallback when the kernel refuses
// an overlay, and cleanup after a crash (exit hook) and after SIGKILL (the leftover sweep).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { SnapshotStore, snapshotView } from "./store.js";
import type { Snapshot } from "./types.js";
import { makePatch } from "../patch/make.js";
import { collectResult, isolatedGitEnv, materializeWorkspace, resolveWorkspaceMode, type Workspace } from "./workspace.js";
import { UserError } from "../core/errors.js";
import { evictBases, listBases } from "./overlay-bases.js";
import { overlayAt, readMounts } from "../util/mountinfo.js";
import { sweepLeftovers } from "../gc/leftovers.js";
import { diskUsage } from "../sandbox/disk-usage.js";
import { createSandbox } from "../sandbox/index.js";
import { commitAll, gitInit, makeTempDir } from "./testutil.js";

const holderScript = fileURLToPath(new URL("./test-support/overlay-holder.ts", import.meta.url));

function wsGit(dir: string, args: string[]): string {
  return execFileSync("git", args, { cwd: dir, env: isolatedGitEnv(), encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
}

// Every entry of a tree with its type, mode and content (or link target), hashed: equal digests = equal trees.
function treeDigest(root: string): string {
  const h = createHash("sha256");
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = lstatSync(p);
      h.update(`${relative(root, p)}\0${st.mode}\0`);
      if (st.isSymbolicLink()) h.update(readlinkSync(p));
      else if (st.isDirectory()) walk(p);
      else h.update(readFileSync(p));
    }
  };
  walk(root);
  return h.digest("hex");
}

function lowerOf(ws: Workspace): string {
  const m = overlayAt(ws.dir);
  if (!m) throw new Error(`${ws.dir} is not an overlay mount`);
  return m.superOptions.get("lowerdir") as string;
}

// A real repository: ~400 files of Python's standard library (json/, email/, asyncio/ ...), an executable, a
// symbolic link, a CRLF file, committed with git.
function buildStdlibRepo(dest: string): void {
  const stdlib = execFileSync("python3", ["-c", "import sysconfig;print(sysconfig.get_paths()['stdlib'])"], { encoding: "utf8" }).trim();
  gitInit(dest);
  for (const sub of ["json", "email", "asyncio", "html", "http", "urllib", "xml/dom"]) {
    for (const name of readdirSync(join(stdlib, sub))) {
      if (!name.endsWith(".py")) continue;
      mkdirSync(join(dest, "lib", sub), { recursive: true });
      copyFileSync(join(stdlib, sub, name), join(dest, "lib", sub, name));
    }
  }
  writeFileSync(join(dest, "run.sh"), "#!/bin/sh\necho run\n");
  chmodSync(join(dest, "run.sh"), 0o755);
  writeFileSync(join(dest, "crlf.txt"), "a\r\nb\r\n");
  writeFileSync(join(dest, ".gitattributes"), "crlf.txt -text\n");
  symlinkSync("lib/json/__init__.py", join(dest, "json_link.py"));
  commitAll(dest, "stdlib sample");
}

// The same edits, applied by the host to any workspace: every kind of change a diff has to carry.
function applyEdits(dir: string): void {
  appendFileSync(join(dir, "lib/json/encoder.py"), "\n# edited\n");
  rmSync(join(dir, "lib/json/tool.py"));
  renameSync(join(dir, "lib/email/utils.py"), join(dir, "lib/email/utilities.py"));
  renameSync(join(dir, "lib/html"), join(dir, "lib/html_renamed")); // a whole directory of the base
  rmSync(join(dir, "lib/xml"), { recursive: true });
  chmodSync(join(dir, "lib/http/server.py"), 0o755);
  chmodSync(join(dir, "run.sh"), 0o644);
  writeFileSync(join(dir, "blob.bin"), Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 7]));
  mkdirSync(join(dir, "new/deep"), { recursive: true });
  writeFileSync(join(dir, "new/deep/mod.py"), "X = 1\n");
  unlinkSync(join(dir, "json_link.py"));
  symlinkSync("lib/email/__init__.py", join(dir, "json_link.py"));
  rmSync(join(dir, "lib/urllib/parse.py"));
  symlinkSync("../json/decoder.py", join(dir, "lib/urllib/parse.py")); // a file replaced by a link
  writeFileSync(join(dir, "crlf.txt"), "a\r\nB\r\n");
  writeFileSync(join(dir, "lib/asyncio/log.py"), Buffer.concat([Buffer.from("# caf"), Buffer.from([0xe9]), Buffer.from("\n")]));
  // The agent's own git use: a commit of part of it, and an index left dirty.
  wsGit(dir, ["add", "new/deep/mod.py"]);
  wsGit(dir, ["commit", "-qm", "partial"]);
  wsGit(dir, ["rm", "-q", "--cached", "lib/asyncio/tasks.py"]);
}

describe("overlay workspaces", () => {
  const tmp = makeTempDir("hgym-overlay-test-");
  const root = join(tmp.path, "ws");
  let store: SnapshotStore;
  let snapshot: Snapshot;
  let setup = "";

  beforeAll(async () => {
    store = new SnapshotStore(join(tmp.path, "store"));
    const repo = join(tmp.path, "stdlib-sample");
    buildStdlibRepo(repo);
    snapshot = await store.ingest(`${repo}@main`);
    const view = snapshotView(store, snapshot);
    const decoder = view.read("lib/json/decoder.py") as string;
    setup = makePatch([{ path: "lib/json/decoder.py", before: decoder, after: decoder.replace(/"""[\s\S]*?"""/, "") }]);
  });
  afterAll(() => {
    for (const m of readMounts()) if (m.mountPoint.startsWith(`${tmp.path}/`)) spawnSync("umount", ["-l", m.mountPoint]);
    tmp.cleanup();
  });

  it("shares one base and keeps every change in its own workspace", async () => {
    const a = await materializeWorkspace(store, snapshot, setup, { root, mode: "overlay" });
    const b = await materializeWorkspace(store, snapshot, setup, { root, mode: "overlay" });
    try {
      expect([a.mode, b.mode, a.fallback]).toEqual(["overlay", "overlay", null]);
      expect(lowerOf(a)).toBe(lowerOf(b));
      const base = lowerOf(a);
      const baseBefore = treeDigest(base);
      const bBefore = treeDigest(b.dir);
      expect(bBefore).toBe(baseBefore);
      expect(wsGit(a.dir, ["status", "--porcelain"])).toBe("");

      applyEdits(a.dir);
      chmodSync(join(a.dir, "lib"), 0o700);
      writeFileSync(join(a.dir, ".git", "config"), "[core]\n\tbare = true\n"); // the shared .git too

      expect(treeDigest(b.dir)).toBe(bBefore);
      expect(treeDigest(base)).toBe(baseBefore);
      expect(wsGit(b.dir, ["status", "--porcelain"])).toBe("");
      expect(wsGit(b.dir, ["rev-list", "--all"]).trim()).toBe(b.commit);
      expect(existsSync(join(a.dir, "lib/html_renamed/parser.py"))).toBe(true);
      expect(existsSync(join(a.dir, "lib/html"))).toBe(false);
      expect(existsSync(join(b.dir, "lib/html/parser.py"))).toBe(true);
    } finally {
      await a.remove();
      await b.remove();
    }
    expect(overlayAt(a.dir)).toBeNull();
    expect(existsSync(dirname(a.dir))).toBe(false);
  });

  it("gives byte-identical diffs and changes to copy workspaces", async () => {
    const copy = await materializeWorkspace(store, snapshot, setup, { root, mode: "copy" });
    const overlay = await materializeWorkspace(store, snapshot, setup, { root, mode: "overlay" });
    try {
      expect(copy.mode).toBe("copy");
      expect(overlay.mode).toBe("overlay");
      expect(overlay.commit).toBe(copy.commit);
      expect(treeDigest(overlay.dir)).toBe(treeDigest(copy.dir));
      applyEdits(copy.dir);
      applyEdits(overlay.dir);
      const fromCopy = await collectResult(copy.dir, { baseCommit: copy.commit, start: copy.start });
      const fromOverlay = await collectResult(overlay.dir, { baseCommit: overlay.commit, start: overlay.start });
      expect(fromOverlay.diff).toBe(fromCopy.diff);
      expect(fromOverlay.result.changes).toEqual(fromCopy.result.changes);
      // Without the trusted start, before-texts come from the workspace's git objects: the same in both modes.
      const untrusted = await collectResult(overlay.dir);
      const untrustedCopy = await collectResult(copy.dir);
      expect(untrusted.diff).toBe(fromCopy.diff);
      expect(untrusted.result.changes).toEqual(untrustedCopy.result.changes);

      const kinds = new Set(fromCopy.result.changes.map((c) => `${c.status}${c.binary ? "/binary" : ""}`));
      for (const k of ["modified", "deleted", "renamed", "added", "added/binary", "modified/binary"]) expect(kinds).toContain(k);
      expect(fromCopy.result.changes.find((c) => c.path === "lib/http/server.py")).toMatchObject({ status: "modified", oldMode: "100644", newMode: "100755" });
      expect(fromCopy.diff).toContain("rename from lib/html/parser.py");
      expect(fromCopy.diff).toContain("deleted file mode 100644\nindex");
      expect(fromCopy.diff).toContain("new mode 100755");
      expect(fromCopy.diff).toContain("GIT binary patch");
    } finally {
      await copy.remove();
      await overlay.remove();
    }
  });

  it("runs an episode in the bwrap sandbox on the mounted overlay and counts only what it wrote", async () => {
    const bwrap = createSandbox("bwrap");
    const available = await bwrap.available();
    if (!available.ok) throw new Error(`bwrap is needed (scripts/setup.sh installs it): ${available.reason}`);
    const ws = await materializeWorkspace(store, snapshot, setup, { root, mode: "overlay" });
    const twin = await materializeWorkspace(store, snapshot, setup, { root, mode: "copy" });
    try {
      const repoBytes = diskUsage(twin.dir);
      expect(diskUsage(ws.dir)).toBeLessThan(64 * 1024); // an untouched overlay holds (almost) nothing
      const episode = await bwrap.start({ hostWorkspace: ws.dir, workspacePath: `/workspace/${ws.name}` });
      const script =
        "set -e; echo '# agent' >> lib/json/encoder.py; rm lib/json/tool.py; mv lib/html lib/html2; chmod +x lib/http/server.py; " +
        "head -c 3000000 /dev/zero > big.bin; git status --porcelain | wc -l; git add -A; git commit -qm agent; echo done";
      try {
        const r = await episode.run(script);
        expect(r.output).toContain("done");
        expect(r.exitCode).toBe(0);
      } finally {
        await episode.close();
      }
      const written = diskUsage(ws.dir);
      expect(written).toBeGreaterThanOrEqual(3_000_000);
      expect(written).toBeLessThan(3_000_000 + repoBytes / 2);
      // The same edits on the copy give the same result.
      execFileSync("/bin/bash", ["-c", script.replace("git add -A; git commit -qm agent; ", "")], { cwd: twin.dir, env: isolatedGitEnv() });
      const a = await collectResult(ws.dir, { baseCommit: ws.commit, start: ws.start });
      const b = await collectResult(twin.dir, { baseCommit: twin.commit, start: twin.start });
      expect(a.diff).toBe(b.diff);
      expect(a.result.changes.map((c) => [c.status, c.path])).toEqual(b.result.changes.map((c) => [c.status, c.path]));
    } finally {
      await ws.remove();
      await twin.remove();
    }
  });

  it("makes 64 concurrent workspaces of one repository on one shared base", async () => {
    const all = await Promise.all(Array.from({ length: 64 }, () => materializeWorkspace(store, snapshot, setup, { root, mode: "overlay" })));
    try {
      const lowers = new Set(all.map(lowerOf));
      expect(lowers.size).toBe(1);
      await Promise.all(all.map(async (ws, i) => writeFileSync(join(ws.dir, "lib/json/__init__.py"), `mine = ${i}\n`)));
      all.forEach((ws, i) => expect(readFileSync(join(ws.dir, "lib/json/__init__.py"), "utf8")).toBe(`mine = ${i}\n`));
      const results = await Promise.all(all.map((ws) => collectResult(ws.dir, { baseCommit: ws.commit, start: ws.start })));
      results.forEach((r, i) => expect(r.result.changes.map((c) => c.after)).toEqual([`mine = ${i}\n`]));
      expect(readFileSync(join([...lowers][0] as string, "lib/json/__init__.py"), "utf8")).not.toContain("mine");
    } finally {
      await Promise.all(all.map((ws) => ws.remove()));
    }
    expect(readMounts().filter((m) => m.mountPoint.startsWith(`${root}/`))).toEqual([]);
  });

  it("falls back to a copy when the kernel refuses the overlay (upper dir on an overlay), and says why", async () => {
    const outer = join(tmp.path, "outer");
    for (const d of ["l", "u", "w", "m"]) mkdirSync(join(outer, d), { recursive: true });
    execFileSync("mount", ["-t", "overlay", "overlay", "-o", `lowerdir=${outer}/l,upperdir=${outer}/u,workdir=${outer}/w`, `${outer}/m`]);
    try {
      const nestedRoot = join(outer, "m", "ws");
      const ws = await materializeWorkspace(store, snapshot, setup, { root: nestedRoot });
      try {
        expect(ws.mode).toBe("copy");
        expect(ws.fallback).toMatch(/mount -t overlay .* failed/);
        expect(overlayAt(ws.dir)).toBeNull();
        expect(wsGit(ws.dir, ["status", "--porcelain"])).toBe("");
      } finally {
        await ws.remove();
      }
      await expect(materializeWorkspace(store, snapshot, setup, { root: nestedRoot, mode: "overlay" })).rejects.toThrow(/workspace mode overlay: cannot mount .*--workspace-mode copy/);
      // What a run checks before it starts.
      expect(await resolveWorkspaceMode(nestedRoot, "auto")).toMatchObject({ mode: "copy", reason: expect.stringMatching(/failed/) as unknown });
      await expect(resolveWorkspaceMode(nestedRoot, "overlay")).rejects.toThrow(UserError);
      expect(await resolveWorkspaceMode(root, "auto")).toEqual({ mode: "overlay", reason: null });
    } finally {
      execFileSync("umount", [`${outer}/m`]);
    }
  });

  const hold = (wsRoot: string, then: "wait" | "exit") => {
    const child = spawn(process.execPath, ["--import", "tsx", holderScript, store.root, snapshot.id, wsRoot, then], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const first = createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
    const ready = first.then((r) => {
      if (r.done) throw new Error(`the holder exited: ${stderr}`);
      return JSON.parse(r.value as string) as { dir: string; mode: string };
    });
    const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
    return { child, ready, exited };
  };

  it("unmounts and removes the workspaces of a process that exits with them open", async () => {
    const wsRoot = join(tmp.path, "ws-exit");
    const h = hold(wsRoot, "exit");
    const { dir, mode } = await h.ready;
    await h.exited;
    expect(mode).toBe("overlay");
    expect(overlayAt(dir)).toBeNull();
    expect(existsSync(dirname(dir))).toBe(false);
  });

  it("leaves a SIGKILLed process's mounted workspace to the leftover sweep, and hgym gc's base pruning", async () => {
    const wsRoot = join(tmp.path, "ws-kill");
    const h = hold(wsRoot, "wait");
    const { dir } = await h.ready;
    const base = lowerOf({ dir } as Workspace);
    h.child.kill("SIGKILL");
    await h.exited;
    expect(overlayAt(dir)).not.toBeNull(); // nothing ran: the mount outlives its process
    const swept = await sweepLeftovers({ workspaceRoot: wsRoot, tmpDir: null, cgroupRoots: [] });
    expect(swept.failed).toEqual([]);
    expect(swept.removed.map((l) => l.path)).toContain(dirname(dir));
    expect(overlayAt(dir)).toBeNull();
    expect(readMounts().filter((m) => m.mountPoint.startsWith(`${wsRoot}/`))).toEqual([]);
    expect(existsSync(join(base, ".git", "HEAD"))).toBe(true); // the shared base is untouched ...
    expect(listBases(wsRoot).map((b) => b.inUse)).toEqual([false]);
    const pruned = await evictBases(wsRoot, { maxBytes: 0, graceMs: 0 }); // ... until gc prunes unused bases
    expect(pruned.removed.length).toBe(1);
    expect(listBases(wsRoot)).toEqual([]);
    expect(readdirSync(wsRoot).filter((n) => n !== "hgym-bases")).toEqual([]);
  });

  it("keeps a base a mounted workspace uses, whatever the size bound", async () => {
    const wsRoot = join(tmp.path, "ws-evict");
    const ws = await materializeWorkspace(store, snapshot, "", { root: wsRoot, mode: "overlay" });
    try {
      const pruned = await evictBases(wsRoot, { maxBytes: 0, graceMs: 0 });
      expect(pruned.removed).toEqual([]);
      expect(listBases(wsRoot).map((b) => b.inUse)).toEqual([true]);
    } finally {
      await ws.remove();
    }
    expect((await evictBases(wsRoot, { maxBytes: 0, graceMs: 0 })).removed.length).toBe(1);
  });
});
