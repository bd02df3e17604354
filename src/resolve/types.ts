// Call resolution: "which definition runs when this call executes?" answered by the language's own analyzer
// (pyright for Python, the TypeScript language service for TS/JS), never by matching names. The dep-search task
// uses the answers as ground truth, so a resolver reports what the analyzer knows and says "unresolved" (with a
// reason) rather than guessing.
//
// Coordinates follow src/lang/types.ts: lines 1-based, columns 0-based in UTF-16 code units. Resolvers take
// positions and return positions; they do not depend on the code index, so the caller maps a returned position
// onto its own Definition records (e.g. by the definition's nameSpan start).

export interface ResolveRequest {
  file: string; // repository-relative, forward slashes
  line: number; // 1-based
  column: number; // 0-based UTF-16 column of the callee NAME identifier (CallSite.nameSpan.start)
}

export interface ResolvedLocation {
  file: string; // repository-relative (forward slashes) when inRepo, else absolute
  line: number; // 1-based line of the target's name identifier
  column: number; // 0-based UTF-16 column of the target's name identifier
  inRepo: boolean; // false for the standard library, typeshed, lib.d.ts, site-packages, node_modules
}

export type ResolveResult =
  // Several targets: overloads, union types, branches. `via: "builtin"` marks a bare call to a Python builtin that the
  // file cannot shadow, answered from typeshed's builtins.pyi without asking the analyzer (always outside the repo);
  // `via: "call-method"` a call through a variable holding an instance, answered with its class's `__call__`;
  // `via: "type"` a call through a variable answered from the variable's type (the class of a callable instance
  // outside the repository, or the function its type names); `via: "non-repo-import"` a callee the analyzer
  // places in (or on a value typed by) a package that is not installed (Go, Java), its target a placeholder.
  | { status: "resolved"; targets: ResolvedLocation[]; via?: "builtin" | "call-method" | "type" | "non-repo-import" }
  // The analyzer knows the callee cannot be determined statically: a variable typed Any / Unknown / a Callable /
  // type[...] / a union, a computed callee, an instance whose class has no repository `__call__` it can name.
  // `kind` is a short stable label (counted in reports), `reason` the detail.
  | { status: "ambiguous"; kind: string; reason: string }
  // The analyzer found nothing (no definition at all, or a failed request).
  | { status: "unresolved"; reason: string };

export interface CallResolver {
  // Results are in request order, one per request. Never rejects for a single bad request: that request gets
  // status "unresolved" with the reason.
  resolve(requests: ResolveRequest[]): Promise<ResolveResult[]>;
  close(): Promise<void>;
}
