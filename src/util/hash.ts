// Stable hashing helpers: ids, seeds and content addresses must not depend on process state (no salted hashes).

import { createHash } from "node:crypto";

export function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

// A 32-bit seed derived from any strings, for per-item deterministic randomness.
export function seedFrom(...parts: (string | number)[]): number {
  const h = createHash("sha256").update(parts.join("\u0000")).digest();
  return h.readUInt32LE(0);
}

// Small, fast, deterministic PRNG (mulberry32). Same seed -> same sequence on every machine.
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
