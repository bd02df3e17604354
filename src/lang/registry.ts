// The languages we index. A new language = one adapter file + one line here (and its grammar in parser.ts).

import type { LanguageAdapter } from "./adapter.js";
import { javascriptAdapter, tsxAdapter, typescriptAdapter } from "./ecmascript.js";
import { javaAdapter } from "./java.js";
import { goAdapter } from "./go.js";
import { pythonAdapter } from "./python.js";
import { rustAdapter } from "./rust.js";
import type { LanguageId } from "./types.js";

// Go, Java and Rust adapters: issue 14, being added (go.ts, java.ts, rust.ts).
const ADAPTERS: Partial<Record<LanguageId, LanguageAdapter>> = {
  python: pythonAdapter,
  typescript: typescriptAdapter,
  tsx: tsxAdapter,
  javascript: javascriptAdapter,
  java: javaAdapter,
  go: goAdapter,
  rust: rustAdapter,
};

export function adapterFor(language: LanguageId): LanguageAdapter {
  const adapter = ADAPTERS[language] as LanguageAdapter | undefined;
  if (!adapter) throw new Error(`no language adapter for "${String(language)}" (known: ${Object.keys(ADAPTERS).join(", ")})`);
  return adapter;
}

export function allAdapters(): LanguageAdapter[] {
  return Object.values(ADAPTERS).filter((a) => a !== undefined);
}
