// Read access to one repository state, and what changed between two states. These are the records repo/ produces
// and lang/, tasks/ and agent/ consume, so they sit below all of them.

// Read access to one repository state (the snapshot at its commit, possibly with a patch applied).
export interface RepoView {
  paths(): string[]; // every text file, sorted
  read(path: string): string | null;
}

// One file changed between the agent's starting state and its final state.
export interface FileChange {
  path: string; // path after the change (for deletions: the deleted path)
  oldPath: string | null; // set for renames
  status: "modified" | "added" | "deleted" | "renamed";
  binary: boolean;
  before: string | null; // text at the start (null for added or binary)
  after: string | null; // text at the end (null for deleted or binary)
  // Git file modes ("100644", "100755", "120000") when known: from a patch's `old mode`/`new mode`, `new file
  // mode`, `deleted file mode` lines, or from the workspace's diff. Absent/null means "unchanged or unknown";
  // a modified file whose oldMode differs from its newMode had its mode changed.
  oldMode?: string | null;
  newMode?: string | null;
}

// The agent's final workspace as a verifier sees it.
export interface WorkspaceResult {
  changes: FileChange[];
  // Read any file of the starting state (for verifiers that need unchanged context); null if absent.
  readBefore(path: string): string | null;
}
