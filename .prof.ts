import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { initLanguages, indexFileSync, parseSync } from "./src/lang/index.js";
import { summarizeFile } from "./src/lang/index-repo.js";
await initLanguages();
const root = "/root/.pyenv/versions/3.11.7/lib/python3.11";
const files: string[] = [];
const rec = (d: string) => { for (const e of readdirSync(d, { withFileTypes: true })) { const f = join(d, e.name); if (e.isDirectory() && e.name !== "site-packages") rec(f); else if (e.name.endsWith(".py")) files.push(f); } };
rec(root); files.sort();
const texts: string[] = [];
for (const f of files.slice(0, 600)) { try { texts.push(new TextDecoder("utf-8",{fatal:true}).decode(readFileSync(f))); } catch {} }
const mb = texts.reduce((a, t) => a + t.length, 0) / 1e6;
for (let round = 0; round < 2; round++) {
let t0 = performance.now();
for (const t of texts) parseSync("python", t).delete();
const parseS = (performance.now() - t0) / 1000;
t0 = performance.now();
const idx = texts.map((t, i) => indexFileSync(`f${i}.py`, t, "python"));
const idxS = (performance.now() - t0) / 1000;
t0 = performance.now();
let n = 0; for (const f of idx) { n += JSON.stringify(f).length; summarizeFile(f); }
const jsonS = (performance.now() - t0) / 1000;
console.log({ mb, parseS, idxS, jsonS, jsonMB: n / 1e6, parseMBs: mb / parseS, idxMBs: mb / idxS });
}
