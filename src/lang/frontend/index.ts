// One entry point to the languages' own front ends (CPython for Python, the TypeScript compiler for TS/TSX/JS):
// "does this text compile" and "do these two texts differ only in comments/docstrings", as the language sees it.
// The reward checks (src/tasks/common/comments-only.ts) ask here; tree-sitter is only the index.

import type { LanguageId } from "../types.js";
import { sharedPythonFrontend, type PythonFrontend } from "./python.js";
import { compareTypeScript, loadTypeScript, typescriptSyntaxError } from "./typescript.js";

export interface FrontendOptions {
  python?: PythonFrontend; // default: the process-wide worker
}

export interface FrontendError {
  line: number;
  message: string;
}

export type FrontendVerdict =
  | { kind: "equal" }
  | { kind: "different"; line: number; reason: string }
  | { kind: "start-error"; error: FrontendError }
  | { kind: "parse-error"; error: FrontendError };

function isPython(language: LanguageId): boolean {
  return language === "python";
}

// Compares two versions of the source file at `path`. `ignoreDocstrings` applies to Python docstrings; JSDoc and
// every other comment are always ignored.
export async function compareSource(language: LanguageId, path: string, before: string, after: string, ignoreDocstrings: boolean, opts: FrontendOptions = {}): Promise<FrontendVerdict> {
  if (isPython(language)) return (opts.python ?? sharedPythonFrontend()).compare(before, after, ignoreDocstrings);
  return compareTypeScript(path, before, after);
}

// The first syntax error of a source text as the language reports it, or null when it compiles.
export async function sourceSyntaxError(language: LanguageId, path: string, text: string, opts: FrontendOptions = {}): Promise<FrontendError | null> {
  if (isPython(language)) return (opts.python ?? sharedPythonFrontend()).check(text);
  return typescriptSyntaxError(path, text);
}

// The versions of the judges, for reward metrics and reports ("python 3.11.7", "typescript 5.9.3").
export async function frontendVersion(language: LanguageId, opts: FrontendOptions = {}): Promise<string> {
  if (isPython(language)) return `python ${await (opts.python ?? sharedPythonFrontend()).version()}`;
  return `typescript ${(await loadTypeScript()).version}`;
}

export { PythonFrontend, sharedPythonFrontend } from "./python.js";
