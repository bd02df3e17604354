// Real repositories without the internet, for the build's scale test and bench: every package under
// node_modules with JS/TS sources of its own, and every package of Python's standard library, each taken as a
// plain-folder repository. Sorted by name and filtered by size, so a given machine yields the same list each time.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export interface LocalRepo {
  path: string;
  language: "javascript" | "python";
  files: number; // source files (the size measure of the bench's scaling figure)
}

const JS = /\.(?:[cm]?js|tsx?)$/;

// Source files under `dir`, not descending into nested node_modules or test data; stops counting past `cap`.
function countSources(dir: string, pattern: RegExp, cap: number): number {
  let n = 0;
  const walk = (d: string, depth: number) => {
    if (n > cap || depth > 6) return;
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && !e.name.startsWith(".")) walk(join(d, e.name), depth + 1);
      } else if (e.isFile() && pattern.test(e.name) && !e.name.endsWith(".d.ts") && !e.name.endsWith(".min.js")) n++;
      if (n > cap) return;
    }
  };
  walk(dir, 0);
  return n;
}

export function nodeModulesRepos(root: string, minFiles: number, maxFiles: number): LocalRepo[] {
  const nm = join(root, "node_modules");
  const dirs: string[] = [];
  for (const name of readdirSync(nm).sort()) {
    if (name.startsWith(".")) continue;
    if (name.startsWith("@")) for (const sub of readdirSync(join(nm, name)).sort()) dirs.push(join(nm, name, sub));
    else dirs.push(join(nm, name));
  }
  const out: LocalRepo[] = [];
  for (const dir of dirs) {
    if (!statSync(dir).isDirectory() || !existsSync(join(dir, "package.json"))) continue;
    const files = countSources(dir, JS, maxFiles);
    if (files >= minFiles && files <= maxFiles) out.push({ path: dir, language: "javascript", files });
  }
  return out;
}

export function pythonStdlibDir(): string {
  return execFileSync("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: "utf8" }).trim();
}

export function pythonStdlibRepos(minFiles: number, maxFiles: number): LocalRepo[] {
  const lib = pythonStdlibDir();
  const out: LocalRepo[] = [];
  for (const name of readdirSync(lib).sort()) {
    const dir = join(lib, name);
    if (name.startsWith("_") || name === "test" || name === "site-packages" || name === "dist-packages") continue;
    if (!statSync(dir).isDirectory() || !existsSync(join(dir, "__init__.py"))) continue;
    const files = countSources(dir, /\.py$/, maxFiles);
    if (files >= minFiles && files <= maxFiles) out.push({ path: dir, language: "python", files });
  }
  return out;
}
