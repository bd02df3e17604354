// The index's docstrings agree with the languages on real code. Python: for every definition in 150 standard-
// library modules (chosen deterministically), tree-sitter's docstring (present or not, and its text) equals
// CPython's ast.get_docstring (which reads implicit concatenation, parentheses and escapes as the language
// does). TS/JS: for every definition in real sources from node_modules, the index's JSDoc is the block the
// TypeScript compiler attaches (the last JSDoc of ts.getJSDocCommentsAndTags), also past // lines.

import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import ts from "typescript";
import { join } from "node:path";
import { initLanguages, languageForPath } from "./parser.js";
import { indexFileSync } from "./indexer.js";
import { NODE_MODULES, nodeSources as sources, stdlibFiles } from "./test-corpus.js";

// CPython's reading: for each file, [line of def/class keyword, docstring or null] for every definition.
const CPYTHON = [
  "import ast, json, sys",
  "out = {}",
  "for p in sys.argv[1:]:",
  "    t = ast.parse(open(p, 'rb').read())",
  "    out[p] = sorted([n.lineno, ast.get_docstring(n)] for n in ast.walk(t) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))",
  "print(json.dumps(out))",
].join("\n");

beforeAll(async () => {
  await initLanguages();
});

describe("Python docstrings: the index agrees with CPython", () => {
  it("for every definition of 150 standard-library modules", () => {
    const files = stdlibFiles(150);
    const truth = JSON.parse(execFileSync("python3", ["-c", CPYTHON, ...files], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })) as Record<string, [number, string | null][]>;
    let definitions = 0;
    let withDocstring = 0;
    const disagreements: string[] = [];
    for (const path of files) {
      const text = readFileSync(path, "utf8");
      const index = indexFileSync(path, text, "python");
      const ours = index.definitions.map((d) => [d.signatureSpan.start.line, d.docstring ? d.docstring.text : null] as [number, string | null]).sort((a, b) => a[0] - b[0]);
      const theirs = truth[path] ?? [];
      expect(ours.length, path).toBe(theirs.length);
      theirs.forEach(([line, doc], k) => {
        definitions++;
        if (doc !== null) withDocstring++;
        const mine = ours[k];
        if (!mine || mine[0] !== line || mine[1] !== doc) disagreements.push(`${path}:${line}: ${JSON.stringify(mine?.[1])?.slice(0, 60)} vs ${JSON.stringify(doc)?.slice(0, 60)}`);
      });
    }
    expect(disagreements).toEqual([]);
    expect(definitions).toBeGreaterThan(5000);
    expect(withDocstring).toBeGreaterThan(1500);
  }, 300_000);

  it("concatenated, parenthesized and escaped docstrings read as CPython reads them", () => {
    const src = [
      'def a():\n    "one " "two"\n',
      'def b():\n    ("par"\n     "ens")\n',
      'def c():\n    "tab\\there \\x41"\n',
      'def d():\n    f"no {1}"\n',
      'def e():\n    b"bytes"\n',
      "def g():\n    r'raw\\n'\n",
    ].join("");
    const defs = indexFileSync("m.py", src, "python").definitions;
    expect(defs.map((d) => [d.name, d.docstring?.text ?? null])).toEqual([
      ["a", "one two"],
      ["b", "parens"],
      ["c", "tab     here A"],
      ["d", null],
      ["e", null],
      ["g", "raw\\n"],
    ]);
  });
});

// The declaration each name belongs to, by the name's start offset (constructors by their keyword).
function declarationsByNameStart(sf: ts.SourceFile): Map<number, ts.Node> {
  const out = new Map<number, ts.Node>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isStringLiteral(node) || ts.isNumericLiteral(node)) out.set(node.getStart(sf), node.parent);
    if (ts.isConstructorDeclaration(node)) {
      const keyword = node.getChildren(sf).find((c) => c.kind === ts.SyntaxKind.ConstructorKeyword);
      if (keyword) out.set(keyword.getStart(sf), node);
    }
    node.forEachChild(visit);
  };
  visit(sf);
  return out;
}

function attachedJsDoc(host: ts.Node, sf: ts.SourceFile): string | null {
  const docs = ts.getJSDocCommentsAndTags(host).filter(ts.isJSDoc);
  const last = docs[docs.length - 1];
  return last ? sf.text.slice(last.getStart(sf), last.end) : null;
}

describe("JSDoc: the index agrees with the TypeScript compiler", () => {
  it("for every definition of real sources in node_modules", () => {
    const files = [
      ...sources(join(NODE_MODULES, "commander/lib"), 10),
      ...sources(join(NODE_MODULES, "hono/dist"), 60),
      ...sources(join(NODE_MODULES, "diff/libesm"), 20),
      ...sources(join(NODE_MODULES, "zod/v4/core"), 20),
    ];
    let definitions = 0;
    let documented = 0;
    const disagreements: string[] = [];
    for (const path of files) {
      const text = readFileSync(path, "utf8");
      const index = indexFileSync(path, text, languageForPath(path) ?? "javascript");
      const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS);
      const hosts = declarationsByNameStart(sf);
      for (const d of index.definitions) {
        const host = hosts.get(d.nameSpan.startOffset);
        if (!host) {
          disagreements.push(`${path}:${d.nameSpan.start.line}: ${d.name} has no declaration for the compiler`);
          continue;
        }
        const theirs = attachedJsDoc(host, sf);
        definitions++;
        if (theirs !== null) documented++;
        if ((d.docstring?.raw ?? null) !== theirs) disagreements.push(`${path}:${d.nameSpan.start.line}: ${d.name}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(definitions).toBeGreaterThan(800);
    expect(documented).toBeGreaterThan(200);
  }, 120_000);

  it("a JSDoc followed by // lines or a blank line is still the declaration's JSDoc; one before code is not", () => {
    const src = [
      "/** Adds. */\n// a note\n\nexport function add(a, b) { return a + b; }\n",
      "/** Old. */\nlet x = 1;\nfunction bare() {}\n",
      "/** First. */\n/** Second. */\nfunction two() {}\n",
    ].join("");
    const defs = indexFileSync("m.js", src, "javascript").definitions;
    const sf = ts.createSourceFile("m.js", src, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    const hosts = declarationsByNameStart(sf);
    expect(defs.map((d) => [d.name, d.docstring?.text ?? null])).toEqual([
      ["add", "Adds."],
      ["bare", null],
      ["two", "Second."],
    ]);
    for (const d of defs) expect(d.docstring?.raw ?? null, d.name).toBe(attachedJsDoc(hosts.get(d.nameSpan.startOffset) as ts.Node, sf));
  });
});
