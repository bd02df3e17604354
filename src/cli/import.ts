// `hgym import repost <file> --out instances.jsonl [--repos-dir dir]`: turn RepoST-style records (a function in a
// repository at a commit plus an eval script) into func-gen instances verified by running the script in the
// sandbox. Accepted record fields are documented in src/tasks/func-gen/repost.ts:
//   { repo, commit, file, func_name, eval_script, instance_id? }   (aliases: repo_name, base_commit/sha,
//   func_path/file_path/path, function_name/name, test_script, id/idx)
// Every instance passes the validity gate before it is written; skipped records are listed with their reason.

import type { Command } from "commander";
import { UserError } from "../core/errors.js";
import { SnapshotStore } from "../repo/store.js";
import { integerOption } from "../tasks/common/cli-values.js";
import { prepareOutputFile, writeOutputFile } from "../util/output-file.js";

interface ImportRepostFlags {
  out: string;
  reposDir?: string;
  timeout: number;
  quiet: boolean;
}

export function register(program: Command): void {
  const imp = program.command("import").description("Import task instances from other datasets.");
  imp
    .command("repost <file>")
    .description("Convert RepoST-style JSONL records ({repo, commit, file, func_name, eval_script}) into func-gen instances (exec verification).")
    .requiredOption("--out <file>", "where to write the instances (JSONL)")
    .option("--repos-dir <dir>", "where the records' repositories are cloned (<dir>/<owner>__<name> or <dir>/<name>)")
    .option("--timeout <ms>", "time limit for one eval-script run", integerOption("--timeout", 1000), 60_000)
    .option("--quiet", "no progress messages", false)
    .action(async (file: string, flags: ImportRepostFlags) => {
      const out = prepareOutputFile(flags.out, { option: "--out" });
      const store = new SnapshotStore();
      // The importer (func-gen, the sandbox, the model client) loads only when the command runs.
      const [{ importRepost }, { instancesToJsonl }, { verifyContextFromEnvironment }] = await Promise.all([
        import("../tasks/func-gen/repost.js"),
        import("../tasks/common/pipeline.js"),
        import("./verify-context.js"),
      ]);
      const result = await importRepost({
        file,
        reposDir: flags.reposDir ?? null,
        store,
        verify: verifyContextFromEnvironment(store, process.env),
        timeoutMs: flags.timeout,
        log: (m) => {
          if (!flags.quiet) process.stderr.write(`${m}\n`);
        },
      });
      for (const s of result.skipped) process.stdout.write(`skipped ${s.id}: ${s.reason}\n`);
      if (result.instances.length === 0) {
        throw new UserError(
          result.records === 0
            ? `no records in ${file}: nothing to import; ${out} not written`
            : `no instances from the ${result.records} records of ${file}: every record was skipped (reasons above); ${out} not written`,
        );
      }
      writeOutputFile(out, instancesToJsonl(result.instances), { option: "--out" });
      process.stdout.write(`${result.records} records: ${result.instances.length} instances written to ${out}, ${result.skipped.length} skipped\n`);
    });
}
