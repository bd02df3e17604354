// The contract every language implements. Adding a language (Go, Java, Rust, ...) = one new file exporting a
// LanguageAdapter, registered in registry.ts; the indexer, tree compare and task families only talk to this.

import type { Node, Tree } from "web-tree-sitter";
import type { CommentRecord, Definition, ImportRecord, LanguageId } from "./types.js";

export interface ExtractedFile {
  definitions: Definition[];
  imports: ImportRecord[];
  comments: CommentRecord[];
}

export interface LanguageAdapter {
  id: LanguageId;
  extensions: readonly string[]; // lower-case, with the dot
  grammar: LanguageId; // which grammar .wasm parses it (see parser.ts)
  // Definitions (with docstrings and calls), imports and comments of one parsed file. Never throws on trees with
  // ERROR nodes: it reports what was recovered.
  extract(tree: Tree, text: string, path: string): ExtractedFile;
  // For the "comments only" tree compare: nodes dropped before comparing.
  isComment(node: Node): boolean;
  commentTypes: ReadonlySet<string>; // the node types isComment accepts (the tree compare works on types only)
  // Node types that may be docstrings (isDocstring is only asked about these); empty when docstrings are comments.
  docstringCandidateTypes: ReadonlySet<string>;
  isDocstring(node: Node): boolean; // a docstring node in docstring position (TS/JS: a /** */ comment)
  // Node types compared by their whole source text instead of by children (string literals).
  atomicTypes: ReadonlySet<string>;
  // Extra nodes that are layout, not code (Python's backslash line continuation): dropped before comparing.
  layoutTypes: ReadonlySet<string>;
  // Errors the grammar accepts but the language rejects (Python: inconsistent indentation), checked on trees
  // without ERROR nodes: the first one (offset and what is wrong), or null.
  languageError?(tree: Tree, text: string): { offset: number; message: string } | null;
}
