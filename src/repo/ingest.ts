// Turning what the user typed into a snapshot: a local directory (its working tree, .gitignore respected), a
// local git repository at a revision (`path@rev`, read from git objects — the user's checkout is never touched),
// or a git URL with an optional `@rev` (cloned bare into the store's clones/ cache, fetched when the rev is new).

import { existsSync, statSync, realpathSync, promises as fsp } from "node:fs";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { sha256 } from "../util/hash.js";
import { UserError } from "../core/errors.js";
import { runPrefix } from "../core/run-scope.js";
import type { IngestOptions, SkipReason, Snapshot, SnapshotFile, SnapshotSource } from "./types.js";
import type { SnapshotSink } from "./snapshot-sink.js";
import { catFileBatch, gitText, quietGitEnv, runGit } from "./git.js";
import {
  SkipTally,
  WALKER_VERSION,
  classifyTreeSymlink,
  comparePaths,
  contentSkipReason,
  directorySkipReason,
  VIRTUALENV_MARKER,
  fileNameSkipReason,
  resolveFilterOptions,
  walkDirectory,
  type FilterOptions,
} from "./walk.js";

export interface ParsedInput {
  kind: "local" | "url";
  location: string; // local path (as given, not yet resolved) or URL, without the revision
  rev: string | null;
}

const URL_SCHEME = /^(https?|ssh|git|file):\/\//i;
const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:/; // git@github.com:owner/repo.git

// Splits "location@rev". For URLs only an `@` inside the path part counts (the one in `git@host:` or
// `https://user@host/` is part of the address); the last one wins so branch names like "feature@2" are not
// supported but paths with a user name are.
export function parseInput(input: string): ParsedInput {
  const trimmed = input.trim();
  if (trimmed === "") throw new UserError("no repository given: pass a directory, path@rev, or a git URL[@rev]");
  let pathStart = -1;
  if (URL_SCHEME.test(trimmed)) {
    const afterScheme = trimmed.indexOf("://") + 3;
    if (/^file:/i.test(trimmed)) pathStart = afterScheme;
    else {
      const slash = trimmed.indexOf("/", afterScheme);
      pathStart = slash === -1 ? trimmed.length : slash;
    }
  } else if (SCP_LIKE.test(trimmed)) {
    pathStart = trimmed.indexOf(":") + 1;
  }
  if (pathStart >= 0) {
    const at = trimmed.lastIndexOf("@");
    if (at >= pathStart) {
      const rev = trimmed.slice(at + 1);
      if (rev === "") throw new UserError(`empty revision after "@" in ${input}: write URL@<branch|tag|commit>, or leave out the "@"`);
      return { kind: "url", location: trimmed.slice(0, at), rev };
    }
    return { kind: "url", location: trimmed, rev: null };
  }
  // A local path that exists as typed wins, even when it contains "@".
  if (existsSync(trimmed)) return { kind: "local", location: trimmed, rev: null };
  const at = trimmed.lastIndexOf("@");
  if (at > 0) {
    const rev = trimmed.slice(at + 1);
    if (rev === "") throw new UserError(`empty revision after "@" in ${input}: write path@<branch|tag|commit>, or leave out the "@"`);
    return { kind: "local", location: trimmed.slice(0, at), rev };
  }
  return { kind: "local", location: trimmed, rev: null };
}

export async function ingestInput(store: SnapshotSink, input: string, opts: IngestOptions = {}): Promise<Snapshot> {
  const filter = resolveFilterOptions(opts);
  const parsed = parseInput(input);
  if (parsed.kind === "url") return ingestGitUrl(store, input, parsed, filter);

  const abs = resolve(parsed.location);
  if (!existsSync(abs)) {
    throw new UserError(`repository path does not exist: ${parsed.location} (from "${input}"); check the path`);
  }
  if (!statSync(abs).isDirectory()) {
    throw new UserError(`repository path is not a directory: ${parsed.location} (from "${input}"); give the repository's root directory`);
  }
  if (parsed.rev === null) return ingestDirectory(store, input, abs, filter);
  return ingestGitLocal(store, input, abs, parsed.rev, filter);
}

function optionsKey(filter: FilterOptions): string {
  return `walker=${WALKER_VERSION} max=${filter.maxFileBytes} vendored=${filter.includeVendored}`;
}

// A repository name safe for paths and never containing a commit.
export function repoNameFrom(location: string): string {
  const cleaned = location.replace(/[/\\]+$/, "").replace(/\.git$/, "");
  const last = cleaned.split(/[/\\:]/).pop() ?? "";
  const safe = last.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "");
  return safe === "" ? "repo" : safe;
}

// ---------------------------------------------------------------------------------------------------------------
// Plain directory

async function ingestDirectory(store: SnapshotSink, input: string, abs: string, filter: FilterOptions): Promise<Snapshot> {
  const location = realpathSync(abs);
  const cacheKey = `dir\u0000${location}\u0000${optionsKey(filter)}`;
  const previous = store.loadStatCache(cacheKey);
  const walked = await walkDirectory(location, filter, {
    has: (blob) => store.hasBlob(blob),
    put: (blob, content) => store.writeBlob(blob, content),
  }, previous);
  store.stats.filesRead += walked.filesRead;
  store.stats.filesReused += walked.filesReused;
  store.saveStatCache(cacheKey, walked.statCache);
  return store.saveSnapshot({
    name: repoNameFrom(location),
    source: { kind: "dir", input, location, rev: null },
    commit: null,
    files: walked.files,
    skipped: walked.tally.counts(),
    skippedExamples: walked.tally.examples(),
    options: filter,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Local git repository at a revision

async function ingestGitLocal(store: SnapshotSink, input: string, abs: string, rev: string, filter: FilterOptions): Promise<Snapshot> {
  const probe = await runGit(["rev-parse", "--is-bare-repository", "--absolute-git-dir"], { cwd: abs });
  if (probe.code !== 0) {
    throw new UserError(
      `${abs} is not a git repository, so revision "${rev}" cannot be read (from "${input}"); give the directory without "@${rev}" to ingest its files as they are, or the path of a git repository`,
    );
  }
  const [bareFlag = "", gitDir = ""] = probe.stdout.toString("utf8").trim().split("\n");
  let location = realpathSync(abs);
  if (bareFlag !== "true") {
    const top = (await gitText(["rev-parse", "--show-toplevel"], { cwd: abs })).trim();
    const realTop = realpathSync(top);
    if (realTop !== location && realpathSync(gitDir) !== location) {
      throw new UserError(
        `${abs} is not the root of a git repository (it lies inside ${realTop}), so "${rev}" cannot be read from it (from "${input}"); give ${realTop}@${rev}, or the directory without "@${rev}"`,
      );
    }
    location = realTop;
  }
  const commit = await resolveCommit(gitDir, rev);
  if (commit === null) {
    throw new UserError(`unknown revision "${rev}" in git repository ${location} (from "${input}"); check the branch, tag or commit name (git log / git tag list them)`);
  }
  const source: SnapshotSource = { kind: "git-local", input, location, rev };
  return snapshotFromGit(store, gitDir, commit, source, repoNameFrom(location), filter);
}

async function resolveCommit(gitDir: string, rev: string): Promise<string | null> {
  if (rev.startsWith("-")) return null; // would be read as an option
  const r = await runGit(["--git-dir", gitDir, "rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  const out = r.stdout.toString("utf8").trim();
  return r.code === 0 && /^[0-9a-f]{40,64}$/.test(out) ? out : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Git URL

const CLONE_TIMEOUT_MS = 30 * 60 * 1000;
const FULL_SHA = /^[0-9a-f]{40}$/;

async function ingestGitUrl(store: SnapshotSink, input: string, parsed: ParsedInput, filter: FilterOptions): Promise<Snapshot> {
  const url = parsed.location;
  const name = repoNameFrom(url);
  const cloneDir = join(store.clonesDir, `${sha256(url).slice(0, 16)}-${name}.git`);
  let fresh = false;
  if (!existsSync(join(cloneDir, "HEAD"))) {
    await cloneBare(url, cloneDir, store.tmpDir, input);
    fresh = true;
  }
  let commit: string | null = null;
  const rev = parsed.rev;
  if (rev !== null && FULL_SHA.test(rev)) commit = await resolveCommit(cloneDir, rev);
  if (commit === null && !fresh) {
    // A branch or tag name may have moved, and a commit may be new: ask the remote (falls back to what the
    // cache has when the remote cannot be reached).
    const fetched = await runGit(["--git-dir", cloneDir, "fetch", "--quiet", "--no-tags", "origin", rev ?? "HEAD"], {
      timeoutMs: CLONE_TIMEOUT_MS,
    });
    if (fetched.code === 0) commit = await resolveCommit(cloneDir, "FETCH_HEAD");
  }
  if (commit === null) commit = await resolveCommit(cloneDir, rev ?? "HEAD");
  if (commit === null && rev !== null && fresh) {
    // Not among the cloned branches and tags: perhaps a commit only reachable by id.
    const fetched = await runGit(["--git-dir", cloneDir, "fetch", "--quiet", "--no-tags", "origin", rev], {
      timeoutMs: CLONE_TIMEOUT_MS,
    });
    if (fetched.code === 0) commit = await resolveCommit(cloneDir, "FETCH_HEAD");
  }
  if (commit === null) {
    throw new UserError(
      rev === null
        ? `the repository ${url} has no commits to read (from "${input}")`
        : `unknown revision "${rev}" in ${url} (from "${input}"); check the branch, tag or commit name`,
    );
  }
  const source: SnapshotSource = { kind: "git-url", input, location: url, rev };
  return snapshotFromGit(store, cloneDir, commit, source, name, filter);
}

async function cloneBare(url: string, dest: string, tmpRoot: string, input: string): Promise<void> {
  // Clone next to the cache and rename into place, so a failed or concurrent clone never leaves a half clone.
  // Named under the run prefix, so `hgym gc` removes the half clone of a killed run.
  const tmp = join(tmpRoot, `${runPrefix()}-clone-${randomBytes(6).toString("hex")}`);
  const r = await runGit(["clone", "--bare", "--quiet", "--", url, tmp], {
    timeoutMs: CLONE_TIMEOUT_MS,
    env: quietGitEnv({ GIT_HTTP_LOW_SPEED_LIMIT: "1000", GIT_HTTP_LOW_SPEED_TIME: "60" }),
  });
  if (r.code !== 0) {
    await fsp.rm(tmp, { recursive: true, force: true });
    const reason = r.stderr.trim().split("\n").filter((l) => l.trim() !== "").pop() ?? `exit ${r.code}`;
    throw new UserError(`could not clone ${url} (from "${input}"): ${reason}; check the URL and that the repository is reachable from this machine`);
  }
  try {
    await fsp.rename(tmp, dest);
  } catch {
    // Another process finished the same clone first; use theirs.
    await fsp.rm(tmp, { recursive: true, force: true });
    if (!existsSync(join(dest, "HEAD"))) throw new UserError(`could not place the clone of ${url} in ${dest}; check that the store is writable`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Git tree -> snapshot

interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  size: number; // -1 when git gives none (submodules)
  path: string;
}

async function snapshotFromGit(
  store: SnapshotSink,
  gitDir: string,
  commit: string,
  source: SnapshotSource,
  name: string,
  filter: FilterOptions,
): Promise<Snapshot> {
  const refKey = `git\u0000${source.location}\u0000${commit}\u0000${optionsKey(filter)}`;
  const cachedId = store.lookupRef(refKey);
  if (cachedId !== null) {
    const cached = store.get(cachedId);
    store.stats.gitCacheHits++;
    return store.saveSnapshot({ ...cached, name, source, commit, options: filter });
  }

  const listing = await runGit(["--git-dir", gitDir, "ls-tree", "-r", "-z", "-l", "--full-tree", commit]);
  if (listing.code !== 0) throw new Error(`git ls-tree failed for ${commit} in ${gitDir}: ${listing.stderr.trim()}`);
  const entries = parseLsTree(listing.stdout);

  const tally = new SkipTally();
  const skippedDirs = new Set<string>();
  const existing = new Set<string>();
  for (const e of entries) {
    existing.add(e.path);
    for (let i = e.path.indexOf("/"); i !== -1; i = e.path.indexOf("/", i + 1)) existing.add(e.path.slice(0, i));
  }

  // Directories holding a committed virtual environment (recognised by its pyvenv.cfg, never by name).
  const virtualenvs = new Set(
    entries.filter((e) => e.path.endsWith(`/${VIRTUALENV_MARKER}`)).map((e) => e.path.slice(0, -VIRTUALENV_MARKER.length - 1)),
  );
  const toRead: TreeEntry[] = [];
  for (const e of entries) {
    const dirReason = skippedDirectoryOf(e.path, filter, virtualenvs);
    if (dirReason) {
      if (!skippedDirs.has(dirReason.dir)) {
        skippedDirs.add(dirReason.dir);
        tally.add(dirReason.reason, dirReason.dir);
      }
      continue;
    }
    if (e.type !== "blob") {
      tally.add("special", e.path); // submodule (gitlink)
      continue;
    }
    if (e.mode !== "120000") {
      const nameReason = fileNameSkipReason(e.path);
      if (nameReason) {
        tally.add(nameReason, e.path);
        continue;
      }
      if (e.size > filter.maxFileBytes) {
        tally.add("too-large", e.path);
        continue;
      }
    }
    toRead.push(e);
  }

  const uniqueOids = [...new Set(toRead.map((e) => e.oid))];
  const objects = await catFileBatch(gitDir, uniqueOids);
  const contentByOid = new Map<string, Buffer>();
  for (const o of objects) if (o.content) contentByOid.set(o.oid, o.content);

  const files: SnapshotFile[] = [];
  const written = new Map<string, string>(); // oid -> sha256, so shared blobs are hashed once
  for (const e of toRead) {
    const content = contentByOid.get(e.oid);
    if (!content) throw new Error(`git object ${e.oid} (${e.path}) is missing from ${gitDir}`);
    if (e.mode === "120000") {
      const verdict = classifyTreeSymlink(e.path, content.toString("utf8"), (p) => existing.has(p));
      if (!verdict.keep) {
        tally.add(verdict.reason, e.path);
        continue;
      }
    } else {
      const reason = contentSkipReason(e.path, content, filter);
      if (reason) {
        tally.add(reason, e.path);
        continue;
      }
    }
    let blob = written.get(e.oid);
    if (blob === undefined) {
      blob = sha256(content);
      await store.writeBlob(blob, content);
      written.set(e.oid, blob);
    }
    const file: SnapshotFile = { path: e.path, size: content.length, blob, executable: e.mode === "100755" };
    if (e.mode === "120000") file.symlink = content.toString("utf8");
    files.push(file);
  }
  files.sort((a, b) => comparePaths(a.path, b.path));

  const snapshot = store.saveSnapshot({
    name,
    source,
    commit,
    files,
    skipped: tally.counts(),
    skippedExamples: tally.examples(),
    options: filter,
  });
  store.saveRef(refKey, snapshot.id);
  return snapshot;
}

// The outermost directory of `path` that the filter skips by name (node_modules/, .git/ ...), if any.
function skippedDirectoryOf(path: string, filter: FilterOptions, virtualenvs: Set<string>): { dir: string; reason: SkipReason } | null {
  const parts = path.split("/");
  for (let i = 0; i < parts.length - 1; i++) {
    const reason = directorySkipReason(parts[i] as string, filter, virtualenvs.has(parts.slice(0, i + 1).join("/")));
    if (reason) return { dir: `${parts.slice(0, i + 1).join("/")}/`, reason };
  }
  return null;
}

function parseLsTree(out: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let pos = 0;
  while (pos < out.length) {
    const end = out.indexOf(0, pos);
    const record = out.subarray(pos, end === -1 ? out.length : end).toString("utf8");
    pos = end === -1 ? out.length : end + 1;
    if (record === "") continue;
    const tab = record.indexOf("\t");
    const [mode = "", type = "", oid = "", sizeText = "-"] = record.slice(0, tab).split(/ +/);
    entries.push({ mode, type, oid, size: sizeText === "-" ? -1 : Number(sizeText), path: record.slice(tab + 1) });
  }
  return entries;
}
