import ts from "typescript";
import { readFileSync } from "node:fs";
const big = readFileSync("/work/main/node_modules/zod/v4/core/schemas.js", "utf8");
let t0 = performance.now();
for (let i = 0; i < 5; i++) ts.createSourceFile("x.js", big, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
console.log("parse ms", (performance.now() - t0) / 5);
t0 = performance.now();
for (let i = 0; i < 5; i++) ts.createSourceFile("x.js", big, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
console.log("parse no parents ms", (performance.now() - t0) / 5);
