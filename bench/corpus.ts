// The real code the generation and verification benchmarks run on, prepared once per run in a temp folder:
// Python's stdlib json/email/http packages (from the machine's python3) and the openai SDK's TypeScript sources
// shipped in node_modules. One definition, so the benchmarks measure the same repositories.

import { cpSync, existsSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

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
