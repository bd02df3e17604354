// The one place the task families reach into the code index (src/lang): parsing, indexing single texts and
// comparing trees. Families index texts that are not in any snapshot (masked files, an agent's final files), so
// they go through these helpers rather than a repository-wide index.

import { languageProfile } from "../../lang/profile.js";
import { createHash } from "node:crypto";
import type { Definition, FileIndex, LanguageId } from "../../lang/types.js";
import { languageForPath, initLanguages, isDeclarationFile } from "../../lang/parser.js";
import { indexFileSync } from "../../lang/indexer.js";
import { compareTrees, hasSyntaxErrors } from "../../lang/tree-compare.js";
import { TextLru } from "../../util/text-lru.js";

export { languageForPath, initLanguages, isDeclarationFile, compareTrees, hasSyntaxErrors };

// Languages whose grammar has to be loaded before the synchronous helpers work; callers await this once.
export async function ensureLanguages(): Promise<void> {
  await initLanguages();
}

// Verification indexes the same starting texts over and over (the gold patch, the null workspace and every hack
// share them), so recent results are kept in a small LRU keyed by path and exact text, bounded by text size.
// Callers must not mutate a returned index.
const indexCache = new TextLru<FileIndex>(32 * 1024 * 1024);

// Indexes one text as the file at `path`; null when the path is not a code file we understand. `base`, when
// given, is the text `text` was made from (a file's starting version): `text` is then parsed as an edit of it,
// reusing base's cached tree; the index is the same as without it.
export function indexText(path: string, text: string, base?: string): FileIndex | null {
  const language = languageForPath(path);
  if (!language) return null;
  // Keyed by a content hash: two versions of a file often have the same length (a comment moved, a line edited),
  // and a length-only key made them evict each other so large files were re-indexed on every verification.
  // A verification asks for the same few texts several times (the comments-only check, then the verifier), so the
  // keys of the last few are remembered: comparing the very same string object costs nothing, hashing costs a pass.
  const key = recentKey(path, text);
  const hit = indexCache.get(key, text);
  if (hit) return hit;
  const index = indexFileSync(path, text, language, base);
  indexCache.set(key, text, index);
  return index;
}

const RECENT_KEYS = 8;
const recentKeys: { path: string; text: string; key: string }[] = [];

function recentKey(path: string, text: string): string {
  for (const r of recentKeys) if (r.path === path && r.text.length === text.length && r.text === text) return r.key;
  const key = `${path}\u0000${createHash("sha1").update(text).digest("base64")}`;
  if (recentKeys.length >= RECENT_KEYS) recentKeys.pop();
  recentKeys.unshift({ path, text, key });
  return key;
}

// The comment marker used for line comments in annotations and hacks.
export function lineCommentMarker(language: LanguageId): string {
  return languageProfile(language).lineComment;
}

// Finds a definition by its key (qualified name made unique within the file). Keys survive edits that move
// lines, so a verifier re-indexes the final text and looks the target up by key, never by line number.
export function findByKey(index: FileIndex, key: string): Definition | null {
  return index.definitions.find((d) => d.key === key) ?? null;
}

export function findDefinitionInText(path: string, text: string, key: string): Definition | null {
  const index = indexText(path, text);
  return index ? findByKey(index, key) : null;
}

// Indexes every code file of a view (optionally one language), skipping declaration files. Files that fail to
// parse cleanly are kept (hasErrors is set) so callers can decide; most families skip them as targets. The
// indexes come from indexText's cache, so callers must not mutate them.
export function indexView(files: { paths(): string[]; read(path: string): string | null }, language: LanguageId | null): FileIndex[] {
  const out: FileIndex[] = [];
  for (const path of files.paths()) {
    const lang = languageForPath(path);
    if (!lang || isDeclarationFile(path)) continue;
    if (language && !sameLanguageFamily(lang, language)) continue;
    const text = files.read(path);
    if (text === null) continue;
    // Through the content-keyed cache: history mining indexes one repository state per mined commit, and a file
    // the commits did not touch is then found by its hash instead of being parsed again.
    out.push(indexText(path, text) ?? indexFileSync(path, text, lang));
  }
  return out;
}

// `--language typescript` also covers .tsx files, which use the tsx grammar.
export function sameLanguageFamily(a: LanguageId, b: LanguageId): boolean {
  const norm = (l: LanguageId) => (l === "tsx" ? "typescript" : l);
  return norm(a) === norm(b);
}
