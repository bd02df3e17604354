import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { initLanguages, parseSync, adapterFor } from "./src/lang/index.js";
await initLanguages();
const root = "/root/.pyenv/versions/3.11.7/lib/python3.11";
const files: string[] = [];
const rec = (d: string) => { for (const e of readdirSync(d, { withFileTypes: true })) { const f = join(d, e.name); if (e.isDirectory() && e.name !== "site-packages") rec(f); else if (e.name.endsWith(".py")) files.push(f); } };
rec(root); files.sort();
const texts: string[] = [];
for (const f of files.slice(0, 600)) { try { texts.push(new TextDecoder("utf-8",{fatal:true}).decode(readFileSync(f))); } catch {} }
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const ad = adapterFor("python");
for (let round = 0; round < 3; round++) {
  const trees = texts.map(t => parseSync("python", t));
  let t0 = cpu();
  let n = 0;
  for (const [i, tr] of trees.entries()) { n += tr.rootNode.descendantsOfType(["function_definition","class_definition","decorated_definition","call","lambda","default_parameter","typed_default_parameter","comment","import_statement","import_from_statement","future_import_statement"]).length; }
  const dS = cpu() - t0;
  t0 = cpu();
  for (const [i, tr] of trees.entries()) ad.extract(tr, texts[i]!, `f${i}.py`);
  const exS = cpu() - t0;
  console.log({ n, descCpu: dS.toFixed(2), extractCpu: exS.toFixed(2) });
  for (const tr of trees) tr.delete();
}
