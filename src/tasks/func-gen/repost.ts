// Converting RepoST-style records into func-gen instances verified in `exec` mode. A record names a repository
// at a commit, a function in a file, and an eval script that tests `<name>_new_implementation` against the
// original (which the script inlines). Accepted fields (aliases in brackets):
//   repo        [repo_name]              "owner/name"; found in --repos-dir as <owner>__<name> or <name>, or a path
//   commit      [base_commit, sha]       the commit the function is taken from
//   file        [func_path, file_path, path]  repository-relative path of the function's file (Python)
//   func_name   [function_name, name]    "func" or "Class.method"
//   eval_script [test_script]            Python source; must call <name>_new_implementation, must not define it
//   instance_id [id, idx]                optional, kept in meta.origin
// Each instance goes through the validity gate (the gold passes the script, the untouched body and the standard
// hacks fail it), in the sandbox. Records that cannot be used are skipped with a reason; the batch goes on.

import { existsSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { snapshotView, type SnapshotStore } from "../../repo/store.js";
import { createVerifyContext, type VerifyContext } from "../verify-context.js";
import { UserError } from "../../core/errors.js";
import { readJsonl } from "../../util/jsonl.js";
import { repostRecordSchema } from "../../core/schemas/repost.js";
import type { DropCounts, Instance, InstanceRepo } from "../types.js";
import { ensureLanguages, findByKey, indexText } from "../common/code.js";
import { runValidityGate } from "../common/validity-gate.js";
import { startView } from "../common/workspace.js";
import { evalScriptProblem } from "./eval-runner.js";
import { buildFuncGenInstance } from "./generate.js";
import { funcGen } from "./index.js";
import { DEFAULT_FUNC_GEN_OPTIONS, type FuncGenGold } from "./types.js";

export type { RepostRecord } from "../../core/schemas/repost.js";

function repoLocation(repo: string, reposDir: string | null): string | null {
  if (isAbsolute(repo) && existsSync(repo)) return realpathSync(repo);
  if (!reposDir) return null;
  const [owner = "", name = ""] = repo.split("/");
  for (const c of [`${owner}__${name}`, name, owner].filter((x) => x !== "")) {
    const dir = join(reposDir, c);
    if (existsSync(dir) && statSync(dir).isDirectory()) return realpathSync(dir);
  }
  return null;
}

export interface RepostImportOptions {
  file: string;
  reposDir: string | null;
  store: SnapshotStore;
  verify?: VerifyContext; // what the validity gate may use; default: `store`, the "auto" sandbox, no model
  timeoutMs?: number;
  log?: (message: string) => void;
}

export interface RepostImportResult {
  instances: Instance<FuncGenGold>[];
  records: number;
  skipped: { id: string; reason: string }[];
  dropped: DropCounts;
}

export async function importRepost(opts: RepostImportOptions): Promise<RepostImportResult> {
  await ensureLanguages();
  if (!existsSync(opts.file)) throw new UserError(`RepoST file not found: ${opts.file}`);
  // A batch: a record that fails the schema is skipped with its line and field, the others are imported.
  const skipped: { id: string; reason: string }[] = [];
  let count = 0;
  const onSkip = (e: { line: number; message: string }): void => {
    count++;
    skipped.push({ id: `${opts.file} line ${e.line}`, reason: e.message });
  };
  const dropped: DropCounts = {};
  const instances: Instance<FuncGenGold>[] = [];
  const log = opts.log ?? (() => {});
  const reposDir = opts.reposDir ? resolve(opts.reposDir) : null;
  const verifyContext = opts.verify ?? createVerifyContext({ store: opts.store });
  for await (const { value: rec } of readJsonl(opts.file, repostRecordSchema, { badLines: "skip", onSkip })) {
    count++;
    const label = rec.instance_id ?? `${rec.repo}:${rec.file}::${rec.func_name}`;
    const name = rec.func_name.split(".").pop() as string;
    const scriptProblem = evalScriptProblem(rec.eval_script, name);
    if (scriptProblem) {
      skipped.push({ id: label, reason: scriptProblem });
      continue;
    }
    const location = repoLocation(rec.repo, reposDir);
    if (!location) {
      skipped.push({ id: label, reason: `repository ${rec.repo} not found${reposDir ? ` in ${reposDir}` : ""} (pass --repos-dir with a clone)` });
      continue;
    }
    let snapshot;
    try {
      snapshot = await opts.store.ingest(`${location}@${rec.commit}`);
    } catch (e) {
      skipped.push({ id: label, reason: (e as Error).message });
      continue;
    }
    const view = snapshotView(opts.store, snapshot);
    const text = view.read(rec.file);
    const index = text !== null ? indexText(rec.file, text) : null;
    const def = index ? (findByKey(index, rec.func_name) ?? index.definitions.find((d) => d.qualname === rec.func_name) ?? null) : null;
    if (text === null || !index || !def) {
      skipped.push({ id: label, reason: text === null ? `${rec.file} is not in ${rec.repo}@${rec.commit}` : `${rec.func_name} is not defined in ${rec.file}` });
      continue;
    }
    const repo: InstanceRepo = { name: snapshot.name, commit: snapshot.commit ?? snapshot.id, source: snapshot.source.location, snapshot: snapshot.id };
    const built = buildFuncGenInstance(
      repo,
      0,
      index,
      text,
      def,
      { mode: "exec", eval_script: rec.eval_script, timeout_ms: opts.timeoutMs ?? DEFAULT_FUNC_GEN_OPTIONS.timeoutMs, similarity_threshold: DEFAULT_FUNC_GEN_OPTIONS.similarityThreshold },
      // The dataset chose the function: keep any body that can be masked, short ones included.
      { minBodyLines: 1, maxBodyLines: 10_000 },
    );
    if ("reason" in built) {
      dropped[built.reason] = (dropped[built.reason] ?? 0) + 1;
      skipped.push({ id: label, reason: built.reason });
      continue;
    }
    built.meta.origin = { kind: "repost", ...(rec.instance_id ? { instance_id: rec.instance_id } : {}) };
    log(`${label}: running the validity gate`);
    const gate = await runValidityGate(funcGen, built, startView(view, built.setup_patch), verifyContext);
    built.meta.validity = gate.record;
    if (!gate.passed) {
      for (const f of gate.failures) dropped[`validity:${f}`] = (dropped[`validity:${f}`] ?? 0) + 1;
      skipped.push({ id: label, reason: `validity gate: ${gate.failures.join(", ")}` });
      continue;
    }
    instances.push(built);
  }
  instances.sort((a, b) => (a.instance_id < b.instance_id ? -1 : a.instance_id > b.instance_id ? 1 : 0));
  return { instances, records: count, skipped, dropped };
}
