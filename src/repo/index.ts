// Public API of the repository layer: ingesting repositories into the snapshot store, reading snapshots, and
// workspaces. Unified diffs are src/patch/.

export * from "./types.js";
export { SnapshotStore, snapshotView, defaultStoreRoot, snapshotId, normalizeRepoPath } from "./store.js";
export { parseInput, repoNameFrom, type ParsedInput } from "./ingest.js";
export {
  DEFAULT_MAX_FILE_BYTES,
  WALKER_VERSION,
  walkDirectory,
  contentSkipReason,
  fileNameSkipReason,
  directorySkipReason,
  type FilterOptions,
} from "./walk.js";
export {
  materializeWorkspace,
  collectResult,
  defaultWorkspaceRoot,
  isolatedGitEnv,
  WORKSPACE_AUTHOR,
  type Workspace,
  type MaterializeOptions,
  type WorkspaceMode,
  resolveWorkspaceMode,
  type CollectOptions,
  type CollectedResult,
} from "./workspace.js";
