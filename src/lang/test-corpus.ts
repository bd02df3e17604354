// Real code for the language tests, chosen deterministically from what every machine has: python3's standard
// library and packages pinned in the lockfile (node_modules). Shared so the front-end and index tests measure the
// same files.

import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const STDLIB = execFileSync("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: "utf8" }).trim();

export const NODE_MODULES = join(import.meta.dirname, "../../node_modules");

// `count` top-level standard-library modules: every k-th .py file by name.
export function stdlibFiles(count: number): string[] {
  const all = readdirSync(STDLIB)
    .filter((f) => f.endsWith(".py"))
    .sort();
  const step = Math.max(1, Math.floor(all.length / count));
  const out: string[] = [];
  for (let i = 0; i < all.length && out.length < count; i += step) out.push(join(STDLIB, all[i] as string));
  return out;
}

// Up to `limit` JavaScript/TypeScript sources (not declaration files) under `dir`, in name order.
export function nodeSources(dir: string, limit: number): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(m?js|ts)$/.test(name) && !name.endsWith(".d.ts") && out.length < limit) out.push(p);
    }
  };
  walk(dir);
  return out;
}
