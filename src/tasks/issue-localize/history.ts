// Mining issues from a repository's own history (`--from-history`): non-merge commits whose message says they
// fix something (clean-ups, refactors, releases, docs-only and test-only commits are not fixes), whose diff
// touches 1..maxFiles non-test source files (the same count as --max-files at generation), and whose message,
// once references, templates and the fix description are removed, still describes a problem without giving the
// fix away (statement-check.ts). Each becomes an issue record whose base commit is the fix's parent, so the
// workspace (a single-commit snapshot of the parent) cannot reach the fix. Every skipped commit has a reason.

import { existsSync, realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { gitText, runGit } from "../../repo/git.js";
import { parseInput } from "../../repo/ingest.js";
import { parsePatch } from "../../patch/parse.js";
import { UserError } from "../../core/errors.js";
import { ensureLanguages, languageForPath } from "../common/code.js";
import { isGoldSourcePath } from "./source-files.js";
import { cleanCommitMessage, notAFixReason, wordCount } from "./commit-message.js";
import { checkStatement, statementRejection } from "./statement-check.js";
import type { PreparedIssue } from "./types.js";
import type { SkippedIssue } from "./records.js";

export interface HistoryOptions {
  maxFiles: number; // non-test source files a fix may touch (default 5)
  maxCommits: number; // newest commits to scan (default 5000)
  minWords: number; // words the cleaned problem statement needs (default 12)
  maxChangedLines: number; // added + removed lines over all files (default 400)
}

export const DEFAULT_HISTORY_OPTIONS: HistoryOptions = { maxFiles: 5, maxCommits: 5000, minWords: 12, maxChangedLines: 400 };

const RECORD_SEP = "\u001e";
const FIELD_SEP = "\u001f";

// Mines `input` (a local git repository, optionally path@rev for where to start walking back).
export async function mineHistory(input: string, opts: HistoryOptions = DEFAULT_HISTORY_OPTIONS): Promise<{ issues: PreparedIssue[]; skipped: SkippedIssue[]; scanned: number }> {
  await ensureLanguages(); // the statement check indexes the pre-fix files
  const parsed = parseInput(input);
  if (parsed.kind !== "local") {
    throw new UserError(`--from-history needs a local git repository, got ${input}; clone it first and pass its path`);
  }
  const abs = resolve(parsed.location);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new UserError(`repository path does not exist: ${parsed.location} (from "${input}")`);
  const top = await runGit(["rev-parse", "--show-toplevel"], { cwd: abs });
  if (top.code !== 0) throw new UserError(`${abs} is not a git repository, so its history cannot be mined (from "${input}")`);
  const location = realpathSync(top.stdout.toString("utf8").trim());
  const rev = parsed.rev ?? "HEAD";
  const log = await gitText(
    ["log", "--no-color", `--max-count=${opts.maxCommits}`, `--format=${RECORD_SEP}%H${FIELD_SEP}%P${FIELD_SEP}%B${FIELD_SEP}`, "--numstat", "-M", rev, "--"],
    { cwd: location },
  );
  const issues: PreparedIssue[] = [];
  const skipped: SkippedIssue[] = [];
  let scanned = 0;
  const name = location.split("/").pop() ?? "repo";
  for (const chunk of log.split(RECORD_SEP)) {
    if (chunk.trim() === "") continue;
    scanned++;
    const [sha = "", parents = "", message = "", numstat = ""] = chunk.split(FIELD_SEP);
    const parentList = parents.trim().split(/\s+/).filter((p) => p !== "");
    const id = `${name}-${sha.slice(0, 12)}`;
    const skip = (reason: string) => skipped.push({ id, reason });
    if (parentList.length !== 1) {
      skip(parentList.length === 0 ? "root commit (no parent to start from)" : "merge commit");
      continue;
    }
    const notFix = notAFixReason(message);
    if (notFix !== null) {
      skip(notFix);
      continue;
    }
    const stats = parseNumstat(numstat);
    const source = stats.filter((s) => isGoldSourcePath(s.path));
    if (source.length === 0 || source.length > opts.maxFiles) {
      skip(`touches ${source.length} non-test source files (need 1..${opts.maxFiles})`);
      continue;
    }
    const changed = stats.reduce((a, s) => a + s.added + s.removed, 0);
    if (changed > opts.maxChangedLines) {
      skip(`changes ${changed} lines (more than ${opts.maxChangedLines})`);
      continue;
    }
    const cleaned = cleanCommitMessage(message);
    if (wordCount(cleaned.statement) < opts.minWords) {
      skip(`message too short to describe the problem once the fix description is removed (${wordCount(cleaned.statement)} words)`);
      continue;
    }
    const parent = parentList[0] as string;
    const patch = await gitText(["diff", "--no-color", "--no-ext-diff", "-M", "--full-index", parent, sha, "--"], { cwd: location });
    const files = parsePatch(patch);
    if (files.some((f) => f.binary && languageForPath(f.oldPath ?? f.newPath ?? "") !== null)) {
      skip("binary change to a source file");
      continue;
    }
    const before = await preFixTexts(location, parent, files.map((f) => f.oldPath).filter((p): p is string => p !== null && languageForPath(p) !== null));
    const statementCheck = checkStatement(cleaned.statement, patch, { paths: () => [...before.keys()], read: (p) => before.get(p) ?? null });
    const rejected = statementRejection(statementCheck);
    if (rejected !== null) {
      skip(rejected);
      continue;
    }
    issues.push({
      record: { instance_id: id, repo: name, base_commit: parent, problem_statement: cleaned.statement, patch },
      origin: { kind: "history", commit: sha, subject: cleaned.subject },
      input: `${location}@${parent}`,
      statementCheck,
    });
  }
  return { issues, skipped, scanned };
}

// The pre-fix texts of the source files a fix touches (for the statement check).
export async function preFixTexts(location: string, parent: string, paths: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const p of paths) {
    const r = await runGit(["show", `${parent}:${p}`], { cwd: location });
    if (r.code === 0) out.set(p, r.stdout.toString("utf8"));
  }
  return out;
}

interface NumstatLine {
  path: string;
  added: number;
  removed: number;
}

// `git log --numstat -M` lines: "<added>\t<removed>\t<path>" (binary: "-\t-"), renames as "old => new" or
// "dir/{old => new}/f"; the old path is what counts for localization.
function parseNumstat(text: string): NumstatLine[] {
  const out: NumstatLine[] = [];
  for (const line of text.split("\n")) {
    const m = /^(\d+|-)\t(\d+|-)\t(.+)$/.exec(line.trim());
    if (!m) continue;
    out.push({ path: oldPathOf(m[3] as string), added: m[1] === "-" ? 0 : Number(m[1]), removed: m[2] === "-" ? 0 : Number(m[2]) });
  }
  return out;
}

function oldPathOf(path: string): string {
  const brace = /^(.*)\{(.*) => (.*)\}(.*)$/.exec(path);
  if (brace) return `${brace[1]}${brace[2]}${brace[4]}`.replace(/\/\//g, "/");
  const arrow = / => /.exec(path);
  return arrow ? path.slice(0, arrow.index) : path;
}
