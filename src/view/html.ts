// HTML building blocks shared by the pages. Every page is built with hono's `html` template, which escapes each
// interpolated value unless it is itself built by `html`: text from records (tool output, instructions, diffs)
// can only ever appear as text.

import { html } from "hono/html";

export type Html = ReturnType<typeof html>;
export { html };

export function layout(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · hgym view</title>
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/">hgym view</a>
  <a href="/">Overview</a>
  <a href="/rollouts">Rollouts</a>
  <a href="/compare">Compare</a>
  <a href="/instances">Instances</a>
  <a href="/exports">Exports</a>
</header>
<main>
${body}
</main>
</body>
</html>`;
}

export function pct(n: number, d: number): string {
  return d > 0 ? `${((100 * n) / d).toFixed(1)}%` : "–";
}

const numberFormats = new Map<number, Intl.NumberFormat>(); // toLocaleString builds one per call: slow in loops

export function num(n: number, digits = 0): string {
  let f = numberFormats.get(digits);
  if (!f) numberFormats.set(digits, (f = new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return f.format(n);
}

export function usd(n: number): string {
  return n === 0 ? "$0" : n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

export function ms(n: number): string {
  if (n < 1000) return `${Math.round(n)} ms`;
  if (n < 120_000) return `${(n / 1000).toFixed(1)} s`;
  return `${(n / 60_000).toFixed(1)} min`;
}

export function outcome(success: boolean, score: number | null): Html {
  return success ? html`<span class="ok">success</span>` : html`<span class="bad">failure</span>${score !== null && score > 0 ? html` <span class="muted">(${score.toFixed(2)})</span>` : ""}`;
}

export function options(values: Iterable<string>, selected: string, labels: Record<string, string> = {}): Html {
  return html`${[...values].map((v) => html`<option value="${v}"${v === selected ? html` selected` : ""}>${labels[v] ?? (v || "any")}</option>`)}`;
}

// Distinct values with their counts, most frequent first (for filter menus and count tables).
export function countBy<T>(items: Iterable<T>, key: (t: T) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const it of items) {
    const k = key(it);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
