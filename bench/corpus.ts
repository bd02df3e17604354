// The real code the generation and verification benchmarks run on, prepared once per run in a temp folder:
// Python's stdlib json/email/http packages (from the machine's python3) and the openai SDK's TypeScript sources
// shipped in node_modules, and the options the families generate with. One definition, so the benchmarks
// measure the same instances.

import { cpSync, existsSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { SnapshotStore } from "../src/repo/store.js";
import { generateInstances, type GenerationResult } from "../src/tasks/common/pipeline.js";
import { DEFAULT_FUNC_GEN_OPTIONS } from "../src/tasks/func-gen/types.js";
import type { TaskFamily } from "../src/tasks/types.js";

export interface BenchRepo {
  name: string;
  dir: string;
}

export function pythonStdlibDir(): string {
  return execFileSync("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: "utf8" }).trim();
}

export function prepareBenchRepos(root: string): BenchRepo[] {
  const repos: BenchRepo[] = [];
  const lib = pythonStdlibDir();
  const py = join(root, "pystdlib");
  for (const pkg of ["json", "email", "http"]) cpSync(join(lib, pkg), join(py, pkg), { recursive: true, filter: (p) => !p.includes("__pycache__") });
  repos.push({ name: "python stdlib json+email+http", dir: py });
  const openaiSrc = join(process.cwd(), "node_modules", "openai", "src");
  if (existsSync(openaiSrc)) {
    const ts = join(root, "openai-src");
    cpSync(openaiSrc, join(ts, "src"), { recursive: true });
    writeFileSync(join(ts, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: true } }));
    repos.push({ name: "openai-node src (TypeScript)", dir: ts });
  } else {
    console.log("node_modules/openai/src not found: skipping the TypeScript benchmark");
  }
  return repos;
}

const TASK_OPTIONS: Record<string, unknown> = {
  "func-localize": { distractors: 3, description: "docstring" },
  "dep-search": { maxDeps: 5 },
  "func-gen": DEFAULT_FUNC_GEN_OPTIONS,
};

// The family's instances for one benchmark repository, through the whole pipeline (validity gate included).
export function generateForBench(family: TaskFamily<unknown, unknown>, dir: string, store: SnapshotStore, perRepo: number): Promise<GenerationResult<unknown>> {
  return generateInstances({
    family,
    repos: [dir],
    store,
    seed: 1,
    perRepo,
    includeTests: false,
    language: null,
    taskOptions: TASK_OPTIONS[family.name],
    log: () => {},
  });
}
