// Workspace creation benchmark:
//   node --import tsx bench/workspace.ts [--files N] [--runs N] [--synthetic] [--root DIR] [--kinds overlay,copy,clone,clone+]
// Takes up to N (default 2,000) files of Python's standard library (or a synthetic repository when Python is not
// available or --synthetic is given), commits them to a git repository, ingests that into a temporary store, and
// then, on each workspace root (default: /dev/shm when usable AND the OS temp dir, i.e. tmpfs and disk; --root
// DIR for one), times --runs (default 20) creations of each kind, interleaved so machine load hits all alike:
//   overlay  hgym's copy-on-write workspace (one mount over the instance's shared base; the base is extracted by
//            the warm-up run, whose time is printed apart)
//   copy     hgym's full copy (files + a one-commit .git written as a pack)
//   clone    `git clone --local --no-checkout` + `git checkout -f HEAD` of the source repository
//   clone+   plain `git clone` of it
// It prints median/min milliseconds per kind and the ratios to overlay from the same run.
import { execFileSync } from "node:child_process";
import { promises as fsp, existsSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { SnapshotStore, snapshotView } from "../src/repo/store.js";
import { makeFilePatch } from "../src/patch/make.js";
import { materializeWorkspace, collectResult, defaultWorkspaceRoot, isolatedGitEnv } from "../src/repo/workspace.js";
import { evictBases } from "../src/repo/overlay-bases.js";
import { runGit } from "../src/repo/git.js";
import { formatTable } from "../src/util/table.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i !== -1 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

// The first `limit` .py files of the standard library, then (when it has fewer) its other small text files
// (test data, .txt, .cfg ...), so --files 2000 gives 2,000 files.
async function listFiles(root: string, limit: number): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, keep: (name: string) => boolean): Promise<void> => {
    const entries = (await fsp.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (out.length >= limit) return;
      const abs = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === "site-packages" || e.name === "__pycache__") continue;
        await walk(abs, keep);
      } else if (e.isFile() && keep(e.name)) out.push(abs);
    }
  };
  await walk(root, (name) => name.endsWith(".py"));
  await walk(root, (name) => /\.(txt|cfg|toml|json|rst|html|xml|ini|csv|c|h|decTest)$/.test(name));
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

function rootsToMeasure(): { label: string; dir: string }[] {
  const i = process.argv.indexOf("--root");
  if (i !== -1 && process.argv[i + 1]) return [{ label: process.argv[i + 1] as string, dir: process.argv[i + 1] as string }];
  const out: { label: string; dir: string }[] = [];
  const shm = defaultWorkspaceRoot({});
  if (shm.startsWith("/dev/shm/")) out.push({ label: "tmpfs (/dev/shm)", dir: dirname(shm) });
  out.push({ label: `disk (${tmpdir()})`, dir: tmpdir() });
  return out;
}

const ALL_KINDS = ["overlay", "copy", "clone", "clone+"] as const;
type Kind = (typeof ALL_KINDS)[number];
// --kinds overlay,copy: only those (overlay is always measured: the ratios are to it).
function kindsToMeasure(): Kind[] {
  const i = process.argv.indexOf("--kinds");
  if (i === -1 || !process.argv[i + 1]) return [...ALL_KINDS];
  const asked = (process.argv[i + 1] as string).split(",");
  for (const k of asked) if (!(ALL_KINDS as readonly string[]).includes(k)) throw new Error(`--kinds: unknown kind ${k}; use ${ALL_KINDS.join(",")}`);
  return ALL_KINDS.filter((k) => k === "overlay" || asked.includes(k));
}
const KINDS = kindsToMeasure();

async function timeGit(args: string[], cwd?: string): Promise<void> {
  const r = await runGit(args, { cwd, env: isolatedGitEnv() });
  if (r.code !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
}

async function main(): Promise<void> {
  const fileCount = arg("--files", 2000);
  const runs = arg("--runs", 20);
  const scratch = await fsp.mkdtemp(join(tmpdir(), "hgym-bench-"));
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const repo = join(scratch, "repo");
    const kind = await buildSource(repo, fileCount, process.argv.includes("--synthetic"));
    const gitEnv = isolatedGitEnv({ GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" });
    for (const args of [["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "bench"]]) {
      const r = await runGit(args, { cwd: repo, env: gitEnv });
      if (r.code !== 0) throw new Error(`git ${args[0]}: ${r.stderr}`);
    }
    const store = new SnapshotStore(join(scratch, "store"));
    let t = performance.now();
    const snapshot = await store.ingest(`${repo}@main`);
    const ingestMs = performance.now() - t;
    const bytes = snapshot.files.reduce((s, f) => s + f.size, 0);
    console.log(`source: ${kind}; ${snapshot.files.length} files, ${(bytes / 1e6).toFixed(1)} MB; ingest ${ingestMs.toFixed(0)} ms`);
    console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} at start`);

    const view = snapshotView(store, snapshot);
    const target = snapshot.files[Math.floor(snapshot.files.length / 2)]?.path as string;
    const text = view.read(target) as string;
    const setup = makeFilePatch(target, text, text.replace(/\n/, "\n# masked by the setup patch\n"));

    const rows: string[][] = [["file system", "kind", "median ms", "min ms", "median / overlay", "min / overlay"]];
    for (const { label, dir } of rootsToMeasure()) {
      const wsRoot = await fsp.mkdtemp(join(dir, "hgym-bench-ws-"));
      cleanups.push(async () => {
        await evictBases(wsRoot, { maxBytes: 0, graceMs: 0 });
        await fsp.rm(wsRoot, { recursive: true, force: true });
      });
      // The clones' source on the same file system (--local hard-links its objects), packed as a fetched
      // repository is.
      const source = join(wsRoot, "source");
      await timeGit(["clone", "-q", "--no-local", repo, source]);
      // Warm-up: builds the object cache and the overlay base, warms the page cache and the JIT.
      t = performance.now();
      const first = await materializeWorkspace(store, snapshot, setup, { root: wsRoot, mode: "overlay" });
      const baseMs = performance.now() - t;
      if (first.mode !== "overlay") throw new Error("overlay workspaces are not available here (run as root on a kernel with overlayfs)");
      const collected = await collectResult(first.dir, { start: first.start });
      if (collected.diff !== "") throw new Error("an untouched workspace must have an empty diff");
      await first.remove();
      if (KINDS.includes("copy")) await (await materializeWorkspace(store, snapshot, setup, { root: wsRoot, mode: "copy" })).remove();
      console.log(`${label}: first overlay workspace (extracts the shared base) ${baseMs.toFixed(0)} ms`);

      const times = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
      let n = 0;
      const once = async (k: Kind): Promise<number> => {
        const dest = join(wsRoot, `clone-${n++}`);
        const started = performance.now();
        let remove: () => Promise<void>;
        if (k === "overlay" || k === "copy") {
          const ws = await materializeWorkspace(store, snapshot, setup, { root: wsRoot, mode: k });
          remove = ws.remove;
        } else {
          if (k === "clone") {
            await timeGit(["clone", "-q", "--local", "--no-checkout", source, dest]);
            await timeGit(["checkout", "-q", "-f", "HEAD"], dest);
          } else {
            await timeGit(["clone", "-q", source, dest]);
          }
          remove = () => fsp.rm(dest, { recursive: true, force: true });
        }
        const ms = performance.now() - started;
        await remove();
        // Untimed: write back what this run left dirty, so the next measurement (of any kind) does not pay for it.
        execFileSync("sync");
        return ms;
      };
      for (let i = 0; i < runs; i++) for (const k of KINDS) (times.get(k) as number[]).push(await once(k));
      const overlay = (times.get("overlay") as number[]).sort((a, b) => a - b);
      for (const k of KINDS) {
        const ts = (times.get(k) as number[]).sort((a, b) => a - b);
        rows.push([label, k, percentile(ts, 0.5).toFixed(1), (ts[0] as number).toFixed(1), (percentile(ts, 0.5) / percentile(overlay, 0.5)).toFixed(1), ((ts[0] as number) / (overlay[0] as number)).toFixed(1)]);
      }
    }
    console.log(`\n${runs} runs of each kind per file system (interleaved); load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} at the end`);
    for (const line of formatTable(rows, { rule: true })) console.log(line);
  } finally {
    for (const c of cleanups) await c();
    await fsp.rm(scratch, { recursive: true, force: true });
  }
}

await main();
