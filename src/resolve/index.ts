// Picks the call resolver for a repository's language: pyright for Python, the TypeScript language service for
// TypeScript, TSX and JavaScript (one service reads all three).

import type { LanguageId } from "../lang/types.js";
import { createPyrightResolver, type PyrightResolverOptions } from "./pyright.js";
import { createTsResolver, type TsResolverOptions } from "./typescript.js";
import type { CallResolver } from "./types.js";

export type { CallResolver, ResolveRequest, ResolveResult, ResolvedLocation } from "./types.js";

export interface ResolverOptions {
  python?: PyrightResolverOptions;
  typescript?: TsResolverOptions;
}

// `files`: repository-relative paths of the source files to load (the TypeScript program's root files; pyright
// finds the workspace files itself and ignores the list).
export async function createResolver(language: LanguageId, rootDir: string, files: string[], opts: ResolverOptions = {}): Promise<CallResolver> {
  switch (language) {
    case "python":
      return createPyrightResolver(rootDir, opts.python);
    case "typescript":
    case "tsx":
    case "javascript":
      return createTsResolver(rootDir, files, opts.typescript);
  }
}
