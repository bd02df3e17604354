// issue-localize generation for one repository state: every prepared issue whose input is this repository at
// this commit becomes an instance (workspace = the pre-fix tree, no setup patch), with its gold computed from the
// fix against that tree.
//
// `--per-repo N` caps instances per repository, not per repository state: mined issues each come with their own
// commit (one pipeline input each), so the pipeline's own per-input cap would allow N per commit. Instances are
// remembered per repository source across calls, and once N of them passed the validity gate (the pipeline gates
// each input before it asks for the next), the remaining issues of that repository are dropped with a reason.
// The memory is per options object, i.e. per generation run. (When one repository state holds several issues,
// the pipeline's own per-input cap bounds that state; the cap can then be exceeded by at most that state's rest.)

import { existsSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import type { LanguageId } from "../../lang/types.js";
import { parseInput } from "../../repo/ingest.js";
import { UserError } from "../../core/errors.js";
import type { DropCounts, GenerateContext, GenerateOutput, Instance } from "../types.js";
import { ensureLanguages, indexView } from "../common/code.js";
import { makeInstanceId } from "../common/instance-id.js";
import { bucket } from "../common/sampling.js";
import { computeGold } from "./gold.js";
import { planIssueLocalizeHacks } from "./hacks.js";
import { checkStatement } from "./statement-check.js";
import { issueLocalizeInstruction } from "./instruction.js";
import { DEFAULT_LINE_TOLERANCE, type IssueLocalizeGold, type IssueLocalizeOptions, type PreparedIssue } from "./types.js";

export const ISSUE_LOCALIZE_VERSION = "issue-localize/1";

// The location part of an ingest input, normalized the way the snapshot store records it.
function locationOf(input: string): string {
  const parsed = parseInput(input);
  if (parsed.kind === "url") return parsed.location;
  const abs = resolve(parsed.location);
  return existsSync(abs) ? realpathSync(abs) : abs;
}

export function issuesFor(ctx: GenerateContext, issues: readonly PreparedIssue[]): PreparedIssue[] {
  return issues.filter((i) => {
    const parsed = parseInput(i.input);
    return locationOf(i.input) === ctx.repo.source && parsed.rev !== null && ctx.repo.commit.startsWith(parsed.rev);
  });
}

// Instances handed out per options object (one generation run) and repository source.
const emitted = new WeakMap<IssueLocalizeOptions, Map<string, Instance<IssueLocalizeGold>[]>>();

function passedGate(i: Instance<IssueLocalizeGold>): boolean {
  const v = i.meta.validity;
  return v.gold && v.null && Object.values(v.hacks).every((h) => h);
}

export async function generateIssueLocalize(ctx: GenerateContext, opts: IssueLocalizeOptions): Promise<GenerateOutput<IssueLocalizeGold>> {
  await ensureLanguages();
  if (opts.issues.length === 0) {
    throw new UserError("issue-localize has no issues to build from: pass --issues <file.jsonl> (with --repos-dir or --clone) or --from-history; the inputs are read by the family's prepareInputs step");
  }
  const dropped: DropCounts = {};
  const drop = (reason: string) => (dropped[reason] = (dropped[reason] ?? 0) + 1);
  const mine = issuesFor(ctx, opts.issues);
  const byRepo = emitted.get(opts) ?? new Map<string, Instance<IssueLocalizeGold>[]>();
  emitted.set(opts, byRepo);
  const earlier = byRepo.get(ctx.repo.source) ?? [];
  byRepo.set(ctx.repo.source, earlier);
  if (ctx.quota != null && earlier.filter(passedGate).length >= ctx.quota) {
    for (let k = 0; k < mine.length; k++) drop("per-repo-quota-reached");
    return { instances: [], candidates: mine.length, dropped };
  }
  const index = ctx.index ?? indexView(ctx.files, null);
  const repoLanguages = [...new Set(index.map((f) => f.language))].sort() as LanguageId[];
  const instances: Instance<IssueLocalizeGold>[] = [];
  for (const issue of mine) {
    const gold = computeGold(issue.record.patch, ctx.files, ctx.includeTests);
    if ("reason" in gold) {
      drop(gold.reason);
      continue;
    }
    if (gold.files.length > opts.maxFiles) {
      drop("fix-touches-too-many-files");
      continue;
    }
    const language = gold.languages[0] as LanguageId;
    const languages = [...new Set([...gold.languages, ...repoLanguages])];
    const fileCount = gold.files.length;
    const statementCheck = issue.statementCheck ?? checkStatement(issue.record.problem_statement, issue.record.patch, ctx.files);
    const instance: Instance<IssueLocalizeGold> = {
      instance_id: makeInstanceId("issue-localize", ctx.repo, issue.record.instance_id),
      task: "issue-localize",
      language,
      repo: ctx.repo,
      setup_patch: "",
      instruction: issueLocalizeInstruction(issue.record.problem_statement, languages),
      gold: {
        files: gold.files,
        other_files: gold.other_files,
        entities: gold.entities,
        hunks: gold.hunks,
        criterion: opts.criterion,
        line_tolerance: DEFAULT_LINE_TOLERANCE,
        patch: gold.patch,
        fix_patch: issue.record.patch,
      },
      meta: {
        generator_version: ISSUE_LOCALIZE_VERSION,
        seed: ctx.seed,
        difficulty: {
          stratum: `files=${bucket(fileCount, [1, 2], ["1", "2", "3+"])}|hunks=${bucket(gold.hunks.length, [1, 3], ["1", "2-3", "4+"])}`,
          gold_files: fileCount,
          gold_entities: gold.entities.length,
          gold_hunks: gold.hunks.length,
          repo_source_files: index.length,
        },
        validity: { gold: false, null: false, hacks: {} },
        target_file: gold.files[0],
        origin: issue.origin,
        problem_statement: issue.record.problem_statement,
        statement_check: statementCheck,
      },
    };
    const skips = planIssueLocalizeHacks(instance, ctx.files).skipped;
    if (Object.keys(skips).length > 0) instance.meta.hack_skips = skips;
    instances.push(instance);
  }
  earlier.push(...instances);
  return { instances, candidates: mine.length, dropped };
}
