// Writing git objects without git: object ids, tree objects, and a version-2 pack file with its index.
//
// Why: a workspace needs a git object store holding exactly its starting state. Having git hash and compress
// every file again for every workspace costs about a second for a 30 MB repository; instead each blob of a
// snapshot is compressed once into a pack entry (cached per snapshot), and a workspace's pack is those entries
// (minus the ones the setup patch replaced) plus a few fresh ones, concatenated. Formats: git's
// Documentation/gitformat-pack.txt ("pack-*.pack files" and "Version 2 pack-*.idx files").

import { createHash } from "node:crypto";
import { deflateSync, crc32 } from "node:zlib";
import { promises as fsp } from "node:fs";
import { join } from "node:path";

export type GitObjectType = "commit" | "tree" | "blob";
const TYPE_CODE: Record<GitObjectType, number> = { commit: 1, tree: 2, blob: 3 };

export interface PackEntry {
  oid: string; // sha1 hex of the object
  entry: Buffer; // the object as stored in a pack: type/size header + zlib data
  crc: number; // crc32 of `entry`, which the .idx records
}

export function gitObjectId(type: GitObjectType, content: Buffer): string {
  return createHash("sha1").update(`${type} ${content.length}\0`).update(content).digest("hex");
}

// Compression level 1: packs are scratch data; speed matters more than size.
export function makePackEntry(type: GitObjectType, content: Buffer, level = 1): PackEntry {
  const header: number[] = [];
  let size = content.length;
  let byte = (TYPE_CODE[type] << 4) | (size & 0x0f);
  size = Math.floor(size / 16);
  while (size > 0) {
    header.push(byte | 0x80);
    byte = size & 0x7f;
    size = Math.floor(size / 128);
  }
  header.push(byte);
  const entry = Buffer.concat([Buffer.from(header), deflateSync(content, { level })]);
  return { oid: gitObjectId(type, content), entry, crc: crc32(entry) };
}

export interface TreeFile {
  path: string;
  mode: "100644" | "100755" | "120000";
  oid: string;
}

interface DirNode {
  files: Map<string, { mode: string; oid: string }>;
  dirs: Map<string, DirNode>;
}

// Tree objects for a list of files; returns the root tree's id and every tree object (content included).
export function buildTrees(files: readonly TreeFile[]): { root: string; trees: { oid: string; content: Buffer }[] } {
  const root: DirNode = { files: new Map(), dirs: new Map() };
  for (const f of files) {
    const parts = f.path.split("/");
    let node = root;
    for (const part of parts.slice(0, -1)) {
      let child = node.dirs.get(part);
      if (!child) {
        child = { files: new Map(), dirs: new Map() };
        node.dirs.set(part, child);
      }
      node = child;
    }
    node.files.set(parts[parts.length - 1] as string, { mode: f.mode, oid: f.oid });
  }
  const trees: { oid: string; content: Buffer }[] = [];
  const write = (node: DirNode): string => {
    const items: { name: string; sortKey: Buffer; mode: string; oid: string }[] = [];
    for (const [name, f] of node.files) items.push({ name, sortKey: Buffer.from(name), mode: f.mode, oid: f.oid });
    for (const [name, child] of node.dirs) {
      // Git orders a directory as if its name ended with "/".
      items.push({ name, sortKey: Buffer.from(`${name}/`), mode: "40000", oid: write(child) });
    }
    items.sort((a, b) => Buffer.compare(a.sortKey, b.sortKey));
    const content = Buffer.concat(
      items.flatMap((it) => [Buffer.from(`${it.mode} ${it.name}\0`), Buffer.from(it.oid, "hex")]),
    );
    const oid = gitObjectId("tree", content);
    trees.push({ oid, content });
    return oid;
  };
  return { root: write(root), trees };
}

// Writes objects/pack/pack-<checksum>.{pack,idx} for the given entries (duplicates by oid are dropped).
export async function writePack(objectsDir: string, input: readonly PackEntry[]): Promise<string> {
  const seen = new Set<string>();
  const entries: PackEntry[] = [];
  for (const e of input) {
    if (seen.has(e.oid)) continue;
    seen.add(e.oid);
    entries.push(e);
  }
  const header = Buffer.alloc(12);
  header.write("PACK", 0, "latin1");
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(entries.length, 8);
  const parts: Buffer[] = [header];
  const offsets: number[] = [];
  let offset = 12;
  const packHash = createHash("sha1").update(header);
  for (const e of entries) {
    offsets.push(offset);
    parts.push(e.entry);
    packHash.update(e.entry);
    offset += e.entry.length;
  }
  const checksum = packHash.digest();
  parts.push(checksum);

  const order = entries.map((_, i) => i).sort((a, b) => ((entries[a] as PackEntry).oid < (entries[b] as PackEntry).oid ? -1 : 1));
  const n = entries.length;
  const fanout = Buffer.alloc(256 * 4);
  const counts = new Array<number>(256).fill(0);
  for (const e of entries) {
    const first = parseInt(e.oid.slice(0, 2), 16);
    counts[first] = (counts[first] ?? 0) + 1;
  }
  let running = 0;
  for (let i = 0; i < 256; i++) {
    running += counts[i] as number;
    fanout.writeUInt32BE(running, i * 4);
  }
  const names = Buffer.alloc(n * 20);
  const crcs = Buffer.alloc(n * 4);
  const small = Buffer.alloc(n * 4);
  const large: Buffer[] = [];
  order.forEach((idx, k) => {
    const e = entries[idx] as PackEntry;
    Buffer.from(e.oid, "hex").copy(names, k * 20);
    crcs.writeUInt32BE(e.crc >>> 0, k * 4);
    const off = offsets[idx] as number;
    if (off < 0x80000000) small.writeUInt32BE(off, k * 4);
    else {
      // Offsets past 2 GiB go into the 64-bit table; the 32-bit slot holds its index with the high bit set.
      small.writeUInt32BE((0x80000000 | large.length) >>> 0, k * 4);
      const big = Buffer.alloc(8);
      big.writeBigUInt64BE(BigInt(off));
      large.push(big);
    }
  });
  const idxHead = Buffer.from([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]);
  const idxBody = Buffer.concat([idxHead, fanout, names, crcs, small, ...large, checksum]);
  const idxChecksum = createHash("sha1").update(idxBody).digest();

  const name = `pack-${checksum.toString("hex")}`;
  const packDir = join(objectsDir, "pack");
  await fsp.mkdir(packDir, { recursive: true });
  // Git reads packs and indexes as read-only files.
  await fsp.writeFile(join(packDir, `${name}.pack`), Buffer.concat(parts), { mode: 0o444 });
  await fsp.writeFile(join(packDir, `${name}.idx`), Buffer.concat([idxBody, idxChecksum]), { mode: 0o444 });
  return name;
}
