// `hgym rollout <instances.jsonl> --out runs/<name> --model M ...`: run an agent (or the oracle) on every instance,
// K samples each, in a sandbox, with resumable, crash-safe records. Thin: parse and check flags, build the
// environment, call runBatch, print the summary.

import { resolveEndpoint, loadPriceTable, type Endpoint, type PriceTable } from "../agent/model-client.js";
import { ORACLE_MODEL } from "../agent/oracle.js";
import { UserError } from "../core/errors.js";
import { SnapshotStore } from "../repo/store.js";
import { createSandbox } from "../sandbox/index.js";
import type { SandboxBackend, SandboxLimits } from "../sandbox/types.js";
import { runBatch } from "../runner/batch.js";
import { LocalRolloutEnvironment } from "../runner/environment.js";
import { checkPrefix, DEFAULT_PREFIX, parseRedisUrl } from "../queue/connection.js";
import type { RolloutSettings } from "../queue/rollout-job.js";
import { runQueuedBatch } from "../queue/rollout-producer.js";
import { formatSummary } from "../runner/summary.js";
import { getTaskFamily } from "../tasks/registry.js";
import { verifyContextFromEnvironment } from "./verify-context.js";
import { defaultWorkspaceRoot, resolveWorkspaceMode, type WorkspaceMode } from "../repo/workspace.js";


export interface RolloutCliOptions {
  out: string;
  model: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  concurrency: number;
  samples: number;
  maxSteps: number;
  maxCost?: number;
  wallTime?: number;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  toolFormat: "native" | "text";
  sandbox: SandboxBackend | "auto";
  workspaceMode?: WorkspaceMode;
  priceTable?: string;
  limit?: number;
  task?: string[];
  maxInfraRetries: number;
  force: boolean;
  sandboxLimit?: Partial<SandboxLimits>;
  queue?: string;
  prefix?: string;
}

export async function rolloutCommand(instancesPath: string, opts: RolloutCliOptions, workspaceRoot?: string): Promise<void> {
  const oracle = opts.model === ORACLE_MODEL;
  let endpoint: Endpoint | null = null;
  if (!oracle) {
    let apiKey: string | undefined;
    if (opts.apiKeyEnv) {
      apiKey = process.env[opts.apiKeyEnv];
      if (!apiKey) throw new UserError(`--api-key-env ${opts.apiKeyEnv}: that environment variable is not set`);
    }
    endpoint = resolveEndpoint({ baseURL: opts.baseUrl, apiKey, model: opts.model });
    if (!endpoint) {
      throw new UserError(`no model endpoint for --model ${opts.model}: pass --base-url (and --api-key-env), or set OPENAI_BASE_URL / OPENAI_API_KEY; or use --model oracle`);
    }
  }
  if (opts.maxCost !== undefined && !opts.priceTable && !oracle) {
    process.stderr.write("warning: --max-cost without --price-table: costs are unknown (0), so the limit never triggers\n");
  }
  const prices = opts.priceTable ? loadPriceTable(opts.priceTable) : undefined;
  const settings = rolloutSettings(opts, endpoint, prices);
  if (opts.prefix !== undefined && !opts.queue) throw new UserError("--prefix names a queue's keys: use it with --queue redis://...");
  const queue = opts.queue ? { url: opts.queue, connection: parseRedisUrl(opts.queue), prefix: checkPrefix(opts.prefix ?? DEFAULT_PREFIX) } : null;
  // With --queue the workers build their own environment from `settings`; this process only writes the run.
  const env = queue ? null : await createRolloutEnvironment(settings, { store: new SnapshotStore(), endpoint, workspaceRoot, workspaceMode: opts.workspaceMode });
  if (env) {
    const workspaces = await resolveWorkspaceMode(workspaceRoot ?? defaultWorkspaceRoot(process.env), opts.workspaceMode ?? "auto");
    if (workspaces.mode === "copy" && opts.workspaceMode !== "copy") process.stderr.write(`hgym: workspaces are full copies: no overlay can be mounted here (${workspaces.reason ?? ""})\n`);
  }

  let pool: { stop(): void; abort(): void } | null = null;
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write("\nstopping: no new rollouts; waiting for the running ones (Ctrl-C again to abort them)\n");
      pool?.stop();
    } else {
      process.stderr.write("\naborting the running rollouts (they are not recorded and will run again on resume)\n");
      pool?.abort();
    }
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  try {
    const batch = {
      instancesPath,
      outDir: opts.out,
      env,
      // The run's identity: the settings that change what a rollout does (read from `settings`, the same values
      // the environment is built from), and the task filter.
      identity: {
        model: settings.model,
        base_url: settings.base_url,
        tool_format: settings.tool_format,
        max_steps: settings.max_steps,
        max_cost: settings.max_cost,
        wall_time_sec: settings.wall_time_sec,
        temperature: settings.temperature,
        top_p: settings.top_p,
        max_tokens: settings.max_tokens,
        seed: settings.seed,
        task_filter: opts.task ? [...new Set(opts.task)].sort() : null,
      },
      options: { ...opts, instances: instancesPath },
      samples: opts.samples,
      limit: opts.limit ?? null,
      maxInfraRetries: opts.maxInfraRetries,
      force: opts.force,
      log: (m: string) => process.stderr.write(`${m}\n`),
    };
    const result = queue
      ? await runQueuedBatch({ ...batch, queue, settings, onStopper: (s) => (pool = s) })
      : await runBatch({ ...batch, env: env as LocalRolloutEnvironment, concurrency: opts.concurrency, onPool: (p) => (pool = p) });
    process.stdout.write(`${formatSummary(result.summary)}\n`);
    const c = result.counts;
    process.stdout.write(
      `run ${result.runDir}: ${c.final} of ${result.planned} rollouts done (${c.success} successful, ${c.failure_model} model failures, ${c.failure_infra} infra failures), ${result.ran} run now, ${result.skipped} from earlier sessions\n`,
    );
    if (result.instanceProblems.length > 0) {
      process.stdout.write(`${result.instanceProblems.length} malformed instance lines were skipped (listed above)\n`);
      process.exitCode = 1;
    }
    if (result.interrupted || c.infra_pending > 0) {
      process.stdout.write(`not finished: rerun the same command to resume (${result.notStarted + result.aborted + c.infra_pending} rollouts left)\n`);
      if (result.interrupted) process.exitCode = 130;
    }
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
  }
}

// What decides how a rollout runs, as plain data: the local run builds its environment from it, and with --queue
// it travels in every job so each worker builds the same one.
export function rolloutSettings(opts: RolloutCliOptions, endpoint: Endpoint | null, prices: PriceTable | undefined): RolloutSettings {
  return {
    model: opts.model,
    base_url: endpoint?.baseURL ?? null,
    api_key_env: opts.apiKeyEnv ?? null,
    max_steps: opts.maxSteps,
    max_cost: opts.maxCost ?? null,
    wall_time_sec: opts.wallTime ?? null,
    temperature: opts.temperature ?? null,
    top_p: opts.topP ?? null,
    max_tokens: opts.maxTokens ?? null,
    seed: opts.seed ?? null,
    tool_format: opts.toolFormat,
    sandbox: opts.sandbox,
    prices: prices ?? null,
    sandbox_limits: { ...opts.sandboxLimit },
    max_infra_retries: opts.maxInfraRetries,
    infra_retry_delay_ms: 2000,
  };
}

export interface EnvironmentPlace {
  store: SnapshotStore;
  endpoint: Endpoint | null; // null for the oracle
  workspaceRoot?: string;
  workspaceMode?: WorkspaceMode; // how workspaces are made on this machine (default auto), not a run setting
}

// The rollout environment for `settings` on this machine (its sandbox must be available here).
export async function createRolloutEnvironment(settings: RolloutSettings, place: EnvironmentPlace): Promise<LocalRolloutEnvironment> {
  const sandbox = createSandbox(settings.sandbox);
  const available = await sandbox.available();
  if (!available.ok) throw new UserError(`sandbox ${settings.sandbox} is not available: ${available.reason}`);
  const wallTimeMs = settings.wall_time_sec !== null ? settings.wall_time_sec * 1000 : undefined;
  const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
  return new LocalRolloutEnvironment({
    store: place.store,
    sandbox,
    verify: verifyContextFromEnvironment(place.store, process.env),
    taskFamily: getTaskFamily,
    model: settings.model,
    endpoint: place.endpoint,
    sampling: { temperature: opt(settings.temperature), top_p: opt(settings.top_p), max_tokens: opt(settings.max_tokens), seed: opt(settings.seed) },
    prices: opt(settings.prices),
    toolFormat: settings.tool_format,
    agentLimits: {
      maxSteps: settings.max_steps,
      ...(settings.max_cost !== null ? { maxCostUsd: settings.max_cost } : {}),
      ...(wallTimeMs !== undefined ? { wallTimeMs } : {}),
    },
    // The sandbox's own episode limit is a backstop a little past the agent's wall time.
    sandboxLimits: { ...(wallTimeMs !== undefined ? { episodeTimeoutMs: wallTimeMs + 60_000 } : {}), ...(settings.sandbox_limits as Partial<SandboxLimits>) },
    workspaceRoot: place.workspaceRoot,
    workspaceMode: place.workspaceMode,
  });
}
