// A worker's copy of the repositories its jobs need. Workers share no disk with the producer: a job names the
// repository by where it came from (URL or path, and the commit) and by its snapshot id; the worker ingests it
// into its own snapshot store once, and later jobs on that machine find it there.

import type { Snapshot } from "../repo/types.js";
import type { SnapshotStore } from "../repo/store.js";

export interface RepoRef {
  name: string;
  commit: string; // the git commit, or the snapshot id for a plain directory (no git)
  source: string; // absolute path or URL, without the revision
  snapshot: string;
}

export class SnapshotCache {
  // One ingestion per snapshot at a time, however many jobs of this worker want it at once.
  private readonly pending = new Map<string, Promise<Snapshot>>();

  constructor(readonly store: SnapshotStore) {}

  ensure(repo: RepoRef): Promise<Snapshot> {
    if (this.store.has(repo.snapshot)) return Promise.resolve(this.store.get(repo.snapshot));
    let p = this.pending.get(repo.snapshot);
    if (!p) {
      p = this.ingest(repo).finally(() => this.pending.delete(repo.snapshot));
      this.pending.set(repo.snapshot, p);
    }
    return p;
  }

  private async ingest(repo: RepoRef): Promise<Snapshot> {
    // A plain folder has no commit (its snapshot id stands in): it is read as it is now.
    const input = repo.commit === repo.snapshot ? repo.source : `${repo.source}@${repo.commit}`;
    const snapshot = await this.store.ingest(input);
    if (snapshot.id !== repo.snapshot) {
      // Same source and commit but other content: a folder that changed since generation, or other ingest options.
      throw new Error(
        `${input} gives snapshot ${snapshot.id.slice(0, 12)} on this worker, but the instances were generated from ${repo.snapshot.slice(0, 12)}; ` +
          `the repository at ${repo.source} differs between the machines (regenerate from a git commit, or make the source identical)`,
      );
    }
    return snapshot;
  }
}
