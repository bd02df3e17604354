// The layering of src/ (src/layers.json) over the real import graph: every import a module makes, static or
// dynamic, resolved to the file it names. The linter checks the same table per import line (eslint.config.js); this
// test also catches import cycles, dynamic imports, and a new folder missing from the table.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = dirname(fileURLToPath(import.meta.url));
const { layers } = JSON.parse(readFileSync(join(SRC, "layers.json"), "utf8")) as { layers: string[][] };

type Graph = Map<string, string[]>; // module (path relative to src/) -> the modules it imports

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "testdata" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

function importGraph(): Graph {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  const graph: Graph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = new Set<string>();
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith(".")) continue; // a package
      const target = resolve(dirname(file), fileName.replace(/\.js$/, ".ts"));
      if (known.has(target)) targets.add(relative(SRC, target));
    }
    graph.set(relative(SRC, file), [...targets]);
  }
  return graph;
}

const folderOf = (module: string): string => (module.includes("/") ? (module.split("/")[0] as string) : "");
const isTest = (module: string): boolean => module.endsWith(".test.ts") || module.includes("/test-support/");

// Imports that break the table: from a module that is not test code to a folder of its own layer or a higher one.
function layerViolations(graph: Graph, table: string[][]): string[] {
  const rank = (folder: string): number => table.findIndex((layer) => layer.includes(folder));
  const out: string[] = [];
  for (const [from, targets] of graph) {
    if (isTest(from)) continue;
    for (const to of targets) {
      const a = folderOf(from);
      const b = folderOf(to);
      if (a !== b && rank(b) >= rank(a)) out.push(`${from} imports ${to} (${a} may import only lower layers)`);
    }
  }
  return out;
}

// Every import cycle, as the strongly connected components of more than one module (Tarjan's algorithm).
function importCycles(graph: Graph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe("layers of src/", () => {
  const graph = importGraph();

  it("names every folder of src/ in src/layers.json, and no folder that does not exist", () => {
    const folders = new Set([...graph.keys()].map(folderOf).filter((f) => f !== ""));
    const listed = layers.flat();
    expect([...folders].filter((f) => !listed.includes(f)).sort()).toEqual([]);
    expect(listed.filter((f) => !folders.has(f))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it("has no import from a folder to its own layer or a higher one", () => {
    expect(layerViolations(graph, layers)).toEqual([]);
  });

  it("has no import cycle", () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it("finds a violation and a cycle when there is one", () => {
    const bad: Graph = new Map([
      ["core/a.ts", ["core/b.ts"]],
      ["core/b.ts", ["core/a.ts"]],
      ["repo/x.ts", ["lang/y.ts", "core/a.ts"]],
      ["lang/y.ts", []],
      ["lang/y.test.ts", ["cli/main.ts"]],
      ["cli/main.ts", ["repo/x.ts"]],
    ]);
    expect(layerViolations(bad, [["core"], ["repo", "lang"], ["cli"]])).toEqual(["repo/x.ts imports lang/y.ts (repo may import only lower layers)"]);
    expect(importCycles(bad)).toEqual([["core/a.ts", "core/b.ts"]]);
  });
});
