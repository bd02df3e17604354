// Every file a command writes goes through here, so that all of them behave the same way: the output path is
// checked before any work is done (parent folders created, an existing non-regular file refused, the folder
// proven writable), the content lands under its final name only when complete (temporary file in the same
// folder, fsync, rename, fsync of the folder), and a write that fails (disk full, read-only file system,
// permissions, quota) becomes one line naming the path and what to do, with the temporary file removed.

import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync, constants } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../core/errors.js";

// What a failed write means to the user, by errno code.
const WRITE_FAILURES: Record<string, { what: string; todo: string }> = {
  ENOSPC: { what: "no space left on the device", todo: "free space or choose another" },
  EDQUOT: { what: "disk quota exceeded", todo: "free space within your quota or choose another" },
  EROFS: { what: "the file system is read-only", todo: "choose a writable location for" },
  EACCES: { what: "permission denied", todo: "fix the permissions or choose another" },
  EPERM: { what: "operation not permitted", todo: "fix the permissions or choose another" },
  EFBIG: { what: "the file is too large for this file system", todo: "choose another location for" },
  EIO: { what: "input/output error on the device", todo: "check the device or choose another" },
  ENOTDIR: { what: "a parent of the path is not a folder", todo: "choose another" },
  EISDIR: { what: "the path is a folder", todo: "name a file as" },
  ENAMETOOLONG: { what: "the name is too long", todo: "choose a shorter" },
};

// The error thrown for an output that cannot be written. A UserError: the CLI prints its one line and exits 1.
export class OutputFileError extends UserError {
  constructor(
    readonly path: string,
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = "OutputFileError";
  }
}

// Turns a failed file-system call on `path` into the user's one line; anything that is not a file-system error
// (a bug) is returned unchanged so it surfaces as one.
export function describeWriteError(err: unknown, path: string, option = "output path"): Error {
  if (err instanceof OutputFileError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== "string") return err instanceof Error ? err : new Error(String(err));
  const known = WRITE_FAILURES[code];
  const what = known?.what ?? (err as Error).message;
  const todo = known ? `${known.todo} ${option}` : `check the location or choose another ${option}`;
  return new OutputFileError(path, `cannot write ${path}: ${what} (${code}); ${todo}`, code);
}

export interface OutputCheckOptions {
  option?: string; // how the user named the path, for messages ("--out", "--report")
}

// Checks an output file path before any work is done and returns it absolute. Creates missing parent folders;
// refuses a path that exists and is not a regular file (a folder, a device such as /dev/full, a FIFO, a socket);
// proves the folder writable by creating and removing a file in it. A symlink to a regular file is followed:
// the file it points to is what gets replaced.
export function prepareOutputFile(path: string, opts: OutputCheckOptions = {}): string {
  const option = opts.option ?? "output path";
  let target = resolve(path);
  let st: ReturnType<typeof statSync> | null = null;
  try {
    st = statSync(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw describeWriteError(e, target, option);
    if (isDanglingSymlink(target)) throw new OutputFileError(target, `cannot write ${target}: it is a symlink to a missing file; remove the link or choose another ${option}`);
  }
  if (st) {
    if (!st.isFile()) {
      throw new OutputFileError(target, `refusing to write ${target}: it exists and is ${kindOf(st)}, not a regular file; choose another ${option}`);
    }
    target = realpathSync(target);
  }
  const dir = dirname(target);
  makeFolders(dir, option);
  try {
    if (!statSync(dir).isDirectory()) throw new OutputFileError(target, `cannot write ${target}: ${dir} is not a folder; choose another ${option}`);
  } catch (e) {
    throw describeWriteError(e, target, option);
  }
  // access(W_OK) says yes to root on folders root cannot write (a read-only bind mount says EROFS, but a
  // read-only NFS export or an immutable folder do not), so the check is an actual file creation.
  const probe = tempPathFor(target);
  try {
    closeSync(openSync(probe, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600));
  } catch (e) {
    throw describeWriteError(e, target, option);
  }
  rmSync(probe, { force: true });
  return target;
}

// Checks an output folder (a run directory, quickstart's output): created when missing, refused when the path
// is something else, proven writable. Returns it absolute.
export function prepareOutputDir(path: string, opts: OutputCheckOptions = {}): string {
  const option = opts.option ?? "output folder";
  const dir = resolve(path);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new OutputFileError(dir, `refusing to use ${dir} as a folder: it exists and is not one; choose another ${option}`);
  }
  makeFolders(dir, option);
  const probe = join(dir, `.hgym-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    closeSync(openSync(probe, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600));
  } catch (e) {
    throw describeWriteError(e, dir, option);
  }
  rmSync(probe, { force: true });
  return dir;
}

// Writes `content` to `path` atomically: readers see the old file or the complete new one, never a part, and
// after a crash the new content is on disk once this returns. The path should have passed prepareOutputFile
// (callers that did not are checked here too, minus the early failure).
export function writeOutputFile(path: string, content: string | Uint8Array, opts: OutputCheckOptions = {}): void {
  const out = openOutputStream(path, opts);
  try {
    out.write(content);
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
}

// A file written piece by piece (JSONL line by line) into a temporary file beside its final name, renamed into
// place by commit(). Writes are buffered into large chunks, so many small lines cost few system calls, and
// never held whole in memory.
export class OutputStream {
  private fd: number | null;
  private readonly tmp: string;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private done = false;
  bytesWritten = 0;

  constructor(
    readonly path: string,
    private readonly option: string,
  ) {
    this.tmp = tempPathFor(path);
    try {
      this.fd = openSync(this.tmp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
    } catch (e) {
      throw describeWriteError(e, path, option);
    }
  }

  write(chunk: string | Uint8Array): void {
    if (this.done || this.fd === null) throw new Error(`write to ${this.path} after it was committed or aborted`);
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  // Moves the finished file into place. Any failure (including disk full at the last flush or the fsync)
  // removes the temporary file and throws the user's one line.
  commit(): void {
    if (this.done) throw new Error(`${this.path} was already committed or aborted`);
    try {
      this.flush();
      fsyncSync(this.fd as number);
      closeSync(this.fd as number);
      this.fd = null;
      renameSync(this.tmp, this.path);
      this.done = true;
      syncDir(dirname(this.path));
    } catch (e) {
      this.abort();
      throw describeWriteError(e, this.path, this.option);
    }
  }

  // Drops the temporary file; the final name is left as it was. Safe to call more than once.
  abort(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        /* already unusable; the file is removed below */
      }
      this.fd = null;
    }
    if (!this.done) rmSync(this.tmp, { force: true });
    this.done = true;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const buf = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    try {
      let off = 0;
      while (off < buf.length) off += writeSync(this.fd as number, buf, off, buf.length - off);
      this.bytesWritten += buf.length;
    } catch (e) {
      this.abort();
      throw describeWriteError(e, this.path, this.option);
    }
  }
}

const FLUSH_BYTES = 1 << 20;

// Checks `path` (see prepareOutputFile) and opens a temporary file for it.
export function openOutputStream(path: string, opts: OutputCheckOptions = {}): OutputStream {
  const target = prepareOutputFile(path, opts);
  return new OutputStream(target, opts.option ?? "output path");
}

// Runs `body` with an append-only file's write: failures of the file system become the one-line error naming
// the file (records already appended stay; nothing is rewritten).
export function reportAppendFailure<T>(path: string, body: () => T, option = "output folder"): T {
  try {
    return body();
  } catch (e) {
    throw describeWriteError(e, path, option);
  }
}

// mkdir -p with the real reason on failure: Node's recursive mkdir reports ENOENT for a parent it could not
// create on a read-only file system, so the first missing folder is created alone to get the true errno.
function makeFolders(dir: string, option: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    return;
  } catch (e) {
    let missing = dir;
    while (!existsSync(dirname(missing)) && dirname(missing) !== missing) missing = dirname(missing);
    try {
      mkdirSync(missing);
    } catch (inner) {
      throw describeWriteError(inner, missing, option);
    }
    throw describeWriteError(e, dir, option);
  }
}

function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
}

// The rename is durable only once the folder's entry is on disk.
function syncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a folder (EINVAL); the data itself was synced, so this is best effort.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function isDanglingSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function kindOf(st: ReturnType<typeof statSync>): string {
  if (!st) return "missing";
  if (st.isDirectory()) return "a folder";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}
