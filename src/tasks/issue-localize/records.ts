// Reading SWE-bench-format issue files and turning each record into a pipeline input: the repository at the
// record's base commit, found in --repos-dir (as <owner>__<name> or <name>) or cloned by URL with --clone.
// A record whose repository or commit is unavailable is skipped with a reason; the batch goes on.

import { existsSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { runGit } from "../../repo/git.js";
import { UserError } from "../../core/errors.js";
import { readJsonl } from "../../util/jsonl.js";
import { sweBenchRecordSchema } from "../../core/schemas/swebench.js";
import type { IssueRecord, PreparedIssue } from "./types.js";

export interface SkippedIssue {
  id: string; // the record's instance_id, or "<file>:<line>" when it has none
  reason: string;
}

export interface IssueFileResult {
  records: IssueRecord[];
  skipped: SkippedIssue[];
}

// Streams and checks a JSONL file of SWE-bench records (src/core/schemas/swebench.ts). A batch: a line that is not
// JSON or lacks a field is skipped with its line and field, the other records are used.
export async function readIssueFile(file: string): Promise<IssueFileResult> {
  if (!existsSync(file)) throw new UserError(`issue file not found: ${file}; pass a SWE-bench-format JSONL file to --issues`);
  const skipped: SkippedIssue[] = [];
  const onSkip = (e: { line: number; message: string; json?: unknown }): void => {
    const id = (e.json as { instance_id?: unknown } | null | undefined)?.instance_id;
    skipped.push({ id: typeof id === "string" ? `${id} (${file} line ${e.line})` : `${file} line ${e.line}`, reason: e.message });
  };
  const records: IssueRecord[] = [];
  for await (const { value } of readJsonl(file, sweBenchRecordSchema, { badLines: "skip", onSkip })) records.push(value);
  return { records, skipped };
}

export interface ResolveOptions {
  reposDir: string | null;
  clone: boolean;
  cloneBase: string; // URL prefix for --clone, default "https://github.com/"
}

// The local clone of "owner/name" in reposDir: <owner>__<name> (SWE-bench's layout) or <name>.
export function localRepoDir(reposDir: string, repo: string): string | null {
  const [owner = "", name = ""] = repo.split("/");
  const candidates = [`${owner}__${name}`, name, repo.replace(/\//g, "__")].filter((c) => c !== "" && c !== "__");
  for (const c of candidates) {
    const dir = join(reposDir, c);
    if (existsSync(dir) && statSync(dir).isDirectory()) return realpathSync(dir);
  }
  return null;
}

// Full commit id of `rev` in the repository at `dir`, or null when git does not know it.
async function resolveLocalCommit(dir: string, rev: string): Promise<string | null> {
  if (rev.startsWith("-")) return null;
  const r = await runGit(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], { cwd: dir });
  const out = r.stdout.toString("utf8").trim();
  return r.code === 0 && /^[0-9a-f]{40,64}$/.test(out) ? out : null;
}

// Maps records to ingest inputs. Local clones are checked here (repository present, commit known) so the skip
// reason names the record; cloned repositories are checked when the pipeline ingests them.
export async function prepareSweBenchIssues(records: IssueRecord[], opts: ResolveOptions): Promise<{ issues: PreparedIssue[]; skipped: SkippedIssue[] }> {
  const issues: PreparedIssue[] = [];
  const skipped: SkippedIssue[] = [];
  for (const record of records) {
    const origin = { kind: "swe-bench" as const, instance_id: record.instance_id };
    const dir = opts.reposDir ? localRepoDir(opts.reposDir, record.repo) : null;
    if (dir) {
      const commit = await resolveLocalCommit(dir, record.base_commit);
      if (!commit) {
        skipped.push({ id: record.instance_id, reason: `commit ${record.base_commit} is not in the clone of ${record.repo} at ${dir} (fetch it, or re-clone)` });
        continue;
      }
      issues.push({ record: { ...record, base_commit: commit }, origin, input: `${dir}@${commit}` });
      continue;
    }
    if (opts.clone) {
      const base = opts.cloneBase.endsWith("/") ? opts.cloneBase : `${opts.cloneBase}/`;
      issues.push({ record, origin, input: `${base}${record.repo}.git@${record.base_commit}` });
      continue;
    }
    skipped.push({
      id: record.instance_id,
      reason: opts.reposDir
        ? `repository ${record.repo} not found in ${opts.reposDir} (expected ${record.repo.replace("/", "__")} or ${record.repo.split("/")[1] ?? record.repo}); clone it there or pass --clone`
        : `no --repos-dir given and --clone not set, so ${record.repo} cannot be found`,
    });
  }
  return { issues, skipped };
}
