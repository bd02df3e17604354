// Reading the instance file for a run. Each line is checked against the instance schema (src/core/schemas); a bad
// line is reported by its line number and field and skipped, so one bad instance never stops a batch (the command
// still exits non-zero at the end). The file's sha256 goes into run.json so a resume can tell it is the same set.

import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { RecordError, UserError } from "../core/errors.js";
import { instanceSchema } from "../core/schemas/instance.js";
import type { Instance } from "../tasks/types.js";
import { readJsonlSync } from "../util/jsonl.js";

export interface InstanceProblem {
  line: number; // 1-based
  message: string; // what is wrong with the line, without the file and line (callers add them)
}

export interface LoadedInstances {
  path: string;
  sha256: string;
  instances: Instance[]; // in file order; the first of duplicate ids wins
  problems: InstanceProblem[];
}

// Instances of the current schema (older versions migrated), bad lines reported to `problems`. Duplicate ids are
// problems too: the first one is used.
export function loadInstances(path: string): LoadedInstances {
  const sha256 = fileSha256(path);
  const instances: Instance[] = [];
  const problems: InstanceProblem[] = [];
  const seen = new Set<string>();
  const records = readJsonlSync(path, instanceSchema, { badLines: "skip", onSkip: (e) => problems.push({ line: e.line, message: e.message }) });
  for (const { value, line } of records) {
    if (seen.has(value.instance_id)) {
      problems.push({ line, message: `duplicate instance_id "${value.instance_id}" (the first one is used)` });
      continue;
    }
    seen.add(value.instance_id);
    instances.push(value);
  }
  problems.sort((a, b) => a.line - b.line);
  return { path, sha256, instances, problems };
}

// The instances a run works on: the file's usable instances (bad lines logged and kept in `loaded.problems`), those
// of `taskFilter`, the first `limit`. A file with no usable instance is refused before anything is started.
export function selectRunInstances(path: string, taskFilter: readonly string[] | null | undefined, limit: number | null, log: (m: string) => void): { loaded: LoadedInstances; instances: Instance[] } {
  const loaded = loadInstances(path);
  for (const p of loaded.problems) log(`${path}:${p.line}: skipped: ${p.message}`);
  if (loaded.instances.length === 0) {
    const first = loaded.problems.slice(0, 3).map((p) => `line ${p.line}: ${p.message}`).join("; ");
    throw new UserError(`no usable instance in ${path}${first ? ` (${first}${loaded.problems.length > 3 ? "; ..." : ""})` : ": the file is empty"}; nothing to run`);
  }
  let instances = taskFilter ? loaded.instances.filter((i) => taskFilter.includes(i.task)) : loaded.instances;
  if (limit !== null) instances = instances.slice(0, limit);
  return { loaded, instances };
}

// Hashed in chunks, like the reading itself, so an instance file of any size is never held whole.
function fileSha256(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new RecordError(`cannot read the instance file ${path}: ${(e as Error).message}`, path, null);
  }
  try {
    const hash = createHash("sha256");
    const buf = Buffer.alloc(1 << 20);
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) hash.update(buf.subarray(0, n));
    return hash.digest("hex");
  } finally {
    closeSync(fd);
  }
}
