import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { initLanguages, indexFileSync, parseSync } from "./src/lang/index.js";
await initLanguages();
const root = "/root/.pyenv/versions/3.11.7/lib/python3.11";
const files: string[] = [];
const rec = (d: string) => { for (const e of readdirSync(d, { withFileTypes: true })) { const f = join(d, e.name); if (e.isDirectory() && e.name !== "site-packages") rec(f); else if (e.name.endsWith(".py")) files.push(f); } };
rec(root); files.sort();
const texts: string[] = [];
for (const f of files.slice(0, 700)) { try { texts.push(new TextDecoder("utf-8",{fatal:true}).decode(readFileSync(f))); } catch {} }
const mb = texts.reduce((a, t) => a + t.length, 0) / 1e6;
let t0 = performance.now();
for (const t of texts) parseSync("python", t).delete();
const parseS = (performance.now() - t0) / 1000;
t0 = performance.now();
for (const [i, t] of texts.entries()) indexFileSync(`f${i}.py`, t, "python");
const idxS = (performance.now() - t0) / 1000;
console.log({ mb, parseS, idxS, parseMBs: mb / parseS, idxMBs: mb / idxS });
