import { describe, expect, it, beforeAll } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { applyEditRanges, editRanges, type TextEdit } from "./edit-ranges.js";
import { initLanguages, parseAsEditOf, parseSync } from "./parser.js";
import { indexFileSync } from "./indexer.js";
import type { LanguageId } from "./types.js";
import type { Tree } from "web-tree-sitter";

// Real code every machine has: python3's standard library, TypeScript and JavaScript pinned in the lockfile, and
// Go's standard library (golang-src, installed by scripts/setup.sh).
const PY = "/usr/lib/python3.11";
const SAMPLES: { language: LanguageId; path: string }[] = [
  ...["argparse.py", "textwrap.py", "configparser.py", "json/decoder.py", "shlex.py", "csv.py", "logging/__init__.py"].map((f) => ({ language: "python" as const, path: join(PY, f) })),
  ...["node_modules/commander/lib/command.js", "node_modules/commander/lib/option.js"].map((path) => ({ language: "javascript" as const, path })),
  ...tsFiles("node_modules/zod/src", 4).map((path) => ({ language: "typescript" as const, path })),
  ...["/usr/lib/go-1.19/src/bufio/bufio.go", "/usr/lib/go-1.19/src/strings/strings.go"].map((path) => ({ language: "go" as const, path })),
];

function tsFiles(root: string, n: number): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= n) return;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") && !e.name.includes(".test.") && readFileSync(p, "utf8").length > 4000) out.push(p);
    }
  };
  walk(root);
  return out;
}

// A small deterministic PRNG, so a failure names a reproducible case.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Edits of the kinds agents and hacks make: comment lines above definitions, a docstring, a line appended,
// lines deleted or replaced (some breaking the syntax), a change inside a line, CRLF.
function randomEdit(text: string, language: LanguageId, next: () => number): string {
  const lines = text.split("\n");
  const comment = language === "python" ? "#" : "//";
  const pick = () => Math.floor(next() * lines.length);
  const kinds = Math.floor(next() * 4) + 1;
  for (let k = 0; k < kinds; k++) {
    const at = pick();
    const indent = /^\s*/.exec(lines[at] ?? "")?.[0] ?? "";
    switch (Math.floor(next() * 9)) {
      case 0:
        lines.splice(at, 0, `${indent}${comment} a comment`);
        break;
      case 1:
        for (let i = 0; i < lines.length; i += 1 + Math.floor(next() * 40)) lines.splice(i, 0, `${comment} annotation ${i}`);
        break;
      case 2:
        lines.splice(at, 0, `${indent}"""A docstring`, `${indent}over two lines."""`);
        break;
      case 3:
        lines.push("x = 1");
        break;
      case 4:
        lines.splice(at, 1 + Math.floor(next() * 5));
        break;
      case 5:
        lines[at] = `${indent}broken ( [ {`;
        break;
      case 6:
        lines[at] = (lines[at] ?? "").replace(/\w+/, "renamed");
        break;
      case 7:
        lines.splice(at, 0, "", "", "");
        break;
      default:
        lines[at] = `${lines[at] ?? ""}\r`;
    }
  }
  return lines.join("\n");
}

// Node by node: type, field, extent, missing/error flags (not Node.toString: web-tree-sitter's node strings of
// large trees corrupt its wasm heap).
function sameTree(x: Tree, y: Tree): boolean {
  const a = x.walk();
  const b = y.walk();
  try {
    for (;;) {
      if (a.nodeTypeId !== b.nodeTypeId || a.currentFieldId !== b.currentFieldId || a.startIndex !== b.startIndex || a.endIndex !== b.endIndex || a.nodeIsMissing !== b.nodeIsMissing) return false;
      const down = a.gotoFirstChild();
      if (down !== b.gotoFirstChild()) return false;
      if (down) continue;
      for (;;) {
        const right = a.gotoNextSibling();
        if (right !== b.gotoNextSibling()) return false;
        if (right) break;
        const up = a.gotoParent();
        if (up !== b.gotoParent()) return false;
        if (!up) return true;
      }
    }
  } finally {
    a.delete();
    b.delete();
  }
}

function pointOf(text: string, offset: number): { row: number; column: number } {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf("\n");
  return { row: before.split("\n").length - 1, column: offset - nl - 1 };
}

function checkEdits(base: string, text: string, edits: TextEdit[]): void {
  expect(applyEditRanges(base, text, edits)).toBe(text);
  let delta = 0;
  let last = -1;
  for (const e of edits) {
    expect(e.startIndex).toBeGreaterThan(last); // ascending, not touching
    expect(e.oldEndIndex).toBeGreaterThanOrEqual(e.startIndex);
    expect(e.startPosition).toEqual(pointOf(base, e.startIndex));
    expect(e.oldEndPosition).toEqual(pointOf(base, e.oldEndIndex));
    // The new end, in the text as it is after this edit and before the later ones: base rows before, text after.
    const inserted = text.slice(e.startIndex + delta, e.newEndIndex + delta);
    const lastNl = inserted.lastIndexOf("\n");
    const rows = inserted.split("\n").length - 1;
    expect(e.newEndPosition).toEqual(
      rows === 0 ? { row: e.startPosition.row, column: e.startPosition.column + inserted.length } : { row: e.startPosition.row + rows, column: inserted.length - lastNl - 1 },
    );
    delta += e.newEndIndex - e.oldEndIndex;
    last = e.oldEndIndex;
  }
}

describe("editRanges", () => {
  it("describes insertions, deletions and replacements as separate edits, exactly", () => {
    const base = "a\nb\nc\nd\ne\nf\n";
    const text = "a\n# x\nb\nc\ne\nF\nf\ng";
    const edits = editRanges(base, text);
    checkEdits(base, text, edits);
    expect(edits.length).toBe(4); // "# x" inserted, d removed, F inserted, g appended
    expect(editRanges(base, base)).toEqual([]);
    for (const [x, y] of [["", "a"], ["a", ""], ["a", "a\n"], ["a\n", "a"], ["x\ny", "x\nz"], ["\n\n\n", "\n\n"], ["a\r\nb\r\n", "a\r\n# c\r\nb\r\n"]] as const) {
      checkEdits(x, y, editRanges(x, y));
    }
  });

  it("is exact on random edits of real files", () => {
    const next = rng(7);
    for (const s of SAMPLES) {
      const base = readFileSync(s.path, "utf8");
      for (let round = 0; round < 12; round++) {
        const text = randomEdit(base, s.language, next);
        checkEdits(base, text, editRanges(base, text));
      }
    }
  });
});

// Each round parses a real file twice and indexes it twice; more rounds were run once by hand (50 per file).
const ROUNDS = 5;

describe("incremental parsing from edit ranges", () => {
  beforeAll(async () => {
    await initLanguages(["python", "javascript", "typescript", "go"]);
  });

  it("gives the tree and the index of a fresh parse, on random edits of real files (syntax errors included)", () => {
    const next = rng(11);
    let checked = 0;
    for (const s of SAMPLES) {
      if (!existsSync(s.path)) throw new Error(`${s.path} is missing: run scripts/setup.sh`);
      const base = readFileSync(s.path, "utf8");
      const baseTree = parseSync(s.language, base);
      try {
        for (let round = 0; round < ROUNDS; round++) {
          const text = randomEdit(base, s.language, next);
          const fresh = parseSync(s.language, text);
          const incremental = parseAsEditOf(s.language, baseTree, base, text);
          try {
            expect(sameTree(incremental, fresh), `${s.path} round ${round}`).toBe(true);
          } finally {
            fresh.delete();
            incremental.delete();
          }
          expect(indexFileSync(s.path, text, s.language, base)).toEqual(indexFileSync(s.path, text, s.language));
          checked++;
        }
      } finally {
        baseTree.delete();
      }
    }
    expect(checked).toBe(SAMPLES.length * ROUNDS);
  }, 300_000);
});
