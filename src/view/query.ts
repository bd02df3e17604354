// The state of a listing, kept in the URL so a link shows exactly what its sender saw: which runs, filters,
// search, sort and page. Parsing never fails: unknown values are ignored (a link from a newer hgym still opens).

import { LineReader } from "./line-scan.js";
import type { Catalog, RolloutRow } from "./catalog.js";

export const PAGE_SIZE = 50;

export const SORTS = ["file", "score", "-score", "steps", "-steps", "cost", "-cost", "tokens", "-tokens", "wall", "-wall"] as const;
export type Sort = (typeof SORTS)[number];

export interface Query {
  run: string[]; // run names; empty = all
  task: string;
  repo: string;
  language: string;
  success: "" | "yes" | "no";
  exit: string;
  violation: string; // a violation code, or "any" / "none"
  cause: string; // a failure cause from the analysis
  q: string; // matches id, repository, model, error, violation codes
  text: string; // full-text: matched against each record's JSON
  attempts: "current" | "all"; // all = also infra attempts a later record superseded
  sort: Sort;
  page: number; // 1-based
}

const FIELDS = ["task", "repo", "language", "exit", "violation", "cause", "q", "text"] as const;

export function parseQuery(params: URLSearchParams): Query {
  const get = (k: string) => (params.get(k) ?? "").slice(0, 500);
  const success = get("success");
  const sort = get("sort") as Sort;
  const page = Number.parseInt(get("page"), 10);
  const q: Query = {
    run: params.getAll("run").filter((r) => r !== ""),
    task: "",
    repo: "",
    language: "",
    success: success === "yes" || success === "no" ? success : "",
    exit: "",
    violation: "",
    cause: "",
    q: "",
    text: "",
    attempts: get("attempts") === "all" ? "all" : "current",
    sort: SORTS.includes(sort) ? sort : "file",
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
  for (const f of FIELDS) q[f] = get(f);
  return q;
}

// The query string for `q` with some fields changed; defaults are left out so links stay short.
export function queryString(q: Query, change: Partial<Query> = {}): string {
  const v = { ...q, ...change };
  const p = new URLSearchParams();
  for (const r of v.run) p.append("run", r);
  for (const f of FIELDS) if (v[f]) p.set(f, v[f]);
  if (v.success) p.set("success", v.success);
  if (v.attempts !== "current") p.set("attempts", v.attempts);
  if (v.sort !== "file") p.set("sort", v.sort);
  if (v.page !== 1) p.set("page", String(v.page));
  const s = p.toString();
  return s ? `?${s}` : "";
}

export interface FilterContext {
  causeOf?: (row: RolloutRow) => string | null; // the analysis' failure cause, when the analysis is ready
}

// The rows matching every filter except the full-text search (cheap: index fields only).
export function filterRows(catalog: Catalog, q: Query, ctx: FilterContext = {}): RolloutRow[] {
  const runs = q.run.length > 0 ? new Set(q.run) : null;
  const needle = q.q.toLowerCase();
  const out: RolloutRow[] = [];
  for (const row of catalog.rows()) {
    const e = row.e;
    if (runs && !runs.has(row.run.name)) continue;
    if (q.attempts === "current" && !e.current) continue;
    if (q.task && e.task !== q.task) continue;
    if (q.repo && e.repo !== q.repo) continue;
    if (q.language && e.language !== q.language) continue;
    if (q.success === "yes" && !e.success) continue;
    if (q.success === "no" && e.success) continue;
    if (q.exit && e.exit_reason !== q.exit) continue;
    if (q.violation === "any" && e.violations.length === 0) continue;
    if (q.violation === "none" && e.violations.length > 0) continue;
    if (q.violation && q.violation !== "any" && q.violation !== "none" && !e.violations.includes(q.violation)) continue;
    if (q.cause && (ctx.causeOf?.(row) ?? "") !== q.cause) continue;
    if (needle && !matchesText(row, needle)) continue;
    out.push(row);
  }
  return out;
}

function matchesText(row: RolloutRow, needle: string): boolean {
  const e = row.e;
  return [e.instance_id, e.repo, e.model, e.task, e.exit_reason, e.error ?? "", ...e.violations, row.run.name].some((s) => s.toLowerCase().includes(needle));
}

// Full-text search over the records themselves: each candidate's bytes are read and searched for the text as it
// appears inside a JSON string (so quotes and newlines in the search match the escaped form). Case-sensitive: it
// runs over raw bytes, which is what keeps a search over 1 GB to a sequential read.
export function fullTextFilter(rows: RolloutRow[], text: string): RolloutRow[] {
  if (!text) return rows;
  const needle = Buffer.from(JSON.stringify(text).slice(1, -1), "utf8");
  const files = new Map<string, LineReader>();
  try {
    return rows.filter((row) => {
      let reader = files.get(row.run.index.path);
      if (!reader) files.set(row.run.index.path, (reader = new LineReader(row.run.index.path)));
      return reader.read(row.e).indexOf(needle) !== -1;
    });
  } finally {
    for (const r of files.values()) r.close();
  }
}

export function sortRows(rows: RolloutRow[], sort: Sort): RolloutRow[] {
  if (sort === "file") return rows;
  const desc = sort.startsWith("-");
  const key = desc ? sort.slice(1) : sort;
  const val = (r: RolloutRow): number => {
    switch (key) {
      case "score":
        return r.e.score ?? -1;
      case "steps":
        return r.e.steps;
      case "cost":
        return r.e.cost;
      case "tokens":
        return r.e.prompt_tokens + r.e.completion_tokens;
      default:
        return r.e.wall_ms;
    }
  };
  return rows.slice().sort((a, b) => (desc ? val(b) - val(a) : val(a) - val(b)));
}
