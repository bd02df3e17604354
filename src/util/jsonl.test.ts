import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { RecordError } from "../core/errors.js";
import { readJsonl, readJsonlRecordAt, readJsonlRecords, readJsonlSync, type JsonlLineError, type JsonlRecord } from "./jsonl.js";

const row = z.object({ id: z.string(), text: z.string().optional(), reward: z.object({ success: z.boolean() }).optional() });
type Row = z.output<typeof row>;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hgym-jsonl-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function collect(gen: AsyncIterable<JsonlRecord<Row>>): Promise<JsonlRecord<Row>[]> {
  const out: JsonlRecord<Row>[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

describe("readJsonl / readJsonlSync", () => {
  const big = { id: "big", text: "é".repeat(1_500_000) }; // 3 MB of UTF-8, across the 1 MiB chunk boundaries
  const lines = [
    JSON.stringify({ id: "a" }),
    "",
    JSON.stringify(big),
    "{bad",
    JSON.stringify({ id: "c", reward: { success: "yes" } }),
    JSON.stringify({ id: "d" }),
    '{"id":"to',
  ];

  it("streams records with their locations, skipping and reporting bad lines by number and field (both readers agree)", async () => {
    const path = join(dir, "r.jsonl");
    writeFileSync(path, lines.join("\n"));
    const skippedAsync: JsonlLineError[] = [];
    const skippedSync: JsonlLineError[] = [];
    const viaAsync = await collect(readJsonl(path, row, { badLines: "skip", onSkip: (e) => skippedAsync.push(e) }));
    const viaSync = [...readJsonlSync(path, row, { badLines: "skip", onSkip: (e) => skippedSync.push(e) })];
    expect(viaSync).toEqual(viaAsync);
    expect(skippedSync).toEqual(skippedAsync);
    expect(viaAsync.map((r) => [r.value.id, r.line])).toEqual([
      ["a", 1],
      ["big", 3],
      ["d", 6],
    ]);
    expect(skippedAsync.map((e) => [e.line, e.torn])).toEqual([
      [4, false],
      [5, false],
      [7, true],
    ]);
    expect(skippedAsync[0]?.message).toMatch(/^not valid JSON/);
    expect(skippedAsync[1]?.message).toBe("field `reward.success`: expected boolean, got string");
    expect(skippedAsync[1]?.json).toEqual({ id: "c", reward: { success: "yes" } });
    expect(skippedAsync[2]?.message).toContain("incomplete last line");
    // A record can be fetched again from its location, checked again.
    expect(readJsonlRecordAt(path, viaAsync[1] as JsonlRecord<Row>, row)).toEqual(big);
    expect(readJsonlRecordAt(path, viaAsync[2] as JsonlRecord<Row>, row)).toEqual({ id: "d" });
  });

  it("with the fail policy, stops at the first bad line with a RecordError naming file, line and field", async () => {
    const path = join(dir, "runs-x-rollouts.jsonl");
    writeFileSync(path, [JSON.stringify({ id: "a" }), JSON.stringify({ id: "b", reward: { success: "true" } }), "{bad"].join("\n") + "\n");
    const expected = `${path} line 2: field \`reward.success\`: expected boolean, got string`;
    await expect(collect(readJsonl(path, row, { badLines: "fail" }))).rejects.toThrow(expected);
    expect(() => readJsonlRecords(path, row)).toThrow(RecordError);
    expect(() => readJsonlRecords(path, row)).toThrow(expected);
    const err = (() => {
      try {
        readJsonlRecords(path, row);
      } catch (e) {
        return e as RecordError;
      }
      return null;
    })();
    expect([err?.path, err?.line]).toEqual([path, 2]);
  });

  it("a missing file is a RecordError naming it", async () => {
    const path = join(dir, "missing.jsonl");
    await expect(collect(readJsonl(path, row, { badLines: "fail" }))).rejects.toThrow(new RegExp(`cannot read ${path}: ENOENT`));
    expect(() => readJsonlRecords(path, row)).toThrow(RecordError);
  });

  it("never waits for the end of the file: the first records of a FIFO arrive while its writer is still running", async () => {
    for (const variant of ["async", "sync"] as const) {
      const fifo = join(dir, `${variant}.fifo`);
      expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
      // The writer sends two records, then holds the pipe open for 4 s; a whole-file reader would wait that long.
      const writer: ChildProcess = spawn("sh", ["-c", `printf '{"id":"1"}\\n{"id":"2"}\\n' > '${fifo}'; exec 3>'${fifo}'; sleep 4`], { stdio: "ignore" });
      try {
        const started = Date.now();
        const got: string[] = [];
        if (variant === "async") {
          for await (const r of readJsonl(fifo, row, { badLines: "fail" })) {
            got.push(r.value.id);
            if (got.length === 2) break;
          }
        } else {
          for (const r of readJsonlSync(fifo, row, { badLines: "fail" })) {
            got.push(r.value.id);
            if (got.length === 2) break;
          }
        }
        expect(got).toEqual(["1", "2"]);
        expect(Date.now() - started, variant).toBeLessThan(3000);
      } finally {
        writer.kill("SIGKILL");
      }
    }
  }, 15_000);
});

describe("memory", () => {
  it("reading an 80 MB file grows the reader's memory by far less than the file's size", () => {
    const path = join(dir, "large.jsonl");
    const pad = "x".repeat(100_000);
    const fd = openSync(path, "w");
    const block = Buffer.from(Array.from({ length: 16 }, (_, i) => JSON.stringify({ id: String(i), text: pad }) + "\n").join(""));
    for (let i = 0; i < 50; i++) writeSync(fd, block);
    closeSync(fd);
    // Peak rss growth while reading every record. Reading the file whole grows it by ~77 MB here (a string of the
    // file plus its lines); streaming by ~10 MB (one chunk, one line, garbage not yet collected).
    const before = process.memoryUsage().rss;
    let peak = before;
    let n = 0;
    let bytes = 0;
    for (const r of readJsonlSync(path, z.object({ id: z.string(), text: z.string() }), { badLines: "fail" })) {
      n++;
      bytes += r.length;
      if (n % 25 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(n).toBe(800);
    expect(bytes).toBeGreaterThan(80_000_000);
    expect(peak - before).toBeLessThan(40 * 1024 * 1024);
  });
});
