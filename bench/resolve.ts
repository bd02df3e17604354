// Throughput of the pyright call resolver on real code: Python's stdlib `json`, `email` and `http` packages copied
// into a temp dir as "the repository". Every call inside every function (found with Python's own `ast`, columns
// converted to UTF-16) is resolved; prints functions/s, calls/s, the share resolved in-repo / out-of-repo /
// unresolved, and peak memory of this process and of the pyright server.
//   node --import tsx bench/resolve.ts [--concurrency N] [--rounds N] [--limit FUNCTIONS] [--show-unresolved N]
//   node --import tsx bench/resolve.ts --dump answers.jsonl   (round 1's answers, one line per call, for diffing runs)
//   node --import tsx bench/resolve.ts --ts    (the TypeScript resolver on this project's own src/)

import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { createPyrightResolver } from "../src/resolve/pyright.js";
import { createTsResolver } from "../src/resolve/typescript.js";
import type { ResolveRequest } from "../src/resolve/types.js";
import { childrenRunning } from "../src/sandbox/procfs.js";

interface FunctionCalls {
  file: string;
  function: string;
  line: number;
  calls: [number, number][];
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function listPy(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(path.join(dir, r)).isDirectory()) out.push(...listPy(dir, r));
    else if (name.endsWith(".py")) out.push(r);
  }
  return out;
}

// Peak resident memory (VmHWM) of a process, in MiB, from /proc (Linux).
function peakRssMiB(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

// User+system CPU seconds a process has used so far, from /proc (Linux): a load-independent cost figure, since
// wall time on a shared machine depends on what else runs.
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s on Linux)
  } catch {
    return 0;
  }
}

function langserverPids(): number[] {
  return childrenRunning(process.pid, "langserver.index.js");
}

async function main(): Promise<void> {
  const concurrency = arg("--concurrency", 48);
  const rounds = arg("--rounds", 1);
  const stdlib = execFileSync("python3", ["-c", "import json, os; print(os.path.dirname(os.path.dirname(json.__file__)))"], { encoding: "utf8" }).trim();
  const repo = mkdtempSync(path.join(tmpdir(), "hgym-resolve-bench-"));
  try {
    for (const pkg of ["json", "email", "http"]) cpSync(path.join(stdlib, pkg), path.join(repo, pkg), { recursive: true, filter: (src) => !src.includes("__pycache__") });
    const files = listPy(repo);
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "python-calls.py");
    const limit = arg("--limit", Infinity);
    const functions = execFileSync("python3", [script, repo, ...files], { encoding: "utf8", maxBuffer: 1 << 28 })
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as FunctionCalls)
      .slice(0, limit);
    const requests: ResolveRequest[] = functions.flatMap((f) => f.calls.map(([line, column]) => ({ file: f.file, line, column })));
    console.log(`repo: ${files.length} files, ${functions.length} functions, ${requests.length} calls (concurrency ${concurrency})`);

    let t = performance.now();
    const resolver = await createPyrightResolver(repo, { concurrency });
    console.log(`startup: ${Math.round(performance.now() - t)} ms`);
    // Warm-up: the first request pays for parsing builtins/typeshed; measure it separately.
    t = performance.now();
    const first = requests[0];
    if (first) await resolver.resolve([first]);
    console.log(`first request (warm-up): ${Math.round(performance.now() - t)} ms`);

    const showUnresolved = arg("--show-unresolved", 0);
    for (let round = 1; round <= rounds; round++) {
      const cpuBefore = langserverPids().reduce((sum, p) => sum + cpuSeconds(p), cpuSeconds(process.pid));
      t = performance.now();
      const results = await resolver.resolve(requests);
      const seconds = (performance.now() - t) / 1000;
      const cpu = langserverPids().reduce((sum, p) => sum + cpuSeconds(p), cpuSeconds(process.pid)) - cpuBefore;
      let inRepo = 0;
      let outRepo = 0;
      let unresolved = 0;
      let shown = 0;
      const reasons = new Map<string, number>();
      for (const r of results) {
        if (r.status === "unresolved" || r.status === "ambiguous") {
          unresolved++; // ambiguous answers (the callee cannot be named) are tallied with the unresolved ones
          if (round === 1 && shown++ < showUnresolved) {
            const req = requests[results.indexOf(r)]!;
            const text = readFileSync(path.join(repo, req.file), "utf8").split("\n")[req.line - 1] ?? "";
            console.log(`   ? ${req.file}:${req.line}:${req.column} ${text.trim().slice(0, 90)}  -- ${r.reason.slice(0, 100)}`);
          }
          const kind = r.reason.replace(/`[^`]*`/g, "`…`").replace(/\S+:\d+/g, "<loc>").slice(0, 80);
          reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
        } else if (r.targets.some((x) => x.inRepo)) inRepo++;
        else outRepo++;
      }
      const pct = (n: number): string => `${((100 * n) / Math.max(1, results.length)).toFixed(1)}%`;
      console.log(
        `round ${round}: ${seconds.toFixed(2)} s · ${(functions.length / seconds).toFixed(0)} functions/s · ${(requests.length / seconds).toFixed(0)} calls/s · ` +
          `${cpu.toFixed(1)} CPU s (${(functions.length / Math.max(cpu, 0.01)).toFixed(0)} functions per CPU s) · in-repo ${pct(inRepo)} · out-of-repo ${pct(outRepo)} · unresolved ${pct(unresolved)}`,
      );
      const dumpIndex = process.argv.indexOf("--dump");
      const dumpPath = dumpIndex >= 0 ? process.argv[dumpIndex + 1] : undefined;
      if (round === 1 && dumpPath) {
        // Absolute out-of-repo paths differ between runs only by the temp dir; strip it so runs can be diffed.
        const lines = results.map((r, i) => JSON.stringify({ call: requests[i], result: r }).split(repo).join("<repo>"));
        writeFileSync(dumpPath, lines.join("\n") + "\n");
      }
      if (round === 1) for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`   ${n} × ${reason}`);
    }
    const servers = langserverPids();
    console.log(`peak RSS: bench ${peakRssMiB(process.pid)} MiB, pyright ${servers.map((p) => `${peakRssMiB(p)} MiB`).join(", ")} (${servers.length} server process)`);
    await resolver.close();
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

// TypeScript: this project's own sources as the repository; calls found with the TypeScript parser.
async function mainTs(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const files = listFiles(path.join(root, "src"), ".ts").map((f) => `src/${f}`);
  let functions = 0;
  const requests: ResolveRequest[] = [];
  for (const file of files) {
    const sf = ts.createSourceFile(file, readFileSync(path.join(root, file), "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && "body" in node && node.body) {
        functions++;
        const collect = (n: ts.Node): void => {
          if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
            const callee = n.expression;
            const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
            if (nameNode) {
              const p = sf.getLineAndCharacterOfPosition(nameNode.getStart(sf));
              requests.push({ file, line: p.line + 1, column: p.character });
            }
          }
          ts.forEachChild(n, collect);
        };
        collect(node.body as ts.Node);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  console.log(`repo: ${files.length} TypeScript files (this project's src/), ${functions} functions, ${requests.length} calls`);
  let t = performance.now();
  const resolver = await createTsResolver(root, files);
  const first = requests[0];
  if (first) await resolver.resolve([first]);
  console.log(`startup + first request (program build): ${Math.round(performance.now() - t)} ms`);
  t = performance.now();
  const cpuBefore = cpuSeconds(process.pid);
  const results = await resolver.resolve(requests);
  const seconds = (performance.now() - t) / 1000;
  const cpu = cpuSeconds(process.pid) - cpuBefore;
  const inRepo = results.filter((r) => r.status === "resolved" && r.targets.some((x) => x.inRepo)).length;
  const unresolved = results.filter((r) => r.status === "unresolved").length;
  const pct = (n: number): string => `${((100 * n) / Math.max(1, results.length)).toFixed(1)}%`;
  console.log(
    `${seconds.toFixed(2)} s · ${(functions / seconds).toFixed(0)} functions/s · ${(requests.length / seconds).toFixed(0)} calls/s · ${cpu.toFixed(1)} CPU s · ` +
      `in-repo ${pct(inRepo)} · out-of-repo ${pct(results.length - inRepo - unresolved)} · unresolved ${pct(unresolved)} · peak RSS ${peakRssMiB(process.pid)} MiB`,
  );
  await resolver.close();
}

function listFiles(dir: string, ext: string, rel = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(path.join(dir, r)).isDirectory()) out.push(...listFiles(dir, ext, r));
    else if (name.endsWith(ext)) out.push(r);
  }
  return out;
}

if (process.argv.includes("--ts")) await mainTs();
else await main();
