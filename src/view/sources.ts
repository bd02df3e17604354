// What `hgym view` was pointed at: each path is a run directory (run.json + rollouts.jsonl), an instance file, an
// export (a dataset file with its `.manifest.json`), or a folder holding any of these (the quickstart's output
// folder, a folder of runs). Kinds are told apart by file names and by the `schema` tag of a file's first record.

import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../core/errors.js";
import { MANIFEST_FILE, ROLLOUTS_FILE } from "../runner/run-dir.js";

export type Source =
  | { kind: "run"; name: string; dir: string; rolloutsPath: string; manifestPath: string | null }
  | { kind: "instances"; name: string; path: string }
  | { kind: "export"; name: string; path: string | null; manifestPath: string };

const MANIFEST_SUFFIX = ".manifest.json";
const MAX_DEPTH = 4; // folders below a given folder that are searched
const SKIP_DIRS = new Set(["node_modules", ".git", "cache", ".hgym-cache", "ws", "workspaces"]);

// Resolves the paths a user gave into sources, in a stable order with unique names (the names appear in URLs, so
// a link made today opens the same run tomorrow when the same paths are given).
export function findSources(paths: string[]): Source[] {
  if (paths.length === 0) throw new UserError("give at least one path: a run directory, an instance file, an export, or a folder holding them");
  const found: Source[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new UserError(`${p} does not exist; give a run directory, an instance file, an export or a folder holding them`);
    const before = found.length;
    collect(abs, 0, found, seen, true);
    if (found.length === before) {
      throw new UserError(`${p} holds nothing hgym view can show: no run directory (${MANIFEST_FILE} + ${ROLLOUTS_FILE}), instance file or export (*.jsonl with *${MANIFEST_SUFFIX})`);
    }
  }
  return uniqueNames(found);
}

function collect(abs: string, depth: number, out: Source[], seen: Set<string>, explicit: boolean): void {
  if (seen.has(abs)) return;
  const st = statSync(abs);
  if (st.isDirectory()) {
    if (existsSync(join(abs, ROLLOUTS_FILE)) || existsSync(join(abs, MANIFEST_FILE))) {
      seen.add(abs);
      out.push(runSource(abs));
      return;
    }
    if (depth >= MAX_DEPTH) return;
    let names: string[];
    try {
      names = readdirSync(abs).sort();
    } catch {
      return; // an unreadable folder below the one given is not the user's problem here
    }
    for (const name of names) {
      if (name.startsWith(".") || SKIP_DIRS.has(name)) continue;
      const child = join(abs, name);
      let isDir: boolean;
      try {
        isDir = statSync(child).isDirectory();
      } catch {
        continue;
      }
      if (isDir) collect(child, depth + 1, out, seen, false);
      else if (name.endsWith(".jsonl") || name.endsWith(MANIFEST_SUFFIX)) collect(child, depth + 1, out, seen, false);
    }
    return;
  }
  seen.add(abs);
  const name = basename(abs);
  if (name.endsWith(MANIFEST_SUFFIX)) {
    const data = abs.slice(0, -MANIFEST_SUFFIX.length);
    seen.add(data);
    out.push({ kind: "export", name: basename(data).replace(/\.(jsonl|parquet)$/, ""), path: existsSync(data) ? data : null, manifestPath: abs });
    return;
  }
  if (existsSync(abs + MANIFEST_SUFFIX)) {
    seen.add(abs + MANIFEST_SUFFIX);
    out.push({ kind: "export", name: name.replace(/\.(jsonl|parquet)$/, ""), path: abs, manifestPath: abs + MANIFEST_SUFFIX });
    return;
  }
  if (name === ROLLOUTS_FILE) {
    seen.add(dirname(abs));
    out.push(runSource(dirname(abs)));
    return;
  }
  const kind = sniffKind(abs);
  if (kind === "instances") out.push({ kind: "instances", name: name.replace(/\.jsonl$/, ""), path: abs });
  else if (kind === "rollouts") out.push({ kind: "run", name: name.replace(/\.jsonl$/, ""), dir: dirname(abs), rolloutsPath: abs, manifestPath: null });
  else if (explicit) {
    throw new UserError(`${abs} is neither an instance file nor rollouts (its first record has no hgym schema tag, instance_id or instruction)`);
  }
}

function runSource(dir: string): Source {
  const manifest = join(dir, MANIFEST_FILE);
  return { kind: "run", name: basename(dir), dir, rolloutsPath: join(dir, ROLLOUTS_FILE), manifestPath: existsSync(manifest) ? manifest : null };
}

// Decides from the first record alone; instance files written before the schema tag existed have none, so their
// fields decide.
function sniffKind(path: string): "instances" | "rollouts" | null {
  const line = firstLine(path);
  if (line === null) return null;
  let rec: unknown;
  try {
    rec = JSON.parse(line);
  } catch {
    return null;
  }
  if (!rec || typeof rec !== "object") return null;
  const r = rec as Record<string, unknown>;
  if (typeof r.schema === "string") {
    if (r.schema.startsWith("hgym.instance/")) return "instances";
    if (r.schema.startsWith("hgym.rollout/")) return "rollouts";
    return null;
  }
  return typeof r.instance_id === "string" && typeof r.instruction === "string" ? "instances" : null;
}

const SNIFF_LIMIT = 64 << 20; // a first line longer than this is not a record we show

function firstLine(path: string): string | null {
  const fd = openSync(path, "r");
  try {
    const chunks: Buffer[] = [];
    let pos = 0;
    const buf = Buffer.alloc(1 << 16);
    while (pos < SNIFF_LIMIT) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(0x0a);
      chunks.push(Buffer.from(buf.subarray(0, nl === -1 ? n : nl)));
      if (nl !== -1) break;
      pos += n;
    }
    const text = Buffer.concat(chunks).toString("utf8").trim();
    return text ? text : null;
  } finally {
    closeSync(fd);
  }
}

// Names become URL path segments: runs named alike (two folders both called "oracle") get "-2", "-3".
function uniqueNames(sources: Source[]): Source[] {
  const used = new Set<string>();
  return sources.map((s) => {
    const base = (s.name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || s.kind).slice(0, 80);
    let name = base;
    for (let i = 2; used.has(`${s.kind}:${name}`); i++) name = `${base}-${i}`;
    used.add(`${s.kind}:${name}`);
    return { ...s, name };
  });
}
