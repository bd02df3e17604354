// Reads the complete lines of a file from a byte offset on, in fixed-size chunks, so indexing a 1 GB run needs
// memory for one chunk and one line, and an index can be extended when a running `hgym rollout` appends records.
// A last line without its newline is left alone: its writer may still be writing it.

import { closeSync, openSync, readSync } from "node:fs";

const CHUNK = 1 << 20;

export interface ScannedLine {
  line: number; // 1-based
  offset: number; // byte offset of the line
  length: number; // bytes, without the newline
}

// Calls `onLine` for every newline-terminated line starting at `from` (which must be a line start, numbered
// `firstLine`). Returns where scanning stopped (the start of the first incomplete line, or the end of the file) and
// the next line number.
export function scanLines(
  path: string,
  from: number,
  firstLine: number,
  onLine: (bytes: Buffer, where: ScannedLine) => void,
): { end: number; nextLine: number } {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(CHUNK);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let lineStart = from;
    let lineNo = firstLine;
    let pos = from;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) break;
      pos += n;
      let start = 0;
      for (let nl = buf.indexOf(0x0a, 0); nl !== -1 && nl < n; nl = buf.indexOf(0x0a, start)) {
        const piece = buf.subarray(start, nl);
        const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        const length = pendingBytes + piece.length;
        pending = [];
        pendingBytes = 0;
        onLine(bytes, { line: lineNo, offset: lineStart, length });
        lineNo++;
        lineStart += length + 1;
        start = nl + 1;
      }
      if (start < n) {
        // Copied: the next read reuses the buffer.
        pending.push(Buffer.from(buf.subarray(start, n)));
        pendingBytes += n - start;
      }
    }
    return { end: lineStart, nextLine: lineNo };
  } finally {
    closeSync(fd);
  }
}

// One line again, by its place (the index keeps offsets, not records).
export { readLineAt } from "../util/jsonl.js";

// Reads many lines of one file (a full-text search over every record): one open file and one buffer, grown to the
// longest line, instead of an open and an allocation per line. The returned bytes are valid until the next read.
export class LineReader {
  private fd: number;
  private buf = Buffer.alloc(1 << 16);

  constructor(path: string) {
    this.fd = openSync(path, "r");
  }

  read(where: { offset: number; length: number }): Buffer {
    if (this.buf.length < where.length) this.buf = Buffer.alloc(Math.max(where.length, this.buf.length * 2));
    let got = 0;
    while (got < where.length) {
      const n = readSync(this.fd, this.buf, got, where.length - got, where.offset + got);
      if (n === 0) break;
      got += n;
    }
    return this.buf.subarray(0, got);
  }

  close(): void {
    closeSync(this.fd);
  }
}
