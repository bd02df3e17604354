// Text similarity used as a dense metric (e.g. written docstring vs the original). Token-level F1 over
// lowercased word tokens is robust to re-wrapping and reordering of sentences, which edit distance is not.

export function wordTokens(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9_]+/g) ?? []).filter((t) => t.length > 0);
}

export function tokenF1(candidate: string, reference: string): number {
  const cand = wordTokens(candidate);
  const ref = wordTokens(reference);
  if (cand.length === 0 && ref.length === 0) return 1;
  if (cand.length === 0 || ref.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of ref) counts.set(t, (counts.get(t) ?? 0) + 1);
  let overlap = 0;
  for (const t of cand) {
    const n = counts.get(t) ?? 0;
    if (n > 0) {
      overlap++;
      counts.set(t, n - 1);
    }
  }
  if (overlap === 0) return 0;
  const precision = overlap / cand.length;
  const recall = overlap / ref.length;
  return (2 * precision * recall) / (precision + recall);
}

// Precision / recall / F1 of a predicted multiset against a gold set, keyed by strings. Duplicate predictions
// count as false positives: annotating the same thing twice must not be free.
export interface SetScore {
  precision: number;
  recall: number;
  f1: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  duplicates: number;
}

export function scoreSets(predicted: string[], gold: string[]): SetScore {
  const goldSet = new Set(gold);
  const seen = new Set<string>();
  let tp = 0;
  let fp = 0;
  let duplicates = 0;
  for (const p of predicted) {
    if (seen.has(p)) {
      duplicates++;
      fp++;
      continue;
    }
    seen.add(p);
    if (goldSet.has(p)) tp++;
    else fp++;
  }
  const fn = [...goldSet].filter((g) => !seen.has(g)).length;
  const precision = predicted.length === 0 ? (goldSet.size === 0 ? 1 : 0) : tp / (tp + fp);
  const recall = goldSet.size === 0 ? 1 : tp / goldSet.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePositives: tp, falsePositives: fp, falseNegatives: fn, duplicates };
}
