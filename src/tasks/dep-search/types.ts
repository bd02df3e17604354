// dep-search data: the gold answer stored in each instance and the generator's options.

export interface DependencyRef {
  file: string;
  key: string; // definition key in its file; verification compares (file, key)
  qualifiedName: string;
}

export interface DepSearchGold {
  target: { file: string; key: string; line: number; name: string; kind: string };
  dependencies: DependencyRef[]; // sorted by (file, key)
  patch: string; // the gold patch: one annotation above each dependency
}

export interface DepSearchOptions {
  maxDeps: number; // targets with more repository dependencies are not used (default 5)
  explainDrops?: boolean; // log each ambiguous drop (target, call, reason) through the generation log
}

export const DEFAULT_DEP_SEARCH_OPTIONS: DepSearchOptions = { maxDeps: 5 };
