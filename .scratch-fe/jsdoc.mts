import ts from "typescript";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { initLanguages } from "/work/main/src/lang/parser.ts";
import { indexFileSync } from "/work/main/src/lang/indexer.ts";
import { languageForPath } from "/work/main/src/lang/parser.ts";
await initLanguages();
const ROOT = "/work/main/node_modules";
function sources(dir: string, limit: number): string[] {
  const out: string[] = [];
  const walk = (d: string) => { for (const name of readdirSync(d).sort()) { const p = join(d, name); if (statSync(p).isDirectory()) walk(p); else if (/\.(m?js|ts)$/.test(name) && !name.endsWith(".d.ts") && out.length < limit) out.push(p); } };
  walk(dir); return out;
}
const files = [...sources(join(ROOT, "commander/lib"), 10), ...sources(join(ROOT, "hono/dist"), 60), ...sources(join(ROOT, "diff/libesm"), 20), ...sources(join(ROOT, "zod/v4/core"), 20)];
let n = 0, withDoc = 0, bad = 0;
for (const path of files) {
  const text = readFileSync(path, "utf8");
  const lang = languageForPath(path)!;
  const index = indexFileSync(path, text, lang);
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const byPos = new Map<number, ts.Node>();
  const visit = (node: ts.Node) => { if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isStringLiteral(node) || ts.isNumericLiteral(node)) byPos.set(node.getStart(sf), node); node.forEachChild(visit); };
  visit(sf);
  for (const d of index.definitions) {
    const id = byPos.get(d.nameSpan.startOffset);
    if (!id) { console.log("no node", path, d.name, d.nameSpan.start.line); continue; }
    const host = id.parent;
    const docs = ts.getJSDocCommentsAndTags(host).filter(ts.isJSDoc);
    const last = docs[docs.length - 1];
    const theirs = last ? text.slice(last.getStart(sf), last.end) : null;
    const ours = d.docstring?.raw ?? null;
    n++; if (theirs) withDoc++;
    if (theirs !== ours) { bad++; if (bad < 15) console.log(path.slice(26), d.name, d.kind, d.nameSpan.start.line, ts.SyntaxKind[host.kind], JSON.stringify(ours?.slice(0, 50)), "vs", JSON.stringify(theirs?.slice(0, 50))); }
  }
}
console.log({ files: files.length, n, withDoc, bad });
