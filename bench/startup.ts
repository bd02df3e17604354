// Start-up time of the built `hgym` (dist/) against `node -e 0`, measured in the same run, alternating, as
// min/median over repeats and as a ratio. Target (issue 13): `hgym --version` and `hgym <cmd> --help` <= 3x.
// Run: npm run build && node --import tsx bench/startup.ts   (HGYM_BENCH_REPEATS, default 15)

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const REPEATS = Number(process.env.HGYM_BENCH_REPEATS ?? 15);
const MAIN = "dist/cli/main.js";
if (!existsSync(MAIN)) {
  console.error(`${MAIN} not found: run \`npm run build\` first`);
  process.exit(1);
}

const CASES: { name: string; args: string[] }[] = [
  { name: "node -e 0 (reference)", args: ["-e", "0"] },
  { name: "hgym --version", args: [MAIN, "--version"] },
  { name: "hgym --help", args: [MAIN, "--help"] },
  { name: "hgym generate dep-search --help", args: [MAIN, "generate", "dep-search", "--help"] },
  { name: "hgym gc --help", args: [MAIN, "gc", "--help"] },
  { name: "hgym verify --help", args: [MAIN, "verify", "--help"] },
  { name: "hgym rollout --help", args: [MAIN, "rollout", "--help"] },
  { name: "hgym build --help", args: [MAIN, "build", "--help"] },
];

const times = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
for (let r = 0; r < REPEATS; r++) {
  for (const c of CASES) {
    const t0 = performance.now();
    const res = spawnSync(process.execPath, c.args, { stdio: "ignore" });
    const ms = performance.now() - t0;
    if (res.status !== 0) throw new Error(`${c.name} exited ${res.status}`);
    times.get(c.name)?.push(ms);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ref = median(times.get(CASES[0]!.name) as number[]);
console.log(`${REPEATS} runs each, alternating; ratio = median / median of node -e 0`);
for (const c of CASES) {
  const xs = times.get(c.name) as number[];
  console.log(`${c.name.padEnd(34)} min ${Math.min(...xs).toFixed(0).padStart(5)} ms  median ${median(xs).toFixed(0).padStart(5)} ms  ratio ${(median(xs) / ref).toFixed(2)}`);
}
