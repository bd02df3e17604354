// The viewer's index of an instance file: where each instance's line is and the fields the overview counts
// (task, repository, language, difficulty). Instances are read back whole only for the page that shows one.

import { statSync } from "node:fs";
import { checkRecord } from "../core/schemas/check.js";
import { instanceSchema } from "../core/schemas/instance.js";
import type { Instance } from "../tasks/types.js";
import { readLineAt, scanLines } from "./line-scan.js";
import type { BadLine } from "./rollout-index.js";

export interface InstanceEntry {
  line: number;
  offset: number;
  length: number;
  instance_id: string;
  task: string;
  repo: string;
  language: string;
  difficulty: string; // the family's difficulty fields, "key=value" joined, for counting
}

export class InstanceIndex {
  readonly entries: InstanceEntry[] = [];
  readonly byId = new Map<string, InstanceEntry>();
  readonly badLines: BadLine[] = [];
  badLineCount = 0;
  private indexedBytes = 0;

  constructor(readonly path: string) {}

  // Instance files are written whole, not appended: a size change means a new file, so it is indexed again.
  refresh(): boolean {
    let size: number;
    try {
      size = statSync(this.path).size;
    } catch {
      return false; // removed while viewed: keep showing what was indexed
    }
    if (size === this.indexedBytes) return false;
    this.entries.length = 0;
    this.byId.clear();
    this.badLines.length = 0;
    this.badLineCount = 0;
    const { end } = scanLines(this.path, 0, 1, (bytes, where) => {
      const text = bytes.toString("utf8").trim();
      if (!text) return;
      let checked: ReturnType<typeof checkRecord<Instance>>;
      try {
        checked = checkRecord(instanceSchema as never, JSON.parse(text));
      } catch (e) {
        checked = { ok: false, message: `not valid JSON (${(e as Error).message})` };
      }
      if (!checked.ok) {
        this.badLineCount++;
        if (this.badLines.length < 50) this.badLines.push({ line: where.line, message: checked.message });
        return;
      }
      const inst = checked.value;
      const entry: InstanceEntry = {
        ...where,
        instance_id: inst.instance_id,
        task: inst.task,
        repo: inst.repo.name,
        language: inst.language,
        difficulty: difficultyLabel(inst.meta.difficulty),
      };
      this.entries.push(entry);
      if (!this.byId.has(entry.instance_id)) this.byId.set(entry.instance_id, entry);
    });
    this.indexedBytes = end;
    return true;
  }

  read(entry: InstanceEntry): Instance {
    const checked = checkRecord(instanceSchema as never, JSON.parse(readLineAt(this.path, entry).toString("utf8")));
    if (!checked.ok) throw new Error(`${this.path} line ${entry.line}: ${checked.message}`);
    return checked.value as Instance;
  }
}

// Families describe difficulty with their own fields; every built-in family sets `stratum` (its sampling stratum,
// e.g. "function|M"), which is the label; otherwise the fields are joined.
export function difficultyLabel(d: Record<string, number | string>): string {
  if (typeof d.stratum === "string") return d.stratum;
  const parts = Object.entries(d)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? parts.join(" ") : "(none)";
}
