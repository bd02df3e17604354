// An index as JSONL (one FileIndex per line, what `hgym index` writes) and back. Apart from index-repo.ts because
// reading checks every record against its schema (zod), which indexing itself never needs to load.

import { readJsonlSync } from "../util/jsonl.js";
import { fileIndexSchema } from "../core/schemas/code-index.js";
import { openOutputStream } from "../util/output-file.js";
import { UserError } from "../core/errors.js";
import { addToStats, summarizeFile, type IndexStats } from "./index-stats.js";
import type { RepoIndex } from "./index-repo.js";
import type { FileIndex } from "./types.js";

// One FileIndex per line, written through the shared output helper (checked path, atomic, one-line errors).
export async function writeIndexJsonl(index: RepoIndex | FileIndex[], outPath: string): Promise<void> {
  const files = Array.isArray(index) ? index : index.files;
  const out = openOutputStream(outPath);
  try {
    for (const f of files) out.write(JSON.stringify(f) + "\n");
  } catch (e) {
    out.abort();
    throw e;
  }
  out.commit();
}

export function readIndexJsonl(path: string): RepoIndex {
  const records: FileIndex[] = [];
  const lines = readJsonlSync(path, fileIndexSchema, {
    badLines: "skip",
    onSkip: (e) => {
      throw new UserError(`index file ${path} is damaged at line ${e.line}: ${e.message}; re-run \`hgym index\` to rebuild it`);
    },
  });
  for (const { value } of lines) records.push(value);
  const stats: IndexStats = { files: 0, bytes: 0, skipped: 0, tooLarge: 0, byLanguage: {} };
  for (const f of records) addToStats(stats, summarizeFile(f));
  return { files: records, stats };
}
