// Index speed per compiled language against the language's own parser, in the same run:
//   node --import tsx bench/index-languages.ts [--mb N] [--runs N] [--only go,java,rust]
// Real code every machine with the project's setup has: Go's standard library (/usr/lib/go-<v>/src), the JDK's
// sources (src.zip of Debian's openjdk-17, java.base only), Rust's standard library (/usr/src/rustc-<v>/library).
// For each language, up to --mb megabytes (default 8) of files are indexed by hgym (tree-sitter parse + full
// extraction, worker threads over all cores, as `hgym index`), then parsed by the native front end's own parser
// inside its long-lived helper (go/parser, javac's parser, syn), with the helper's start-up excluded. Prints MB/s
// wall and per CPU second for hgym, MB/s for the native parser (one thread: its seconds are CPU seconds), and
// the ratio, min/median over --runs (default 3). Also called at the end of bench/index.ts.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { indexRepo, type SourceFile } from "../src/lang/index.js";
import { sharedGoFrontend } from "../src/lang/frontend/go.js";
import { sharedJavaFrontend } from "../src/lang/frontend/java.js";
import { sharedRustFrontend } from "../src/lang/frontend/rust.js";

type Lang = "go" | "java" | "rust";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i !== -1 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const MB_BUDGET = Number(arg("--mb", "8"));
const RUNS = Number(arg("--runs", "3"));
const ONLY = new Set(arg("--only", "go,java,rust").split(",") as Lang[]);

function firstExisting(paths: string[]): string | null {
  return paths.find((p) => existsSync(p)) ?? null;
}

function globDir(parent: string, prefix: string): string | null {
  if (!existsSync(parent)) return null;
  const hit = readdirSync(parent).filter((n) => n.startsWith(prefix)).sort().pop();
  return hit ? join(parent, hit) : null;
}

// Files under `root` with the extension, sorted, skipping test data (deliberately broken files) until the byte
// budget is reached.
function collect(root: string, ext: string, budget: number): string[] {
  const out: string[] = [];
  let bytes = 0;
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (bytes >= budget) return;
      if (e.name === "testdata" || e.name.startsWith(".")) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.endsWith(ext)) {
        out.push(full);
        bytes += statSync(full).size;
      }
    }
  };
  walk(root);
  return out;
}

interface Corpus {
  lang: Lang;
  root: string;
  files: string[];
  cleanup?: () => void;
}

function corpus(lang: Lang): Corpus | null {
  const budget = MB_BUDGET * 1024 * 1024;
  if (lang === "go") {
    const root = firstExisting(["/usr/lib/go/src", globDir("/usr/lib", "go-") ? join(globDir("/usr/lib", "go-") as string, "src") : ""].filter(Boolean));
    return root ? { lang, root, files: collect(root, ".go", budget) } : null;
  }
  if (lang === "java") {
    const zip = firstExisting(["/usr/lib/jvm/java-17-openjdk-amd64/lib/src.zip", "/usr/lib/jvm/default-java/lib/src.zip"]);
    if (!zip) return null;
    const dir = mkdtempSync(join(tmpdir(), "hgym-bench-jdk-"));
    execFileSync("python3", ["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); [z.extract(n, sys.argv[2]) for n in z.namelist() if n.startswith('java.base/java/') and n.endswith('.java')]", zip, dir]);
    const root = join(dir, "java.base");
    return { lang, root, files: collect(root, ".java", budget), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  const lib = globDir("/usr/src", "rustc-");
  const root = lib ? join(lib, "library") : null;
  return root && existsSync(root) ? { lang, root, files: collect(root, ".rs", budget) } : null;
}

function cpuSeconds(): number {
  const u = process.cpuUsage(); // every thread of this process, the index workers included
  return (u.user + u.system) / 1e6;
}

async function indexOnce(sources: SourceFile[]): Promise<{ seconds: number; cpu: number }> {
  const c0 = cpuSeconds();
  const t0 = performance.now();
  await indexRepo(sources, { workers: availableParallelism(), keepFiles: false });
  return { seconds: (performance.now() - t0) / 1000, cpu: cpuSeconds() - c0 };
}

async function nativeOnce(lang: Lang, files: string[]): Promise<{ seconds: number; failed: number }> {
  if (lang === "go") {
    const r = await sharedGoFrontend().parseOnly(files);
    return { seconds: r.seconds, failed: r.errors };
  }
  if (lang === "java") {
    const r = await sharedJavaFrontend().parseOnly(files);
    return { seconds: r.seconds, failed: r.errors };
  }
  const r = await sharedRustFrontend().parseOnly(files);
  return { seconds: r.seconds, failed: r.failed };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (xs: number[]): string => `min ${Math.min(...xs).toFixed(1)} median ${median(xs).toFixed(1)}`;

export async function benchLanguages(): Promise<void> {
  const names: Record<Lang, string> = { go: "go/parser", java: "javac parser", rust: "syn" };
  for (const lang of ["go", "java", "rust"] as Lang[]) {
    if (!ONLY.has(lang)) continue;
    const c = corpus(lang);
    if (!c || c.files.length === 0) {
      console.log(`${lang}: no standard-library sources on this machine (run scripts/setup.sh): skipped`);
      continue;
    }
    try {
      const sources: SourceFile[] = c.files.map((f) => ({ path: relative(c.root, f), text: readFileSync(f, "utf8") }));
      const mb = c.files.reduce((n, f) => n + statSync(f).size, 0) / 1024 / 1024;
      await nativeOnce(lang, c.files.slice(0, 5)); // starts (and, the first time, builds) the helper: not timed
      const wall: number[] = [];
      const perCpu: number[] = [];
      const native: number[] = [];
      let failed = 0;
      for (let i = 0; i < RUNS; i++) {
        const ours = await indexOnce(sources);
        wall.push(mb / ours.seconds);
        perCpu.push(mb / ours.cpu);
        const theirs = await nativeOnce(lang, c.files);
        native.push(mb / theirs.seconds);
        failed = theirs.failed;
      }
      console.log(`${lang}: ${c.files.length} files, ${mb.toFixed(1)} MB of ${c.root} (${names[lang]} rejected ${failed})`);
      console.log(`  hgym index (parse + extraction, ${availableParallelism()} workers): ${fmt(wall)} MB/s wall, ${fmt(perCpu)} MB/s per CPU second`);
      console.log(`  ${names[lang]} (parse only, one thread):            ${fmt(native)} MB/s`);
      console.log(`  ratio hgym/native: wall ${(median(wall) / median(native)).toFixed(2)}, per CPU ${(median(perCpu) / median(native)).toFixed(2)}`);
    } finally {
      c.cleanup?.();
    }
  }
  await Promise.all([sharedGoFrontend().close(), sharedJavaFrontend().close(), sharedRustFrontend().close()]);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchLanguages();
