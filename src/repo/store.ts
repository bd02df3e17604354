// The content-addressed snapshot store. Layout under the root (default ~/.cache/hybrid-gym, or $HGYM_CACHE):
//   blobs/<sha[0:2]>/<sha>    file contents, written atomically (temp file + rename)
//   snapshots/<id>.json       Snapshot manifests
//   refs/<key>.json           (source location, resolved commit, options) -> snapshot id, so a git revision
//                             ingested before is returned without walking it again
//   statcache/<key>.json      per-directory (path -> size/mtime/ctime/inode/mode -> blob) cache, so re-ingesting a
//                             plain directory re-walks it but does not re-read or re-hash unchanged files
//   clones/                   bare clones of git URLs

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, promises as fsp } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { sha256 } from "../util/hash.js";
import { UserError } from "../core/errors.js";
import type { IngestOptions, Snapshot, SnapshotFile } from "./types.js";
import type { RepoView } from "../core/repo-view.js";
import type { FilterOptions, StatCacheEntry } from "./walk.js";
import { ingestInput } from "./ingest.js";
import type { NewSnapshot, SnapshotSink } from "./snapshot-sink.js";

export function defaultStoreRoot(): string {
  const fromEnv = process.env.HGYM_CACHE;
  if (fromEnv && fromEnv.trim() !== "") return fromEnv;
  return join(homedir(), ".cache", "hybrid-gym");
}

export function fileMode(file: SnapshotFile): string {
  if (file.symlink !== undefined) return "120000";
  return file.executable ? "100755" : "100644";
}

// The snapshot id: a hash of the sorted (path, blob, mode) list and the options that decide what was kept.
export function snapshotId(files: readonly SnapshotFile[], opts: FilterOptions): string {
  const lines = [`hgym-snapshot/1 maxFileBytes=${opts.maxFileBytes} includeVendored=${opts.includeVendored}`];
  for (const f of files) lines.push(`${fileMode(f)} ${f.blob} ${JSON.stringify(f.path)}`);
  return sha256(lines.join("\n") + "\n");
}

const MAX_SYMLINK_HOPS = 16;

export class SnapshotStore implements SnapshotSink {
  readonly root: string;
  // Running totals for this store object, for progress messages and for checking that the stat cache works.
  readonly stats = { filesRead: 0, filesReused: 0, gitCacheHits: 0 };
  private readonly knownBlobs = new Set<string>();
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly fileIndexes = new WeakMap<Snapshot, Map<string, SnapshotFile>>();

  constructor(root: string = defaultStoreRoot()) {
    this.root = root;
    for (const dir of ["blobs", "snapshots", "refs", "statcache", "clones", "tmp"]) {
      mkdirSync(join(root, dir), { recursive: true });
    }
  }

  get clonesDir(): string {
    return join(this.root, "clones");
  }

  // A scratch directory on the same file system as the store, so renames out of it are atomic.
  get tmpDir(): string {
    return join(this.root, "tmp");
  }

  ingest(input: string, opts: IngestOptions = {}): Promise<Snapshot> {
    return ingestInput(this, input, opts);
  }

  // ---- blobs

  blobPath(blob: string): string {
    return join(this.root, "blobs", blob.slice(0, 2), blob);
  }

  hasBlob(blob: string): boolean {
    if (this.knownBlobs.has(blob)) return true;
    if (existsSync(this.blobPath(blob))) {
      this.knownBlobs.add(blob);
      return true;
    }
    return false;
  }

  // Writes `content` under its sha256 `blob` unless present. Atomic: readers never see a partial blob.
  async writeBlob(blob: string, content: Buffer): Promise<void> {
    if (this.hasBlob(blob)) return;
    const dest = this.blobPath(blob);
    await fsp.mkdir(join(this.root, "blobs", blob.slice(0, 2)), { recursive: true });
    const tmp = `${dest}.${randomBytes(6).toString("hex")}.tmp`;
    // Mode 0644 explicitly: workspaces copy blobs with copyFile, which keeps this mode.
    await fsp.writeFile(tmp, content, { mode: 0o644 });
    await fsp.rename(tmp, dest);
    this.knownBlobs.add(blob);
  }

  async putBlob(content: Buffer): Promise<string> {
    const blob = sha256(content);
    await this.writeBlob(blob, content);
    return blob;
  }

  readBlob(blob: string): Buffer {
    return readFileSync(this.blobPath(blob));
  }

  // ---- snapshots

  // Records a snapshot. The manifest of an id that exists is kept (with its createdAt) unless the name, source,
  // commit or skip counts differ, in which case the newest ingestion's are recorded (createdAt stays).
  saveSnapshot(input: NewSnapshot): Snapshot {
    const id = snapshotId(input.files, input.options);
    const existing = this.tryGet(id);
    const snapshot: Snapshot = {
      id,
      name: input.name,
      source: input.source,
      commit: input.commit,
      files: input.files,
      skipped: input.skipped,
      skippedExamples: input.skippedExamples,
      createdAt: existing?.createdAt ?? new Date().toISOString(),
    };
    const same =
      existing &&
      existing.name === snapshot.name &&
      existing.commit === snapshot.commit &&
      JSON.stringify(existing.source) === JSON.stringify(snapshot.source) &&
      JSON.stringify(existing.skipped) === JSON.stringify(snapshot.skipped);
    if (same) return existing;
    this.writeJsonAtomic(join(this.root, "snapshots", `${id}.json`), snapshot);
    this.snapshots.set(id, snapshot);
    return snapshot;
  }

  has(id: string): boolean {
    return this.tryGet(id) !== null;
  }

  get(id: string): Snapshot {
    const snapshot = this.tryGet(id);
    if (!snapshot) {
      throw new UserError(
        `snapshot ${id} is not in the store at ${this.root}; ingest the repository again (or point HGYM_CACHE at the store that has it)`,
      );
    }
    return snapshot;
  }

  private tryGet(id: string): Snapshot | null {
    if (!/^[0-9a-f]{64}$/.test(id)) return null;
    const cached = this.snapshots.get(id);
    if (cached) return cached;
    const file = join(this.root, "snapshots", `${id}.json`);
    if (!existsSync(file)) return null;
    const snapshot = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
    this.snapshots.set(id, snapshot);
    return snapshot;
  }

  fileEntry(snapshot: Snapshot, path: string): SnapshotFile | null {
    let index = this.fileIndexes.get(snapshot);
    if (!index) {
      index = new Map(snapshot.files.map((f) => [f.path, f]));
      this.fileIndexes.set(snapshot, index);
    }
    return index.get(path) ?? null;
  }

  // Content of a file; a symlink is followed to the file it names inside the snapshot. Null when absent.
  readBuffer(snapshot: Snapshot, path: string): Buffer | null {
    let current = path;
    for (let hop = 0; hop <= MAX_SYMLINK_HOPS; hop++) {
      const entry = this.fileEntry(snapshot, current);
      if (!entry) return null;
      if (entry.symlink === undefined) return this.readBlob(entry.blob);
      const dir = current.includes("/") ? current.slice(0, current.lastIndexOf("/")) : "";
      current = normalizeRepoPath(dir === "" ? entry.symlink : `${dir}/${entry.symlink}`);
    }
    return null;
  }

  readText(snapshot: Snapshot, path: string): string | null {
    const buf = this.readBuffer(snapshot, path);
    return buf === null ? null : buf.toString("utf8");
  }

  // ---- caches

  lookupRef(key: string): string | null {
    const file = join(this.root, "refs", `${sha256(key)}.json`);
    if (!existsSync(file)) return null;
    const ref = JSON.parse(readFileSync(file, "utf8")) as { snapshot: string };
    return this.has(ref.snapshot) ? ref.snapshot : null;
  }

  saveRef(key: string, snapshotIdValue: string): void {
    this.writeJsonAtomic(join(this.root, "refs", `${sha256(key)}.json`), { key, snapshot: snapshotIdValue });
  }

  loadStatCache(key: string): Map<string, StatCacheEntry> {
    const file = join(this.root, "statcache", `${sha256(key)}.json`);
    if (!existsSync(file)) return new Map();
    try {
      const data = JSON.parse(readFileSync(file, "utf8")) as { entries: [string, StatCacheEntry][] };
      return new Map(data.entries);
    } catch {
      return new Map(); // a damaged cache only costs a re-hash
    }
  }

  saveStatCache(key: string, entries: Map<string, StatCacheEntry>): void {
    this.writeJsonAtomic(join(this.root, "statcache", `${sha256(key)}.json`), { key, entries: [...entries] });
  }

  private writeJsonAtomic(file: string, value: unknown): void {
    const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
  }
}

// "a/./b/../c" -> "a/c"; leading ".." segments are kept (they point outside and will not be found).
export function normalizeRepoPath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

const VIEW_CACHE_ENTRIES = 512;
const VIEW_CACHE_BYTES = 64 * 1024 * 1024;

// A RepoView over a snapshot. paths() lists the regular text files (symlinks are left out so nothing is
// indexed twice; reading a symlink's path still returns its target's text). Recently read files are cached.
export function snapshotView(store: SnapshotStore, snapshot: Snapshot): RepoView {
  const paths = snapshot.files.filter((f) => f.symlink === undefined).map((f) => f.path);
  const cache = new Map<string, string | null>();
  let cachedBytes = 0;
  return {
    paths: () => paths.slice(),
    read(path: string): string | null {
      if (cache.has(path)) {
        const hit = cache.get(path) ?? null;
        // Re-insert to mark as most recently used (Map keeps insertion order).
        cache.delete(path);
        cache.set(path, hit);
        return hit;
      }
      const text = store.readText(snapshot, path);
      cache.set(path, text);
      cachedBytes += text?.length ?? 0;
      while (cache.size > VIEW_CACHE_ENTRIES || cachedBytes > VIEW_CACHE_BYTES) {
        const oldest = cache.keys().next().value;
        if (oldest === undefined) break;
        cachedBytes -= cache.get(oldest)?.length ?? 0;
        cache.delete(oldest);
      }
      return text;
    },
  };
}
