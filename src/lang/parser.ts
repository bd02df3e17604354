// Loads web-tree-sitter and the grammar .wasm files once per process (or worker thread) and hands out reusable
// parsers. Trees live in wasm memory that the JS garbage collector never frees, so every caller must delete the
// trees it gets; `withTree` does that for the common parse-use-discard pattern.

import { createRequire } from "node:module";
import { Language, Parser, type Tree } from "web-tree-sitter";
import type { LanguageId } from "./types.js";
import { initNodeAccess } from "./wasm-nodes.js";
import { editRanges, type TextEdit } from "./edit-ranges.js";

const require = createRequire(import.meta.url);

const GRAMMAR_WASM: Record<LanguageId, string> = {
  python: "tree-sitter-python/tree-sitter-python.wasm",
  typescript: "tree-sitter-typescript/tree-sitter-typescript.wasm",
  tsx: "tree-sitter-typescript/tree-sitter-tsx.wasm",
  javascript: "tree-sitter-javascript/tree-sitter-javascript.wasm",
  go: "tree-sitter-go/tree-sitter-go.wasm",
  java: "tree-sitter-java/tree-sitter-java.wasm",
  rust: "tree-sitter-rust/tree-sitter-rust.wasm",
};

export const ALL_LANGUAGES: readonly LanguageId[] = ["python", "typescript", "tsx", "javascript", "go", "java", "rust"];

let initPromise: Promise<void> | null = null;
const languagePromises = new Map<LanguageId, Promise<Language>>();
const loadedLanguages = new Map<LanguageId, Language>();
const parsers = new Map<LanguageId, Parser>();

// The runtime is initialised through wasm-nodes.ts, which keeps web-tree-sitter's module for its fast accessors.
function initRuntime(): Promise<void> {
  initPromise ??= initNodeAccess();
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

function parserFor(language: LanguageId): Parser {
  let parser = parsers.get(language);
  if (!parser) {
    const lang = loadedLanguage(language); // first: it explains what to do when the grammar is not loaded
    parser = new Parser();
    parser.setLanguage(lang);
    parsers.set(language, parser);
  }
  return parser;
}

// Parses text with the (already loaded) grammar. The caller owns the tree and must call tree.delete().
export function parseSync(language: LanguageId, text: string): Tree {
  const tree = parserFor(language).parse(text);
  // parse() only returns null when a timeout or cancellation flag is set, and we never set one.
  if (!tree) throw new Error(`tree-sitter returned no tree for ${language} text`);
  return tree;
}

// Re-parses `text` reusing `oldTree`, which must already be edited (Tree.edit) to match it. tree-sitter
// guarantees the same tree as a fresh parse; unchanged subtrees are shared with oldTree. The caller owns the tree.
export function reparseSync(language: LanguageId, text: string, oldTree: Tree): Tree {
  const tree = parserFor(language).parse(text, oldTree);
  if (!tree) throw new Error(`tree-sitter returned no tree for ${language} text`);
  return tree;
}

// Parses `text` incrementally, as edits of `baseText` (whose tree is `baseTree`, left unchanged): one edit per
// changed run of lines (edit-ranges.ts). Every subtree outside the edits is shared with baseTree (tree-compare
// uses that to skip unchanged code), except when the text has a syntax error: then it is a fresh parse. The
// caller owns the tree.
export function parseAsEditOf(language: LanguageId, baseTree: Tree, baseText: string, text: string): Tree {
  const edits = editRanges(baseText, text);
  const edited = baseTree.copy();
  try {
    // Last to first: an edit never moves what lies before it, so the earlier edits' base coordinates stay valid.
    for (let k = edits.length - 1; k >= 0; k--) edited.edit(edits[k] as TextEdit);
    const tree = reparseSync(language, text, edited);
    // Error recovery is not incremental-safe: with a syntax error in the text, a re-parse can recover differently
    // from a fresh parse (seen on real files, edit-ranges.test.ts). Such texts are parsed afresh.
    if (!tree.rootNode.hasError) return tree;
    tree.delete();
    return parseSync(language, text);
  } finally {
    edited.delete();
  }
}

// A small LRU of parsed trees by text, for the text every verification compares against (the starting version
// of a file: one per task instance, checked for every rollout). Trees live in wasm memory, so the cache is
// bounded by total text size and frees what it evicts.
const TREE_CACHE_MAX_CHARS = 4_000_000;
const TREE_CACHE_MAX_ENTRIES = 64;
interface CachedTree {
  text: string;
  tree: Tree;
  users: number; // trees in use are never evicted
}
const treeCache = new Map<string, CachedTree>();
let treeCacheChars = 0;

// Runs `use` on the (cached) tree of `text`. The tree belongs to the cache: `use` must not delete or edit it
// (copy it first) and must not keep it after returning. `base`, when given, is a text `text` was probably made
// from (an agent's final file and its starting version): on a cache miss `text` is parsed incrementally from
// base's (cached) tree, several times faster than a fresh parse, with the same result.
export function withCachedTree<T>(language: LanguageId, text: string, use: (tree: Tree) => T, base?: string): T {
  const key = `${language}\u0000${text.length}\u0000${text.slice(0, 64)}`;
  let entry = treeCache.get(key);
  if (entry && entry.text === text) {
    treeCache.delete(key);
    treeCache.set(key, entry); // most recently used last
  } else {
    if (text.length > TREE_CACHE_MAX_CHARS / 4) return withTree(language, text, use); // too big to keep
    const tree =
      base !== undefined && base !== text && base.length <= TREE_CACHE_MAX_CHARS / 4
        ? withCachedTree(language, base, (baseTree) => parseAsEditOf(language, baseTree, base, text))
        : parseSync(language, text);
    const old = treeCache.get(key); // looked up again: parsing `base` may have evicted it
    if (old && old.users > 0) {
      // A different text with the same key is in use further up the stack: do not cache this one.
      try {
        return use(tree);
      } finally {
        tree.delete();
      }
    }
    if (old) evictTree(key, old);
    entry = { text, tree, users: 0 };
    treeCache.set(key, entry);
    treeCacheChars += text.length;
    for (const [k, v] of treeCache) {
      if (treeCacheChars <= TREE_CACHE_MAX_CHARS && treeCache.size <= TREE_CACHE_MAX_ENTRIES) break;
      if (v !== entry) evictTree(k, v);
    }
  }
  entry.users++;
  try {
    return use(entry.tree);
  } finally {
    entry.users--;
  }
}

function evictTree(key: string, entry: CachedTree): void {
  if (entry.users > 0) return;
  treeCache.delete(key);
  treeCacheChars -= entry.text.length;
  entry.tree.delete();
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
    case ".go":
      return "go";
    case ".java":
      return "java";
    case ".rs":
      return "rust";
    default:
      return null;
  }
}

// Declaration files hold only types (no bodies); task generators usually want to skip them.
export function isDeclarationFile(path: string): boolean {
  return /\.d\.[mc]?ts$/i.test(path);
}
