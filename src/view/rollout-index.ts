// The viewer's index of one run's rollouts.jsonl: for every record its byte offset and length plus the few fields
// the list, filters, charts and comparisons need. Built once by streaming the file (the kept fields of each record
// read and checked by record-summary.ts, the rest skipped), extended in place when the file grows; the trajectory
// page reads the one record it shows back from its offset and checks all of it.

import { statSync } from "node:fs";
import type { RolloutRecord } from "../agent/types.js";
import { checkRecord } from "../core/schemas/check.js";
import { rolloutSchema } from "../core/schemas/rollout.js";
import { readLineAt, scanLines } from "./line-scan.js";
import { summarizeRecordLine, type RecordSummary } from "./record-summary.js";

// ~200 bytes per record in memory: 10,000 rollouts of 100 KB each index into a few MB.
export interface RolloutEntry {
  line: number; // 1-based line in rollouts.jsonl: the record's id in URLs
  offset: number;
  length: number;
  instance_id: string;
  sample: number;
  attempt: number;
  task: string;
  repo: string;
  language: string;
  model: string;
  success: boolean;
  score: number | null; // null when verification did not run
  exit_reason: string;
  failure: string;
  steps: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost: number;
  wall_ms: number;
  violations: string[]; // codes
  error: string | null; // first 300 characters
  current: boolean; // the record that settles its (instance, sample) pair (see refreshCurrent)
}

export interface BadLine {
  line: number;
  message: string;
}

const KEPT_BAD_LINES = 50;

export class RolloutIndex {
  readonly entries: RolloutEntry[] = [];
  readonly badLines: BadLine[] = [];
  badLineCount = 0;
  indexedBytes = 0; // the file up to here is indexed (always a line start)
  buildMs = 0;
  private nextLine = 1;
  private byLine = new Map<number, RolloutEntry>();

  constructor(readonly path: string) {}

  // Indexes what was appended since the last call; starts over when the file shrank (it was replaced). Returns
  // whether anything changed.
  refresh(): boolean {
    let size: number;
    try {
      size = statSync(this.path).size;
    } catch {
      size = 0;
    }
    if (size === this.indexedBytes) return false;
    const t0 = performance.now();
    if (size < this.indexedBytes) this.reset();
    const added: RolloutEntry[] = [];
    const { end, nextLine } = scanLines(this.path, this.indexedBytes, this.nextLine, (bytes, where) => {
      const fast = summarizeRecordLine(bytes);
      if (fast) {
        added.push(entryOf(fast, where));
        return;
      }
      const text = bytes.toString("utf8").trim();
      if (!text) return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        this.noteBadLine(where.line, `not valid JSON (${(e as Error).message})`);
        return;
      }
      const checked = checkRecord(rolloutSchema, value);
      if (!checked.ok) {
        this.noteBadLine(where.line, checked.message);
        return;
      }
      const rec = checked.value as RolloutRecord;
      added.push(entryOf({ ...rec, steps: rec.steps.length }, where));
    });
    if (end === this.indexedBytes && added.length === 0) return false;
    this.indexedBytes = end;
    this.nextLine = nextLine;
    for (const e of added) {
      this.entries.push(e);
      this.byLine.set(e.line, e);
    }
    this.refreshCurrent();
    this.buildMs += performance.now() - t0;
    return true;
  }

  get(line: number): RolloutEntry | undefined {
    return this.byLine.get(line);
  }

  // The full record of an entry, checked again (the file may have been replaced since it was indexed).
  read(entry: RolloutEntry): RolloutRecord {
    const bytes = readLineAt(this.path, entry);
    const checked = checkRecord(rolloutSchema, JSON.parse(bytes.toString("utf8")));
    if (!checked.ok) throw new Error(`${this.path} line ${entry.line}: ${checked.message}`);
    return checked.value as RolloutRecord;
  }

  private reset(): void {
    this.entries.length = 0;
    this.badLines.length = 0;
    this.badLineCount = 0;
    this.indexedBytes = 0;
    this.nextLine = 1;
    this.byLine = new Map();
  }

  private noteBadLine(line: number, message: string): void {
    this.badLineCount++;
    if (this.badLines.length < KEPT_BAD_LINES) this.badLines.push({ line, message });
  }

  // The runner's rule (runner/run-dir.ts): a pair is settled by its first success or model failure; a pair with
  // only infrastructure failures is shown by its latest attempt. Earlier attempts stay reachable, marked as such.
  private refreshCurrent(): void {
    const settling = new Map<string, RolloutEntry>();
    for (const e of this.entries) {
      const key = `${e.instance_id}\u0000${e.sample}`;
      const prev = settling.get(key);
      if (!prev || prev.failure === "infra") settling.set(key, e);
    }
    for (const e of this.entries) e.current = false;
    for (const e of settling.values()) e.current = true;
  }
}

function entryOf(r: RecordSummary, where: { line: number; offset: number; length: number }): RolloutEntry {
  return {
    line: where.line,
    offset: where.offset,
    length: where.length,
    instance_id: r.instance_id,
    sample: r.sample,
    attempt: r.attempt,
    task: r.task,
    repo: r.repo,
    language: r.language,
    model: r.model,
    success: r.reward?.success ?? false,
    score: r.reward ? r.reward.score : null,
    exit_reason: r.exit_reason,
    failure: r.failure,
    steps: r.steps,
    prompt_tokens: r.usage.prompt_tokens,
    completion_tokens: r.usage.completion_tokens,
    cost: r.cost,
    wall_ms: r.wall_ms,
    violations: [...new Set((r.reward?.violations ?? []).map((v) => v.code))],
    error: r.error ? r.error.slice(0, 300) : null,
    current: false,
  };
}
