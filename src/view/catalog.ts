// Everything `hgym view` shows, indexed: the runs (rollout indexes + manifests), instance files (given, or named
// by a run's manifest) and exports. Built once at start; `refresh` extends the indexes when files grew (a run still
// being written), at most once per `minRefreshMs`.

import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { checkRecord } from "../core/schemas/check.js";
import { runManifestSchema } from "../core/schemas/run-manifest.js";
import type { RunManifest } from "../runner/run-dir.js";
import { ExportIndex } from "./export-index.js";
import { InstanceIndex, type InstanceEntry } from "./instance-index.js";
import { RolloutIndex, type RolloutEntry } from "./rollout-index.js";
import type { Source } from "./sources.js";

export interface RunView {
  name: string;
  dir: string;
  index: RolloutIndex;
  manifestPath: string | null;
  manifest: RunManifest | null;
  manifestError: string | null;
}

export interface InstanceFileView {
  name: string;
  path: string;
  given: boolean; // false when found through a run's manifest
  index: InstanceIndex;
}

export interface ExportView {
  name: string;
  index: ExportIndex;
}

// One rollout in a listing: the run it belongs to and its index entry.
export interface RolloutRow {
  run: RunView;
  e: RolloutEntry;
}

export class Catalog {
  readonly runs: RunView[] = [];
  readonly instanceFiles: InstanceFileView[] = [];
  readonly exports: ExportView[] = [];
  version = 0; // bumped whenever an index changed (caches key on it)
  private lastRefresh = 0;

  constructor(
    sources: Source[],
    private readonly minRefreshMs = 1000,
  ) {
    const instancePaths = new Set<string>();
    for (const s of sources) {
      if (s.kind === "run") {
        this.runs.push({ name: s.name, dir: s.dir, index: new RolloutIndex(s.rolloutsPath), manifestPath: s.manifestPath, manifest: null, manifestError: null });
      } else if (s.kind === "instances") {
        instancePaths.add(resolve(s.path));
        this.instanceFiles.push({ name: s.name, path: s.path, given: true, index: new InstanceIndex(s.path) });
      } else {
        this.exports.push({ name: s.name, index: new ExportIndex(s.manifestPath, s.path) });
      }
    }
    this.readManifests();
    // A run names the instance file it ran on; when that file is still there, its instructions, setup patches and
    // gold are shown beside the trajectories without the user having to give it.
    for (const run of this.runs) {
      const p = run.manifest?.instances.path;
      if (!p || !existsSync(p) || instancePaths.has(resolve(p))) continue;
      instancePaths.add(resolve(p));
      const taken = new Set(this.instanceFiles.map((f) => f.name));
      let name = `${run.name}-instances`;
      for (let i = 2; taken.has(name); i++) name = `${run.name}-instances-${i}`;
      this.instanceFiles.push({ name, path: p, given: false, index: new InstanceIndex(p) });
    }
    this.refresh(true);
  }

  refresh(force = false): boolean {
    const now = Date.now();
    if (!force && now - this.lastRefresh < this.minRefreshMs) return false;
    this.lastRefresh = now;
    let changed = false;
    for (const r of this.runs) changed = r.index.refresh() || changed;
    for (const f of this.instanceFiles) changed = f.index.refresh() || changed;
    for (const x of this.exports) changed = x.index.refresh() || changed;
    if (changed) {
      this.readManifests();
      this.version++;
    }
    return changed;
  }

  run(name: string): RunView | undefined {
    return this.runs.find((r) => r.name === name);
  }

  instanceFile(name: string): InstanceFileView | undefined {
    return this.instanceFiles.find((f) => f.name === name);
  }

  exportView(name: string): ExportView | undefined {
    return this.exports.find((x) => x.name === name);
  }

  // The first instance file that has this id.
  findInstance(id: string): { file: InstanceFileView; entry: InstanceEntry } | null {
    for (const file of this.instanceFiles) {
      const entry = file.index.byId.get(id);
      if (entry) return { file, entry };
    }
    return null;
  }

  rows(): RolloutRow[] {
    const out: RolloutRow[] = [];
    for (const run of this.runs) for (const e of run.index.entries) out.push({ run, e });
    return out;
  }

  // The teacher of a run: the manifest's model (a run holds one identity), else the records'.
  teacher(run: RunView): string {
    return run.manifest?.identity.model ?? run.index.entries[0]?.model ?? run.name;
  }

  private readManifests(): void {
    for (const run of this.runs) {
      if (!run.manifestPath) continue;
      try {
        const checked = checkRecord(runManifestSchema, JSON.parse(readFileSync(run.manifestPath, "utf8")));
        run.manifest = checked.ok ? (checked.value as RunManifest) : null;
        run.manifestError = checked.ok ? null : `${run.manifestPath}: ${checked.message}`;
      } catch (e) {
        run.manifest = null;
        run.manifestError = `${run.manifestPath}: ${(e as Error).message}`;
      }
    }
  }
}
