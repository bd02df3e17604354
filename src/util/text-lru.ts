// A least-recently-used cache of values computed from texts (a parsed tree, an index), keyed by a string the
// caller derives from the text and checked against the exact text on every hit, bounded by the total length of
// the texts it holds: a few large files do not crowd out many small ones, and memory stays proportional to the
// source kept. Entries are evicted oldest first as soon as the total goes over the budget (an entry larger than
// the whole budget is not kept at all).

export class TextLru<V> {
  private readonly entries = new Map<string, { text: string; value: V }>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  // The value stored for `key` if it was computed from exactly `text`; it becomes the most recently used.
  get(key: string, text: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.text !== text) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  set(key: string, text: string, value: V): void {
    const old = this.entries.get(key);
    if (old) {
      this.chars -= old.text.length;
      this.entries.delete(key);
    }
    this.entries.set(key, { text, value });
    this.chars += text.length;
    for (const [k, v] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.entries.delete(k);
      this.chars -= v.text.length;
    }
  }
}
