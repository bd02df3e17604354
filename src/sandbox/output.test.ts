import { describe, expect, it } from "vitest";
import { CappedOutput } from "./output.js";

describe("CappedOutput", () => {
  it("keeps everything under the cap, joined across chunks without breaking multi-byte characters", () => {
    const out = new CappedOutput(100);
    const bytes = Buffer.from("héllo wörld", "utf8");
    for (const b of bytes) out.push(Buffer.from([b])); // one byte at a time splits every multi-byte character
    expect(out.text()).toBe("héllo wörld");
  });

  it("keeps head and tail and says how much was cut", () => {
    const out = new CappedOutput(20);
    out.push(Buffer.from("0123456789"));
    out.push(Buffer.from("abcdefghij".repeat(10)));
    out.push(Buffer.from("ZYXWVUTSRQ"));
    const text = out.text();
    expect(text.startsWith("0123456789")).toBe(true);
    expect(text.endsWith("ZYXWVUTSRQ")).toBe(true);
    expect(text).toContain("[... 100 bytes of output cut here (output cap 20 bytes) ...]");
    expect(out.totalBytes).toBe(120);
  });

  it("replaces invalid UTF-8 instead of failing", () => {
    const out = new CappedOutput(100);
    out.push(Buffer.from([0x61, 0xff, 0xfe, 0x62]));
    expect(out.text()).toBe("a\uFFFD\uFFFDb");
  });
});
