// The viewer's web app: read-only GET routes over a Catalog, pages rendered on the server, state in the URL.
// Every response forbids inline and foreign scripts (Content-Security-Policy), and when the server listens on
// loopback it only answers requests addressed to a loopback name, so a web page elsewhere cannot read the data
// through DNS rebinding.

import { serve, type ServerType } from "@hono/node-server";
import { Hono, type Context } from "hono";
import type { AddressInfo } from "node:net";
import { analyzeRecord } from "../analyze/analyze.js";
import { patchFiles } from "../analyze/gold-files.js";
import { renderCharts } from "../analyze/svg.js";
import type { Analysis } from "../analyze/types.js";
import type { Instance } from "../tasks/types.js";
import { AnalysisState } from "./analysis-state.js";
import { APP_JS, STYLE_CSS } from "./assets.js";
import type { Catalog, RolloutRow } from "./catalog.js";
import { html, layout } from "./html.js";
import { comparePage, parseCompareQuery } from "./pages/compare.js";
import { exportPage, exportRowPage, exportsPage } from "./pages/exports.js";
import { instancePage, instancesPage } from "./pages/instances.js";
import { overviewPage } from "./pages/overview.js";
import { rolloutsPage, trajectoryHref } from "./pages/rollouts.js";
import { trajectoryPage } from "./pages/trajectory.js";
import { filterRows, fullTextFilter, parseQuery, type Query } from "./query.js";

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export interface ViewApp {
  app: Hono;
  analysis: AnalysisState;
}

export interface ViewAppOptions {
  loopbackOnly: boolean; // answer only requests whose Host is a loopback name
}

export function createViewApp(catalog: Catalog, opts: ViewAppOptions): ViewApp {
  const app = new Hono();
  const analysis = new AnalysisState(catalog);
  analysis.ensure();
  const textCache = new Map<string, RolloutRow[]>(); // full-text results, per catalog version and query
  // Loading the task families takes seconds (language tooling); started now so the first trajectory does not wait.
  const goldPatcher = loadGoldPatcher();
  goldPatcher.catch(() => undefined);

  app.use("*", async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      return c.text("hgym view is read-only\n", 405, { Allow: "GET, HEAD" });
    }
    if (opts.loopbackOnly && !isLoopbackHost(c.req.header("host") ?? "")) {
      return c.text("hgym view answers only requests to localhost / 127.0.0.1 / [::1]\n", 403);
    }
    if (catalog.refresh()) {
      textCache.clear();
    }
    analysis.ensure();
    await next();
    c.header("Content-Security-Policy", CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cache-Control", "no-store");
  });

  const select = (q: Query): RolloutRow[] => {
    const rows = filterRows(catalog, q, { causeOf: (r) => analysis.causeOf(r) });
    if (!q.text) return rows;
    const key = `${catalog.version}\u0000${JSON.stringify({ ...q, page: 1, sort: "file" })}`;
    let hit = textCache.get(key);
    if (!hit) {
      hit = fullTextFilter(rows, q.text);
      if (textCache.size > 20) textCache.clear();
      textCache.set(key, hit);
    }
    return hit;
  };

  app.get("/assets/style.css", (c) => c.body(STYLE_CSS, 200, { "Content-Type": "text/css; charset=utf-8" }));
  app.get("/assets/app.js", (c) => c.body(APP_JS, 200, { "Content-Type": "text/javascript; charset=utf-8" }));

  app.get("/", (c) => {
    const q = parseQuery(new URL(c.req.url).searchParams);
    return c.html(overviewPage(catalog, q, select(q), analysis));
  });

  app.get("/rollouts", (c) => {
    const q = parseQuery(new URL(c.req.url).searchParams);
    const note = q.cause && analysis.status !== "ready" ? html`<p class="notice">Failure causes come from the analysis, which is still being computed.</p>` : "";
    return c.html(rolloutsPage(catalog, q, select(q), note));
  });

  app.get("/run/:run/:line", async (c) => {
    const run = catalog.run(c.req.param("run"));
    const line = Number(c.req.param("line"));
    const e = run && Number.isInteger(line) ? run.index.get(line) : undefined;
    if (!run || !e) return notFound(c, `No rollout ${c.req.param("run")}/${c.req.param("line")}: the run is not loaded or has no record on that line.`);
    const rec = run.index.read(e);
    const found = catalog.findInstance(rec.instance_id);
    const instance = found ? { value: found.file.index.read(found.entry), file: found.file.name, line: found.entry.line } : null;
    const goldPatchOf = await goldPatcher;
    const goldPatch = instance ? goldPatchOf(instance.value) : null;
    const at = run.index.entries.indexOf(e);
    const neighbour = (i: number) => {
      const n = run.index.entries[i];
      return n ? trajectoryHref({ run, e: n }) : null;
    };
    const recAnalysis = analyzeRecord(rec, {
      run: run.dir,
      line: e.line,
      teacher: catalog.teacher(run),
      goldFiles: goldPatch ? patchFiles(goldPatch) : null,
    });
    return c.html(trajectoryPage({ row: { run, e }, rec, instance, goldPatch, analysis: recAnalysis, prev: neighbour(at - 1), next: neighbour(at + 1) }));
  });

  // The charts `hgym analyze --svg` writes, drawn by src/analyze/svg.ts from the same analysis; shown as images,
  // so nothing in them could run as a script even if a label escaped its escaping.
  app.get("/analysis/:name", (c) => {
    const chart = analysis.analysis ? renderChartsOnce(analysis.analysis).find((x) => x.name === c.req.param("name")) : undefined;
    if (!chart) return notFound(c, analysis.status === "ready" ? `No analysis chart ${c.req.param("name")}.` : "The analysis is still being computed.");
    return c.body(chart.svg, 200, { "Content-Type": "image/svg+xml; charset=utf-8" });
  });

  app.get("/compare", (c) => c.html(comparePage(catalog, parseCompareQuery(new URL(c.req.url).searchParams, catalog))));

  app.get("/instances", (c) => c.html(instancesPage(catalog, new URL(c.req.url).searchParams)));

  app.get("/instance/:file/:line", async (c) => {
    const file = catalog.instanceFile(c.req.param("file"));
    const line = Number(c.req.param("line"));
    const entry = file?.index.entries.find((x) => x.line === line);
    if (!file || !entry) return notFound(c, `No instance ${c.req.param("file")}/${c.req.param("line")}.`);
    const inst = file.index.read(entry);
    const goldPatchOf = await goldPatcher;
    return c.html(instancePage(catalog, file, line, inst, goldPatchOf(inst)));
  });

  app.get("/exports", (c) => c.html(exportsPage(catalog)));

  app.get("/export/:name", (c) => {
    const x = catalog.exportView(c.req.param("name"));
    if (!x) return notFound(c, `No export named ${c.req.param("name")} is loaded.`);
    return c.html(exportPage(x, Number.parseInt(c.req.query("page") ?? "1", 10) || 1));
  });

  app.get("/export/:name/:line", (c) => {
    const x = catalog.exportView(c.req.param("name"));
    const line = Number(c.req.param("line"));
    const row = x?.index.rows.find((r) => r.line === line);
    if (!x || !row) return notFound(c, `No row ${c.req.param("line")} in export ${c.req.param("name")}.`);
    return c.html(exportRowPage(x, line, x.index.read(row)));
  });

  app.notFound((c) => notFound(c, `There is no page at ${new URL(c.req.url).pathname}.`));
  app.onError((err, c) => c.html(layout("Error", html`<h1>Something went wrong</h1><pre>${err.message}</pre>`), 500));

  return { app, analysis };
}

const renderedCharts = new WeakMap<Analysis, { name: string; svg: string }[]>();
function renderChartsOnce(a: Analysis): { name: string; svg: string }[] {
  let charts = renderedCharts.get(a);
  if (!charts) renderedCharts.set(a, (charts = renderCharts(a)));
  return charts;
}

function notFound(c: Context, message: string): Response | Promise<Response> {
  return c.html(layout("Not found", html`<h1>Not found</h1><p>${message}</p><p><a href="/">overview</a></p>`), 404);
}

// The gold patch of an instance, made by its task family; loaded on first use (the families pull in the
// language tooling). An instance whose family cannot make one shows its gold record only.
async function loadGoldPatcher(): Promise<(inst: Instance) => string | null> {
  let getTaskFamily: (name: string) => { goldPatch(inst: Instance): unknown };
  try {
    ({ getTaskFamily } = await import("../tasks/registry.js"));
  } catch {
    return () => null; // the pages still show each gold record
  }
  return (inst) => {
    try {
      const patch = getTaskFamily(inst.task).goldPatch(inst);
      return typeof patch === "string" ? patch : null; // a gold record of another shape gives no patch
    } catch {
      return null;
    }
  };
}

export function isLoopbackHost(hostHeader: string): boolean {
  const host = hostHeader.startsWith("[") ? hostHeader.slice(0, hostHeader.indexOf("]") + 1) : (hostHeader.split(":")[0] ?? "");
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

export function isLoopbackAddress(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

export interface RunningViewer {
  url: string;
  server: ServerType;
  analysis: AnalysisState;
  close(): Promise<void>;
}

// Listens on host:port (port 0 = any free port) and returns the URL to open.
export async function startViewer(catalog: Catalog, opts: { host: string; port: number }): Promise<RunningViewer> {
  const { app, analysis } = createViewApp(catalog, { loopbackOnly: isLoopbackAddress(opts.host) });
  const server = await new Promise<ServerType>((resolveServer, reject) => {
    const s = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port }, () => resolveServer(s));
    s.once("error", reject);
  });
  // Browsers and fetch keep idle connections for a while and reuse them; a server that closes an idle one first
  // (Node's default is after 5 s) races a request sent on it at that moment, which fails with ECONNRESET. So the
  // server keeps idle connections longer than its clients do, and close() drops them itself.
  const http = server as import("node:http").Server;
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}/`,
    server,
    analysis,
    close: () =>
      new Promise<void>((res) => {
        server.close(() => res());
        http.closeIdleConnections();
      }),
  };
}
