// The read-only bases that overlay workspaces share: one extracted starting state (files + the one-commit .git)
// per (snapshot, setup patch), in <workspace root>/hgym-bases/<key>/<repo name>, extracted once and reused by
// every workspace of that instance in every process.
//
// Concurrency without locks: a base is built in a run-prefixed scratch directory (a dead builder's half base is
// an ordinary leftover for gc/leftovers.ts) and published by rename(2), which fails when another process
// published the same key first; the loser removes its copy and uses the winner's. A base is never changed after
// publication. Its directory's mtime says when a workspace last used it; the cache is held to a size bound by
// removing the least recently used bases that no mounted overlay uses and that have been idle for a grace period
// (so a base a process has just chosen is not pulled from under its mount). `hgym gc` prunes idle ones too.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, lstatSync, promises as fsp, readdirSync, readFileSync, statfsSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { runPrefix } from "../core/run-scope.js";
import { readMounts } from "../util/mountinfo.js";

export const BASES_DIR = "hgym-bases";
const META = "base.json";
const LAYOUT_VERSION = 1; // part of the key: a change to what a base holds makes new keys
// A base used less than this long ago is never evicted: a process may be about to mount it.
export const BASE_GRACE_MS = 60_000;
const TOUCH_EVERY_MS = 10_000;

const baseMetaSchema = z.object({
  version: z.literal(LAYOUT_VERSION),
  name: z.string().min(1),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  snapshot: z.string(),
  bytes: z.number().nonnegative(),
});

export interface WorkspaceBase {
  dir: string; // <bases>/<key>
  lowerDir: string; // <bases>/<key>/<name>: the overlay's lower layer
  name: string;
  commit: string;
}

export function basesDir(workspaceRoot: string): string {
  return join(workspaceRoot, BASES_DIR);
}

// The key names neither the repository nor its commit (the workspace's mount options show the base path).
export function baseKey(snapshotId: string, setupPatch: string): string {
  return createHash("sha256").update(`hgym-base/${LAYOUT_VERSION}\0${snapshotId}\0${setupPatch}`).digest("hex").slice(0, 40);
}

// Default size bound of the idle bases kept: a sixteenth of the file system (on /dev/shm that is RAM), at most
// 1 GiB. Bases a mounted workspace uses are never evicted, so the bound only says how much an instance's next
// episodes may find ready; a build's verifications make one base per instance and reuse it only a few times.
export function defaultBaseCacheBytes(workspaceRoot: string): number {
  try {
    const fs = statfsSync(workspaceRoot);
    return Math.min(2 ** 30, Math.floor((fs.blocks * fs.bsize) / 16));
  } catch {
    return 2 * 2 ** 30;
  }
}

export interface EnsureBaseOptions {
  workspaceRoot: string;
  key: string;
  name: string;
  snapshot: string;
  maxBytes: number;
  // Writes the starting state into `dir` (which does not exist yet) and returns its commit.
  build: (dir: string) => Promise<string>;
}

const building = new Map<string, Promise<WorkspaceBase>>();

export async function ensureBase(opts: EnsureBaseOptions): Promise<WorkspaceBase> {
  const dir = join(basesDir(opts.workspaceRoot), opts.key);
  const existing = openBase(dir);
  if (existing) return existing;
  let pending = building.get(dir);
  if (!pending) {
    pending = buildBase(dir, opts).finally(() => building.delete(dir));
    building.set(dir, pending);
  }
  return pending;
}

// The published base at `dir`, marked as used now, or null when there is none (or it is damaged).
function openBase(dir: string): WorkspaceBase | null {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(dir).mtimeMs;
  } catch {
    return null;
  }
  const meta = readMeta(dir);
  if (!meta) return null;
  const now = Date.now();
  if (now - mtimeMs > TOUCH_EVERY_MS) {
    try {
      utimesSync(dir, now / 1000, now / 1000);
    } catch {
      // evicted meanwhile: the mount reports it
    }
  }
  return { dir, lowerDir: join(dir, meta.name), name: meta.name, commit: meta.commit };
}

const metaCache = new Map<string, z.output<typeof baseMetaSchema>>();
function readMeta(dir: string): z.output<typeof baseMetaSchema> | null {
  const cached = metaCache.get(dir);
  if (cached && existsSync(join(dir, cached.name))) return cached;
  try {
    const parsed = baseMetaSchema.safeParse(JSON.parse(readFileSync(join(dir, META), "utf8")));
    if (!parsed.success) return null;
    metaCache.set(dir, parsed.data);
    return parsed.data;
  } catch {
    return null;
  }
}

async function buildBase(dir: string, opts: EnsureBaseOptions): Promise<WorkspaceBase> {
  const parent = basesDir(opts.workspaceRoot);
  await fsp.mkdir(parent, { recursive: true });
  const scratch = await fsp.mkdtemp(join(opts.workspaceRoot, `${runPrefix()}-base-`));
  try {
    const commit = await opts.build(join(scratch, opts.name));
    const meta = { version: LAYOUT_VERSION, name: opts.name, commit, snapshot: opts.snapshot, bytes: treeBytes(join(scratch, opts.name)) } as const;
    await fsp.writeFile(join(scratch, META), JSON.stringify(meta));
    try {
      await fsp.rename(scratch, dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "EEXIST" && code !== "ENOTEMPTY") throw err;
      await fsp.rm(scratch, { recursive: true, force: true }); // another process published this base first
    }
  } catch (err) {
    await fsp.rm(scratch, { recursive: true, force: true });
    throw err;
  }
  const base = openBase(dir);
  if (!base) throw new Error(`the workspace base ${dir} vanished right after it was made (removed by another process?)`);
  await evictBases(opts.workspaceRoot, { maxBytes: opts.maxBytes, keep: dir });
  return base;
}

// Allocated bytes of a tree (lstat, no symlink followed).
function treeBytes(root: string): number {
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const d = stack.pop() as string;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      total += st.blocks * 512;
      if (st.isDirectory()) stack.push(p);
    }
  }
  return total;
}

export interface BaseInfo {
  dir: string;
  bytes: number;
  lastUsedMs: number;
  inUse: boolean; // a mounted overlay uses it as its lower layer
}

export function listBases(workspaceRoot: string): BaseInfo[] {
  const parent = basesDir(workspaceRoot);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const lowers = new Set<string>();
  for (const m of readMounts()) {
    if (m.fsType === "overlay") for (const l of (m.superOptions.get("lowerdir") ?? "").split(":")) lowers.add(l);
  }
  const out: BaseInfo[] = [];
  for (const name of names) {
    const dir = join(parent, name);
    let mtimeMs: number;
    try {
      mtimeMs = statSync(dir).mtimeMs;
    } catch {
      continue;
    }
    const meta = readMeta(dir);
    const inUse = [...lowers].some((l) => l === dir || l.startsWith(`${dir}/`));
    out.push({ dir, bytes: meta?.bytes ?? 0, lastUsedMs: mtimeMs, inUse });
  }
  return out;
}

export interface PruneResult {
  removed: { path: string; bytes: number }[];
  failed: { path: string; reason: string }[];
}

// Removes bases no mounted workspace uses, least recently used first, until the rest fit in `maxBytes` (0: remove
// every such base), skipping those used within `graceMs`. `hgym gc` calls it with maxBytes 0.
export async function evictBases(
  workspaceRoot: string,
  opts: { maxBytes: number; graceMs?: number; keep?: string; dryRun?: boolean },
): Promise<PruneResult> {
  const result: PruneResult = { removed: [], failed: [] };
  const graceMs = opts.graceMs ?? BASE_GRACE_MS;
  const bases = listBases(workspaceRoot).sort((a, b) => a.lastUsedMs - b.lastUsedMs);
  let total = bases.reduce((s, b) => s + b.bytes, 0);
  const now = Date.now();
  for (const b of bases) {
    if (total <= opts.maxBytes) break;
    if (b.inUse || b.dir === opts.keep || now - b.lastUsedMs < graceMs) continue;
    if (opts.dryRun) {
      result.removed.push({ path: b.dir, bytes: b.bytes });
      total -= b.bytes;
      continue;
    }
    // Claimed by an atomic rename under our run prefix: one remover wins, and a half-removed base is a leftover.
    const claimed = join(workspaceRoot, `${runPrefix()}-gc-${randomBytes(6).toString("hex")}`);
    try {
      await fsp.rename(b.dir, claimed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") result.failed.push({ path: b.dir, reason: (err as Error).message });
      continue;
    }
    metaCache.delete(b.dir);
    try {
      await fsp.rm(claimed, { recursive: true, force: true });
      result.removed.push({ path: b.dir, bytes: b.bytes });
      total -= b.bytes;
    } catch (err) {
      result.failed.push({ path: claimed, reason: (err as Error).message });
    }
  }
  return result;
}
