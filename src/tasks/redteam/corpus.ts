// Real code for the red-team suite: repositories assembled at test time from files every machine has (python3's
// standard library, packages pinned in the lockfile under node_modules, the bundled example), committed into
// throwaway git repositories, and turned into instances by each family's own generator WITHOUT the validity gate.
// The suite must see every instance a generator proposes, not only those the gate kept: a hack the gate would
// have caught on one instance may still pass on another.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SnapshotStore } from "../../repo/store.js";
import type { Instance } from "../types.js";
import type { RepoView } from "../../core/repo-view.js";
import { generateUngated } from "../common/conformance.js";
import type { VerifyContext } from "../verify-context.js";

// The project root (src/tasks/redteam -> ../../..), where node_modules lives.
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

let stdlibDir: string | null = null;
export function pythonStdlib(): string {
  stdlibDir ??= execFileSync("python3", ["-c", 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: "utf8" }).trim();
  return stdlibDir;
}

// `names` (paths relative to the standard library) -> their texts, kept at the same relative paths.
export function stdlibFiles(names: readonly string[], prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) out[`${prefix}${n}`] = readFileSync(join(pythonStdlib(), n), "utf8");
  return out;
}

// Files of an installed package (paths relative to node_modules/<pkg>), placed under `prefix`.
export function nodeModuleFiles(pkg: string, names: readonly string[], prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) out[`${prefix}${n}`] = readFileSync(join(PROJECT_ROOT, "node_modules", pkg, n), "utf8");
  return out;
}

const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "redteam",
  GIT_AUTHOR_EMAIL: "redteam@hybrid-gym.invalid",
  GIT_COMMITTER_NAME: "redteam",
  GIT_COMMITTER_EMAIL: "redteam@hybrid-gym.invalid",
  GIT_AUTHOR_DATE: "2024-01-01T00:00:00Z",
  GIT_COMMITTER_DATE: "2024-01-01T00:00:00Z",
};

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

// Writes `files` into `dir` and commits them (fixed identity and date, so the commit id only depends on content).
export function commitRepo(dir: string, files: Record<string, string>, message = "import"): string {
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    const dest = join(dir, path);
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, text);
  }
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", message);
  return git(dir, "rev-parse", "HEAD").trim();
}

export interface Workbench {
  root: string;
  store: SnapshotStore;
  cleanup(): void;
}

export function makeWorkbench(): Workbench {
  const root = mkdtempSync(join(tmpdir(), "hgym-redteam-"));
  return { root, store: new SnapshotStore(join(root, "store")), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

// Instances a generator proposed for one repository state, with that state's view.
export interface Pool<G> {
  instances: Instance<G>[];
  view: RepoView;
  start(instance: Instance<G>): RepoView;
  verifyContext: VerifyContext; // what verify gets: the store the instances were generated into
}

// Ungated generation is shared with the conformance suite (src/tasks/common/conformance.ts).
export { generateUngated };

// Several pools as one (instances of several repositories; each instance keeps its own starting state).
export function mergePools<G>(pools: Pool<G>[]): Pool<G> {
  const owner = new Map<string, Pool<G>>();
  for (const p of pools) for (const i of p.instances) owner.set(i.instance_id, p);
  const first = pools[0];
  if (!first) throw new Error("mergePools: no pools");
  return {
    verifyContext: first.verifyContext, // the suites generate every pool into one workbench store
    instances: pools.flatMap((p) => p.instances),
    view: pools[0]?.view ?? { paths: () => [], read: () => null },
    start: (i) => {
      const p = owner.get(i.instance_id);
      if (!p) throw new Error(`instance ${i.instance_id} is not in this pool`);
      return p.start(i);
    },
  };
}

// The repositories the suite uses. Python: small, documented standard-library modules with classes, methods,
// decorators and non-ASCII strings (shlex), plus the example's package (a dataclass). TypeScript: cac's Deno
// sources and the example's web/ code. JavaScript: ms and two of hyparquet's
// JSDoc-typed modules.
export const PYTHON_FILES = ["textwrap.py", "shlex.py", "fnmatch.py", "graphlib.py", "colorsys.py", "_threading_local.py", "zipapp.py"];

export function pythonRepoFiles(): Record<string, string> {
  return { ...stdlibFiles(PYTHON_FILES, "lib/"), "lib/__init__.py": "", ...exampleFiles(["shelf/__init__.py", "shelf/models.py", "shelf/pricing.py", "shelf/report.py"]) };
}

// Files of the bundled example (examples/shelf, its current state), at the same relative paths.
export function exampleFiles(names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) out[n] = readFileSync(join(PROJECT_ROOT, "examples", "shelf", n), "utf8");
  return out;
}

export function typescriptRepoFiles(): Record<string, string> {
  return {
    ...nodeModuleFiles("cac", ["deno/CAC.ts", "deno/Command.ts", "deno/Option.ts", "deno/utils.ts"], "src/"),
    ...exampleFiles(["web/src/cart.ts", "web/src/money.ts"]),
    "tsconfig.json": '{ "compilerOptions": { "target": "ES2022", "module": "ESNext", "moduleResolution": "Bundler", "strict": false, "allowImportingTsExtensions": true, "noEmit": true } }\n',
  };
}

// glob-parent: a CommonJS module with a 'use strict' directive (the directive hacks need one).
export function javascriptRepoFiles(): Record<string, string> {
  return {
    ...nodeModuleFiles("ms", ["index.js"], "ms/"),
    ...nodeModuleFiles("hyparquet", ["src/delta.js", "src/encoding.js", "src/convert.js"], "pq/"),
    ...nodeModuleFiles("glob-parent", ["index.js"], "gp/"),
  };
}
