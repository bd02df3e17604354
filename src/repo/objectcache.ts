// Per-snapshot cache of git pack entries: each blob of a snapshot compressed once, as git would store it in a
// pack, so materializing a workspace only concatenates bytes. Kept on disk under <store>/gitobjects/ and, for the
// last few snapshots used, in memory.

import { existsSync, readFileSync, promises as fsp } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { SnapshotStore } from "./store.js";
import type { Snapshot } from "./types.js";
import { makePackEntry, type PackEntry } from "./gitpack.js";
import { createLimiter } from "./walk.js";

const MEMORY_SLOTS = 4;
const memory = new Map<string, Map<string, PackEntry>>();

// Drops the in-memory copies (the disk cache stays); for tests and long-lived processes that switch repositories.
export function forgetCachedPackEntries(): void {
  memory.clear();
}

type IndexRow = [blob: string, oid: string, crc: number, offset: number, length: number];

// Pack entries of every blob of `snapshot`, keyed by the blob's sha256 (the store's name for it).
export async function snapshotPackEntries(store: SnapshotStore, snapshot: Snapshot): Promise<Map<string, PackEntry>> {
  const key = `${store.root}\u0000${snapshot.id}`;
  const hit = memory.get(key);
  if (hit) {
    memory.delete(key);
    memory.set(key, hit);
    return hit;
  }
  const dir = join(store.root, "gitobjects");
  const bin = join(dir, `${snapshot.id}.bin`);
  const index = join(dir, `${snapshot.id}.json`);
  let entries: Map<string, PackEntry>;
  if (existsSync(bin) && existsSync(index)) {
    const data = readFileSync(bin);
    const rows = JSON.parse(readFileSync(index, "utf8")) as IndexRow[];
    entries = new Map(rows.map(([blob, oid, crc, offset, length]) => [blob, { oid, crc, entry: data.subarray(offset, offset + length) }]));
  } else {
    entries = await buildEntries(store, snapshot);
    await fsp.mkdir(dir, { recursive: true });
    const rows: IndexRow[] = [];
    const parts: Buffer[] = [];
    let offset = 0;
    for (const [blob, e] of entries) {
      rows.push([blob, e.oid, e.crc, offset, e.entry.length]);
      parts.push(e.entry);
      offset += e.entry.length;
    }
    // Data first, index last: an index on disk always describes a complete data file.
    const suffix = `.${randomBytes(6).toString("hex")}.tmp`;
    await fsp.writeFile(bin + suffix, Buffer.concat(parts));
    await fsp.rename(bin + suffix, bin);
    await fsp.writeFile(index + suffix, JSON.stringify(rows));
    await fsp.rename(index + suffix, index);
  }
  memory.set(key, entries);
  while (memory.size > MEMORY_SLOTS) {
    const oldest = memory.keys().next().value;
    if (oldest === undefined) break;
    memory.delete(oldest);
  }
  return entries;
}

async function buildEntries(store: SnapshotStore, snapshot: Snapshot): Promise<Map<string, PackEntry>> {
  const blobs = [...new Set(snapshot.files.map((f) => f.blob))].sort();
  const limit = createLimiter(32);
  const built = await Promise.all(
    blobs.map((blob) => limit(async () => makePackEntry("blob", await fsp.readFile(store.blobPath(blob))))),
  );
  return new Map(blobs.map((blob, i) => [blob, built[i] as PackEntry]));
}
