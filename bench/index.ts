// Indexing benchmark: `node --import tsx bench/index.ts`
//
// Indexes CPython's standard library (every .py file readable as UTF-8) and the TS/JS files shipped in
// node_modules/typescript/lib with a worker pool over all cores, and times CPython's own ast.parse over the same
// Python texts in one process. Prints throughput, peak memory and the ratio of our Python throughput (parse +
// extraction, all cores) to ast.parse's (one core, parse only).

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { indexRepo, type SourceFile } from "../src/lang/index.js";
import { languageForPath } from "../src/lang/parser.js";

const decoder = new TextDecoder("utf-8", { fatal: true });

function listFiles(root: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && keep(full)) out.push(full);
    }
  };
  walk(root);
  return out.sort();
}

function readUtf8(files: string[], root: string): { sources: SourceFile[]; absolute: string[]; bytes: number } {
  const sources: SourceFile[] = [];
  const absolute: string[] = [];
  let bytes = 0;
  for (const f of files) {
    try {
      const buf = readFileSync(f);
      sources.push({ path: relative(root, f).split("\\").join("/"), text: decoder.decode(buf) });
      absolute.push(f);
      bytes += buf.length;
    } catch {
      // not UTF-8 (a few stdlib test fixtures are deliberately Latin-1) or unreadable: skipped
    }
  }
  return { sources, absolute, bytes };
}

let peakSampledRss = 0;
const sampler = setInterval(() => {
  peakSampledRss = Math.max(peakSampledRss, process.memoryUsage().rss);
}, 25);

interface Measured {
  label: string;
  cpuSeconds: number; // all threads of this process
  files: number;
  bytes: number;
  seconds: number;
  definitions: number;
  callSites: number;
  filesWithErrors: number;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

// withJson: also serialise every file's index and hand it to the main thread (what `hgym index` pays to write
// the JSONL); without it, workers send only per-file statistics.
async function measure(label: string, sources: SourceFile[], bytes: number, withJson = false): Promise<Measured> {
  let jsonBytes = 0;
  const c0 = cpuSeconds();
  const t0 = performance.now();
  const { stats } = await indexRepo(sources, {
    workers: availableParallelism(),
    keepFiles: false,
    ...(withJson ? { onFileJson: (json: string) => void (jsonBytes += json.length) } : {}),
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;
  if (withJson) console.log(`  (${label}: ${(jsonBytes / 1e6).toFixed(0)} MB of index JSON)`);
  let definitions = 0;
  let callSites = 0;
  let filesWithErrors = 0;
  for (const s of Object.values(stats.byLanguage)) {
    definitions += s.definitionsTotal;
    callSites += s.callSites;
    filesWithErrors += s.filesWithErrors;
  }
  return { label, cpuSeconds: cpu, files: stats.files, bytes, seconds, definitions, callSites, filesWithErrors };
}

function show(m: Measured): void {
  const mb = m.bytes / 1e6;
  console.log(
    `${m.label}: ${m.files} files, ${mb.toFixed(1)} MB, ${m.seconds.toFixed(2)} s, ${(mb / m.seconds).toFixed(2)} MB/s, ` +
      `${Math.round(m.definitions / m.seconds)} definitions/s (${m.definitions} definitions), ${m.callSites} call sites, ` +
      `${m.filesWithErrors} files with syntax errors; CPU ${m.cpuSeconds.toFixed(2)} s`,
  );
}

const AST_TIMER = `
import ast, sys, time, json
paths = [p for p in open(sys.argv[1], encoding="utf-8").read().split("\\n") if p]
texts = []
for p in paths:
    with open(p, encoding="utf-8") as f:
        texts.append(f.read())
errors = 0
c = time.process_time()
t = time.perf_counter()
for s in texts:
    try:
        ast.parse(s)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        errors += 1
seconds = time.perf_counter() - t
cpu = time.process_time() - c
print(json.dumps({"files": len(texts), "bytes": sum(len(s.encode("utf-8", "surrogatepass")) for s in texts), "seconds": seconds, "cpu": cpu, "errors": errors}))
`;

async function main(): Promise<void> {
  const stdlib = execFileSync("python3", ["-c", 'import sysconfig;print(sysconfig.get_paths()["stdlib"])'], { encoding: "utf8" }).trim();
  // site-packages lives inside the stdlib directory but holds third-party packages, not the standard library.
  const sitePackages = join(stdlib, "site-packages");
  const pyFiles = listFiles(stdlib, (f) => f.endsWith(".py") && !f.startsWith(sitePackages + "/"));
  const py = readUtf8(pyFiles, stdlib);
  const tsRoot = join(process.cwd(), "node_modules", "typescript", "lib");
  const tsFiles = listFiles(tsRoot, (f) => languageForPath(f) !== null);
  const ts = readUtf8(tsFiles, tsRoot);
  console.log(`cores: ${availableParallelism()}; stdlib: ${stdlib}; typescript lib: ${tsRoot}`);

  // CPython first, alone, so the two measurements do not share cores.
  const dir = mkdtempSync(join(tmpdir(), "hgym-bench-"));
  let astResult: { files: number; bytes: number; seconds: number; cpu: number; errors: number };
  try {
    const list = join(dir, "files.txt");
    writeFileSync(list, py.absolute.join("\n"));
    const run = spawnSync("python3", ["-c", AST_TIMER, list], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (run.status !== 0) throw new Error(`python3 ast timing failed: ${run.stderr}`);
    astResult = JSON.parse(run.stdout.trim()) as typeof astResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const astMBs = astResult.bytes / 1e6 / astResult.seconds;
  console.log(
    `CPython ast.parse (1 core): ${astResult.files} files, ${(astResult.bytes / 1e6).toFixed(1)} MB, ${astResult.seconds.toFixed(2)} s, ` +
      `${astMBs.toFixed(2)} MB/s, CPU ${astResult.cpu.toFixed(2)} s (${astResult.errors} files raised SyntaxError)`,
  );

  const pyM = await measure("hgym python (parse+extract, all cores)", py.sources, py.bytes);
  show(pyM);
  const pyJson = await measure("hgym python, with index JSON to the main thread", py.sources, py.bytes, true);
  show(pyJson);
  const tsM = await measure("hgym typescript/javascript (all cores)", ts.sources, ts.bytes);
  show(tsM);

  clearInterval(sampler);
  const maxRssKb = process.resourceUsage().maxRSS; // kilobytes; worker threads share the process
  console.log(`peak memory: maxRSS ${(maxRssKb / 1024).toFixed(0)} MB, sampled RSS peak ${(peakSampledRss / 1048576).toFixed(0)} MB`);
  const ratio = pyM.bytes / 1e6 / pyM.seconds / astMBs;
  console.log(`ratio (hgym python throughput / ast.parse throughput), wall clock: ${ratio.toFixed(2)} (with JSON: ${(pyJson.bytes / 1e6 / pyJson.seconds / astMBs).toFixed(2)})`);
  // On a shared machine wall-clock figures depend on what else runs; CPU seconds show the work itself. This ratio
  // assumes our threads get every core, the situation the target describes.
  const cores = availableParallelism();
  console.log(
    `ratio from CPU time with ${cores} cores: ${((astResult.cpu * cores) / pyM.cpuSeconds).toFixed(2)} ` +
      `(with JSON: ${((astResult.cpu * cores) / pyJson.cpuSeconds).toFixed(2)}); per-core CPU throughput hgym ` +
      `${(pyM.bytes / 1e6 / pyM.cpuSeconds).toFixed(2)} MB/s vs ast.parse ${(astResult.bytes / 1e6 / astResult.cpu).toFixed(2)} MB/s`,
  );
}

main().catch((e: unknown) => {
  clearInterval(sampler);
  console.error(e);
  process.exit(1);
});
