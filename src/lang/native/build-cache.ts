// Native helpers (the Go, Java and Rust front ends and resolvers) ship as source under native/ at the package
// root and are compiled on first use with the machine's own toolchain — never at npm install time — into a cache
// keyed by a hash of their sources and the toolchain's version. A build goes to a fresh temporary directory and
// is renamed into place, so processes building the same helper at once each end with a complete build (the loser
// of the rename race throws its copy away).

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../../core/errors.js";

// native/ sits at the package root, three levels above both src/lang/native and dist/lang/native.
export const NATIVE_SOURCES_ROOT = fileURLToPath(new URL("../../../native/", import.meta.url));

export interface NativeHelperSpec {
  name: string; // directory under native/ holding the sources, and the cache entry's name: "go-frontend"
  // The toolchain's version line ("go version go1.19.8 linux/amd64"), or what to install when it is missing.
  toolchain(): { version: string } | { missing: string };
  // Compiles `sourceDir` (a private copy path is not needed: sources are only read) into `outDir`; throws with the
  // compiler's output on failure.
  build(sourceDir: string, outDir: string): void;
}

// Where built helpers live unless the caller says otherwise: one cache per machine user (the CLI lets
// $HGYM_NATIVE_CACHE override it).
export function defaultNativeCacheRoot(): string {
  return join(homedir(), ".cache", "hybrid-gym", "native");
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name === "target" || e.name.startsWith(".")) continue; // build output of a manual cargo/go run
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) out.push(full);
    }
  };
  walk(dir);
  return out;
}

// The hash that names a build: every source file's path and bytes, plus the toolchain's version.
export function helperKey(sourceDir: string, toolchainVersion: string): string {
  const h = createHash("sha256");
  h.update(`${toolchainVersion}\n`);
  for (const f of sourceFiles(sourceDir)) {
    h.update(`${relative(sourceDir, f)}\n${statSync(f).size}\n`);
    h.update(readFileSync(f));
  }
  return h.digest("hex").slice(0, 16);
}

// Returns the directory holding a complete build of the helper, building it first if needed.
export function ensureNativeHelper(spec: NativeHelperSpec, cacheRoot: string, sourcesRoot = NATIVE_SOURCES_ROOT): string {
  const tool = spec.toolchain();
  if ("missing" in tool) throw new UserError(`${spec.name}: ${tool.missing}`);
  const sourceDir = join(sourcesRoot, spec.name);
  if (!existsSync(sourceDir)) throw new Error(`${spec.name}: its sources are missing at ${sourceDir} (a broken installation: reinstall hgym)`);
  const final = join(cacheRoot, `${spec.name}-${helperKey(sourceDir, tool.version)}`);
  if (existsSync(final)) return final;
  mkdirSync(cacheRoot, { recursive: true });
  const staging = mkdtempSync(join(cacheRoot, `.${spec.name}-building-`));
  try {
    spec.build(sourceDir, staging);
    try {
      renameSync(staging, final);
    } catch (err) {
      // Another process finished the same build first: use theirs.
      if (!existsSync(final)) throw err;
    }
  } finally {
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  }
  return final;
}

let configuredRoot: string | null = null;

// Set once by the CLI (from --cache / HGYM_CACHE) before any command runs; library users may call it too.
export function configureNativeCache(root: string): void {
  configuredRoot = root;
}

export function nativeCacheRoot(): string {
  return configuredRoot ?? defaultNativeCacheRoot();
}
