// The output helper against real file systems: a read-only tmpfs, a 64 KiB tmpfs that fills up, /dev/full, a
// FIFO, a folder. Mounting needs root (we run as root here and in CI).

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonlAppender } from "./jsonl.js";
import { OutputFileError, openOutputStream, prepareOutputDir, prepareOutputFile, reportAppendFailure, writeOutputFile } from "./output-file.js";

const isRoot = process.getuid?.() === 0;

function mountTmpfs(dir: string, options: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
}

function errorOf(fn: () => unknown): OutputFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof OutputFileError) return e;
    throw e;
  }
  throw new Error("expected an OutputFileError");
}

describe("output files", () => {
  let root: string;
  const mounts: string[] = [];
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "hgym-out-"));
  });
  afterAll(() => {
    for (const m of mounts.reverse()) execFileSync("umount", ["-l", m]);
    rmSync(root, { recursive: true, force: true });
  });

  it("creates missing parent folders and writes atomically, leaving no temporary file", () => {
    const path = join(root, "a", "b", "c.jsonl");
    const checked = prepareOutputFile(path);
    expect(checked).toBe(path);
    expect(statSync(join(root, "a", "b")).isDirectory()).toBe(true);
    writeOutputFile(path, "one\n");
    writeOutputFile(path, "two\n");
    expect(readFileSync(path, "utf8")).toBe("two\n");
    expect(readdirSync(join(root, "a", "b"))).toEqual(["c.jsonl"]);
  });

  it("streams many lines into place only at commit; abort keeps the old file", () => {
    const path = join(root, "stream.jsonl");
    writeFileSync(path, "old\n");
    const out = openOutputStream(path);
    for (let i = 0; i < 50_000; i++) out.write(`{"i":${i},"pad":"${"x".repeat(40)}"}\n`);
    expect(readFileSync(path, "utf8")).toBe("old\n");
    out.commit();
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(50_000);
    expect(JSON.parse(lines[49_999] as string).i).toBe(49_999);

    const second = openOutputStream(path);
    second.write("partial\n");
    second.abort();
    expect(readFileSync(path, "utf8").split("\n")).toHaveLength(50_001);
    expect(readdirSync(root).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });

  it("refuses an existing folder, FIFO and character device, and never replaces them", () => {
    const dir = join(root, "adir");
    mkdirSync(dir);
    expect(errorOf(() => prepareOutputFile(dir, { option: "--out" })).message).toBe(
      `refusing to write ${dir}: it exists and is a folder, not a regular file; choose another --out`,
    );
    const fifo = join(root, "fifo");
    execFileSync("mkfifo", [fifo]);
    expect(errorOf(() => writeOutputFile(fifo, "x")).message).toContain("is a FIFO (named pipe), not a regular file");
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(errorOf(() => writeOutputFile("/dev/full", "x", { option: "--out" })).message).toBe(
      "refusing to write /dev/full: it exists and is a character device, not a regular file; choose another --out",
    );
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  it("writes through a symlink to the file it points to", () => {
    const real = join(root, "real.txt");
    writeFileSync(real, "old");
    const link = join(root, "link.txt");
    symlinkSync(real, link);
    writeOutputFile(link, "new");
    expect(readFileSync(real, "utf8")).toBe("new");
  });

  it("refuses a folder path that is a file", () => {
    const file = join(root, "plain");
    writeFileSync(file, "");
    expect(errorOf(() => prepareOutputDir(file, { option: "--out" })).message).toContain(`refusing to use ${file} as a folder`);
    expect(errorOf(() => prepareOutputFile(join(file, "x.jsonl"), { option: "--out" })).code).toBe("ENOTDIR");
  });

  it.skipIf(!isRoot)("on a read-only file system: refused before any work, naming the path (EROFS)", () => {
    const ro = join(root, "ro");
    mountTmpfs(ro, "ro,size=1m");
    mounts.push(ro);
    const path = join(ro, "out.jsonl");
    const err = errorOf(() => prepareOutputFile(path, { option: "--out" }));
    expect(err.code).toBe("EROFS");
    expect(err.message).toBe(`cannot write ${path}: the file system is read-only (EROFS); choose a writable location for --out`);
    expect(errorOf(() => prepareOutputFile(join(ro, "sub", "out.jsonl"), { option: "--out" })).code).toBe("EROFS");
    expect(errorOf(() => prepareOutputDir(join(ro, "run"), { option: "--out" })).code).toBe("EROFS");
  });

  it.skipIf(!isRoot)("on a full disk: ENOSPC with the path, the temporary file removed, the old file intact", () => {
    const small = join(root, "small");
    mountTmpfs(small, "size=64k");
    mounts.push(small);
    const path = join(small, "big.jsonl");
    writeFileSync(path, "previous\n");
    prepareOutputFile(path, { option: "--out" }); // an empty probe file fits
    const out = openOutputStream(path, { option: "--out" });
    const line = `${"y".repeat(1000)}\n`;
    const err = errorOf(() => {
      for (let i = 0; i < 10_000; i++) out.write(line);
      out.commit();
    });
    expect(err.code).toBe("ENOSPC");
    expect(err.message).toBe(`cannot write ${path}: no space left on the device (ENOSPC); free space or choose another --out`);
    expect(readdirSync(small)).toEqual(["big.jsonl"]);
    expect(readFileSync(path, "utf8")).toBe("previous\n");
    expect(existsSync(path)).toBe(true);
  });

  it.skipIf(!isRoot)("an append-only record file on a full disk reports ENOSPC with its path; earlier records stay", () => {
    const small = join(root, "append");
    mountTmpfs(small, "size=64k");
    mounts.push(small);
    const path = join(small, "rollouts.jsonl");
    const appender = new JsonlAppender(path);
    const record = { pad: "z".repeat(2000) };
    const err = errorOf(() => {
      for (let i = 0; i < 100; i++) reportAppendFailure(path, () => appender.append(record), "--out");
    });
    appender.close();
    expect(err.message).toBe(`cannot write ${path}: no space left on the device (ENOSPC); free space or choose another --out`);
    const complete = readFileSync(path, "utf8").split("\n").filter((l) => l.endsWith("}"));
    expect(complete.length).toBeGreaterThan(10);
  });
});
