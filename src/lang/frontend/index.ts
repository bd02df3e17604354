// One entry point to the languages' own front ends (CPython for Python, the TypeScript compiler for TS/TSX/JS):
// "does this text compile" and "do these two texts differ only in comments/docstrings", as the language sees it.
// The reward checks (src/tasks/common/comments-only.ts) ask here; tree-sitter is only the index.

import { isEcmascript } from "../profile.js";
import type { LanguageId } from "../types.js";
import type { FrontendError, FrontendVerdict, NativeFrontend } from "./verdict.js";
import { sharedGoFrontend } from "./go.js";
import { sharedJavaFrontend } from "./java.js";
import { sharedPythonFrontend, type PythonFrontend } from "./python.js";
import { sharedRustFrontend } from "./rust.js";
import { compareTypeScript, loadTypeScript, typescriptSyntaxError } from "./typescript.js";

export interface FrontendOptions {
  python?: PythonFrontend; // default: the process-wide worker
}

export type { FrontendError, FrontendVerdict, NativeFrontend } from "./verdict.js";

// The compiled languages' front ends, each a long-lived helper process of the language's own toolchain, started
// on first use. Filled in by their modules (go.ts, java.ts, rust.ts) as issue 14 lands them.
const NATIVE: Partial<Record<LanguageId, () => NativeFrontend>> = {
  java: sharedJavaFrontend,
  go: sharedGoFrontend,
  rust: sharedRustFrontend,
};

function nativeFrontend(language: LanguageId): NativeFrontend | null {
  if (language === "python" || isEcmascript(language)) return null;
  const make = NATIVE[language];
  if (!make) throw new Error(`no front end for ${language} yet`);
  return make();
}

function isPython(language: LanguageId): boolean {
  return language === "python";
}

// Compares two versions of the source file at `path`. `ignoreDocstrings` applies to Python docstrings; JSDoc and
// every other comment (Go, Java and Rust doc comments included) are always ignored.
export async function compareSource(language: LanguageId, path: string, before: string, after: string, ignoreDocstrings: boolean, opts: FrontendOptions = {}): Promise<FrontendVerdict> {
  if (isPython(language)) return (opts.python ?? sharedPythonFrontend()).compare(before, after, ignoreDocstrings);
  const native = nativeFrontend(language);
  if (native) return native.compare(path, before, after);
  return compareTypeScript(path, before, after);
}

// The first syntax error of a source text as the language reports it, or null when it compiles.
export async function sourceSyntaxError(language: LanguageId, path: string, text: string, opts: FrontendOptions = {}): Promise<FrontendError | null> {
  if (isPython(language)) return (opts.python ?? sharedPythonFrontend()).check(text);
  const native = nativeFrontend(language);
  if (native) return native.check(path, text);
  return typescriptSyntaxError(path, text);
}

// The versions of the judges, for reward metrics and reports ("python 3.11.7", "typescript 5.9.3").
export async function frontendVersion(language: LanguageId, opts: FrontendOptions = {}): Promise<string> {
  if (isPython(language)) return `python ${await (opts.python ?? sharedPythonFrontend()).version()}`;
  const native = nativeFrontend(language);
  if (native) return native.version();
  return `typescript ${(await loadTypeScript()).version}`;
}

export { PythonFrontend, sharedPythonFrontend } from "./python.js";
