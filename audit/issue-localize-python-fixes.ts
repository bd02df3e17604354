// issue-localize gold against hand labels on 32 real Python fix commits of click, requests and hydra — the exercise an
// outside checker runs (SWE-bench-style records: patch = the commit without tests/, base = its parent). The labels
// (src/tasks/issue-localize/testdata/python-fix-labels.json) were written by hand from each diff under
// docs/LABELS.md before the code ran on them. The repositories are not committed (nothing fetched is): clone them
// and pass the directory that holds them:
//
//   git clone https://github.com/pallets/click <dir>/click   (likewise psf/requests -> requests,
//   facebookresearch/hydra -> hydra), then
//   npx tsx audit/issue-localize-python-fixes.ts --repos-dir <dir>
//
// Checks, per fix: gold files, other files and entities equal the labels; the validity gate passes; the oracle's
// answer earns entity recall 1; commenting only the changelog, and blanket commenting (top of each gold file and
// above every definition), fail. Exit status 1 on any disagreement.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ensureLanguages, indexText, languageForPath, lineCommentMarker } from "../src/tasks/common/code.js";
import { scorePatch, throwawayContext } from "../src/tasks/common/test-support.js";
import { runValidityGate } from "../src/tasks/common/validity-gate.js";
import { patchFromTexts } from "../src/tasks/common/workspace.js";
import { applyLineEdits, indentOfLine } from "../src/tasks/common/line-edits.js";
import type { RepoView } from "../src/core/repo-view.js";
import { computeGold } from "../src/tasks/issue-localize/gold.js";
import { instanceForRecord } from "../src/tasks/issue-localize/record-instance.js";
import { issueLocalize } from "../src/tasks/issue-localize/index.js";
import type { IssueRecord } from "../src/tasks/issue-localize/types.js";

const LABELS = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "tasks", "issue-localize", "testdata", "python-fix-labels.json");
const REPO_DIRS: Record<string, string> = { "pallets/click": "click", "psf/requests": "requests", "facebookresearch/hydra": "hydra" };

interface Label {
  files: string[];
  other_files: string[];
  entities: string[];
}

function git(repo: string, args: string[]): string {
  return execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "ignore"] });
}

// The record of a labelled fix, rebuilt from the repository: "<owner>__<name>-<commit prefix>".
function recordOf(id: string, reposDir: string): { record: IssueRecord; view: RepoView } {
  const m = /^(.+?)__(.+)-([0-9a-f]{7,40})$/.exec(id);
  if (!m) throw new Error(`label key ${id} is not <owner>__<name>-<commit>`);
  const repoName = `${m[1]}/${m[2]}`;
  const dir = join(reposDir, REPO_DIRS[repoName] ?? (m[2] as string));
  if (!existsSync(join(dir, ".git"))) throw new Error(`${dir} is not a git checkout of ${repoName}: clone it there (see the header of this script)`);
  const commit = git(dir, ["rev-parse", `${m[3]}^{commit}`]).trim();
  const base = git(dir, ["rev-parse", `${commit}^`]).trim();
  const patch = git(dir, ["diff", "--no-color", base, commit, "--", ".", ":(exclude)tests"]);
  const paths = git(dir, ["diff", "--name-only", "--no-renames", base, commit, "--", ".", ":(exclude)tests"]).split("\n").filter((p) => p !== "");
  const files = new Map<string, string>();
  for (const p of paths) {
    try {
      files.set(p, git(dir, ["show", `${base}:${p}`]));
    } catch {
      // added by the fix: not in the starting state
    }
  }
  const view: RepoView = { paths: () => [...files.keys()].sort(), read: (p) => files.get(p) ?? null };
  const problem = git(dir, ["log", "-1", "--format=%B", commit]);
  return { record: { instance_id: id, repo: repoName, base_commit: base, patch, test_patch: "", problem_statement: problem } as IssueRecord, view };
}


// Blanket commenting: a comment at the top of each gold file and above every definition in it.
function blanket(view: RepoView, files: readonly string[]): string {
  return patchFromTexts(
    files.map((path) => {
      const text = view.read(path) as string;
      const marker = lineCommentMarker(languageForPath(path) ?? "python");
      const starts = [...new Set(indexText(path, text)?.definitions.map((d) => d.span.start.line) ?? [])].filter((l) => l !== 1);
      const edits = [{ line: 1, deleteCount: 0, insert: [`${marker} relevant to the issue`] }, ...starts.map((l) => ({ line: l, deleteCount: 0, insert: [`${indentOfLine(text, l)}${marker} relevant to the issue`] }))];
      return { path, before: text, after: applyLineEdits(text, edits) };
    }),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "repos-dir": { type: "string" } } });
  const reposDir = values["repos-dir"];
  if (!reposDir) {
    console.error("usage: npx tsx audit/issue-localize-python-fixes.ts --repos-dir <dir with click, requests, hydra checkouts>");
    process.exit(2);
  }
  const labels = JSON.parse(readFileSync(LABELS, "utf8")) as Record<string, Label>;
  await ensureLanguages();
  const problems: string[] = [];
  let tp = 0;
  let predicted = 0;
  let labelled = 0;
  let exact = 0;
  let withChangelog = 0;
  const ids = Object.keys(labels).filter((k) => !k.startsWith("_"));
  for (const id of ids) {
    const { record, view } = recordOf(id, reposDir);
    const gold = computeGold(record.patch, view);
    if ("reason" in gold) {
      problems.push(`${id}: no instance (${gold.reason})`);
      continue;
    }
    const label = labels[id] as Label;
    tp += gold.entities.filter((e) => label.entities.includes(e)).length;
    predicted += gold.entities.length;
    labelled += label.entities.length;
    const mine = { files: gold.files, other_files: gold.other_files, entities: gold.entities };
    if (JSON.stringify(mine) === JSON.stringify(label)) exact++;
    else problems.push(`${id}: gold ${JSON.stringify(mine)} label ${JSON.stringify(label)}`);
    const inst = instanceForRecord(record, gold, "python");
    const gate = await runValidityGate(issueLocalize, inst, view, throwawayContext());
    if (!gate.passed) problems.push(`${id}: validity gate ${gate.failures.join(", ")}`);
    const oracle = await scorePatch(issueLocalize, inst, view, inst.gold.patch);
    if (!oracle.success || oracle.metrics.entity_recall !== 1) problems.push(`${id}: oracle success ${oracle.success}, entity recall ${String(oracle.metrics.entity_recall)}`);
    const others = inst.gold.other_files?.filter((p) => view.read(p) !== null) ?? [];
    if (others.length > 0) {
      withChangelog++;
      const notes = patchFromTexts(others.map((p) => ({ path: p, before: view.read(p) as string, after: `${view.read(p) as string}* the bug is in the parser\n` })));
      if ((await scorePatch(issueLocalize, inst, view, notes)).success) problems.push(`${id}: the changelog-only edit succeeds`);
    }
    if ((await scorePatch(issueLocalize, inst, view, blanket(view, inst.gold.files))).success) problems.push(`${id}: blanket commenting succeeds`);
  }
  console.log(
    `issue-localize, real Python fixes: ${ids.length} labelled, ${exact} exact (files, other files, entities); entity precision ${(tp / Math.max(predicted, 1)).toFixed(3)}, recall ${(tp / Math.max(labelled, 1)).toFixed(3)}; changelog-only strategy tried on ${withChangelog}`,
  );
  for (const p of problems) console.log(`  ${p}`);
  process.exit(problems.length > 0 ? 1 : 0);
}

void main();
