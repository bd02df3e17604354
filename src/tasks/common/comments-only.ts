// The "comments only" check shared by func-localize, dep-search and issue-localize (DESIGN.md §3). It compares
// syntax trees, not lines: for each changed file, the tree without comments (and without docstrings when the
// task allows writing them) must be identical before and after. Line-based checks let re-indentation, deleted
// lines and code hidden in strings through; tree comparison does not.

import type { FileIndex } from "../../lang/types.js";
import type { FileChange, Violation } from "../types.js";
import { compareTrees, hasSyntaxErrors, indexText, languageForPath } from "./code.js";
import { stripCommentsForCompare } from "./comment-strip.js";
import { findSyntaxError } from "../../lang/tree-compare.js";

export interface CommentsOnlyOptions {
  allowDocstrings: boolean; // docstrings may be added/changed (func-localize) or not (dep-search, issue-localize)
  allowedFiles?: ReadonlySet<string> | readonly string[]; // if given, only these files may change at all
}

export function commentsOnlyCheck(changes: readonly FileChange[], opts: CommentsOnlyOptions): Violation[] {
  const violations: Violation[] = [];
  const allowed = opts.allowedFiles ? new Set(opts.allowedFiles) : null;
  for (const change of changes) {
    const file = change.path;
    if (change.status === "added") {
      violations.push({ code: "file-created", message: `the file ${file} was created; only existing files may be edited`, file });
      continue;
    }
    if (change.status === "deleted") {
      violations.push({ code: "file-deleted", message: `the file ${file} was deleted`, file });
      continue;
    }
    if (change.status === "renamed") {
      violations.push({ code: "file-renamed", message: `the file ${change.oldPath ?? "?"} was renamed to ${file}`, file });
      continue;
    }
    if (change.binary || change.before === null || change.after === null) {
      violations.push({ code: "binary-file", message: `the binary file ${file} was changed`, file });
      continue;
    }
    if (allowed && !allowed.has(file)) {
      violations.push({ code: "file-not-allowed", message: `the file ${file} may not be changed in this task`, file });
      continue;
    }
    const language = languageForPath(file);
    if (!language) {
      violations.push({ code: "non-code-file-changed", message: `${file} is not a source file; only comments in source files may change`, file });
      continue;
    }
    if (change.before === change.after) continue;
    // indexText is cached and verifiers index the final text anyway, so this costs no extra parse.
    // The index counts Python indentation CPython rejects (which tree-sitter tolerates) as an error too.
    if (indexText(file, change.after)?.hasErrors ?? hasSyntaxErrors(language, change.after)) {
      const error = findSyntaxError(language, change.after);
      violations.push({
        code: "parse-error",
        message: `${file} no longer parses after the edit${error ? ` (${error.message})` : ""}`,
        file,
        ...(error ? { line: error.line } : {}),
      });
      continue;
    }
    if (sameCodeByStripping(file, change.before, change.after, opts.allowDocstrings)) continue;
    const cmp = compareTrees(language, change.before, change.after, { ignoreDocstrings: opts.allowDocstrings });
    if (!cmp.equal) {
      violations.push({
        code: "code-changed",
        message: `${file}: code changed, not only comments${opts.allowDocstrings ? "/docstrings" : ""} (${cmp.reason})`,
        file,
        ...(cmp.after ? { line: cmp.after.line } : {}),
      });
    }
  }
  return violations;
}

// True when removing comments (and docstrings) from both texts leaves identical code; false means "unknown".
function sameCodeByStripping(file: string, before: string, after: string, dropDocstrings: boolean): boolean {
  const a = indexText(file, before);
  const b = indexText(file, after);
  if (!a || !b || a.hasErrors) return false;
  const sa = strippedText(a, before, dropDocstrings);
  return sa !== null && sa === strippedText(b, after, dropDocstrings);
}

// Indexes come from the cache in code.ts, so the starting text of an instance (checked against every patch) keeps
// the same index object: its stripped text is remembered per index, text and docstring mode.
const strippedMemo = new WeakMap<FileIndex, { text: string; dropDocstrings: boolean; stripped: string | null }[]>();

function strippedText(index: FileIndex, text: string, dropDocstrings: boolean): string | null {
  let entries = strippedMemo.get(index);
  const hit = entries?.find((e) => e.dropDocstrings === dropDocstrings && e.text === text);
  if (hit) return hit.stripped;
  const stripped = stripCommentsForCompare(index, text, dropDocstrings);
  if (!entries) strippedMemo.set(index, (entries = []));
  entries.push({ text, dropDocstrings, stripped });
  return stripped;
}
