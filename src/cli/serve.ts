// `hgym serve --instances <file>`: the task instances as an RL environment over HTTP (src/serve/). Thin: check
// the flags, resolve the settings from the environment at this edge (token, cache, workspace root, verifier
// sandbox), start the server, stop it cleanly on Ctrl-C / SIGTERM.

import { Option, type Command } from "commander";
import { UserError } from "../core/errors.js";
import { SnapshotStore } from "../repo/store.js";
import { createSandbox } from "../sandbox/index.js";
import { integerOption } from "../tasks/common/cli-values.js";
import { sandboxLimitOption } from "./sandbox-limit-option.js";
import type { SandboxBackend, SandboxLimits } from "../sandbox/types.js";
import { leftoverRoots, sweepAtStartup } from "./gc.js";

export interface ServeCliOptions {
  instances: string;
  out: string;
  host: string;
  port: number;
  token?: string;
  maxEpisodes: number;
  maxQueue: number;
  idleTimeout: number;
  maxBody: number;
  maxSteps: number;
  modelName: string;
  sandbox: SandboxBackend | "auto";
  sandboxLimit?: Partial<SandboxLimits>;
  force: boolean;
}

export function register(program: Command): void {
  program
    .command("serve")
    .description("Serve task instances as an RL environment over HTTP: create episodes, step with OpenAI tool calls, get the verifier's reward (docs/SERVE.md).")
    .requiredOption("--instances <file>", "instance file (JSONL) made by `hgym generate` or `hgym quickstart`")
    .requiredOption("--out <dir>", "run directory every finished episode is appended to (as `hgym rollout` writes it)")
    .option("--host <addr>", "address to listen on", "127.0.0.1")
    .option("--port <n>", "port (0 = any free one)", integerOption("--port", 0), 8780)
    .option("--token <token>", "bearer token clients must send (default: $HGYM_SERVE_TOKEN; required off loopback)")
    .option("--max-episodes <n>", "episodes holding a sandbox at once; more wait in a queue", integerOption("--max-episodes", 1), 16)
    .option("--max-queue <n>", "episode requests waiting for a slot before more are refused (429)", integerOption("--max-queue", 0), 1024)
    .option("--idle-timeout <sec>", "close an episode nobody touched for this long", integerOption("--idle-timeout", 1), 600)
    .option("--max-body <bytes>", "largest request body", integerOption("--max-body", 1024), 4 * 1024 * 1024)
    .option("--max-steps <n>", "model turns per episode (as hgym rollout)", integerOption("--max-steps", 1), 30)
    .option("--model-name <name>", "model name written in the records", "served")
    .addOption(new Option("--sandbox <backend>", "where the tool calls run").choices(["bwrap", "docker", "local", "auto"]).default("auto"))
    .option("--sandbox-limit <name=value>", "a sandbox limit per episode, e.g. memoryBytes=8G (repeatable)", sandboxLimitOption)
    .option("--force", "reuse --out even if it holds a run with different settings", false)
    .action(async (opts: ServeCliOptions) => {
      const roots = leftoverRoots(process.env);
      await sweepAtStartup(roots);
      await serveCommand(opts, process.env.HGYM_SERVE_TOKEN, roots.workspaceRoot ?? undefined);
    });
}

export async function serveCommand(opts: ServeCliOptions, envToken: string | undefined, workspaceRoot?: string): Promise<void> {
  const token = opts.token ?? (envToken && envToken.length > 0 ? envToken : null);
  const sandbox = createSandbox(opts.sandbox);
  const available = await sandbox.available();
  if (!available.ok) throw new UserError(`sandbox ${opts.sandbox} is not available: ${available.reason}`);
  const store = new SnapshotStore();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  // The server, the task families and the model client load only when the server starts (not for --help).
  const [{ startServe }, { getTaskFamily }, { verifyContextFromEnvironment }] = await Promise.all([
    import("../serve/server.js"),
    import("../tasks/registry.js"),
    import("./verify-context.js"),
  ]);
  const handle = await startServe({
    instancesPath: opts.instances,
    outDir: opts.out,
    host: opts.host,
    port: opts.port,
    token,
    maxEpisodes: opts.maxEpisodes,
    maxQueue: opts.maxQueue,
    idleTimeoutMs: opts.idleTimeout * 1000,
    maxBodyBytes: opts.maxBody,
    maxSteps: opts.maxSteps,
    model: opts.modelName,
    store,
    sandbox,
    verify: verifyContextFromEnvironment(store, process.env),
    taskFamily: getTaskFamily,
    sandboxLimits: opts.sandboxLimit,
    workspaceRoot,
    force: opts.force,
    log,
  });
  // One line a script can wait for and read the URL from.
  process.stdout.write(`hgym serve listening on ${handle.url} (run directory ${handle.runDir}; API at ${handle.url}/openapi.json)\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      log("stopping: closing the open episodes (they are not recorded)");
      void handle.stop().then(resolve, resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
