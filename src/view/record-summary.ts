// The few fields of a rollout record the viewer's index keeps, read without parsing the whole record. A 100 KB
// record is almost all conversation, observations and model responses; JSON.parse of all of it made indexing a
// 1 GB run take minutes here. This reader walks the record's top level, skips the large values by jumping from quote
// to quote (Buffer.indexOf, native), counts the steps, and parses only the small fields it keeps, which are then
// checked against the rollout schema's own definitions of those fields. The whole record is checked when it is
// shown (RolloutIndex.read). A record it cannot read this way (another schema version, odd layout) returns null and
// the caller parses it in full.

import { z } from "zod";
import { ROLLOUT_SCHEMA_TAG, rolloutRecordSchema } from "../core/schemas/rollout.js";

const KEPT = ["schema", "instance_id", "task", "repo", "language", "sample", "attempt", "model", "reward", "exit_reason", "failure", "error", "usage", "cost", "wall_ms"] as const;
const keptSchema = rolloutRecordSchema.pick(Object.fromEntries(KEPT.map((k) => [k, true])) as { [K in (typeof KEPT)[number]]: true });
export type RecordSummary = z.output<typeof keptSchema> & { steps: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(b: Buffer, i: number): number {
  while (isSpace(b[i])) i++;
  return i;
}

// b[i] is the opening quote; returns the index after the closing one, or -1.
function skipString(b: Buffer, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = b.indexOf(QUOTE, j);
    if (q === -1) return -1;
    let k = q - 1;
    while (b[k] === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1; // an even run of backslashes: the quote is not escaped
    j = q + 1;
  }
}

// Returns the index after the value starting at b[i] (after spaces), or -1. `onElement` is called for each element
// of a top-level array value (to count steps without reading them).
function skipValue(b: Buffer, i: number, onElement?: () => void): number {
  i = skipSpace(b, i);
  const c = b[i];
  if (c === QUOTE) return skipString(b, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    const counting = c === 0x5b && onElement !== undefined;
    let sawElement = false;
    for (; i < b.length; i++) {
      const ch = b[i] as number;
      if (ch === QUOTE) {
        if (counting && depth === 1 && !sawElement) {
          sawElement = true;
          onElement();
        }
        i = skipString(b, i) - 1;
        if (i < 0) return -1;
        continue;
      }
      if (ch === 0x7b || ch === 0x5b) {
        if (counting && depth === 1 && !sawElement) {
          sawElement = true;
          onElement();
        }
        depth++;
      } else if (ch === 0x7d || ch === 0x5d) {
        depth--;
        if (depth === 0) return i + 1;
      } else if (ch === 0x2c && depth === 1) {
        sawElement = false;
      } else if (counting && depth === 1 && !sawElement && !isSpace(ch)) {
        sawElement = true;
        onElement();
      }
    }
    return -1;
  }
  // A number, true, false or null.
  while (i < b.length) {
    const ch = b[i] as number;
    if (ch === 0x2c || ch === 0x7d || ch === 0x5d || isSpace(ch)) break;
    i++;
  }
  return i;
}

// The kept fields of one record line, or null when the line is not a current-version rollout record this reader
// can walk (the caller then parses it in full) — never a wrong answer for a well-formed line.
export function summarizeRecordLine(line: Buffer): RecordSummary | null {
  let i = skipSpace(line, 0);
  if (line[i] !== 0x7b) return null;
  i++;
  const picked: Record<string, unknown> = {};
  let steps = -1;
  for (;;) {
    i = skipSpace(line, i);
    if (line[i] === 0x7d) break;
    if (line[i] !== QUOTE) return null;
    const keyEnd = skipString(line, i);
    if (keyEnd < 0) return null;
    let key: string;
    try {
      key = JSON.parse(line.toString("utf8", i, keyEnd)) as string;
    } catch {
      return null;
    }
    i = skipSpace(line, keyEnd);
    if (line[i] !== 0x3a) return null;
    const start = skipSpace(line, i + 1);
    let end: number;
    if (key === "steps") {
      let n = 0;
      end = skipValue(line, start, () => n++);
      steps = n;
    } else {
      end = skipValue(line, start);
      if (end > 0 && (KEPT as readonly string[]).includes(key)) {
        try {
          picked[key] = JSON.parse(line.toString("utf8", start, end));
        } catch {
          return null;
        }
      }
    }
    if (end < 0) return null;
    i = skipSpace(line, end);
    if (line[i] === 0x2c) {
      i++;
      continue;
    }
    if (line[i] === 0x7d) break;
    return null;
  }
  if (picked.schema !== ROLLOUT_SCHEMA_TAG || steps < 0) return null; // older versions are migrated by the full parse
  const checked = keptSchema.safeParse(picked);
  if (!checked.success) return null; // the full parse names the bad field
  return { ...checked.data, steps };
}
