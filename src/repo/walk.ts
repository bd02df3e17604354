// The file filter shared by directory and git ingestion: which files of a repository become part of a snapshot
// and, for the rest, why not. Nothing skipped is an error; every skip is tallied by reason.
//
// Counting rule: a skipped directory (node_modules/, .git/, a gitignored build/ ...) counts once, under its own
// path with a trailing "/", and is not descended into — for both sources, so a directory and a git tree of the
// same content give the same counts.
//
// Which files of a folder exist for a snapshot is git's answer, never a matcher of our own: for a git working
// tree, the tracked files plus the untracked ones no ignore rule excludes (`git ls-files`); for a plain folder,
// the same listing with the folder as the working tree of an empty repository (see listWorkTree).

import { existsSync } from "node:fs";
import { promises as fsp, type Stats } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname, relative, sep, posix } from "node:path";
import { sha256 } from "../util/hash.js";
import { UserError } from "../core/errors.js";
import { runPrefix } from "../core/run-scope.js";
import { runGit } from "./git.js";
import type { SkipReason, SnapshotFile } from "./types.js";

// Bump when the filter rules change: it is part of every cache key, so old cached results are not reused.
export const WALKER_VERSION = 2; // 2: working trees listed by git itself

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export interface FilterOptions {
  maxFileBytes: number;
  includeVendored: boolean;
}

const VCS_DIRS = new Set([".git", ".hg", ".svn"]);
// Whole path segments only: a substring test would drop `environment/` for containing "env".
const VENDORED_DIRS = new Set([
  "vendor",
  "third_party",
  "third-party",
  "node_modules",
  "site-packages",
  "dist-packages",
  "bower_components",
  ".venv",
  ".tox",
  ".nox",
]);
const GENERATED_NAME = [/_pb2(_grpc)?\.pyi?$/, /\.pb\.go$/, /\.generated\.[^/]+$/, /\.g\.(ts|dart|cs)$/];
const MINIFIED_NAME = /\.min\.(js|mjs|cjs|css)$/;
const MINIFIABLE_EXT = /\.(js|mjs|cjs|css)$/;
const GENERATED_HEADER = /@generated|DO NOT EDIT/;
const HEADER_LINES = 5;
const BINARY_PROBE_BYTES = 8192;
const MAX_AVG_LINE_LENGTH = 500;
const EXAMPLES_PER_REASON = 5;

export function resolveFilterOptions(opts: { maxFileBytes?: number; includeVendored?: boolean } = {}): FilterOptions {
  return { maxFileBytes: opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, includeVendored: opts.includeVendored ?? false };
}

// A Python virtual environment is recognised by its pyvenv.cfg, not by its name: the standard library itself has
// a `venv/` package, and environments are often called `env/` or `.env-py311/`.
export const VIRTUALENV_MARKER = "pyvenv.cfg";

// Skip reason of a directory from its name (and whether it holds a pyvenv.cfg), or null to descend into it.
export function directorySkipReason(name: string, opts: FilterOptions, isVirtualenv = false): SkipReason | null {
  if (VCS_DIRS.has(name)) return "vcs";
  if (!opts.includeVendored && (VENDORED_DIRS.has(name) || isVirtualenv)) return "vendored";
  return null;
}

// Skip reason of a file from its path alone (before reading it), or null.
export function fileNameSkipReason(path: string): SkipReason | null {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (VCS_DIRS.has(name)) return "vcs"; // a `.git` file (worktree or submodule pointer)
  if (GENERATED_NAME.some((re) => re.test(name))) return "generated";
  if (MINIFIED_NAME.test(name)) return "minified";
  return null;
}

// Skip reason of a file from its content, or null when it is a text source file to keep.
export function contentSkipReason(path: string, content: Buffer, opts: FilterOptions): SkipReason | null {
  if (content.length > opts.maxFileBytes) return "too-large";
  const probe = content.subarray(0, BINARY_PROBE_BYTES);
  if (probe.includes(0)) return "binary";
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    return "not-utf8";
  }
  if (GENERATED_HEADER.test(firstLines(text, HEADER_LINES))) return "generated";
  if (MINIFIABLE_EXT.test(path) && text.length > 0) {
    let lines = 1;
    for (let i = text.indexOf("\n"); i !== -1 && i < text.length - 1; i = text.indexOf("\n", i + 1)) lines++;
    if (text.length / lines > MAX_AVG_LINE_LENGTH) return "minified";
  }
  return null;
}

function firstLines(text: string, n: number): string {
  let end = 0;
  for (let i = 0; i < n; i++) {
    const next = text.indexOf("\n", end);
    if (next === -1) return text;
    end = next + 1;
  }
  return text.slice(0, end);
}

// Collects skips by reason with deterministic examples (the smallest paths, whatever order they were found in).
export class SkipTally {
  private readonly paths = new Map<SkipReason, string[]>();

  add(reason: SkipReason, path: string): void {
    let list = this.paths.get(reason);
    if (!list) {
      list = [];
      this.paths.set(reason, list);
    }
    list.push(path);
  }

  counts(): Partial<Record<SkipReason, number>> {
    const out: Partial<Record<SkipReason, number>> = {};
    for (const reason of [...this.paths.keys()].sort()) out[reason] = this.paths.get(reason)?.length ?? 0;
    return out;
  }

  examples(): Partial<Record<SkipReason, string[]>> {
    const out: Partial<Record<SkipReason, string[]>> = {};
    for (const reason of [...this.paths.keys()].sort()) {
      out[reason] = [...(this.paths.get(reason) ?? [])].sort().slice(0, EXAMPLES_PER_REASON);
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Symlinks

export type SymlinkVerdict = { keep: true; target: string } | { keep: false; reason: SkipReason };

// For a symlink at repository path `linkPath` with link text `target`, in a tree where `exists(path)` says
// whether a repository path exists (file or directory). Used for git trees; directories use the file system.
export function classifyTreeSymlink(linkPath: string, target: string, exists: (path: string) => boolean): SymlinkVerdict {
  if (target.startsWith("/")) return { keep: false, reason: "symlink-outside" };
  const joined = posix.normalize(posix.join(posix.dirname(linkPath), target));
  if (joined === ".." || joined.startsWith("../")) return { keep: false, reason: "symlink-outside" };
  if (joined === "." || !exists(joined)) return { keep: false, reason: "symlink-broken" };
  return { keep: true, target };
}

async function classifyDiskSymlink(root: string, absPath: string): Promise<SymlinkVerdict> {
  const target = await fsp.readlink(absPath);
  const lexical = resolve(dirname(absPath), target);
  if (!isInside(root, lexical)) return { keep: false, reason: "symlink-outside" };
  let real: string;
  try {
    real = await fsp.realpath(absPath);
  } catch {
    return { keep: false, reason: "symlink-broken" };
  }
  // The target may itself pass through a link that leaves the repository.
  if (!isInside(root, real)) return { keep: false, reason: "symlink-outside" };
  const rel = relative(dirname(absPath), lexical).split(sep).join("/");
  return { keep: true, target: rel === "" ? "." : rel };
}

function isInside(root: string, abs: string): boolean {
  return abs === root || abs.startsWith(root.endsWith(sep) ? root : root + sep);
}

// ---------------------------------------------------------------------------------------------------------------
// Directory walk

// What is remembered about a file between ingestions of the same directory, keyed by path: when its stat
// signature is unchanged the file is neither read nor hashed again.
export interface StatCacheEntry {
  sig: string; // size:mtimeMs:ctimeMs:ino:mode
  blob?: string;
  skip?: SkipReason;
}

export interface BlobSink {
  has(blob: string): boolean;
  put(blob: string, content: Buffer): Promise<void>;
}

export interface DirectoryWalkResult {
  files: SnapshotFile[]; // sorted by path
  tally: SkipTally;
  statCache: Map<string, StatCacheEntry>; // entries for the files seen in this walk
  filesRead: number; // regular files read (and hashed) in this walk
  filesReused: number; // regular files whose result came from the stat cache without reading them
}

const WALK_CONCURRENCY = 32;

export async function walkDirectory(
  rootInput: string,
  opts: FilterOptions,
  sink: BlobSink,
  previous: ReadonlyMap<string, StatCacheEntry> = new Map(),
): Promise<DirectoryWalkResult> {
  const root = await fsp.realpath(rootInput);
  const files: SnapshotFile[] = [];
  const tally = new SkipTally();
  const statCache = new Map<string, StatCacheEntry>();
  const limit = createLimiter(WALK_CONCURRENCY);
  let filesRead = 0;
  let filesReused = 0;

  const handleFile = async (rel: string, abs: string): Promise<void> => {
    let st: Stats;
    try {
      st = await fsp.lstat(abs);
    } catch (e) {
      // Tracked in git's index but deleted from the working tree: not part of what is on disk.
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw e;
    }
    if (st.isSymbolicLink()) {
      const verdict = await classifyDiskSymlink(root, abs);
      if (!verdict.keep) return tally.add(verdict.reason, rel);
      const data = Buffer.from(verdict.target, "utf8");
      const blob = sha256(data);
      if (!sink.has(blob)) await sink.put(blob, data);
      files.push({ path: rel, size: data.length, blob, executable: false, symlink: verdict.target });
      return;
    }
    if (!st.isFile()) return tally.add("special", rel);
    const nameReason = fileNameSkipReason(rel);
    if (nameReason) return tally.add(nameReason, rel);

    const executable = (st.mode & 0o111) !== 0;
    const sig = `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}:${st.mode}`;
    const cached = previous.get(rel);
    if (cached && cached.sig === sig && (cached.skip || (cached.blob && sink.has(cached.blob)))) {
      statCache.set(rel, cached);
      filesReused++;
      if (cached.skip) return tally.add(cached.skip, rel);
      files.push({ path: rel, size: st.size, blob: cached.blob as string, executable });
      return;
    }
    if (st.size > opts.maxFileBytes) {
      statCache.set(rel, { sig, skip: "too-large" });
      return tally.add("too-large", rel);
    }
    const content = await fsp.readFile(abs);
    filesRead++;
    const reason = contentSkipReason(rel, content, opts);
    if (reason) {
      statCache.set(rel, { sig, skip: reason });
      return tally.add(reason, rel);
    }
    const blob = sha256(content);
    if (!sink.has(blob)) await sink.put(blob, content);
    statCache.set(rel, { sig, blob });
    files.push({ path: rel, size: content.length, blob, executable });
  };

  // The directory's name-based skips (node_modules/, .git/, a virtualenv ...) win over everything git says, as
  // they do for a git tree: the outermost such directory is counted once and nothing below it is looked at.
  const dirReasons = new Map<string, SkipReason | null>();
  const dirReason = (relDir: string): SkipReason | null => {
    let r = dirReasons.get(relDir);
    if (r === undefined) {
      const name = relDir.slice(relDir.lastIndexOf("/") + 1);
      r = directorySkipReason(name, opts, existsSync(join(root, relDir, VIRTUALENV_MARKER)));
      dirReasons.set(relDir, r);
    }
    return r;
  };
  const skippedDirOf = (rel: string, includeSelf: boolean): { dir: string; reason: SkipReason } | null => {
    const parts = rel.split("/");
    const last = includeSelf ? parts.length : parts.length - 1;
    for (let i = 1; i <= last; i++) {
      const dir = parts.slice(0, i).join("/");
      const reason = dirReason(dir);
      if (reason) return { dir: `${dir}/`, reason };
    }
    return null;
  };
  const countedDirs = new Set<string>();
  const skipUnder = (hit: { dir: string; reason: SkipReason }): void => {
    if (countedDirs.has(hit.dir)) return;
    countedDirs.add(hit.dir);
    tally.add(hit.reason, hit.dir);
  };

  // One git working tree (the root, or a repository nested in it): what git lists is what is walked.
  const walkTree = async (prefix: string): Promise<void> => {
    const absDir = prefix === "" ? root : join(root, prefix);
    const listing = await listWorkTree(absDir);
    if (listing.vcs) tally.add("vcs", prefix + listing.vcs);
    const seen = new Set<string>();
    const tasks: Promise<void>[] = [];
    for (const entry of listing.ignored) {
      const rel = prefix + entry;
      seen.add(rel.replace(/\/$/, ""));
      const hit = skippedDirOf(rel.replace(/\/$/, ""), entry.endsWith("/"));
      if (hit) skipUnder(hit);
      else tally.add("gitignored", rel);
    }
    const dirs = new Set<string>([prefix.replace(/\/$/, "")]);
    for (const entry of listing.kept) {
      const isDir = entry.endsWith("/");
      const rel = prefix + (isDir ? entry.slice(0, -1) : entry);
      seen.add(rel);
      const hit = skippedDirOf(rel, isDir);
      if (hit) {
        skipUnder(hit);
        continue;
      }
      for (let i = rel.lastIndexOf("/"); i > 0; i = rel.lastIndexOf("/", i - 1)) {
        if (dirs.has(rel.slice(0, i))) break;
        dirs.add(rel.slice(0, i));
      }
      // A repository inside the tree (listed as `dir/`) or a checked-out submodule: git's answer for its files
      // comes from that repository itself.
      if (isDir || (await isWorkTreeRoot(join(root, rel)))) tasks.push(walkTree(`${rel}/`));
      else tasks.push(limit(() => handleFile(rel, join(root, rel))));
    }
    // Git lists regular files and symlinks only; FIFOs, sockets and devices are counted from the folders.
    for (const dir of dirs) {
      tasks.push(
        limit(async () => {
          const entries = await fsp.readdir(dir === "" ? root : join(root, dir), { withFileTypes: true });
          for (const e of entries) {
            const rel = dir === "" ? e.name : `${dir}/${e.name}`;
            if (seen.has(rel) || e.isFile() || e.isDirectory() || e.isSymbolicLink()) continue;
            tally.add("special", rel);
          }
        }),
      );
    }
    await Promise.all(tasks);
  };

  await walkTree("");
  files.sort((a, b) => comparePaths(a.path, b.path));
  return { files, tally, statCache, filesRead, filesReused };
}

// What git says about a folder's files: `kept` are tracked files plus untracked files no ignore rule excludes
// (`dir/` for a repository nested inside), `ignored` the untracked files and whole folders excluded by
// .gitignore files and .git/info/exclude. A folder that is the top of a git working tree is asked directly, so
// tracked files are kept whatever .gitignore says (git never ignores a tracked file); any other folder is
// listed as the working tree of an empty repository, so its .gitignore files apply exactly as git applies them.
// The user's global excludes file is not read: a snapshot must not depend on who takes it.
export interface WorkTreeListing {
  kept: string[];
  ignored: string[];
  vcs: string | null; // ".git/" or ".git" (a worktree or submodule pointer file) when the folder has one
}

export async function listWorkTree(dir: string): Promise<WorkTreeListing> {
  const gitEntry = await fsp.lstat(join(dir, ".git")).catch(() => null);
  const vcs = gitEntry ? (gitEntry.isDirectory() ? ".git/" : ".git") : null;
  const isTop = gitEntry !== null && (await isWorkTreeRoot(dir));
  let emptyRepo: string | null = null;
  try {
    let base: string[];
    if (isTop) base = ["-C", dir];
    else {
      emptyRepo = await fsp.mkdtemp(join(tmpdir(), `${runPrefix()}-walk-`));
      const init = await runGit(["init", "--bare", "--quiet", emptyRepo]);
      if (init.code !== 0) throw new Error(`git init --bare failed: ${init.stderr.trim()}`);
      base = ["--git-dir", emptyRepo, "--work-tree", dir, "-C", dir];
    }
    const run = async (args: string[]): Promise<string[]> => {
      const r = await runGit([...SAFE_GIT_CONFIG, ...base, "ls-files", "-z", ...args]);
      if (r.code !== 0) throw new UserError(`git could not list the files of ${dir}: ${r.stderr.trim().split("\n").pop() ?? `exit ${r.code}`}; check the repository (git status)`);
      return r.stdout.toString("utf8").split("\0").filter((p) => p !== "");
    };
    const [kept, listedIgnored] = await Promise.all([
      run(isTop ? ["--cached", "--others", "--exclude-standard"] : ["--others", "--exclude-standard"]),
      run(["--others", "--ignored", "--exclude-standard", "--directory"]),
    ]);
    // With --directory git also lists an untracked folder that is not ignored itself but holds only ignored
    // files (and then lists those files too); only folders an ignore rule matches are counted as a whole.
    const dirs = listedIgnored.filter((p) => p.endsWith("/"));
    let ignoredDirs = new Set<string>();
    if (dirs.length > 0) {
      const r = await runGit([...SAFE_GIT_CONFIG, ...base, "check-ignore", "--stdin", "-z"], { input: dirs.join("\0") + "\0" });
      if (r.code > 1) throw new UserError(`git could not check the ignore rules of ${dir}: ${r.stderr.trim().split("\n").pop() ?? `exit ${r.code}`}`);
      ignoredDirs = new Set(r.stdout.toString("utf8").split("\0").map((p) => (p.endsWith("/") ? p : `${p}/`)));
    }
    const ignored = listedIgnored.filter((p) => !p.endsWith("/") || ignoredDirs.has(p));
    return { kept: [...new Set(kept)], ignored, vcs };
  } finally {
    if (emptyRepo) await fsp.rm(emptyRepo, { recursive: true, force: true });
  }
}

// Settings for every git call on a user's folder: no global excludes (see above), no fsmonitor hook or other
// program the repository's own config could start, and the folder trusted even when another user owns it
// (root ingesting someone's checkout); git only reads here.
const SAFE_GIT_CONFIG = ["-c", "core.excludesFile=/dev/null", "-c", "core.fsmonitor=false", "-c", "safe.directory=*", "-c", "core.quotePath=false"];

async function isWorkTreeRoot(dir: string): Promise<boolean> {
  if (!existsSync(join(dir, ".git"))) return false;
  const r = await runGit([...SAFE_GIT_CONFIG, "-C", dir, "rev-parse", "--show-toplevel"]);
  if (r.code !== 0) return false;
  const top = r.stdout.toString("utf8").trim();
  return top !== "" && (await fsp.realpath(top).catch(() => top)) === (await fsp.realpath(dir).catch(() => dir));
}

// Code-unit order, the same on every machine (localeCompare is not).
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Runs at most `n` of the given async jobs at once.
export function createLimiter(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  const next = (): void => {
    running--;
    queue.shift()?.();
  };
  return <T>(job: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolvePromise, reject) => {
      const run = (): void => {
        running++;
        job().then(resolvePromise, reject).finally(next);
      };
      if (running < n) run();
      else queue.push(run);
    });
}
