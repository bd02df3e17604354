// Picks the call resolver for a repository's language: pyright for Python, the TypeScript language service for
// TypeScript, TSX and JavaScript (one service reads all three), go/types for Go, javac for Java. Rust has no exact
// resolver on these machines and is refused.

// Each resolver's module is loaded when its language is asked for: the TypeScript one loads the 9 MB compiler,
// which every process that imports the task families (any `hgym generate`) would otherwise parse at start-up
// (~0.8 s of CPU) for nothing when the repository is Python.

import { UserError } from "../core/errors.js";
import type { LanguageId } from "../lang/types.js";
import type { GoResolverOptions } from "./go.js";
import type { JavaResolverOptions } from "./java.js";
import type { PyrightResolverOptions } from "./pyright.js";
import type { TsResolverOptions } from "./typescript.js";
import type { CallResolver } from "./types.js";

export type { CallResolver, ResolveRequest, ResolveResult, ResolvedLocation } from "./types.js";

export interface ResolverOptions {
  python?: PyrightResolverOptions;
  typescript?: TsResolverOptions;
  go?: GoResolverOptions;
  java?: JavaResolverOptions;
}

// `files`: repository-relative paths of the source files to load (the TypeScript program's root files; pyright
// finds the workspace files itself and ignores the list).
export async function createResolver(language: LanguageId, rootDir: string, files: string[], opts: ResolverOptions = {}): Promise<CallResolver> {
  switch (language) {
    case "python":
      return (await import("./pyright.js")).createPyrightResolver(rootDir, opts.python);
    case "typescript":
    case "tsx":
    case "javascript":
      return (await import("./typescript.js")).createTsResolver(rootDir, files, opts.typescript);
    case "go":
      return (await import("./go.js")).createGoResolver(rootDir, opts.go);
    case "java":
      return (await import("./java.js")).createJavaResolver(rootDir, opts.java);
    case "rust":
      throw new UserError(`dep-search has no exact call resolver for ${language}: its truth would be a guess by name, so ${language} repositories are refused (use --language to pick another language of the repository)`);
  }
}
