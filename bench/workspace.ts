// Workspace materialization benchmark:
//   node --import tsx bench/workspace.ts [--files N] [--runs N] [--synthetic] [--root DIR]
// Takes up to N (default 2,000) files of Python's standard library (or a synthetic repository when Python is not
// available or --synthetic is given), ingests them into a temporary store, then materializes --runs workspaces
// (default 30), each with a small setup patch, under --root (default: defaultWorkspaceRoot()), and prints
// median/p90 milliseconds and files per second.

import { execFileSync } from "node:child_process";
import { promises as fsp, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { SnapshotStore, snapshotView } from "../src/repo/store.js";
import { makeFilePatch } from "../src/patch/make.js";
import { materializeWorkspace, collectResult, defaultWorkspaceRoot } from "../src/repo/workspace.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i !== -1 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

async function listFiles(root: string, limit: number): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await fsp.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (out.length >= limit) return;
      const abs = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === "site-packages" || e.name === "__pycache__") continue;
        await walk(abs);
      } else if (e.isFile() && e.name.endsWith(".py")) out.push(abs);
    }
  };
  await walk(root);
  return out;
}

async function buildSource(dest: string, files: number, synthetic: boolean): Promise<string> {
  let stdlib: string | null = null;
  if (!synthetic) {
    try {
      stdlib = execFileSync("python3", ["-c", "import sysconfig;print(sysconfig.get_paths()['stdlib'])"], { encoding: "utf8" }).trim();
    } catch {
      stdlib = null;
    }
  }
  if (stdlib && existsSync(stdlib)) {
    for (const abs of await listFiles(stdlib, files)) {
      const target = join(dest, relative(stdlib, abs));
      await fsp.mkdir(join(target, ".."), { recursive: true });
      await fsp.copyFile(abs, target);
    }
    return `python stdlib (${stdlib})`;
  }
  for (let i = 0; i < files; i++) {
    const dir = join(dest, `pkg${i % 40}`, `mod${i % 7}`);
    await fsp.mkdir(dir, { recursive: true });
    const body = Array.from({ length: 80 }, (_, k) => `def f_${i}_${k}(x):\n    return x + ${k}\n`).join("\n");
    await fsp.writeFile(join(dir, `file${i}.py`), body);
  }
  return "synthetic";
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

async function main(): Promise<void> {
  const fileCount = arg("--files", 2000);
  const runs = arg("--runs", 30);
  const scratch = await fsp.mkdtemp(join(tmpdir(), "hgym-bench-"));
  try {
    const repo = join(scratch, "repo");
    const kind = await buildSource(repo, fileCount, process.argv.includes("--synthetic"));
    const store = new SnapshotStore(join(scratch, "store"));
    let t = performance.now();
    const snapshot = await store.ingest(repo);
    const ingestMs = performance.now() - t;
    t = performance.now();
    await store.ingest(repo);
    const reingestMs = performance.now() - t;
    const bytes = snapshot.files.reduce((s, f) => s + f.size, 0);
    console.log(`source: ${kind}; ${snapshot.files.length} files, ${(bytes / 1e6).toFixed(1)} MB`);
    console.log(`ingest: ${ingestMs.toFixed(0)} ms first, ${reingestMs.toFixed(0)} ms again (stat cache)`);

    const view = snapshotView(store, snapshot);
    const target = snapshot.files[Math.floor(snapshot.files.length / 2)]?.path as string;
    const text = view.read(target) as string;
    const setup = makeFilePatch(target, text, text.replace(/\n/, "\n# masked by the setup patch\n"));

    const times: number[] = [];
    const cpuTimes: number[] = [];
    const rootArg = process.argv.indexOf("--root");
    const wsRoot = rootArg !== -1 && process.argv[rootArg + 1] ? (process.argv[rootArg + 1] as string) : defaultWorkspaceRoot();
    console.log(`workspaces under ${wsRoot}`);
    for (let i = 0; i < runs + 2; i++) {
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      const ws = await materializeWorkspace(store, snapshot, setup, { root: wsRoot });
      const ms = performance.now() - started;
      const cpu = process.cpuUsage(cpuStart);
      // The first runs build the per-snapshot object cache and warm the page cache and the JIT.
      if (i >= 2) {
        times.push(ms);
        cpuTimes.push((cpu.user + cpu.system) / 1000);
      }
      if (i === 0) {
        const collected = await collectResult(ws.dir, { start: ws.start });
        if (collected.diff !== "") throw new Error("an untouched workspace must have an empty diff");
      }
      await ws.remove();
    }
    times.sort((a, b) => a - b);
    cpuTimes.sort((a, b) => a - b);
    const median = percentile(times, 0.5);
    console.log(
      `materialize x${runs}: median ${median.toFixed(1)} ms, p90 ${percentile(times, 0.9).toFixed(1)} ms, ` +
        `${Math.round(snapshot.files.length / (median / 1000))} files/s; this process's CPU median ${percentile(cpuTimes, 0.5).toFixed(1)} ms ` +
        `(git read-tree runs in a child and is not included)`,
    );
  } finally {
    await fsp.rm(scratch, { recursive: true, force: true });
  }
}

await main();
