// Streams a JSONL file line by line in fixed-size chunks, so a run directory with hundreds of thousands of large
// rollout records can be resumed without holding the file (or the records) in memory.

import { closeSync, existsSync, openSync, readSync } from "node:fs";
import type { JsonlLineError } from "../util/jsonl.js";

const CHUNK = 1 << 20;

// Where a record's line sits in its file, so a reader can fetch that one record again later (readRecordAt).
export interface RecordLocation {
  line: number; // 1-based
  offset: number; // byte offset of the line
  length: number; // bytes, without the newline
}

// Calls `onRecord` for each parsed line, in order; returns the malformed lines (a torn last line is named as such).
export function forEachJsonlRecord<T>(path: string, onRecord: (record: T, where: RecordLocation) => void): JsonlLineError[] {
  const errors: JsonlLineError[] = [];
  if (!existsSync(path)) return errors;
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(CHUNK);
    let pending: Buffer[] = []; // bytes of the current line so far (a line can span chunks)
    let lineNo = 0;
    let offset = 0; // byte offset of the current line's start
    const handle = (bytes: Buffer, complete: boolean): void => {
      lineNo++;
      const where: RecordLocation = { line: lineNo, offset, length: bytes.length };
      offset += bytes.length + 1;
      const text = bytes.toString("utf8").trim();
      if (!text) return;
      let value: T;
      try {
        value = JSON.parse(text) as T;
      } catch (e) {
        errors.push({
          line: lineNo,
          message: complete ? `not valid JSON: ${(e as Error).message}` : "incomplete last line (the writer was probably killed mid-write)",
        });
        return;
      }
      onRecord(value, where);
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

// Reads back one record found earlier by forEachJsonlRecord.
export function readRecordAt<T>(path: string, where: RecordLocation): T {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(where.length);
    let got = 0;
    while (got < where.length) {
      const n = readSync(fd, buf, got, where.length - got, where.offset + got);
      if (n === 0) break;
      got += n;
    }
    if (got !== where.length) throw new Error(`${path} changed while being read (line ${where.line} is no longer there)`);
    return JSON.parse(buf.toString("utf8")) as T;
  } catch (e) {
    throw new Error(`${path}:${where.line}: cannot read the record again: ${(e as Error).message}`);
  } finally {
    closeSync(fd);
  }
}
