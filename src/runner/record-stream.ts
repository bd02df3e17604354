// Streams a JSONL file line by line in fixed-size chunks, so a run directory with hundreds of thousands of large
// rollout records can be resumed without holding the file (or the records) in memory.

import { closeSync, existsSync, openSync, readSync } from "node:fs";
import type { JsonlLineError } from "../util/jsonl.js";

const CHUNK = 1 << 20;

// Calls `onRecord` for each parsed line, in order; returns the malformed lines (a torn last line is named as such).
export function forEachJsonlRecord<T>(path: string, onRecord: (record: T, line: number) => void): JsonlLineError[] {
  const errors: JsonlLineError[] = [];
  if (!existsSync(path)) return errors;
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(CHUNK);
    let pending: Buffer[] = []; // bytes of the current line so far (a line can span chunks)
    let lineNo = 0;
    const handle = (bytes: Buffer, complete: boolean): void => {
      lineNo++;
      const text = bytes.toString("utf8").trim();
      if (!text) return;
      try {
        onRecord(JSON.parse(text) as T, lineNo);
      } catch (e) {
        errors.push({
          line: lineNo,
          message: complete ? `not valid JSON: ${(e as Error).message}` : "incomplete last line (the writer was probably killed mid-write)",
        });
      }
    };
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      let start = 0;
      for (let i = buf.indexOf(0x0a, 0); i !== -1 && i < n; i = buf.indexOf(0x0a, start)) {
        pending.push(buf.subarray(start, i));
        handle(Buffer.concat(pending), true);
        pending = [];
        start = i + 1;
      }
      if (start < n) pending.push(Buffer.from(buf.subarray(start, n)));
    }
    if (pending.length > 0) handle(Buffer.concat(pending), false);
  } finally {
    closeSync(fd);
  }
  return errors;
}
