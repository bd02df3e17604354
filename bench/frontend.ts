// Front-end benchmark: `node --import tsx bench/frontend.ts`
//
// Times commentsOnlyCheck, the "only comments changed" judgement behind func-localize, dep-search and
// issue-localize rewards, with the real judges in the loop (the CPython worker, the TypeScript parser). Like the
// validity gate, each starting text is checked against several patches: a comment line above a definition, a
// trailing comment, a docstring, a one-token code change. Prints verifications per second of wall time and per
// core-second (node's CPU time plus the Python worker's, read from /proc).

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { commentsOnlyCheck } from "../src/tasks/common/comments-only.js";
import { modification } from "../src/tasks/common/workspace.js";
import { sharedPythonFrontend } from "../src/lang/frontend/index.js";

const FILES = Number(process.env.HGYM_BENCH_FILES ?? 100);

function stdlib(): string[] {
  const dir = execFileSync("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: "utf8" }).trim();
  const all = readdirSync(dir).filter((f) => f.endsWith(".py")).sort();
  const step = Math.max(1, Math.floor(all.length / FILES));
  return all.filter((_, i) => i % step === 0).slice(0, FILES).map((f) => join(dir, f));
}

function cpuSecondsOf(pid: number | null): number {
  if (pid === null) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

function patches(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  const defs = lines.map((l, i) => (/^\s*(async def|def|class) /.test(l) ? i : -1)).filter((i) => i > 2);
  const at = (k: number) => defs[Math.floor((defs.length * k) / 4)] ?? Math.floor(lines.length / 2);
  const insert = (i: number, line: string) => [...lines.slice(0, i), line, ...lines.slice(i)].join("");
  const indent = (i: number) => /^\s*/.exec(lines[i] ?? "")?.[0] ?? "";
  const out = [
    insert(at(1), `${indent(at(1))}# note\n`),
    insert(at(2), `${indent(at(2))}# another note\n`),
    lines.map((l, i) => (i === at(3) ? l.replace(/\n$/, "  # why\n") : l)).join(""),
    text.replace(/\breturn (?=[a-z])/, "return not "),
    insert(at(0), `${indent(at(0))}# first\n`),
    text,
    insert(at(2), `${indent(at(2))}# x\n`),
  ];
  return out;
}

const files = stdlib();
const work = files.map((p) => ({ path: `m/${p.split("/").pop()}`, text: readFileSync(p, "utf8") }));
const bytes = work.reduce((n, w) => n + w.text.length, 0);
await commentsOnlyCheck([modification("warm.py", "x = 1\n", "# c\nx = 1\n")], { allowDocstrings: false });
const py = sharedPythonFrontend();
const cpu0 = process.cpuUsage();
// Every worker of the shared front end (one per core); one started later adds all of its CPU time.
const pyCpuAll = () => py.pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
const pyCpu0 = pyCpuAll();
const t0 = performance.now();
let verifications = 0;
let rejected = 0;
for (const w of work) {
  for (const after of patches(w.text)) {
    const v = await commentsOnlyCheck([modification(w.path, w.text, after)], { allowDocstrings: false });
    verifications++;
    if (v.length) rejected++;
  }
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const nodeCpu = (cpu.user + cpu.system) / 1e6;
const pyCpu = pyCpuAll() - pyCpu0;
console.log(`python ${await py.version()}: ${work.length} stdlib files (mean ${Math.round(bytes / work.length)} chars), ${verifications} verifications (${rejected} rejected)`);
console.log(`  ${(verifications / wall).toFixed(1)} verifications/s wall; ${(verifications / (nodeCpu + pyCpu)).toFixed(1)} per core-second (node ${nodeCpu.toFixed(2)} s + python ${pyCpu.toFixed(2)} s CPU)`);

// TypeScript/JavaScript: real sources from node_modules, the same seven patches (comments as // lines and
// trailing /* */, one `return x` -> `return 0, x`).
function jsSources(): string[] {
  const root = join(import.meta.dirname, "../node_modules");
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, name.name);
      if (name.isDirectory()) walk(p);
      else if (/\.(js|ts)$/.test(name.name) && !name.name.endsWith(".d.ts") && out.length < FILES) out.push(p);
    }
  };
  for (const dir of ["commander/lib", "hono/dist", "diff/libesm", "zod/v4/core"]) walk(join(root, dir));
  return out;
}
function jsPatches(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  const at = (k: number) => Math.floor((lines.length * k) / 5);
  const insert = (i: number, line: string) => [...lines.slice(0, i), line, ...lines.slice(i)].join("");
  return [insert(at(1), "// note\n"), insert(at(2), "// another\n"), insert(at(3), "/** doc */\n"), text.replace(/\breturn (?=[a-z])/, "return 0, "), insert(at(4), "// x\n"), insert(at(0), "// first\n"), insert(at(2), "// y\n")];
}
const js = jsSources().map((p) => ({ path: p, text: readFileSync(p, "utf8") }));
const jsBytes = js.reduce((n, w) => n + w.text.length, 0);
await commentsOnlyCheck([modification("warm.ts", "let x = 1;\n", "// c\nlet x = 1;\n")], { allowDocstrings: false }); // loads typescript
const jsCpu0 = process.cpuUsage();
const j0 = performance.now();
let jsVerifications = 0;
let jsRejected = 0;
for (const w of js) {
  for (const after of jsPatches(w.text)) {
    const v = await commentsOnlyCheck([modification(w.path, w.text, after)], { allowDocstrings: false });
    jsVerifications++;
    if (v.length) jsRejected++;
  }
}
const jsWall = (performance.now() - j0) / 1000;
const jsCpuUsage = process.cpuUsage(jsCpu0);
const jsCpu = (jsCpuUsage.user + jsCpuUsage.system) / 1e6;
console.log(`typescript: ${js.length} files from node_modules (mean ${Math.round(jsBytes / js.length)} chars), ${jsVerifications} verifications (${jsRejected} rejected)`);
console.log(`  ${(jsVerifications / jsWall).toFixed(1)} verifications/s wall; ${(jsVerifications / jsCpu).toFixed(1)} per core-second`);
await py.close();
