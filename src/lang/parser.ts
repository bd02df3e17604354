// Loads web-tree-sitter and the grammar .wasm files once per process (or worker thread) and hands out reusable
// parsers. Trees live in wasm memory that the JS garbage collector never frees, so every caller must delete the
// trees it gets; `withTree` does that for the common parse-use-discard pattern.

import { createRequire } from "node:module";
import { Language, Parser, type Tree } from "web-tree-sitter";
import type { LanguageId } from "./types.js";

const require = createRequire(import.meta.url);

const GRAMMAR_WASM: Record<LanguageId, string> = {
  python: "tree-sitter-python/tree-sitter-python.wasm",
  typescript: "tree-sitter-typescript/tree-sitter-typescript.wasm",
  tsx: "tree-sitter-typescript/tree-sitter-tsx.wasm",
  javascript: "tree-sitter-javascript/tree-sitter-javascript.wasm",
};

export const ALL_LANGUAGES: readonly LanguageId[] = ["python", "typescript", "tsx", "javascript"];

let initPromise: Promise<void> | null = null;
const languagePromises = new Map<LanguageId, Promise<Language>>();
const loadedLanguages = new Map<LanguageId, Language>();
const parsers = new Map<LanguageId, Parser>();

function initRuntime(): Promise<void> {
  initPromise ??= Parser.init();
  return initPromise;
}

export function grammarWasmPath(language: LanguageId): string {
  return require.resolve(GRAMMAR_WASM[language]);
}

// Loads (once) and returns the grammar for a language.
export async function loadLanguage(language: LanguageId): Promise<Language> {
  const loaded = loadedLanguages.get(language);
  if (loaded) return loaded;
  let pending = languagePromises.get(language);
  if (!pending) {
    pending = initRuntime().then(async () => {
      const lang = await Language.load(grammarWasmPath(language));
      loadedLanguages.set(language, lang);
      return lang;
    });
    languagePromises.set(language, pending);
  }
  return pending;
}

// Loads every grammar so the synchronous API (`parseSync`, `indexFileSync`, `compareTrees`) can be used.
export async function initLanguages(languages: readonly LanguageId[] = ALL_LANGUAGES): Promise<void> {
  await Promise.all(languages.map((l) => loadLanguage(l)));
}

export function isLanguageLoaded(language: LanguageId): boolean {
  return loadedLanguages.has(language);
}

export function loadedLanguage(language: LanguageId): Language {
  const lang = loadedLanguages.get(language);
  if (!lang) {
    throw new Error(`the ${language} grammar is not loaded yet: await initLanguages() before using the synchronous API`);
  }
  return lang;
}

// Parses text with the (already loaded) grammar. The caller owns the tree and must call tree.delete().
export function parseSync(language: LanguageId, text: string): Tree {
  let parser = parsers.get(language);
  if (!parser) {
    const lang = loadedLanguage(language); // first: it explains what to do when the grammar is not loaded
    parser = new Parser();
    parser.setLanguage(lang);
    parsers.set(language, parser);
  }
  const tree = parser.parse(text);
  // parse() only returns null when a timeout or cancellation flag is set, and we never set one.
  if (!tree) throw new Error(`tree-sitter returned no tree for ${language} text`);
  return tree;
}

// Parses, runs `use`, and always frees the tree.
export function withTree<T>(language: LanguageId, text: string, use: (tree: Tree) => T): T {
  const tree = parseSync(language, text);
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}

// Language by file extension. `.d.ts` files are TypeScript (see isDeclarationFile to tell them apart).
export function languageForPath(path: string): LanguageId | null {
  const lower = path.toLowerCase();
  const dot = lower.lastIndexOf(".");
  if (dot < 0 || dot < lower.lastIndexOf("/")) return null;
  switch (lower.slice(dot)) {
    case ".py":
    case ".pyi":
      return "python";
    case ".ts":
    case ".mts":
    case ".cts":
      return "typescript";
    case ".tsx":
      return "tsx";
    case ".js":
    case ".mjs":
    case ".cjs":
    case ".jsx":
      return "javascript";
    default:
      return null;
  }
}

// Declaration files hold only types (no bodies); task generators usually want to skip them.
export function isDeclarationFile(path: string): boolean {
  return /\.d\.[mc]?ts$/i.test(path);
}
