// `hgym view <paths…>`: a local, read-only web app over run directories, instance files and exports. This file
// only declares the command; the server and its dependencies are imported when the command runs, so other
// commands start no slower for it.

import type { Command } from "commander";
import { UserError } from "../core/errors.js";

export interface ViewOptions {
  host: string;
  port: number;
}

export const DEFAULT_VIEW_PORT = 8765;

// The command that opens the viewer on `paths` (printed by quickstart and in docs).
export function viewCommandLine(paths: string[]): string {
  return `hgym view ${paths.map((p) => (/^[\w./@:+-]+$/.test(p) ? p : `'${p.replace(/'/g, "'\\''")}'`)).join(" ")}`;
}

export async function view(paths: string[], opts: ViewOptions, log: (s: string) => void = (s) => void process.stdout.write(s + "\n")): Promise<{ url: string; close(): Promise<void> }> {
  const { findSources } = await import("../view/sources.js");
  const { Catalog } = await import("../view/catalog.js");
  const { startViewer, isLoopbackAddress } = await import("../view/server.js");
  const sources = findSources(paths);
  const t0 = performance.now();
  const catalog = new Catalog(sources);
  const buildMs = performance.now() - t0;
  const records = catalog.runs.reduce((n, r) => n + r.index.entries.length, 0);
  for (const r of catalog.runs) {
    if (r.index.badLineCount > 0) log(`warning: ${r.index.path}: ${r.index.badLineCount} malformed line(s) skipped (first: line ${r.index.badLines[0]?.line}: ${r.index.badLines[0]?.message})`);
    if (r.manifestError) log(`warning: ${r.manifestError}`);
  }
  let viewer;
  try {
    viewer = await startViewer(catalog, opts);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UserError(`port ${opts.port} on ${opts.host} is in use; pass another --port (or --port 0 for any free one)`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new UserError(`cannot listen on --host ${opts.host}: no such local address`);
    throw e;
  }
  log(
    `hgym view: ${catalog.runs.length} run(s) with ${records.toLocaleString("en-US")} records, ${catalog.instanceFiles.length} instance file(s), ` +
      `${catalog.exports.length} export(s); indexed in ${(buildMs / 1000).toFixed(1)} s`,
  );
  if (!isLoopbackAddress(opts.host)) {
    log(`warning: listening on ${opts.host}: the viewer has no login, anyone who can reach this address can read these files`);
  }
  log(`open ${viewer.url}  (Ctrl-C to stop)`);
  return viewer;
}

export function register(program: Command): void {
  program
    .command("view")
    .description("browse runs, instances and exports in a local web app (read-only, loopback by default)")
    .argument("<paths...>", "run directories, instance files, exports, or folders holding them (e.g. the quickstart's output)")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--port <n>", `port to listen on (0 = any free port)`, (v) => parsePort(v), DEFAULT_VIEW_PORT)
    .action(async (paths: string[], opts: ViewOptions) => {
      const viewer = await view(paths, opts);
      await new Promise<void>((resolveStop) => {
        const stop = () => resolveStop();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await viewer.close();
    });
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UserError(`--port must be a whole number from 0 to 65535 (got "${v}")`);
  return n;
}
