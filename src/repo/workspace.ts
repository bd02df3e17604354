// Workspaces: an instance's starting state (snapshot files + setup patch) written to a host directory that is a
// fresh git repository whose only commit is exactly that state, and, after the episode, the agent's changes
// collected as a git diff plus FileChange records.
//
// Why the git repository is built by hand: `git init` + `git add -A` + `git commit` (or `git fast-import`) hash and
// compress every file again for every workspace, about a second for a 30 MB repository. Instead the .git skeleton
// is written directly, the objects go into one pack assembled from per-snapshot cached entries (gitpack.ts,
// objectcache.ts), and one `git read-tree` writes the index. Only the starting state ever enters the object
// store: files the setup patch changes are packed in their patched form only, so the unpatched text (the gold
// answer of a masking task) cannot be recovered with `git cat-file`.
//
// Two kinds (MaterializeOptions.mode): a full copy of that state per workspace, or, where the host can mount
// one, a copy-on-write overlay of a read-only base holding it, extracted once per (snapshot, setup patch) and
// shared by every workspace of the instance (overlay-bases.ts, overlay-mount.ts). Making an overlay costs a few
// directories and one mount whatever the repository's size, the episode's writes (deletions and renames
// included) land in its own upper dir, and the merged view is byte for byte the copy, so collectResult reads
// both the same way.

import { promises as fsp, accessSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync, constants as fsConstants } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { FileChange, RepoView, WorkspaceResult } from "../core/repo-view.js";
import { UserError } from "../core/errors.js";
import { runPrefix } from "../core/run-scope.js";
import type { Snapshot, SnapshotFile } from "./types.js";
import { snapshotView, type SnapshotStore } from "./store.js";
import { applyPatch, type AppliedPatch } from "../patch/apply.js";
import { parsePatch } from "../patch/parse.js";
import { catFileBatch, runGit } from "./git.js";
import { createLimiter } from "./walk.js";
import { buildTrees, makePackEntry, writePack, type PackEntry, type TreeFile } from "./gitpack.js";
import { snapshotPackEntries } from "./objectcache.js";
import { baseKey, defaultBaseCacheBytes, ensureBase } from "./overlay-bases.js";
import { mountOverlay, OverlayRefused, overlayUnsupportedReason, trackMounted, unmountOverlay } from "./overlay-mount.js";

export const WORKSPACE_AUTHOR = "hgym <hgym@localhost>";
// 2000-01-01T00:00:00Z: a fixed date makes the commit id depend on the content only.
const COMMIT_DATE = "946684800 +0000";
const COMMIT_MESSAGE = "Initial state\n";
const SIDECAR = ".hgym-workspace.json";
const OVERLAY_UPPER = ".overlay-upper";
const OVERLAY_WORK = ".overlay-work";
// Attributes that make git store and diff files byte for byte (no CRLF normalisation, no filters), whatever the
// repository's own .gitattributes say; $GIT_DIR/info/attributes takes precedence over them.
const RAW_ATTRIBUTES = "* -text !eol -filter -ident !working-tree-encoding\n";
const WRITE_CONCURRENCY = 64;

export type WorkspaceMode = "overlay" | "copy" | "auto";

export interface MaterializeOptions {
  // Parent of the workspace's random directory; default: defaultWorkspaceRoot(process.env). Callers at the edge
  // pass it (the CLI resolves it once, and `hgym gc` sweeps the same place).
  root?: string;
  // "overlay": a copy-on-write overlay of a shared read-only base (an error when this host cannot mount one);
  // "copy": a full copy per workspace; "auto" (default): overlay when it can be mounted, else copy.
  mode?: WorkspaceMode;
  // Size bound of the overlay bases kept under <root>/hgym-bases (default: a sixteenth of its file system, <= 1 GiB).
  baseCacheBytes?: number;
}

export interface Workspace {
  // <root>/<run prefix>-ws-<random>/<repo-name>: the repository; mount it at /workspace/<repo-name>. The run
  // prefix (core/run-scope.ts) lets `hgym gc` remove it once this process is dead.
  dir: string;
  name: string; // the repository name (last path component of dir)
  commit: string; // the single commit holding the starting state
  start: AppliedPatch; // the starting state as a RepoView (snapshot + setup patch), from trusted data
  mode: "overlay" | "copy"; // how it was made
  // Why an "auto" workspace is a copy (overlay refused), else null.
  fallback: string | null;
  // Unmounts (overlay) and deletes the workspace and its random parent directory.
  remove(): Promise<void>;
}

// $HGYM_WORKSPACES, else /dev/shm/hgym-workspaces when /dev/shm is a writable directory, else <os tmp>/hgym-workspaces.
// Why memory first: creating thousands of small files is where the time goes, and on a busy disk file system it
// is 5-10x slower than on tmpfs; copy workspaces are deleted after each episode, so RAM use is bounded by
// (concurrent episodes x repository size); overlay workspaces hold only what the episode wrote, plus one shared
// base per instance.
export function defaultWorkspaceRoot(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.HGYM_WORKSPACES;
  if (fromEnv && fromEnv.trim() !== "") return fromEnv;
  try {
    accessSync("/dev/shm", fsConstants.W_OK);
    if (statSync("/dev/shm").isDirectory()) return "/dev/shm/hgym-workspaces";
  } catch {
    // no usable /dev/shm
  }
  return join(tmpdir(), "hgym-workspaces");
}

interface Entry {
  path: string;
  mode: "100644" | "100755" | "120000";
  blob: string | null; // the snapshot blob (sha256) for unchanged files
  text: string | null; // the patched content for files the setup patch changed
}

export async function materializeWorkspace(
  store: SnapshotStore,
  snapshot: Snapshot,
  setupPatch = "",
  opts: MaterializeOptions = {},
): Promise<Workspace> {
  if (parsePatch(setupPatch).some((fp) => fp.binary)) {
    throw new UserError(`the setup patch for ${snapshot.name} changes a binary file, which a workspace cannot be built from; setup patches must be text-only`);
  }
  const start = applyPatch(snapshotView(store, snapshot), setupPatch);
  const root = opts.root ?? defaultWorkspaceRoot(process.env);
  const mode = opts.mode ?? "auto";
  mkdirSync(root, { recursive: true });
  if (mode === "copy") return copyWorkspace(store, snapshot, start, root, null);
  const refused = await overlayUnsupportedReason(root);
  if (refused === null) {
    try {
      return await overlayWorkspace(store, snapshot, setupPatch, start, root, opts.baseCacheBytes ?? defaultBaseCacheBytes(root));
    } catch (err) {
      if (!(err instanceof OverlayRefused) || mode === "overlay") throw overlayError(err, root, mode);
      return copyWorkspace(store, snapshot, start, root, err.message);
    }
  }
  if (mode === "overlay") throw overlayError(new OverlayRefused(refused), root, mode);
  return copyWorkspace(store, snapshot, start, root, refused);
}

// What workspaces of `mode` under `root` will be, found before a run starts (one probe mount, cached): the kind,
// and why not an overlay (null when it is one). "overlay" where none can be mounted is a UserError here, so a
// run stops at once instead of failing every rollout.
export async function resolveWorkspaceMode(root: string, mode: WorkspaceMode): Promise<{ mode: "overlay" | "copy"; reason: string | null }> {
  if (mode === "copy") return { mode: "copy", reason: "--workspace-mode copy" };
  const refused = await overlayUnsupportedReason(root);
  if (refused === null) return { mode: "overlay", reason: null };
  if (mode === "overlay") throw overlayError(new OverlayRefused(refused), root, mode);
  return { mode: "copy", reason: refused };
}

function overlayError(err: unknown, root: string, mode: WorkspaceMode): unknown {
  if (!(err instanceof OverlayRefused) || mode !== "overlay") return err;
  return new UserError(`workspace mode overlay: cannot mount an overlay workspace under ${root}: ${err.message}; use --workspace-mode copy (or auto, which falls back to copies)`);
}

async function copyWorkspace(store: SnapshotStore, snapshot: Snapshot, start: AppliedPatch, root: string, fallback: string | null): Promise<Workspace> {
  const box = await fsp.mkdtemp(join(root, `${runPrefix()}-ws-`));
  const name = safeName(snapshot.name);
  const dir = join(box, name);
  try {
    const commit = await writeStartingState(store, snapshot, start, dir);
    await fsp.writeFile(join(box, SIDECAR), JSON.stringify({ commit, name, snapshot: snapshot.id }));
    return { dir, name, commit, start, mode: "copy", fallback, remove: () => fsp.rm(box, { recursive: true, force: true }) };
  } catch (err) {
    await fsp.rm(box, { recursive: true, force: true });
    throw err;
  }
}

// An overlay of the instance's shared base (overlay-bases.ts): <box>/<name> is the mount point, the episode's
// writes go to <box>/.overlay-upper (its deletions as whiteouts there), so making one costs a few directories and
// one mount whatever the repository's size, and the base is never written (overlayfs never changes a lower
// layer). Names in the box start with a dot so no repository name (safeName) can collide with them.
async function overlayWorkspace(
  store: SnapshotStore,
  snapshot: Snapshot,
  setupPatch: string,
  start: AppliedPatch,
  root: string,
  baseCacheBytes: number,
): Promise<Workspace> {
  const name = safeName(snapshot.name);
  const base = await ensureBase({
    workspaceRoot: root,
    key: baseKey(snapshot.id, setupPatch),
    name,
    snapshot: snapshot.id,
    maxBytes: baseCacheBytes,
    build: (dir) => writeStartingState(store, snapshot, start, dir),
  });
  // Synchronous on purpose: five small system calls, where each trip through libuv's thread pool costs a
  // scheduler wake-up, and on a loaded machine those wake-ups were most of the time.
  const box = mkdtempSync(join(root, `${runPrefix()}-ws-`));
  const dir = join(box, name);
  const upper = join(box, OVERLAY_UPPER);
  const work = join(box, OVERLAY_WORK);
  const untrack = trackMounted(dir, box);
  let mounted = false;
  try {
    for (const d of [dir, upper, work]) mkdirSync(d);
    writeFileSync(join(box, SIDECAR), JSON.stringify({ commit: base.commit, name, snapshot: snapshot.id }));
    await mountOverlay({ lower: base.lowerDir, upper, work, target: dir });
    mounted = true;
  } catch (err) {
    if (mounted) await unmountOverlay(dir).catch(() => undefined);
    untrack();
    await fsp.rm(box, { recursive: true, force: true });
    throw err;
  }
  const remove = async (): Promise<void> => {
    await unmountOverlay(dir);
    untrack();
    await fsp.rm(box, { recursive: true, force: true });
  };
  return { dir, name, commit: base.commit, start, mode: "overlay", fallback: null, remove };
}

// Writes the starting state into `dir` (made here): the files and a .git whose only commit is exactly that state.
// Returns the commit.
async function writeStartingState(store: SnapshotStore, snapshot: Snapshot, start: AppliedPatch, dir: string): Promise<string> {
  const changed = new Set(start.changed);
  const entries: Entry[] = [];
  for (const f of snapshot.files) {
    if (!changed.has(f.path)) entries.push({ path: f.path, mode: modeOf(f), blob: f.blob, text: null });
  }
  for (const path of changed) {
    const text = start.read(path);
    if (text === null) continue; // deleted by the setup patch
    const original = snapshot.files.find((f) => f.path === path);
    const mode = original && original.symlink === undefined && original.executable ? "100755" : "100644";
    entries.push({ path, mode, blob: null, text });
  }

  // Git objects: cached entries for unchanged blobs, fresh ones for patched files, trees and the commit. Only
  // blobs some starting-state file uses are packed, so a replaced original never enters the object store.
  const cached = await snapshotPackEntries(store, snapshot);
  const packEntries: PackEntry[] = [];
  const treeFiles: TreeFile[] = [];
  for (const e of entries) {
    const packed = e.blob !== null ? cached.get(e.blob) : makePackEntry("blob", Buffer.from(e.text ?? "", "utf8"));
    if (!packed) throw new Error(`snapshot ${snapshot.id} has no git object for ${e.path}; the object cache is damaged (delete ${store.root}/gitobjects)`);
    packEntries.push(packed);
    treeFiles.push({ path: e.path, mode: e.mode, oid: packed.oid });
  }
  const { root: rootTree, trees } = buildTrees(treeFiles);
  for (const t of trees) packEntries.push(treeEntry(t.oid, t.content));
  const commitObject = makePackEntry(
    "commit",
    Buffer.from(`tree ${rootTree}\nauthor ${WORKSPACE_AUTHOR} ${COMMIT_DATE}\ncommitter ${WORKSPACE_AUTHOR} ${COMMIT_DATE}\n\n${COMMIT_MESSAGE}`),
  );
  packEntries.push(commitObject);
  const commit = commitObject.oid;

  await writeGitSkeleton(dir);
  const dirs = new Set<string>();
  for (const e of entries) {
    for (let i = e.path.indexOf("/"); i !== -1; i = e.path.indexOf("/", i + 1)) dirs.add(e.path.slice(0, i));
  }
  // mkdir -p tolerates races, so the directories can be made in parallel.
  await Promise.all([...dirs].map((d) => fsp.mkdir(join(dir, d), { recursive: true })));
  const limit = createLimiter(WRITE_CONCURRENCY);
  const writeFile = async (e: Entry): Promise<void> => {
    const dest = join(dir, e.path);
    if (e.text !== null) {
      await fsp.writeFile(dest, e.text, { mode: e.mode === "100755" ? 0o755 : 0o644 });
    } else if (e.mode === "120000") {
      await fsp.symlink(store.readBlob(e.blob as string).toString("utf8"), dest);
    } else {
      // copyFile gives the copy the blob's mode (0644, see SnapshotStore.writeBlob); only executables need more.
      await fsp.copyFile(store.blobPath(e.blob as string), dest, fsConstants.COPYFILE_FICLONE);
      if (e.mode === "100755") await fsp.chmod(dest, 0o755);
    }
  };
  await Promise.all([
    ...entries.map((e) => limit(() => writeFile(e))),
    writePack(join(dir, ".git", "objects"), packEntries),
    fsp.writeFile(join(dir, ".git", "refs", "heads", "main"), `${commit}\n`),
  ]);

  const tree = await runGit(["read-tree", "main"], { cwd: dir, env: isolatedGitEnv() });
  if (tree.code !== 0) throw new Error(`git read-tree failed in ${dir}: ${tree.stderr.trim()}`);
  return commit;
}

// Most trees are the same from one workspace of a snapshot to the next: compress each tree once per process.
const TREE_CACHE_LIMIT = 100_000;
const treeEntries = new Map<string, PackEntry>();
function treeEntry(oid: string, content: Buffer): PackEntry {
  let entry = treeEntries.get(oid);
  if (!entry) {
    if (treeEntries.size >= TREE_CACHE_LIMIT) treeEntries.clear();
    entry = makePackEntry("tree", content);
    treeEntries.set(oid, entry);
  }
  return entry;
}

function modeOf(f: SnapshotFile): Entry["mode"] {
  if (f.symlink !== undefined) return "120000";
  return f.executable ? "100755" : "100644";
}

function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "");
  return cleaned === "" ? "repo" : cleaned;
}

// The files `git init --template=` would write, plus the identity the agent commits with.
async function writeGitSkeleton(dir: string): Promise<void> {
  const git = join(dir, ".git");
  await Promise.all(
    ["objects/pack", "objects/info", "refs/heads", "refs/tags", "info"].map((d) => fsp.mkdir(join(git, d), { recursive: true })),
  );
  const config =
    "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n" +
    "[user]\n\tname = hgym\n\temail = hgym@localhost\n" +
    "[gc]\n\tauto = 0\n";
  await Promise.all([
    fsp.writeFile(join(git, "HEAD"), "ref: refs/heads/main\n"),
    fsp.writeFile(join(git, "config"), config),
    fsp.writeFile(join(git, "info", "attributes"), RAW_ATTRIBUTES),
  ]);
}

// Git must not read the host user's or the system's configuration (hooks paths, templates, autocrlf ...).
export function isolatedGitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LC_ALL: "C" };
  return { ...env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", HOME: "/nonexistent", ...extra };
}

// ---------------------------------------------------------------------------------------------------------------
// Collecting the result

export interface CollectOptions {
  baseCommit?: string; // default: recorded at materialization (outside the repository), else the root commit
  // The trusted starting state (Workspace.start). When given, before-texts come from it rather than from the
  // workspace's git objects, which the agent could have rewritten.
  start?: RepoView;
}

export interface CollectedResult {
  diff: string;
  result: WorkspaceResult;
}

// The agent's changes: everything in the working tree (new, deleted, renamed, binary files included; files the
// repository's .gitignore ignores excluded) against the starting commit, whatever the agent did to the index,
// HEAD or branches. Git runs with a private git directory and index and no user configuration, so nothing the
// agent wrote into .git/config or hooks runs on the host.
export async function collectResult(dir: string, opts: CollectOptions = {}): Promise<CollectedResult> {
  const workspaceGit = join(dir, ".git");
  if (!existsSync(join(workspaceGit, "objects"))) {
    throw new Error(`${dir} is not a workspace: its .git/objects directory is missing (was it deleted during the episode?)`);
  }
  const base = opts.baseCommit ?? (await findBaseCommit(dir));
  const scratch = await fsp.mkdtemp(join(tmpdir(), `${runPrefix()}-collect-`));
  try {
    const gitDir = join(scratch, "git");
    await Promise.all(["objects/info", "refs/heads", "info"].map((d) => fsp.mkdir(join(gitDir, d), { recursive: true })));
    await Promise.all([
      fsp.writeFile(join(gitDir, "HEAD"), `${base}\n`),
      fsp.writeFile(join(gitDir, "config"), "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tquotePath = false\n"),
      fsp.writeFile(join(gitDir, "objects", "info", "alternates"), `${join(workspaceGit, "objects")}\n`),
      fsp.writeFile(join(gitDir, "info", "attributes"), RAW_ATTRIBUTES),
    ]);
    const env = isolatedGitEnv({ GIT_DIR: gitDir, GIT_WORK_TREE: dir, GIT_INDEX_FILE: join(scratch, "index") });
    const git = async (args: string[]): Promise<Buffer> => {
      const r = await runGit(args, { cwd: dir, env });
      if (r.code !== 0) throw new Error(`git ${args[0]} failed while collecting ${dir}: ${r.stderr.trim()}`);
      return r.stdout;
    };
    await git(["read-tree", base]);
    await git(["add", "-A", "--", "."]);
    const diff = (
      await git(["diff", "--cached", "-M", "--binary", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/", base])
    ).toString("utf8");

    const parsed = parsePatch(diff);
    const beforeSpecs: string[] = [];
    const afterSpecs: string[] = [];
    for (const fp of parsed) {
      if (fp.binary) continue;
      if (fp.oldPath !== null && fp.status !== "added" && fp.status !== "copied") beforeSpecs.push(`${base}:${fp.oldPath}`);
      if (fp.newPath !== null) afterSpecs.push(`:${fp.newPath}`);
    }
    const objects = await catFileBatch(gitDir, [...beforeSpecs, ...afterSpecs], env);
    const texts = new Map<string, string>();
    const notUtf8 = new Set<string>(); // specs whose bytes are not UTF-8: handed on as binary, never as lossy text
    [...beforeSpecs, ...afterSpecs].forEach((spec, k) => {
      const content = objects[k]?.content;
      if (!content) return;
      const text = strictUtf8(content);
      if (text === null) notUtf8.add(spec);
      else texts.set(spec, text);
    });

    const baseFiles = opts.start ? null : await loadTree(gitDir, base, env);
    const readBefore = (path: string): string | null => (opts.start ? opts.start.read(path) : (baseFiles?.get(path) ?? null));
    const changes: FileChange[] = parsed.map((fp) => {
      // A file the agent left in bytes that are not UTF-8 cannot be judged as text: decoding it with replacement
      // characters would show the verifiers (and the language front ends) a file that is not the one on disk.
      const binary = fp.binary || (fp.newPath !== null && notUtf8.has(`:${fp.newPath}`));
      const before = binary || fp.oldPath === null || fp.status === "added" || fp.status === "copied" ? null : readBefore(fp.oldPath);
      const after = binary || fp.newPath === null ? null : (texts.get(`:${fp.newPath}`) ?? null);
      const status = fp.status === "copied" ? "added" : fp.status;
      const path = (fp.newPath ?? fp.oldPath) as string;
      return { path, oldPath: status === "renamed" ? fp.oldPath : null, status, binary, before, after, ...(fp.oldMode !== null || fp.newMode !== null ? { oldMode: fp.oldMode, newMode: fp.newMode } : {}) };
    });
    return { diff, result: { changes, readBefore } };
  } finally {
    await fsp.rm(scratch, { recursive: true, force: true });
  }
}

async function findBaseCommit(dir: string): Promise<string> {
  const sidecar = join(dirname(dir), SIDECAR);
  if (existsSync(sidecar)) {
    const data = JSON.parse(readFileSync(sidecar, "utf8")) as { commit?: string };
    if (data.commit) return data.commit;
  }
  const r = await runGit(["rev-list", "--max-parents=0", "HEAD"], { cwd: dir, env: isolatedGitEnv() });
  const roots = r.stdout.toString("utf8").trim().split("\n").filter(Boolean);
  if (r.code !== 0 || roots.length !== 1) {
    throw new Error(`cannot tell the starting commit of ${dir}: pass baseCommit (Workspace.commit) to collectResult`);
  }
  return roots[0] as string;
}

// Every text file of a commit, for readBefore (so the result stays usable after the workspace is deleted).
async function loadTree(gitDir: string, commit: string, env: NodeJS.ProcessEnv): Promise<Map<string, string>> {
  const r = await runGit(["ls-tree", "-r", "-z", commit], { env });
  if (r.code !== 0) throw new Error(`git ls-tree ${commit} failed: ${r.stderr.trim()}`);
  const entries: { oid: string; path: string }[] = [];
  for (const record of r.stdout.toString("utf8").split("\0")) {
    if (record === "") continue;
    const tab = record.indexOf("\t");
    const [mode = "", type = "", oid = ""] = record.slice(0, tab).split(" ");
    if (type === "blob" && mode !== "120000") entries.push({ oid, path: record.slice(tab + 1) });
  }
  const objects = await catFileBatch(gitDir, entries.map((e) => e.oid), env);
  const out = new Map<string, string>();
  entries.forEach((e, k) => {
    const content = objects[k]?.content;
    if (content && !content.subarray(0, 8192).includes(0)) out.set(e.path, content.toString("utf8"));
  });
  return out;
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

// The text of `bytes` when they are valid UTF-8 (a byte-order mark kept as U+FEFF, as the file has it), else null.
function strictUtf8(bytes: Buffer): string | null {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return null;
  }
}
