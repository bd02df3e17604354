// JSON Lines: streaming, schema-checked reading and crash-safe appending, shared by every command that reads or
// writes records. Reading never holds the file: lines are cut from fixed-size chunks, so a run file of any size
// (beyond V8's ~512 MiB string limit) can be read, and a FIFO delivers records before its writer finishes.

import { closeSync, createReadStream, existsSync, fsyncSync, openSync, writeSync, ftruncateSync, fstatSync, readSync } from "node:fs";
import { RecordError } from "../core/errors.js";
import { checkRecord, type RecordSchema } from "../core/schemas/check.js";

const CHUNK = 1 << 20;

// Where a record's line sits in its file, so a reader can fetch that one record again later (readJsonlRecordAt).
export interface RecordLocation {
  line: number; // 1-based
  offset: number; // byte offset of the line
  length: number; // bytes, without the newline
}

export interface JsonlRecord<T> extends RecordLocation {
  value: T;
}

// A line that is not JSON or does not match the schema. `torn`: the last line had no newline (a writer killed
// mid-write); `message` says what is wrong ("field `task`: missing") without the file and line, which callers
// print their own way (a thrown RecordError says "<path> line <n>: <message>").
export interface JsonlLineError {
  path: string;
  line: number;
  message: string;
  torn: boolean;
  json?: unknown; // the line's JSON value when it parsed but failed the schema (to name the record, e.g. its id)
}

// What to do with a bad line. "fail": throw a RecordError at the first one (files a user gives us, where a bad line
// is a mistake to fix). "skip": report it to `onSkip` and go on (append-only files after a crash, or batches where
// one bad record must not stop the rest).
export type BadLinePolicy = { badLines: "fail" } | { badLines: "skip"; onSkip: (error: JsonlLineError) => void };

// Cuts a byte stream into lines, keeping each line's byte offset. A line may span any number of chunks.
class LineSplitter {
  private pending: Buffer[] = [];
  private lineNo = 0;
  private offset = 0;

  *push(chunk: Buffer): Generator<{ bytes: Buffer; where: RecordLocation }> {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      this.pending.push(chunk.subarray(start, nl));
      yield this.take();
      start = nl + 1;
    }
    // Copied: the caller may reuse the chunk's memory for the next read.
    if (start < chunk.length) this.pending.push(Buffer.from(chunk.subarray(start)));
  }

  // The last line when the input did not end with a newline.
  end(): { bytes: Buffer; where: RecordLocation } | null {
    return this.pending.length > 0 ? this.take() : null;
  }

  private take(): { bytes: Buffer; where: RecordLocation } {
    const bytes = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    this.pending = [];
    this.lineNo++;
    const where = { line: this.lineNo, offset: this.offset, length: bytes.length };
    this.offset += bytes.length + 1;
    return { bytes, where };
  }
}

// Parses and checks one line. Returns null for a blank line.
function decodeLine<T>(
  path: string,
  bytes: Buffer,
  where: RecordLocation,
  complete: boolean,
  schema: RecordSchema<T>,
): { record: JsonlRecord<T> } | { error: JsonlLineError } | null {
  const text = bytes.toString("utf8").trim();
  if (!text) return null;
  const fail = (message: string, torn = false, json?: unknown) => ({ error: { path, line: where.line, message, torn, ...(json !== undefined ? { json } : {}) } });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return complete ? fail(`not valid JSON (${(e as Error).message})`) : fail("incomplete last line (the writer was probably killed mid-write)", true);
  }
  const checked = checkRecord(schema, value);
  if (!checked.ok) return fail(checked.message, false, value);
  return { record: { ...where, value: checked.value } };
}

function applyPolicy(error: JsonlLineError, policy: BadLinePolicy): void {
  if (policy.badLines === "fail") throw lineError(error);
  policy.onSkip(error);
}

export function lineError(error: JsonlLineError): RecordError {
  return new RecordError(`${error.path} line ${error.line}: ${error.message}`, error.path, error.line);
}

function isSystemError(e: unknown): boolean {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string" && typeof (e as NodeJS.ErrnoException).syscall === "string";
}

function unreadable(path: string, e: unknown): RecordError {
  return new RecordError(`cannot read ${path}: ${(e as Error).message}`, path, null);
}

// The records of the complete lines in one more chunk of the file, or (chunk null) of the unterminated last line,
// each checked; a bad line goes to the policy.
function* recordsOf<T>(path: string, splitter: LineSplitter, chunk: Buffer | null, schema: RecordSchema<T>, policy: BadLinePolicy): Generator<JsonlRecord<T>> {
  if (chunk === null) {
    const last = splitter.end();
    const r = last ? decodeLine(path, last.bytes, last.where, false, schema) : null;
    if (r && "error" in r) applyPolicy(r.error, policy);
    else if (r) yield r.record;
    return;
  }
  for (const { bytes, where } of splitter.push(chunk)) {
    const r = decodeLine(path, bytes, where, true, schema);
    if (!r) continue;
    if ("error" in r) applyPolicy(r.error, policy);
    else yield r.record;
  }
}

// Streams the records of a JSONL file, each checked with `schema`. Blank lines are ignored. A missing or unreadable
// file is a RecordError. Breaking out of the loop closes the file.
export async function* readJsonl<T>(path: string, schema: RecordSchema<T>, policy: BadLinePolicy): AsyncGenerator<JsonlRecord<T>> {
  const splitter = new LineSplitter();
  const stream = createReadStream(path, { highWaterMark: CHUNK });
  try {
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        yield* recordsOf(path, splitter, chunk, schema, policy);
      }
    } catch (e) {
      throw isSystemError(e) ? unreadable(path, e) : e;
    }
    yield* recordsOf(path, splitter, null, schema, policy);
  } finally {
    stream.destroy();
  }
}

// The same reader for synchronous callers (opening a run directory): reads chunk by chunk with readSync, so memory
// stays bounded by the longest line.
export function* readJsonlSync<T>(path: string, schema: RecordSchema<T>, policy: BadLinePolicy): Generator<JsonlRecord<T>> {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw unreadable(path, e);
  }
  try {
    const splitter = new LineSplitter();
    const buf = Buffer.alloc(CHUNK);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, CHUNK, null);
      } catch (e) {
        throw unreadable(path, e);
      }
      if (n === 0) break;
      yield* recordsOf(path, splitter, buf.subarray(0, n), schema, policy);
    }
    yield* recordsOf(path, splitter, null, schema, policy);
  } finally {
    closeSync(fd);
  }
}

// Every record of a file whose records are few enough to hold (tests, small user files), failing on the first bad
// line. The file itself is still read in chunks.
export function readJsonlRecords<T>(path: string, schema: RecordSchema<T>): T[] {
  return Array.from(readJsonlSync(path, schema, { badLines: "fail" }), (r) => r.value);
}

// The bytes of one line found earlier (by offset and length); shorter when the file has shrunk since.
export function readLineAt(path: string, where: { offset: number; length: number }): Buffer {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(where.length);
    let got = 0;
    while (got < where.length) {
      const n = readSync(fd, buf, got, where.length - got, where.offset + got);
      if (n === 0) break;
      got += n;
    }
    return got === where.length ? buf : buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

// Reads back one record found earlier by readJsonl/readJsonlSync, checked again (the file may have changed).
export function readJsonlRecordAt<T>(path: string, where: RecordLocation, schema: RecordSchema<T>): T {
  const buf = readLineAt(path, where);
  if (buf.length !== where.length) throw new RecordError(`${path} line ${where.line}: the file changed while being read (the line is no longer there)`, path, where.line);
  const r = decodeLine(path, buf, where, true, schema);
  if (!r) throw new RecordError(`${path} line ${where.line}: the file changed while being read (the line is now blank)`, path, where.line);
  if ("error" in r) throw lineError(r.error);
  return r.record.value;
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
