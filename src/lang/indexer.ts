// Indexes one file: parse, extract definitions / imports / comments through the language's adapter, and report
// syntax errors. Never throws on any text; a file with syntax errors is indexed from what the parser recovered.

import { isEcmascript } from "./profile.js";
import type { Node, Tree } from "web-tree-sitter";
import { UserError } from "../core/errors.js";
import { initLanguages, languageForPath, loadLanguage, parseAsEditOf, withCachedTree, withTree } from "./parser.js";
import { adapterFor } from "./registry.js";
import { compilerVerdict } from "./frontend/typescript-recheck.js";
import { LineIndex } from "./extract-common.js";
import type { FileIndex, LanguageId, Point } from "./types.js";

const MAX_ERROR_POINTS = 5;

function resolveLanguage(path: string, language?: LanguageId): LanguageId {
  const lang = language ?? languageForPath(path);
  if (!lang) {
    throw new UserError(`cannot tell the language of "${path}" from its extension; pass the language explicitly (python, typescript, tsx, javascript)`);
  }
  return lang;
}

// Positions of the first few ERROR / MISSING nodes, in document order. Only descends into subtrees that contain
// an error, so the cost is proportional to the damage, not the file; an explicit stack, because pathological input
// ("((((...") nests deeper than the JS call stack.
function errorPoints(root: Node, lines: LineIndex): Point[] {
  const out: Point[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0 && out.length < MAX_ERROR_POINTS) {
    const node = stack.pop() as Node;
    if (node.isError || node.isMissing) {
      out.push(lines.point(node.startIndex));
      continue;
    }
    if (!node.hasError) continue;
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push(child);
    }
  }
  return out;
}

// Bases larger than this are not kept in the tree cache (withCachedTree would parse them afresh every time).
const INCREMENTAL_BASE_MAX_CHARS = 1_000_000;

// `base`, when given, is a text `text` was probably made from (a file's starting version and an edit of it): the
// tree of `base` is kept in the tree cache and `text` is parsed incrementally from it, which costs a fraction of a
// fresh parse for a small edit and gives the same tree (tree-sitter's guarantee, checked in indexer.test.ts).
export function indexFileSync(path: string, text: string, language?: LanguageId, base?: string): FileIndex {
  const lang = resolveLanguage(path, language);
  const adapter = adapterFor(lang);
  const index = (tree: Tree) => indexTree(path, text, lang, tree);
  if (base === undefined || base === text || base.length > INCREMENTAL_BASE_MAX_CHARS) return withTree(adapter.grammar, text, index);
  return withCachedTree(adapter.grammar, base, (baseTree) => {
    const tree = parseAsEditOf(adapter.grammar, baseTree, base, text);
    try {
      return index(tree);
    } finally {
      tree.delete();
    }
  });
}

function indexTree(path: string, text: string, lang: LanguageId, tree: Tree): FileIndex {
  if (tree.rootNode.hasError && isEcmascript(lang)) {
    // tree-sitter's TS/JS grammars reject some syntax the compiler accepts (variance annotations `<out T>`):
    // the compiler decides whether the file is a syntax error. When it accepts the file, the modifiers
    // tree-sitter cannot read are blanked (same offsets) and the file is indexed from that clean tree.
    const verdict = compilerVerdict(path, text);
    if (verdict.accepted && verdict.blanked !== null) {
      return withTree(adapterFor(lang).grammar, verdict.blanked, (clean) => buildIndex(path, text, lang, clean, true));
    }
    if (verdict.accepted) return buildIndex(path, text, lang, tree, true);
  }
  return buildIndex(path, text, lang, tree, false);
}

// `compilerAccepted`: the language's compiler parsed the file although tree-sitter did not. The file is then
// not a syntax error; definitions that overlap a part tree-sitter could not parse are left out, because their
// spans and contents come from tree-sitter's guess.
function buildIndex(path: string, text: string, lang: LanguageId, tree: Tree, compilerAccepted: boolean): FileIndex {
  const adapter = adapterFor(lang);
  const root = tree.rootNode;
  // A language error (Python's inconsistent indentation) counts as a syntax error: the language rejects it.
  const languageError = root.hasError ? null : (adapter.languageError?.(tree, text) ?? null);
  const hasErrors = !compilerAccepted && (root.hasError || languageError !== null);
  const extracted = adapter.extract(tree, text, path);
  let definitions = extracted.definitions;
  if (compilerAccepted && root.hasError) {
    const broken = errorRanges(root);
    definitions = definitions.filter((d) => !broken.some(([s, e]) => d.span.startOffset <= e && s <= d.span.endOffset));
  }
  return {
    path,
    language: lang,
    bytes: Buffer.byteLength(text, "utf8"),
    hasErrors,
    errorPoints: !hasErrors ? [] : root.hasError ? errorPoints(root, new LineIndex(text)) : languageError !== null ? [new LineIndex(text).point(languageError.offset)] : [],
    definitions,
    imports: extracted.imports,
    comments: extracted.comments,
  };
}

// Offsets of every ERROR and MISSING node (descending only into subtrees with errors).
function errorRanges(root: Node): [number, number][] {
  const out: [number, number][] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.isError || node.isMissing) {
      out.push([node.startIndex, node.endIndex]);
      continue;
    }
    if (!node.hasError) continue;
    for (const child of node.children) if (child) stack.push(child);
  }
  return out;
}

export async function indexFile(path: string, text: string, language?: LanguageId): Promise<FileIndex> {
  const lang = resolveLanguage(path, language);
  await loadLanguage(adapterFor(lang).grammar);
  return indexFileSync(path, text, lang);
}

export { initLanguages };
