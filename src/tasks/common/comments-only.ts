// The "comments only" check shared by func-localize, dep-search and issue-localize (docs/DESIGN.md §3): every changed
// source file must still compile and differ from its starting text only in comments (and docstrings, when the
// task asks for them). The language's own front end is the judge (src/lang/frontend): CPython's parser for
// Python, the TypeScript compiler's parser for TS/TSX/JS, both on the exact text the agent left. tree-sitter,
// which the index uses, disagrees with them (a lone "\r" ends a Python comment, a coding declaration re-decodes
// the file, a multi-line comment after `return` inserts a semicolon, "a" "b" is one docstring...), so it decides
// nothing here: the only shortcut taken is "the text did not change".

import type { FileChange } from "../../core/repo-view.js";
import type { Reward, Violation } from "../../core/reward.js";
import type { VerifyContext } from "../verify-context.js";
import { languageForPath } from "./code.js";
import { compareSource, type FrontendOptions } from "../../lang/frontend/index.js";

export interface CommentsOnlyOptions extends FrontendOptions {
  allowDocstrings: boolean; // docstrings may be added/changed (func-localize) or not (dep-search, issue-localize)
  allowedFiles?: ReadonlySet<string> | readonly string[]; // if given, only these files may change at all
}

export async function commentsOnlyCheck(changes: readonly FileChange[], opts: CommentsOnlyOptions): Promise<Violation[]> {
  const allowed = opts.allowedFiles ? new Set(opts.allowedFiles) : null;
  // Files are judged concurrently (the Python worker answers batched requests); violations keep the order of
  // the changes.
  const perFile = await Promise.all(changes.map((change) => checkOne(change, opts, allowed)));
  return perFile.flat();
}

async function checkOne(change: FileChange, opts: CommentsOnlyOptions, allowed: Set<string> | null): Promise<Violation[]> {
  const file = change.path;
  if (change.status === "added") {
    return [{ code: "file-created", message: `the file ${file} was created; only existing files may be edited`, file }];
  }
  if (change.status === "deleted") return [{ code: "file-deleted", message: `the file ${file} was deleted`, file }];
  if (change.status === "renamed") {
    return [{ code: "file-renamed", message: `the file ${change.oldPath ?? "?"} was renamed to ${file}`, file }];
  }
  const out: Violation[] = [];
  // A mode change (an executable bit) is not a comment, whatever happened to the text.
  if ((change.oldMode ?? null) !== (change.newMode ?? null)) {
    out.push({ code: "mode-changed", message: `the mode of ${file} changed from ${change.oldMode ?? "?"} to ${change.newMode ?? "?"}`, file });
  }
  if (change.binary || change.before === null || change.after === null) {
    return [...out, { code: "binary-file", message: `the binary file ${file} was changed`, file }];
  }
  if (allowed && !allowed.has(file)) {
    return [...out, { code: "file-not-allowed", message: `the file ${file} may not be changed in this task`, file }];
  }
  const language = languageForPath(file);
  if (!language) {
    if (change.before === change.after) return out;
    return [...out, { code: "non-code-file-changed", message: `${file} is not a source file; only comments in source files may change`, file }];
  }
  if (change.before === change.after) return out;
  const verdict = await compareSource(language, file, change.before, change.after, opts.allowDocstrings, opts);
  switch (verdict.kind) {
    case "equal":
      break;
    case "start-error":
      out.push({
        code: "start-does-not-parse",
        message: `${file} does not compile even before the edit (line ${verdict.error.line}: ${verdict.error.message}); the instance cannot be judged`,
        file,
        line: verdict.error.line,
      });
      break;
    case "parse-error":
      out.push({
        code: "parse-error",
        message: `${file} no longer parses after the edit (line ${verdict.error.line}: ${verdict.error.message})`,
        file,
        line: verdict.error.line,
      });
      break;
    case "different":
      out.push({
        code: "code-changed",
        message: `${file}: code changed, not only comments${opts.allowDocstrings ? "/docstrings" : ""} (line ${verdict.line}: ${verdict.reason})`,
        file,
        line: verdict.line,
      });
      break;
  }
  return out;
}

// The failure a comment-only verifier returns early when its caller reads only `success` (the validity gate,
// VerifyContext.outcomeOnly) and the comments-only check already failed; null when the verifier must go on.
export function earlyFailure(violations: readonly Violation[], ctx: VerifyContext | undefined, judge: string): Reward | null {
  if (!ctx?.outcomeOnly || violations.length === 0) return null;
  return { success: false, score: 0, metrics: { judge, outcome_only: true }, violations: [...violations] };
}
