// The file filter shared by directory and git ingestion: which files of a repository become part of a snapshot
// and, for the rest, why not. Nothing skipped is an error; every skip is tallied by reason.
//
// Counting rule: a skipped directory (node_modules/, .git/, a gitignored build/ ...) counts once, under its own
// path with a trailing "/", and is not descended into — for both sources, so a directory and a git tree of the
// same content give the same counts.

import { existsSync } from "node:fs";
import { promises as fsp, type Dirent, type Stats } from "node:fs";
import { join, resolve, dirname, relative, sep, posix } from "node:path";
import { sha256 } from "../util/hash.js";
import { IgnoreRules, isIgnored, type IgnoreScope } from "./gitignore.js";
import type { SkipReason, SnapshotFile } from "./types.js";

// Bump when the filter rules change: it is part of every cache key, so old cached results are not reused.
export const WALKER_VERSION = 1;

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

  const rootScopes: IgnoreScope[] = [];
  // The repository's own exclude file applies like a root .gitignore with lower precedence.
  const exclude = await readIfExists(join(root, ".git", "info", "exclude"));
  if (exclude !== null) rootScopes.push({ base: "", rules: new IgnoreRules(exclude) });

  const handleFile = async (rel: string, abs: string, dirent: Dirent): Promise<void> => {
    if (dirent.isSymbolicLink()) {
      const verdict = await classifyDiskSymlink(root, abs);
      if (!verdict.keep) return tally.add(verdict.reason, rel);
      const data = Buffer.from(verdict.target, "utf8");
      const blob = sha256(data);
      if (!sink.has(blob)) await sink.put(blob, data);
      files.push({ path: rel, size: data.length, blob, executable: false, symlink: verdict.target });
      return;
    }
    if (!dirent.isFile()) return tally.add("special", rel);
    const nameReason = fileNameSkipReason(rel);
    if (nameReason) return tally.add(nameReason, rel);

    const st: Stats = await fsp.lstat(abs);
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

  const walkDir = async (relDir: string, scopes: IgnoreScope[]): Promise<void> => {
    const absDir = relDir === "" ? root : join(root, relDir);
    const entries = await limit(() => fsp.readdir(absDir, { withFileTypes: true }));
    let active = scopes;
    if (entries.some((e) => e.name === ".gitignore" && e.isFile())) {
      const text = await limit(() => fsp.readFile(join(absDir, ".gitignore"), "utf8"));
      const rules = new IgnoreRules(text);
      if (rules.size > 0) active = [...scopes, { base: relDir, rules }];
    }
    const tasks: Promise<void>[] = [];
    for (const dirent of entries) {
      const rel = relDir === "" ? dirent.name : `${relDir}/${dirent.name}`;
      const abs = join(absDir, dirent.name);
      if (dirent.isDirectory()) {
        const reason = directorySkipReason(dirent.name, opts, existsSync(join(abs, VIRTUALENV_MARKER)));
        if (reason) {
          tally.add(reason, `${rel}/`);
          continue;
        }
        if (isIgnored(active, rel, true)) {
          tally.add("gitignored", `${rel}/`);
          continue;
        }
        tasks.push(walkDir(rel, active));
        continue;
      }
      if (isIgnored(active, rel, false)) {
        tally.add("gitignored", rel);
        continue;
      }
      tasks.push(limit(() => handleFile(rel, abs, dirent)));
    }
    await Promise.all(tasks);
  };

  await walkDir("", rootScopes);
  files.sort((a, b) => comparePaths(a.path, b.path));
  return { files, tally, statCache, filesRead, filesReused };
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await fsp.readFile(path, "utf8");
  } catch {
    return null;
  }
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
