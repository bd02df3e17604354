// Snapshot store data model. A snapshot is an immutable, content-addressed file tree taken from a local
// directory, a local git repository at a revision, or a git URL at a revision. Everything downstream (index,
// generation, workspaces, verification) reads repository content only through snapshots, so a repo is fetched
// and walked once.

export type SkipReason =
  | "gitignored"
  | "vcs" // .git, .hg, .svn
  | "vendored" // vendor/, third_party/, node_modules/, site-packages/ ...
  | "generated" // *_pb2.py, *.generated.ts, "@generated" header ...
  | "minified" // *.min.js or very long lines
  | "binary"
  | "too-large"
  | "not-utf8"
  | "symlink-outside" // a symlink whose target leaves the repository
  | "symlink-broken"
  | "special"; // sockets, fifos, devices

export interface SnapshotFile {
  path: string; // repository-relative, forward slashes
  size: number;
  blob: string; // sha256 of the content (hex); the content lives in the store under this name
  executable: boolean;
  symlink?: string; // set when the entry is a symlink that stays inside the repo: its target (relative)
}

export interface SnapshotSource {
  kind: "dir" | "git-local" | "git-url";
  input: string; // what the user gave, e.g. "../requests@v2.31.0"
  location: string; // absolute path or URL, without the revision
  rev: string | null; // the revision asked for, if any
}

export interface Snapshot {
  id: string; // sha256 over the sorted (path, blob, mode) list: same content -> same id
  name: string; // repository name for humans and workspace paths ("requests"); never contains a commit
  source: SnapshotSource;
  commit: string | null; // the resolved git commit when the source was git, else null
  files: SnapshotFile[]; // sorted by path
  // Skips by reason. A directory skipped as a whole (node_modules/, .git/, a gitignored build/) counts once, under
  // its path with a trailing "/", and is not descended into; each other skipped entry counts once.
  skipped: Partial<Record<SkipReason, number>>;
  skippedExamples: Partial<Record<SkipReason, string[]>>; // first few paths per reason, for messages
  createdAt: string; // ISO time of first ingestion (not part of the id)
}

export interface IngestOptions {
  maxFileBytes?: number; // default 1 MiB
  includeVendored?: boolean;
}
