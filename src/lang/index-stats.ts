// The statistics of an index (files, bytes, definitions by kind, docstrings, call sites per language), built from
// one small summary per file. A summary is computed where the file was indexed (index-worker.ts or index-repo.ts),
// so both import it from here.

import type { DefinitionKind, FileIndex, LanguageId } from "./types.js";

export interface LanguageStats {
  files: number;
  bytes: number;
  definitions: Partial<Record<DefinitionKind, number>>;
  definitionsTotal: number;
  documented: number; // definitions with a docstring
  callSites: number; // distinct call expressions inside definitions
  filesWithErrors: number;
}

export interface IndexStats {
  files: number;
  bytes: number;
  skipped: number; // files of no language we index, or unreadable
  tooLarge: number; // source files over MAX_INDEX_FILE_BYTES, not indexed (their record would not fit one line)
  byLanguage: Partial<Record<LanguageId, LanguageStats>>;
}

function emptyStats(): LanguageStats {
  return { files: 0, bytes: 0, definitions: {}, definitionsTotal: 0, documented: 0, callSites: 0, filesWithErrors: 0 };
}

// What one file adds to the statistics; computed where the file was indexed so a worker can send it alongside
// the file's JSON without the main thread having to rebuild the objects.
export interface FileSummary {
  language: LanguageId;
  bytes: number;
  hasErrors: boolean;
  kinds: Partial<Record<DefinitionKind, number>>;
  documented: number;
  callSites: number;
}

// Own properties only: "constructor" is a definition kind and also a property every object inherits.
function countOf(counts: Partial<Record<DefinitionKind, number>>, kind: DefinitionKind): number {
  return Object.hasOwn(counts, kind) ? (counts[kind] as number) : 0;
}

export function summarizeFile(file: FileIndex): FileSummary {
  const kinds: Partial<Record<DefinitionKind, number>> = {};
  let documented = 0;
  const seen = new Set<number | string>();
  for (const d of file.definitions) {
    kinds[d.kind] = countOf(kinds, d.kind) + 1;
    if (d.docstring) documented++;
    // A call appears in the list of every definition enclosing it; count each call expression once, by its
    // (start, end) pair packed into one number while that is exact.
    for (const c of d.calls) {
      const { startOffset: s, endOffset: e } = c.span;
      seen.add(e < 2 ** 26 ? s * 2 ** 26 + e : `${s}:${e}`);
    }
  }
  return { language: file.language, bytes: file.bytes, hasErrors: file.hasErrors, kinds, documented, callSites: seen.size };
}

export function addToStats(stats: IndexStats, summary: FileSummary): void {
  const s = (stats.byLanguage[summary.language] ??= emptyStats());
  stats.files++;
  stats.bytes += summary.bytes;
  s.files++;
  s.bytes += summary.bytes;
  if (summary.hasErrors) s.filesWithErrors++;
  for (const [kind, n] of Object.entries(summary.kinds) as [DefinitionKind, number][]) {
    s.definitions[kind] = countOf(s.definitions, kind) + n;
    s.definitionsTotal += n;
  }
  s.documented += summary.documented;
  s.callSites += summary.callSites;
}

// The largest source file indexed. A file's index is one JSON line, typically 20 times the source and up to 80
// times for dense code: a 50 MB file made a 4 GB record, past the longest string the JS engine can build.
// Ingestion's --max-file-bytes is capped at this (src/cli/index-cmd.ts); here it guards library callers.
export const MAX_INDEX_FILE_BYTES = 4 * 1024 * 1024;
