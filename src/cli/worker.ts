// `hgym worker --queue redis://… [--prefix P] [--concurrency N]`: take rollout (and build) jobs from a Redis queue
// until stopped. Thin: parse flags, build what jobs need on this machine (its own snapshot store, sandboxes, model
// endpoint from its own environment), start the BullMQ workers, stop cleanly on SIGINT/SIGTERM.

import { InvalidArgumentError, type Command } from "commander";
import { resolveEndpoint } from "../agent/model-client.js";
import { ORACLE_MODEL } from "../agent/oracle.js";
import { UserError } from "../core/errors.js";
import { checkPrefix, checkRedisReachable, DEFAULT_PREFIX, parseRedisUrl, redactRedisUrl } from "../queue/connection.js";
import type { RolloutSettings } from "../queue/rollout-job.js";
import { SnapshotCache } from "../queue/snapshot-cache.js";
import { startQueueWorker } from "../queue/worker.js";
import { workerName } from "../queue/rollout-worker.js";
import { SnapshotStore } from "../repo/store.js";
import type { RolloutEnvironment } from "../runner/execute.js";
import { leftoverRoots, sweepAtStartup } from "./gc.js";
import { createRolloutEnvironment } from "./rollout.js";
import { buildJobProcessor } from "./worker-build.js";

export interface WorkerCliOptions {
  queue: string;
  prefix: string;
  concurrency: number;
  lockDuration: number;
  stalledInterval: number;
}

function intArg(name: string, min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got "${v}"`);
    return n;
  };
}

export function register(program: Command): void {
  program
    .command("worker")
    .description("Run rollout and build jobs queued with `--queue` on a Redis server, on this machine, until stopped (Ctrl-C).")
    .requiredOption("--queue <redis-url>", "the queue's Redis: redis://[:password@]host:port[/db]")
    .option("--prefix <name>", "the run's Redis key prefix (the same as the producer's --prefix)", DEFAULT_PREFIX)
    .option("--concurrency <n>", "jobs run at the same time by this worker", intArg("--concurrency", 1), 2)
    .option("--lock-duration <ms>", "a job whose worker is silent this long (killed, hung) goes back to the queue", intArg("--lock-duration", 1000), 30_000)
    .option("--stalled-interval <ms>", "how often this worker looks for such jobs", intArg("--stalled-interval", 1000), 30_000)
    .action(async (opts: WorkerCliOptions) => {
      const roots = leftoverRoots(process.env);
      await sweepAtStartup(roots);
      await workerCommand(opts, roots.workspaceRoot ?? undefined);
    });
}

export async function workerCommand(opts: WorkerCliOptions, workspaceRoot?: string): Promise<void> {
  const connection = parseRedisUrl(opts.queue);
  const prefix = checkPrefix(opts.prefix);
  await checkRedisReachable(connection, opts.queue, prefix);
  const store = new SnapshotStore();
  const log = (m: string): void => {
    process.stderr.write(`[${new Date().toISOString()}] ${m}\n`);
  };
  // One environment per distinct settings (a worker may serve several runs of one prefix in turn).
  const environments = new Map<string, Promise<RolloutEnvironment>>();
  const environmentFor = (settings: RolloutSettings): Promise<RolloutEnvironment> => {
    const key = JSON.stringify(settings);
    let env = environments.get(key);
    if (!env) {
      env = createRolloutEnvironment(settings, { store, endpoint: endpointFor(settings), workspaceRoot });
      env.catch(() => environments.delete(key));
      environments.set(key, env);
    }
    return env;
  };
  const worker = startQueueWorker({
    connection,
    prefix,
    concurrency: opts.concurrency,
    lockDurationMs: opts.lockDuration,
    stalledIntervalMs: opts.stalledInterval,
    rollout: { cache: new SnapshotCache(store), environmentFor },
    build: buildJobProcessor(store, log, workspaceRoot),
    log,
  });
  const where = `${redactRedisUrl(opts.queue)} (prefix ${prefix})`;
  try {
    await worker.ready;
  } catch (err) {
    await worker.close(true).catch(() => undefined);
    throw new UserError(`cannot reach the queue at ${where}: ${(err as Error).message}; check the host, port and password, and that redis-server runs`);
  }
  log(`worker ${workerName()} ready on ${where}, ${opts.concurrency} jobs at a time, cache ${store.root}`);
  await new Promise<void>((resolveStop) => {
    let signals = 0;
    const onSignal = (): void => {
      signals++;
      if (signals === 1) {
        log("stopping: no new jobs; finishing the running ones (Ctrl-C again to give them up: they go back to the queue)");
        void worker.close().then(resolveStop);
      } else {
        void worker.close(true).then(resolveStop);
      }
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  log("worker stopped");
}

// The model endpoint for jobs of these settings, from this machine's environment (the key never travels).
function endpointFor(settings: RolloutSettings) {
  if (settings.model === ORACLE_MODEL) return null;
  let apiKey: string | undefined;
  if (settings.api_key_env) {
    apiKey = process.env[settings.api_key_env];
    if (!apiKey) throw new UserError(`the run's --api-key-env ${settings.api_key_env} is not set on this worker; set it before starting hgym worker`);
  }
  const endpoint = resolveEndpoint({ baseURL: settings.base_url ?? undefined, apiKey, model: settings.model });
  if (!endpoint) throw new UserError(`no model endpoint for ${settings.model} on this worker`);
  return endpoint;
}
