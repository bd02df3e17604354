// The shard store of a build: one JSON file per (repository, family) under `<out>/shards/`, named by its key
// (src/build/job.ts shardKey). A shard is written atomically (temporary file, fsync, rename) the moment its
// repository is done, so a build killed at any moment leaves only complete shards; resume and the merge read
// them back, checked against the shard schema.

import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readJsonFile } from "../util/json-file.js";
import { prepareOutputDir, writeOutputFile } from "../util/output-file.js";
import { processStartTicks } from "../core/run-scope.js";
import { BUILD_SHARD_SCHEMA_TAG, buildShardSchema } from "../core/schemas/build-shard.js";
import { INSTANCE_SCHEMA_TAG } from "../core/schemas/instance.js";
import type { Instance } from "../tasks/types.js";
import type { FamilyShard } from "./job.js";

export function shardDirOf(outDir: string): string {
  return join(outDir, "shards");
}

export function shardPath(shardDir: string, key: string): string {
  return join(shardDir, `${key}.json`);
}

export function prepareShardDir(shardDir: string): string {
  return prepareOutputDir(shardDir, { option: "the build's shard folder" });
}

// Writes one shard. The instances get their schema tag here, as in every instances file.
export function writeShard(shardDir: string, shard: FamilyShard): string {
  const path = shardPath(shardDir, shard.key);
  const record = {
    schema: BUILD_SHARD_SCHEMA_TAG,
    key: shard.key,
    input: shard.input,
    family: shard.family,
    generator_version: shard.generator_version,
    reports: shard.reports,
    skipped: shard.skipped,
    dropped: shard.dropped,
    instances: shard.instances.map((i) => ({ schema: INSTANCE_SCHEMA_TAG, ...i })),
    elapsed_ms: shard.elapsed_ms,
  };
  writeOutputFile(path, JSON.stringify(record) + "\n", { option: "the build's shard folder" });
  return path;
}

// Reads one shard, checked; null when it is not there (not done yet). A shard that does not read as one (a
// newer hgym's, a hand-edited file) is an error naming the file: a build never silently redoes or ignores it.
export function readShard(shardDir: string, key: string): FamilyShard | null {
  const path = shardPath(shardDir, key);
  if (!existsSync(path)) return null;
  const record = readJsonFile(path, buildShardSchema);
  if (record.key !== key) throw new Error(`${path} holds the shard ${record.key}, not ${key}: the file was renamed or copied; delete it`);
  const { schema: _tag, ...shard } = record;
  return { ...shard, instances: shard.instances as Instance[] };
}

// The keys of the shards on disk.
export function listShardKeys(shardDir: string): Set<string> {
  if (!existsSync(shardDir)) return new Set();
  return new Set(
    readdirSync(shardDir)
      .filter((n) => /^[0-9a-f]{64}\.json$/.test(n))
      .map((n) => n.slice(0, 64)),
  );
}

// Temporary files of shard writes cut short by a kill (`.<key>.json.tmp-<pid>-<hex>`) whose writer is gone.
// output-file.ts names them by pid only; a pid in use by another process of our namespace keeps its file.
export function removeDeadShardTemps(shardDir: string): number {
  if (!existsSync(shardDir)) return 0;
  let removed = 0;
  for (const name of readdirSync(shardDir)) {
    const m = /^\.[0-9a-f]{64}\.json\.tmp-(\d+)-[0-9a-f]+$/.exec(name);
    if (!m) continue;
    if (processStartTicks(Number(m[1])) !== null) continue;
    rmSync(join(shardDir, name), { force: true });
    removed++;
  }
  return removed;
}
