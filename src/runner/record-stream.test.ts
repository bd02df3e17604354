import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJsonl } from "../util/jsonl.js";
import { forEachJsonlRecord, readRecordAt, type RecordLocation } from "./record-stream.js";

describe("forEachJsonlRecord", () => {
  it("reads lines longer than its chunk, reports bad and torn lines by number, like parseJsonl", () => {
    const dir = mkdtempSync(join(tmpdir(), "hgym-stream-"));
    try {
      const big = { id: "big", text: "é".repeat(1_500_000) }; // 3 MB of UTF-8, split across chunk boundaries
      const text = [JSON.stringify({ id: "a" }), "", JSON.stringify(big), "{bad", JSON.stringify({ id: "c" }), '{"id":"to'].join("\n");
      const path = join(dir, "r.jsonl");
      writeFileSync(path, text);
      const seen: { id: string; line: number; len: number }[] = [];
      const where: RecordLocation[] = [];
      const errors = forEachJsonlRecord<{ id: string; text?: string }>(path, (r, w) => {
        seen.push({ id: r.id, line: w.line, len: r.text?.length ?? 0 });
        where.push(w);
      });
      expect(readRecordAt<{ id: string; text: string }>(path, where[1] as RecordLocation)).toEqual(big);
      expect(readRecordAt(path, where[2] as RecordLocation)).toEqual({ id: "c" });
      expect(seen).toEqual([
        { id: "a", line: 1, len: 0 },
        { id: "big", line: 3, len: 1_500_000 },
        { id: "c", line: 5, len: 0 },
      ]);
      expect(errors.map((e) => e.line)).toEqual([4, 6]);
      expect(errors[1]?.message).toContain("incomplete last line");
      expect(errors.map((e) => e.line)).toEqual(parseJsonl(text).errors.map((e) => e.line));
      expect(forEachJsonlRecord(join(dir, "missing.jsonl"), () => undefined)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
