import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { initLanguages, indexFileSync, parseSync } from "./src/lang/index.js";
await initLanguages();
const root = "/root/.pyenv/versions/3.11.7/lib/python3.11";
const files: string[] = [];
const rec = (d: string) => { for (const e of readdirSync(d, { withFileTypes: true })) { const f = join(d, e.name); if (e.isDirectory() && e.name !== "site-packages") rec(f); else if (e.name.endsWith(".py")) files.push(f); } };
rec(root); files.sort();
const texts: string[] = [];
for (const f of files.slice(0, 600)) { try { texts.push(new TextDecoder("utf-8",{fatal:true}).decode(readFileSync(f))); } catch {} }
const mb = texts.reduce((a, t) => a + t.length, 0) / 1e6;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
for (let round = 0; round < 3; round++) {
let t0 = cpu();
for (const t of texts) parseSync("python", t).delete();
const parseS = cpu() - t0;
t0 = cpu();
for (const [i, t] of texts.entries()) indexFileSync(`f${i}.py`, t, "python");
const idxS = cpu() - t0;
console.log({ mb, parseCpu: parseS.toFixed(2), idxCpu: idxS.toFixed(2), parseMBs: (mb / parseS).toFixed(2), idxMBs: (mb / idxS).toFixed(2) });
}
