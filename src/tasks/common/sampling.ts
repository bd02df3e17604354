// Seeded, stratified sampling order. A plain random sample of targets is dominated by the biggest files and by
// easy targets; we instead interleave difficulty buckets (round-robin over strata) and, inside a bucket, files
// (round-robin over files), each shuffled with the seeded PRNG so the order is reproducible everywhere.

import { rng, seedFrom, shuffle } from "../../util/hash.js";

export interface Stratifiable {
  stratum: string; // difficulty bucket, e.g. "deps=2|depth=1|body=M"
  group: string; // spread unit inside a bucket, usually the file
  id: string; // stable identity, used to make the order independent of input order
}

// Returns all items in the order they should be taken: the first k are the k-sample.
export function stratifiedOrder<T>(items: T[], describe: (item: T) => Stratifiable, seed: number): T[] {
  const described = items.map((item) => ({ item, d: describe(item) }));
  // Sort first so the result does not depend on the order the caller found the items in.
  described.sort((a, b) => (a.d.id < b.d.id ? -1 : a.d.id > b.d.id ? 1 : 0));
  const strata = new Map<string, Map<string, T[]>>();
  for (const { item, d } of described) {
    let groups = strata.get(d.stratum);
    if (!groups) strata.set(d.stratum, (groups = new Map()));
    let list = groups.get(d.group);
    if (!list) groups.set(d.group, (list = []));
    list.push(item);
  }
  const random = rng(seedFrom("stratified", seed));
  const streams: T[][] = [];
  for (const stratumName of shuffle([...strata.keys()].sort(), random)) {
    const groups = strata.get(stratumName) as Map<string, T[]>;
    const lists = shuffle([...groups.keys()].sort(), random).map((g) => shuffle(groups.get(g) as T[], random));
    streams.push(roundRobin(lists));
  }
  return roundRobin(streams);
}

function roundRobin<T>(lists: T[][]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const l of lists) if (i < l.length) out.push(l[i] as T);
  return out;
}

// Coarse buckets for numeric difficulty features, so strata stay few and populated.
export function bucket(value: number, edges: number[], labels: string[]): string {
  for (let i = 0; i < edges.length; i++) if (value <= (edges[i] as number)) return labels[i] ?? String(i);
  return labels[edges.length] ?? String(edges.length);
}
