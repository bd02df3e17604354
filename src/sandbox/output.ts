// Per-command output buffer with a byte cap: keeps the first and last halves and counts what was cut in between,
// so the start (usually the command's echo/errors) and the end (usually the result) both survive a flood.

export class CappedOutput {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private cutBytes = 0;
  private readonly headCap: number;
  private readonly tailCap: number;

  constructor(maxBytes: number) {
    this.headCap = Math.floor(maxBytes / 2);
    this.tailCap = maxBytes - this.headCap;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.headBytes < this.headCap) {
      const take = Math.min(this.headCap - this.headBytes, chunk.length);
      this.head.push(chunk.subarray(0, take));
      this.headBytes += take;
      chunk = chunk.subarray(take);
      if (chunk.length === 0) return;
    }
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    // Drop whole chunks (and then part of the oldest) until the tail fits again.
    while (this.tailBytes > this.tailCap) {
      const first = this.tail[0] as Buffer;
      const excess = this.tailBytes - this.tailCap;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.cutBytes += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
        this.cutBytes += excess;
      }
    }
  }

  get totalBytes(): number {
    return this.headBytes + this.tailBytes + this.cutBytes;
  }

  // Decoding replaces invalid UTF-8 (binary output, or a character split by the cut) instead of throwing.
  text(): string {
    if (this.cutBytes === 0) return new TextDecoder("utf-8").decode(Buffer.concat([...this.head, ...this.tail]));
    const head = new TextDecoder("utf-8").decode(Buffer.concat(this.head));
    const tail = new TextDecoder("utf-8").decode(Buffer.concat(this.tail));
    return `${head}\n[... ${this.cutBytes} bytes of output cut here (output cap ${this.headCap + this.tailCap} bytes) ...]\n${tail}`;
  }
}
