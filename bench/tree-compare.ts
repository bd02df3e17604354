// Tree-compare benchmark: `node --import tsx bench/tree-compare.ts`
//
// Times compareTrees (the syntax-tree "comments only" check behind every reward) on large files of CPython's
// standard library, for an equal pair (a comment line and a trailing comment added near the middle) and an
// unequal pair (one operator changed near the end, so nearly the whole tree is walked before the difference).
// Also times findSyntaxError (which includes Python's indentation rule) on a freshly edited text, given the
// starting text as base, as func-gen verification calls it. Prints compares/s per file.
// HGYM_BENCH_TREE_COMPARE=<module path> times another compareTrees implementation (e.g. an older version).

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compareTrees as currentCompareTrees, findSyntaxError, initLanguages } from "../src/lang/index.js";

interface CompareModule {
  compareTrees: typeof currentCompareTrees;
  initLanguages?: typeof initLanguages; // when it loads grammars through its own module instance
}
const other = process.env.HGYM_BENCH_TREE_COMPARE;
const otherModule = other ? ((await import(other)) as CompareModule) : null;
await otherModule?.initLanguages?.(["python"]);
const compareTrees = otherModule?.compareTrees ?? currentCompareTrees;

const FILES = ["_pydecimal.py", "typing.py", "argparse.py"];
const MIN_MS = 1500;

function pythonStdlibDir(): string {
  return execFileSync("python3", ["-c", "import json, os; print(os.path.dirname(os.path.dirname(json.__file__)))"], { encoding: "utf8" }).trim();
}

function perSecond(run: () => void): number {
  run(); // warm-up
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < MIN_MS) {
    run();
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}

// Inserts a comment line before the statement line nearest to `fraction` of the file and a trailing comment on it.
function withComments(text: string, fraction: number): string {
  const lines = text.split("\n");
  let i = Math.floor(lines.length * fraction);
  while (i < lines.length && !/^\s*[A-Za-z_]\w*\s*=[^=]/.test(lines[i] ?? "")) i++;
  const line = lines[i] as string;
  const indent = /^\s*/.exec(line)?.[0] ?? "";
  lines.splice(i, 1, `${indent}# a new comment, with code in it: x = evil()`, `${line}  # trailing`);
  return lines.join("\n");
}

// Changes the last " + " into " - ".
function withCodeChange(text: string): string {
  const at = text.lastIndexOf(" + ");
  if (at < 0) throw new Error("no ' + ' to change");
  return `${text.slice(0, at)} - ${text.slice(at + 3)}`;
}

async function main(): Promise<void> {
  await initLanguages(["python"]);
  const dir = pythonStdlibDir();
  for (const name of FILES) {
    const text = readFileSync(join(dir, name), "utf8");
    const equalPair = withComments(text, 0.5);
    const unequalPair = withCodeChange(text);
    if (!compareTrees("python", text, equalPair).equal) throw new Error(`${name}: the commented copy should compare equal`);
    if (compareTrees("python", text, unequalPair).equal) throw new Error(`${name}: the changed copy should differ`);
    const eq = perSecond(() => compareTrees("python", text, equalPair));
    const ne = perSecond(() => compareTrees("python", text, unequalPair));
    let n = 0;
    const syn = perSecond(() => findSyntaxError("python", `${equalPair}# ${n++}\n`, equalPair));
    const lines = text.split("\n").length;
    console.log(
      `${name} (${lines} lines): compareTrees equal ${eq.toFixed(1)}/s (${(1000 / eq).toFixed(1)} ms), unequal ${ne.toFixed(1)}/s (${(1000 / ne).toFixed(1)} ms); findSyntaxError ${syn.toFixed(1)}/s (${(1000 / syn).toFixed(1)} ms)`,
    );
  }
}

await main();
