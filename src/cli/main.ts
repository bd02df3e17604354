#!/usr/bin/env node
// Entry point of the `hgym` command. Each command lives in its own file and registers itself on the program;
// this file only wires them together and turns errors into one clear line and a non-zero exit.

import { configureNativeCache, defaultNativeCacheRoot } from "../lang/native/build-cache.js";
import { Command, CommanderError } from "commander";
import { UserError } from "../core/errors.js";
import { packageVersion } from "../util/version.js";

interface CommandModule {
  register(program: Command): void;
}

// Every command, with the line `hgym --help` lists for it. A command's module (and what it imports: parsers, the
// TypeScript compiler, the model client, the Parquet writer ...) is loaded only when that command runs or its
// own --help is asked for, so `hgym --version` and `hgym --help` load none of them.
const COMMANDS: readonly { names: Readonly<Record<string, string>>; load: () => Promise<CommandModule> }[] = [
  { names: { quickstart: "run the whole pipeline on the bundled example, offline" }, load: () => import("./quickstart-command.js") },
  { names: { index: "snapshot a repository and index its code" }, load: () => import("./index-cmd.js") },
  { names: { generate: "generate validated task instances from repositories" }, load: () => import("./generate.js") },
  { names: { build: "build a multi-family dataset from a recipe, in parallel and resumably" }, load: () => import("./build.js") },
  { names: { verify: "score agent patches against task instances" }, load: () => import("./verify.js") },
  { names: { rollout: "run an agent (or the oracle) on task instances in a sandbox" }, load: () => import("./rollout-command.js") },
  { names: { serve: "serve task instances as an RL environment over HTTP" }, load: () => import("./serve.js") },
  { names: { export: "export rollouts as SFT data or ATIF trajectories" }, load: () => import("./export.js") },
  { names: { "export-tasks": "export instances as Harbor task folders or RL rows", "harbor-verify": "score a Harbor task's final workspace (called by its tests/test.sh)" }, load: () => import("./export-tasks.js") },
  { names: { analyze: "classify the actions of rollouts and report components, loops and failure causes" }, load: () => import("./analyze.js") },
  { names: { view: "browse runs, instances and exports in a local web app" }, load: () => import("./view.js") },
  { names: { import: "import task instances from other datasets (RepoST)" }, load: () => import("./import.js") },
  { names: { gc: "remove what dead hgym runs left on this machine" }, load: () => import("./gc.js") },
  { names: { toolchains: "check the Go/Java/Rust toolchains and build their judges" }, load: () => import("./toolchains.js") },
  { names: { worker: "run queued rollout and build jobs from a Redis server" }, load: () => import("./worker.js") },
];

// The command word of an argument list (node, script, then global options, then the command), if any.
function commandWord(argv: readonly string[]): string | undefined {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--cache") {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    return a;
  }
  return undefined;
}

// The program for one invocation: the named command registered for real, every other command as a name and a
// line of help. Without `argv`, every command is loaded (for callers that want the whole program).
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
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
      // Native helpers (Go/Java/Rust front ends and resolvers) are built once per machine, not per snapshot store
      // (a test's or a run's private store must not pay for a compile): $HGYM_NATIVE_CACHE or
      // ~/.cache/hybrid-gym/native.
      const native = process.env.HGYM_NATIVE_CACHE?.trim();
      configureNativeCache(native ? native : defaultNativeCacheRoot());
    });
  const word = argv ? commandWord(argv) : undefined;
  for (const entry of COMMANDS) {
    if (argv === undefined || (word !== undefined && Object.hasOwn(entry.names, word))) {
      (await entry.load()).register(program);
    } else {
      for (const [name, summary] of Object.entries(entry.names)) program.command(name).description(summary);
    }
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    program.exitOverride();
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
