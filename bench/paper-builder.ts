// The Hybrid-Gym paper's own dataset builders beside `hgym generate` on the same repositories, measured in the
// same run: wall and CPU seconds of each, min and median over repeats (the sides alternate within each repeat),
// and the ratio paper / hgym, for hgym with and without its validity gate.
//
//   npm run bench:paper -- --paper <Hybrid-Gym checkout> --repo <dir> [--repo <dir> ...]
//        [--task dep-search,func-localize] [--repeats 3] [--include-tests]
//   (or HGYM_PAPER_BUILDER=<checkout>). The paper's code is never committed: fetch the public repository
//   Hybrid-Gym/Hybrid-Gym (a fork of OpenHands' evaluation folder) and pass its path. Its builders need `jedi`
//   (Debian: python3-jedi); `datasets` and `tqdm` are only imported for code the bench does not run, and are
//   stood in for when missing.
//
// What each side does, per repository:
// - paper dep-search: `find_suitable_functions(repo, 1, 5)` of evaluation/benchmarks/hybrid_gym_dep_search/
//   preprocess/build_dataset.py — the per-repository step of their builder: every public function's calls
//   resolved with Jedi `goto` (a new jedi.Script per call), targets with 1–5 dependencies kept. It has no
//   validity gate.
// - paper func-localize: `get_all_func_w_docstrings(repo)` then `process_single_function` for each of them
//   (evaluation/benchmarks/hybrid_gym_func_localize/preprocess/get_docstring.py), with their LLM description
//   replaced by their own fallback (the docstring's first line) so no network is asked; instances are appended
//   to a scratch JSONL file as theirs are.
// - hgym: `generateInstances` (what `hgym generate <task>` runs), from the built dist/ (`npm run bench:paper` builds
//   first), in a fresh process with a fresh snapshot store,
//   offline descriptions, every target (no --limit/--per-repo); "gate" = with the validity gate, "no gate" =
//   the same pipeline keeping every proposed instance.
// CPU seconds are the whole process tree's (pyright, the Python front-end workers, the index pool), read from a
// cpuacct cgroup made for each run (needs root and cgroup v1 cpuacct; otherwise CPU is shown as n/a).

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, rmdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const TASKS = ["dep-search", "func-localize"] as const;
type Task = (typeof TASKS)[number];

const PAPER_SCRIPTS: Record<Task, string> = {
  "dep-search": "evaluation/benchmarks/hybrid_gym_dep_search/preprocess/build_dataset.py",
  "func-localize": "evaluation/benchmarks/hybrid_gym_func_localize/preprocess/get_docstring.py",
};

// Runs one of the paper's builders on one repository; prints {"instances": n, "considered": n} on its last line.
const PAPER_DRIVER = String.raw`
import importlib.util, json, os, sys, types
for name in ("datasets", "tqdm"):
    try:
        __import__(name)
    except ImportError:
        stand_in = types.ModuleType(name)
        stand_in.load_dataset = None
        stand_in.tqdm = lambda it=None, **kw: it
        sys.modules[name] = stand_in
script, task, repo, scratch = sys.argv[1:5]
spec = importlib.util.spec_from_file_location("paper_builder", script)
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
repo = os.path.abspath(repo)
if task == "dep-search":
    found = mod.find_suitable_functions(repo, 1, 5)
    print(json.dumps({"instances": len(found), "considered": len(found)}))
else:
    mod.generate_function_description = lambda docstring, **kw: docstring.strip().split("\n")[0]
    pairs = mod.get_all_func_w_docstrings(repo)
    instance = {"repo": "bench/repo", "base_commit": "0" * 40, "instance_id": "bench"}
    made = 0
    for idx, (full_path, line) in enumerate(pairs):
        if mod.process_single_function(instance, repo, full_path, line, idx, "none", 0.0, set(), scratch) is not None:
            made += 1
    print(json.dumps({"instances": made, "considered": len(pairs)}))
`;

interface Measure {
  wall: number; // seconds
  cpu: number | null; // seconds of the whole process tree
  instances: number;
  considered: number;
}

interface Args {
  paper: string;
  repos: string[];
  tasks: Task[];
  repeats: number;
  includeTests: boolean;
}

function fail(message: string): never {
  console.error(`bench:paper: ${message}`);
  process.exit(1);
}

function parseArgs(argv: string[]): Args {
  const repos: string[] = [];
  let paper = process.env.HGYM_PAPER_BUILDER ?? "";
  let tasks: Task[] = [...TASKS];
  let repeats = 3;
  let includeTests = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === "--paper") paper = value();
    else if (a === "--repo") repos.push(value());
    else if (a === "--repeats") repeats = Number(value());
    else if (a === "--include-tests") includeTests = true;
    else if (a === "--task") {
      tasks = value().split(",") as Task[];
      for (const t of tasks) if (!TASKS.includes(t)) fail(`unknown task ${t}; use ${TASKS.join(" or ")}`);
    } else fail(`unknown option ${a}`);
  }
  if (!paper) fail("the paper's builder is missing: pass --paper <Hybrid-Gym checkout> (or HGYM_PAPER_BUILDER); fetch the public repository Hybrid-Gym/Hybrid-Gym");
  for (const t of tasks) if (!existsSync(path.join(paper, PAPER_SCRIPTS[t]))) fail(`${path.join(paper, PAPER_SCRIPTS[t])} not found: --paper must be a checkout of Hybrid-Gym/Hybrid-Gym`);
  if (repos.length === 0) fail("no repository: pass --repo <dir> (a checkout, e.g. of requests, click, hydra) one or more times");
  for (const r of repos) if (!existsSync(r) || !statSync(r).isDirectory()) fail(`--repo ${r} is not a directory`);
  if (!Number.isInteger(repeats) || repeats < 1) fail("--repeats must be a whole number >= 1");
  return { paper: path.resolve(paper), repos: repos.map((r) => path.resolve(r)), tasks, repeats, includeTests };
}

// The cpuacct hierarchy of cgroup v1, where a directory made for one run counts the CPU of every process in it.
const CPUACCT = "/sys/fs/cgroup/cpuacct";

function makeCpuGroup(name: string): string | null {
  const dir = path.join(CPUACCT, name);
  try {
    mkdirSync(dir);
    return dir;
  } catch {
    return null;
  }
}

// Runs argv with its whole process tree in a fresh cpuacct group; the last stdout line must be JSON.
async function measure(argv: string[], label: string): Promise<Measure> {
  const group = makeCpuGroup(`hgym-bench-paper-${process.pid}-${Date.now()}`);
  const cmd = group ? ["sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', group, ...argv] : argv;
  const t0 = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(cmd[0] as string, cmd.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on("close", (c) => resolve({ code: c, stdout: out, stderr: err }));
  });
  const wall = (performance.now() - t0) / 1000;
  let cpu: number | null = null;
  if (group) {
    cpu = Number(readFileSync(path.join(group, "cpuacct.usage"), "utf8")) / 1e9;
    // Processes the run left behind (none expected) would keep the group busy; the kernel refuses the rmdir then.
    try {
      rmdirSync(group);
    } catch {
      console.error(`bench:paper: ${group} still holds processes; remove it by hand`);
    }
  }
  if (code !== 0) fail(`${label} exited ${code}: ${stderr.trim()}`);
  const last = stdout.trim().split("\n").pop() ?? "";
  let parsed: { instances: number; considered: number };
  try {
    parsed = JSON.parse(last) as { instances: number; considered: number };
  } catch {
    fail(`${label} printed no result line: ${stdout.slice(-400)} ${stderr.slice(-400)}`);
  }
  return { wall, cpu, instances: Number(parsed.instances), considered: Number(parsed.considered) };
}

// The hgym side, run in a child process from the built dist/ (what the shipped `hgym` runs; under tsx every run
// would also pay ~2 CPU s of TypeScript transform): the generation pipeline on one repository, printing its
// counts. argv: dist directory, task, repository, "gate" | "no-gate", "tests" | "no-tests".
const HGYM_DRIVER = String.raw`
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
const [dist, task, repo, gate, tests] = process.argv.slice(1);
const { SnapshotStore } = await import(path.join(dist, "repo/store.js"));
const { generateInstances, instancesToJsonl } = await import(path.join(dist, "tasks/common/pipeline.js"));
const { getTaskEntry } = await import(path.join(dist, "tasks/registry.js"));
const entry = getTaskEntry(task);
const root = mkdtempSync(path.join(tmpdir(), "hgym-bench-paper-"));
try {
  const result = await generateInstances({
    family: entry.family,
    repos: [repo],
    store: new SnapshotStore(path.join(root, "store")),
    seed: 0,
    includeTests: tests === "tests",
    language: null,
    taskOptions: entry.cli.toOptions({ description: "docstring" }),
    log: () => {},
    gate: gate === "gate",
  });
  writeFileSync(path.join(root, "instances.jsonl"), instancesToJsonl(result.instances));
  const t = result.report.totals;
  if (t.failedRepos > 0) {
    console.error("hgym failed on " + repo + ": " + (result.report.repos[0]?.error ?? "?"));
    process.exitCode = 1;
  }
  console.log(JSON.stringify({ instances: t.kept, considered: t.candidates }));
} finally {
  rmSync(root, { recursive: true, force: true });
}
`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function fmt(xs: (number | null)[]): string {
  if (xs.some((x) => x === null)) return "n/a".padStart(15);
  const v = xs as number[];
  return `${Math.min(...v).toFixed(2).padStart(7)} ${median(v).toFixed(2).padStart(7)}`;
}

function ratio(paper: (number | null)[], hgym: (number | null)[]): string {
  if ([...paper, ...hgym].some((x) => x === null)) return "n/a".padStart(13);
  const p = paper as number[];
  const h = hgym as number[];
  return `${(Math.min(...p) / Math.min(...h)).toFixed(1).padStart(6)} ${(median(p) / median(h)).toFixed(1).padStart(6)}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  const dist = fileURLToPath(new URL("../dist/", import.meta.url));
  if (!existsSync(path.join(dist, "tasks/common/pipeline.js"))) fail(`no built hgym in ${dist}: run \`npm run build\` (npm run bench:paper does)`);
  const hgym = (task: Task, repo: string, gate: boolean) => [process.execPath, "--input-type=module", "-e", HGYM_DRIVER, dist, task, repo, gate ? "gate" : "no-gate", args.includeTests ? "tests" : "no-tests"];
  const scratch = mkdtempSync(path.join(tmpdir(), "hgym-bench-paper-scratch-"));
  console.log(`paper's builder: ${args.paper}; ${args.repeats} repeats, sides alternating; hgym ${args.includeTests ? "with" : "without"} test files (its default is without)`);
  console.log("seconds as min / median; ratio = paper / hgym (min, median); cpu = the whole process tree\n");
  const header = `${"repository".padEnd(12)} ${"task".padEnd(14)} ${"side".padEnd(14)} ${"instances".padStart(9)} ${"wall min   med".padStart(15)} ${"cpu min    med".padStart(15)}   ${"ratio wall".padStart(13)} ${"ratio cpu".padStart(13)}`;
  console.log(header);
  try {
    for (const repo of args.repos) {
      for (const task of args.tasks) {
        const sides: { name: string; argv: string[] }[] = [
          { name: "paper", argv: ["python3", "-c", PAPER_DRIVER, path.join(args.paper, PAPER_SCRIPTS[task]), task, repo, path.join(scratch, "paper.jsonl")] },
          { name: "hgym gate", argv: hgym(task, repo, true) },
          { name: "hgym no gate", argv: hgym(task, repo, false) },
        ];
        const runs = new Map<string, Measure[]>(sides.map((s) => [s.name, []]));
        for (let r = 0; r < args.repeats; r++) {
          for (const side of sides) {
            rmSync(path.join(scratch, "paper.jsonl"), { force: true });
            runs.get(side.name)?.push(await measure(side.argv, `${side.name} ${task} on ${repo}`));
          }
        }
        const paper = runs.get("paper") as Measure[];
        for (const side of sides) {
          const ms = runs.get(side.name) as Measure[];
          const last = ms[ms.length - 1] as Measure;
          const isPaper = side.name === "paper";
          console.log(
            `${path.basename(repo).padEnd(12)} ${task.padEnd(14)} ${side.name.padEnd(14)} ${`${last.instances}/${last.considered}`.padStart(9)} ${fmt(ms.map((m) => m.wall))} ${fmt(ms.map((m) => m.cpu))}   ${
              isPaper ? "" : `${ratio(paper.map((m) => m.wall), ms.map((m) => m.wall))} ${ratio(paper.map((m) => m.cpu), ms.map((m) => m.cpu))}`
            }`,
          );
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log("\ninstances = kept/considered (paper: instances/functions it looked at; hgym: kept/targets considered)");
}

await main();
