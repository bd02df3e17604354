// The indexer's second opinion for TypeScript and JavaScript: tree-sitter's grammar (tree-sitter-typescript
// 0.23.2, the newest release) rejects some syntax the compiler accepts, notably variance annotations on type
// parameters (`interface ZodType<out Output>`, `<in out T>`, TypeScript 4.7) — zod 4's core files use them. When
// tree-sitter reports an error, the compiler's parser decides whether the file is a syntax error, and the
// modifiers tree-sitter cannot read are found on the compiler's tree so they can be blanked for tree-sitter.
//
// Synchronous because indexing a file is (worker threads index batches synchronously); the `typescript` package
// is loaded on the first file that needs it only.

import { createRequire } from "node:module";
import type TS from "typescript";
import { compilerParse, firstError } from "./typescript.js";

type TsModule = typeof TS;
let tsModule: TsModule | null = null;

function typescriptSync(): TsModule {
  tsModule ??= createRequire(import.meta.url)("typescript") as TsModule;
  return tsModule;
}

export interface CompilerVerdict {
  accepted: boolean; // the compiler's parser reports no syntax error
  // Text of the same length with the type-parameter modifiers tree-sitter rejects replaced by spaces, or null
  // when there are none. Offsets, lines and columns are unchanged.
  blanked: string | null;
}

// The same verdict as the verifiers' typescriptSyntaxError (for JavaScript that includes TypeScript-only syntax).
export function compilerVerdict(path: string, text: string): CompilerVerdict {
  const ts = typescriptSync();
  const sf = compilerParse(ts, path, text, true);
  if (firstError(ts, sf) !== null) return { accepted: false, blanked: null };
  const ranges: [number, number][] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isTypeParameterDeclaration(node) && node.modifiers) {
      for (const m of node.modifiers) {
        if (m.kind === ts.SyntaxKind.InKeyword || m.kind === ts.SyntaxKind.OutKeyword) ranges.push([m.getStart(sf), m.getEnd()]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (ranges.length === 0) return { accepted: true, blanked: null };
  let out = "";
  let at = 0;
  for (const [start, end] of ranges.sort((a, b) => a[0] - b[0])) {
    out += text.slice(at, start) + " ".repeat(end - start);
    at = end;
  }
  return { accepted: true, blanked: out + text.slice(at) };
}
