// Public API of the code index: parsing, per-file and per-repo indexing, and the comments-only tree compare.

export type * from "./types.js";
export type { LanguageAdapter, ExtractedFile } from "./adapter.js";
export { initLanguages, loadLanguage, languageForPath, isDeclarationFile, parseSync, withTree, ALL_LANGUAGES } from "./parser.js";
export { adapterFor, allAdapters } from "./registry.js";
export { indexFile, indexFileSync } from "./indexer.js";
export { compareTrees, findSyntaxError, hasSyntaxErrors, type SyntaxErrorInfo } from "./tree-compare.js";
export { indexRepo } from "./index-repo.js";
export { writeIndexJsonl, readIndexJsonl } from "./index-jsonl.js";
export { closeIndexPool } from "./index-pool.js";
export type { SourceFile, RepoIndex, IndexRepoOptions } from "./index-repo.js";
export { addToStats, summarizeFile } from "./index-stats.js";
export type { IndexStats, LanguageStats, FileSummary } from "./index-stats.js";
export { cleandoc, jsdocText, LineIndex } from "./extract-common.js";
