// The answers every language's front end gives, and the shape of a front end for the compiled languages (Go,
// Java, Rust) that run as a helper process of their own toolchain. Python (CPython worker) and TypeScript (the
// compiler in this process) predate the interface and are called directly from index.ts.

export interface FrontendError {
  line: number;
  message: string;
}

export type FrontendVerdict =
  | { kind: "equal" }
  | { kind: "different"; line: number; reason: string }
  | { kind: "start-error"; error: FrontendError }
  | { kind: "parse-error"; error: FrontendError };

export interface NativeFrontend {
  // Do `before` and `after` (the file at `path`) differ only in comments, doc comments included?
  compare(path: string, before: string, after: string): Promise<FrontendVerdict>;
  // The first syntax error as the language's own parser reports it, or null.
  check(path: string, text: string): Promise<FrontendError | null>;
  version(): Promise<string>; // "go 1.19.8", "javac 17.0.15", "rustc 1.63.0 (syn 1.0.107)"
}
