// JSON Lines reading and crash-safe appending, shared by every command that reads or writes records.

import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync, ftruncateSync, fstatSync, readSync } from "node:fs";

export interface JsonlLineError {
  line: number; // 1-based
  message: string;
}

export interface JsonlReadResult<T> {
  records: T[];
  errors: JsonlLineError[]; // malformed lines, each named by number; the rest still load
}

// Reads a JSONL file. Blank lines are ignored; a malformed line is reported, never fatal. A final line without
// a newline that does not parse is the torn tail of a killed writer and is reported as such.
export function readJsonl<T = unknown>(path: string): JsonlReadResult<T> {
  const text = readFileSync(path, "utf8");
  return parseJsonl<T>(text);
}

export function parseJsonl<T = unknown>(text: string): JsonlReadResult<T> {
  const records: T[] = [];
  const errors: JsonlLineError[] = [];
  const lines = text.split("\n");
  const endsWithNewline = text.endsWith("\n");
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    try {
      records.push(JSON.parse(line) as T);
    } catch (e) {
      const torn = i === lines.length - 1 && !endsWithNewline;
      errors.push({
        line: i + 1,
        message: torn ? "incomplete last line (the writer was probably killed mid-write)" : `not valid JSON: ${(e as Error).message}`,
      });
    }
  });
  return { records, errors };
}

// Appends one record per call as a single write of one complete line, then fsyncs, so a reader never sees half a
// record and a SIGKILL loses at most the record being written. On open, a torn last line left by an earlier
// killed writer is cut off so new records never join onto it.
export class JsonlAppender {
  private fd: number;
  constructor(
    readonly path: string,
    private readonly sync = true,
  ) {
    this.fd = openSync(path, existsSync(path) ? "r+" : "w+");
    repairTornTail(this.fd);
    this.fd = reopenForAppend(this.fd, path);
  }
  append(record: unknown): void {
    writeSync(this.fd, JSON.stringify(record) + "\n");
    if (this.sync) fsyncSync(this.fd);
  }
  close(): void {
    closeSync(this.fd);
  }
}

function repairTornTail(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] === 0x0a) return;
  // Find the last newline and truncate after it.
  const chunk = 64 * 1024;
  let pos = size;
  while (pos > 0) {
    const start = Math.max(0, pos - chunk);
    const buf = Buffer.alloc(pos - start);
    readSync(fd, buf, 0, buf.length, start);
    const nl = buf.lastIndexOf(0x0a);
    if (nl >= 0) {
      ftruncateSync(fd, start + nl + 1);
      return;
    }
    pos = start;
  }
  ftruncateSync(fd, 0);
}

function reopenForAppend(fd: number, path: string): number {
  closeSync(fd);
  return openSync(path, "a");
}
