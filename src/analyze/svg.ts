// Charts of an analysis as standalone SVG files, drawn by hand (no chart library): stacked columns of the
// average actions per rollout by component for each task and each teacher, a histogram of steps per rollout,
// and the paper's overview figure redrawn (each family's actions split into components, as 100% bars). Every bar
// segment is a <rect class="bar"> with data- attributes naming its group and value, so tests and scripts can
// read the numbers back.

import { COMPONENTS, type Analysis, type Component, type GroupStats } from "./types.js";

export const COMPONENT_COLORS: Record<Component, string> = {
  exploration: "#4e79a7",
  implementation: "#f28e2b",
  verification: "#59a14f",
  reasoning: "#b07aa1",
  navigation: "#76b7b2",
  submission: "#edc948",
  other: "#bab0ac",
};

const FONT = 'font-family="sans-serif" font-size="12"';
const fontOf = (size: number): string => `font-family="sans-serif" font-size="${size}"`;

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));

function svgDoc(width: number, height: number, title: string, body: string[]): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    `<title>${esc(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" ${fontOf(14)} font-weight="bold">${esc(title)}</text>`,
    ...body,
    `</svg>`,
    "",
  ].join("\n");
}

function legend(x: number, y: number): string[] {
  return COMPONENTS.flatMap((c, i) => [
    `<rect x="${x}" y="${y + i * 18}" width="12" height="12" fill="${COMPONENT_COLORS[c]}"/>`,
    `<text x="${x + 18}" y="${y + i * 18 + 10}" ${FONT}>${esc(c)}</text>`,
  ]);
}

// Columns: one per group, segments = average actions per rollout of each component (total = average steps).
export function componentColumns(title: string, groups: readonly GroupStats[]): string {
  const colW = 56;
  const gap = 48; // room for labels such as "issue-localize"
  const left = 56;
  const top = 40;
  const plotH = 260;
  const width = left + Math.max(1, groups.length) * (colW + gap) + 150;
  const height = top + plotH + 80;
  const maxAvg = Math.max(1, ...groups.map((g) => g.avg_steps));
  const scale = plotH / maxAvg;
  const body: string[] = [];
  body.push(`<line x1="${left}" y1="${top + plotH}" x2="${width - 150}" y2="${top + plotH}" stroke="#333"/>`);
  body.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#333"/>`);
  body.push(`<text x="14" y="${top + plotH / 2}" ${FONT} transform="rotate(-90 14 ${top + plotH / 2})" text-anchor="middle">actions per rollout</text>`);
  for (const tick of [0, maxAvg / 2, maxAvg]) {
    const y = top + plotH - tick * scale;
    body.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end" ${FONT}>${fmt(tick)}</text>`);
  }
  groups.forEach((g, i) => {
    const x = left + gap / 2 + i * (colW + gap);
    let y = top + plotH;
    for (const c of COMPONENTS) {
      const avg = g.rollouts === 0 ? 0 : g.component_counts[c] / g.rollouts;
      if (avg <= 0) continue;
      const h = avg * scale;
      y -= h;
      body.push(
        `<rect class="bar" data-group="${esc(g.key)}" data-component="${c}" data-value="${fmt(avg)}" x="${fmt(x)}" y="${fmt(y)}" width="${colW}" height="${fmt(h)}" fill="${COMPONENT_COLORS[c]}"><title>${esc(`${g.key}: ${c} ${fmt(avg)} per rollout`)}</title></rect>`,
      );
    }
    body.push(`<text x="${x + colW / 2}" y="${top + plotH + 16}" text-anchor="middle" ${FONT}>${esc(g.key)}</text>`);
    body.push(`<text x="${x + colW / 2}" y="${top + plotH + 30}" text-anchor="middle" ${FONT} fill="#555">n=${g.rollouts}</text>`);
  });
  body.push(...legend(width - 135, top));
  return svgDoc(width, height, title, body);
}

// The overview figure: one 100% bar per group, split by component share, labelled where wide enough.
export function componentShareRows(title: string, groups: readonly GroupStats[]): string {
  const left = 130;
  const barW = 520;
  const rowH = 26;
  const top = 40;
  const width = left + barW + 170;
  const height = Math.max(top + groups.length * (rowH + 10) + 30, top + COMPONENTS.length * 18 + 20);
  const body: string[] = [];
  groups.forEach((g, i) => {
    const y = top + i * (rowH + 10);
    body.push(`<text x="${left - 8}" y="${y + rowH / 2 + 4}" text-anchor="end" ${FONT}>${esc(g.key)}</text>`);
    let x = left;
    for (const c of COMPONENTS) {
      const share = g.component_share[c];
      if (share <= 0) continue;
      const w = share * barW;
      body.push(
        `<rect class="bar" data-group="${esc(g.key)}" data-component="${c}" data-value="${share.toFixed(4)}" x="${fmt(x)}" y="${y}" width="${fmt(w)}" height="${rowH}" fill="${COMPONENT_COLORS[c]}"><title>${esc(`${g.key}: ${c} ${(share * 100).toFixed(1)}%`)}</title></rect>`,
      );
      if (share >= 0.06) body.push(`<text x="${fmt(x + w / 2)}" y="${y + rowH / 2 + 4}" text-anchor="middle" ${FONT} fill="#fff">${Math.round(share * 100)}%</text>`);
      x += w;
    }
  });
  body.push(`<text x="${left + barW / 2}" y="${height - 8}" text-anchor="middle" ${FONT} fill="#555">share of actions by component</text>`);
  body.push(...legend(left + barW + 20, top));
  return svgDoc(width, height, title, body);
}

export function stepsHistogram(title: string, bins: Analysis["step_histogram"]["bins"]): string {
  const left = 56;
  const top = 40;
  const plotH = 240;
  const binW = Math.max(16, Math.min(60, Math.floor(600 / Math.max(1, bins.length))));
  const width = left + Math.max(1, bins.length) * binW + 30;
  const height = top + plotH + 60;
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  const scale = plotH / maxCount;
  const body: string[] = [];
  body.push(`<line x1="${left}" y1="${top + plotH}" x2="${width - 20}" y2="${top + plotH}" stroke="#333"/>`);
  body.push(`<text x="14" y="${top + plotH / 2}" ${FONT} transform="rotate(-90 14 ${top + plotH / 2})" text-anchor="middle">rollouts</text>`);
  body.push(`<text x="${left - 6}" y="${top + 4}" text-anchor="end" ${FONT}>${maxCount}</text>`);
  bins.forEach((b, i) => {
    const x = left + i * binW;
    const h = b.count * scale;
    body.push(
      `<rect class="bar" data-group="${b.from}-${b.to - 1}" data-value="${b.count}" x="${x + 1}" y="${fmt(top + plotH - h)}" width="${binW - 2}" height="${fmt(h)}" fill="#4e79a7"><title>${esc(`${b.from}–${b.to - 1} steps: ${b.count}`)}</title></rect>`,
    );
    body.push(`<text x="${x + binW / 2}" y="${top + plotH + 16}" text-anchor="middle" ${fontOf(10)}>${b.to - b.from === 1 ? b.from : `${b.from}-${b.to - 1}`}</text>`);
  });
  body.push(`<text x="${left + (bins.length * binW) / 2}" y="${height - 10}" text-anchor="middle" ${FONT}>steps per rollout</text>`);
  return svgDoc(width, height, title, body);
}

// The files `hgym analyze --svg <dir>` writes, by name.
export function renderCharts(a: Analysis): { name: string; svg: string }[] {
  return [
    { name: "overview.svg", svg: componentShareRows("Action components per task family", [...a.by_task, a.overall]) },
    { name: "components-by-task.svg", svg: componentColumns("Actions per rollout by component, per task", a.by_task) },
    { name: "components-by-teacher.svg", svg: componentColumns("Actions per rollout by component, per teacher", a.by_teacher) },
    { name: "steps-histogram.svg", svg: stepsHistogram("Steps per rollout", a.step_histogram.bins) },
  ];
}
