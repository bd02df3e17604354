// The files an instance's gold answer touches, for the "did the agent look at the right file" check. Every task
// family stores its gold answer with a `patch` (a unified diff against the starting state); the files are the
// paths in its headers, plus a gold `file` or `files` field when there is one. Instances without any are left
// out (their check is skipped, not failed).

import { existsSync } from "node:fs";
import { instanceSchema } from "../core/schemas/instance.js";
import { readJsonl } from "../util/jsonl.js";

export function patchFiles(patch: string): string[] {
  const files = new Set<string>();
  for (const m of patch.matchAll(/^(?:\+\+\+|---) (?:[ab]\/)?(\S+)/gm)) {
    const path = m[1] as string;
    if (path !== "/dev/null") files.add(path);
  }
  return [...files].sort();
}

export function goldFiles(gold: unknown): string[] {
  if (!gold || typeof gold !== "object") return [];
  const g = gold as { patch?: unknown; file?: unknown; files?: unknown };
  const out = new Set(typeof g.patch === "string" ? patchFiles(g.patch) : []);
  if (typeof g.file === "string") out.add(g.file);
  if (Array.isArray(g.files)) for (const f of g.files) if (typeof f === "string") out.add(f);
  return [...out].sort();
}

// instance id -> gold files, read from an instances file (only the file lists are kept). Bad lines are skipped
// and counted: the file is only an aid to the analysis.
export async function readGoldFiles(path: string): Promise<{ files: Map<string, string[]>; skipped: number }> {
  const files = new Map<string, string[]>();
  let skipped = 0;
  if (!existsSync(path)) return { files, skipped };
  for await (const { value } of readJsonl(path, instanceSchema, { badLines: "skip", onSkip: () => skipped++ })) {
    const f = goldFiles(value.gold);
    if (f.length > 0) files.set(value.instance_id, f);
  }
  return { files, skipped };
}
