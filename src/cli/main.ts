#!/usr/bin/env node
// Entry point of the `hgym` command. Each command lives in its own file and registers itself on the program;
// this file only wires them together and turns errors into one clear line and a non-zero exit.

import { Command, CommanderError } from "commander";
import { UserError } from "../core/errors.js";
import { packageVersion } from "../util/version.js";
import * as analyzeCmd from "./analyze.js";
import * as buildCmd from "./build.js";
import * as exportCmd from "./export.js";
import * as exportTasksCmd from "./export-tasks.js";
import * as gcCmd from "./gc.js";
import * as generateCmd from "./generate.js";
import * as importCmd from "./import.js";
import * as indexCmd from "./index-cmd.js";
import * as quickstartCmd from "./quickstart.js";
import * as rolloutCmd from "./rollout.js";
import * as serveCmd from "./serve.js";
import * as verifyCmd from "./verify.js";
import * as viewCmd from "./view.js";
import * as workerCmd from "./worker.js";

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("hgym")
    .description("Turn code repositories into tasks for coding agents, run agents on them in a sandbox, score and export.")
    .version(packageVersion(), "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .option("--cache <dir>", "snapshot store directory (default: $HGYM_CACHE or ~/.cache/hybrid-gym)")
    .hook("preAction", (thisCommand) => {
      const cache = thisCommand.opts<{ cache?: string }>().cache;
      if (cache) process.env.HGYM_CACHE = cache;
    });
  for (const cmd of [quickstartCmd, indexCmd, generateCmd, buildCmd, verifyCmd, rolloutCmd, serveCmd, exportCmd, exportTasksCmd, analyzeCmd, viewCmd, importCmd, gcCmd, workerCmd]) cmd.register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof UserError) {
      process.stderr.write(`hgym: ${err.message}\n`);
      return 1;
    }
    const e = err as Error;
    process.stderr.write(`hgym: unexpected error: ${e?.message ?? String(err)}\n`);
    if (process.env.HGYM_DEBUG) process.stderr.write(`${e?.stack ?? ""}\n`);
    else process.stderr.write("(set HGYM_DEBUG=1 for the stack trace, and please report it)\n");
    return 2;
  }
}

// Run when executed directly (bin or `node dist/cli/main.js`), not when imported by tests.
const invokedAs = process.argv[1] ?? "";
if (/(?:^|[\\/])(?:main\.[jt]s|hgym)$/.test(invokedAs)) {
  main(process.argv).then(
    (code) => process.exit(code),
    () => process.exit(2),
  );
}
