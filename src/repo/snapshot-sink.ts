// What ingestion needs from a snapshot store: put blobs, save a manifest, remember refs and stat caches. ingest.ts
// writes through this interface and SnapshotStore implements it, so the store can offer `ingest()` without the
// two files importing each other.

import type { Snapshot, SnapshotFile, SnapshotSource } from "./types.js";
import type { FilterOptions, StatCacheEntry } from "./walk.js";

export interface NewSnapshot {
  name: string;
  source: SnapshotSource;
  commit: string | null;
  files: SnapshotFile[];
  skipped: Snapshot["skipped"];
  skippedExamples: Snapshot["skippedExamples"];
  options: FilterOptions;
}

export interface SnapshotSink {
  readonly stats: { filesRead: number; filesReused: number; gitCacheHits: number };
  readonly clonesDir: string; // bare clones of git URLs
  readonly tmpDir: string; // scratch space on the store's file system (renames out of it are atomic)
  hasBlob(blob: string): boolean;
  writeBlob(blob: string, content: Buffer): Promise<void>;
  get(id: string): Snapshot;
  saveSnapshot(input: NewSnapshot): Snapshot;
  lookupRef(key: string): string | null;
  saveRef(key: string, snapshotId: string): void;
  loadStatCache(key: string): Map<string, StatCacheEntry>;
  saveStatCache(key: string, entries: Map<string, StatCacheEntry>): void;
}
