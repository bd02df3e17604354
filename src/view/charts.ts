// Small server-drawn SVG charts (bars, histograms) for the overview's counts; the analysis charts are
// src/analyze/svg.ts's. Labels come from data, so they go through the
// escaping template like any other text.

import { html, num, type Html } from "./html.js";

export interface Bar {
  label: string;
  value: number;
  note?: string; // shown after the value (e.g. "12 of 40")
}

const W = 420;

// Horizontal bars, one per label.
export function barChart(bars: Bar[], opts: { format?: (v: number) => string; max?: number } = {}): Html {
  if (bars.length === 0) return html`<p class="muted">no data</p>`;
  const fmt = opts.format ?? ((v: number) => num(v));
  const max = opts.max ?? Math.max(...bars.map((b) => b.value), 1e-9);
  const labelW = 150;
  const barW = W - labelW - 90;
  const rowH = 18;
  const h = bars.length * rowH + 4;
  return html`<svg class="svgchart" role="img" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}">
${bars.map((b, i) => {
  const y = i * rowH + 2;
  const w = Math.max(0, (b.value / max) * barW);
  return html`<g><title>${b.label}: ${fmt(b.value)}${b.note ? ` (${b.note})` : ""}</title>
<text x="${labelW - 6}" y="${y + 12}" text-anchor="end">${clip(b.label, 24)}</text>
<rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="#54aeff"></rect>
<text x="${labelW + w + 4}" y="${y + 12}">${fmt(b.value)}</text></g>`;
})}
</svg>`;
}

export interface Bin {
  from: number;
  to: number;
  count: number;
}

// Equal-width bins over [min, max]; integer data gets integer bin edges.
export function bins(values: number[], count = 12): Bin[] {
  if (values.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const integer = values.every((v) => Number.isInteger(v));
  if (min === max) return [{ from: min, to: max, count: values.length }];
  let width = (max - min) / count;
  if (integer) width = Math.max(1, Math.ceil(width));
  // Integer bins are [from, to) with the maximum in the last one; float bins close the last one at max.
  const n = integer ? Math.floor((max - min) / width) + 1 : count;
  // Integer bins name their inclusive last value (steps 1–5, then 6–10), float bins their upper edge.
  const out: Bin[] = Array.from({ length: n }, (_, i) => ({ from: min + i * width, to: integer ? Math.min(max, min + (i + 1) * width - 1) : min + (i + 1) * width, count: 0 }));
  for (const v of values) {
    const i = Math.min(n - 1, Math.floor((v - min) / width));
    (out[i] as Bin).count++;
  }
  return out;
}

// Vertical bars of a histogram, with the bin ranges as labels under the first, middle and last bars.
export function histogram(data: Bin[], opts: { format?: (v: number) => string } = {}): Html {
  if (data.length === 0) return html`<p class="muted">no data</p>`;
  const fmt = opts.format ?? ((v: number) => num(v, Number.isInteger(v) ? 0 : 2));
  const h = 150;
  const plotH = 110;
  const left = 34;
  const bw = (W - left - 6) / data.length;
  const max = Math.max(...data.map((b) => b.count), 1);
  const labelAt = new Set([0, Math.floor(data.length / 2), data.length - 1]);
  return html`<svg class="svgchart" role="img" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}">
<text x="${left - 4}" y="12" text-anchor="end">${num(max)}</text>
<text x="${left - 4}" y="${plotH + 4}" text-anchor="end">0</text>
<line x1="${left}" y1="${plotH + 2}" x2="${W - 4}" y2="${plotH + 2}" stroke="#8c959f"></line>
${data.map((b, i) => {
  const bh = (b.count / max) * (plotH - 8);
  const x = left + i * bw;
  return html`<g><title>${fmt(b.from)} – ${fmt(b.to)}: ${num(b.count)}</title>
<rect x="${(x + 1).toFixed(1)}" y="${(plotH + 2 - bh).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="#54aeff"></rect>
${labelAt.has(i) ? html`<text x="${(x + bw / 2).toFixed(1)}" y="${plotH + 18}" text-anchor="middle">${fmt(b.from)}</text>` : ""}</g>`;
})}
<text x="${W - 4}" y="${plotH + 34}" text-anchor="end" class="muted">max ${fmt(data[data.length - 1]?.to ?? 0)}</text>
</svg>`;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
