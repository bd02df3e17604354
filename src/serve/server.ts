// `hgym serve` assembled: the instance file, the run directory (run.json + rollouts.jsonl exactly as `hgym
// rollout` writes them, plus the episode journal), the episode manager and the HTTP app. The command (src/cli/
// serve.ts) resolves the user's settings and passes them in; nothing here reads the environment.

import type { AgentLimits } from "../agent/loop.js";
import { UserError } from "../core/errors.js";
import type { SnapshotStore } from "../repo/store.js";
import { loadInstances } from "../runner/instances.js";
import { RunDir, runIdentity } from "../runner/run-dir.js";
import { toolVersions, packageVersion } from "../runner/versions.js";
import type { Sandbox, SandboxLimits } from "../sandbox/types.js";
import type { Instance, TaskFamily } from "../tasks/types.js";
import type { VerifyContext } from "../tasks/verify-context.js";
import { createServeApp, listen, type RunningServer } from "./app.js";
import { EpisodeManager } from "./episodes.js";
import { EpisodeJournal } from "./journal.js";

export interface ServeOptions {
  instancesPath: string;
  outDir: string;
  host: string;
  port: number;
  token: string | null;
  maxEpisodes: number;
  maxQueue: number;
  idleTimeoutMs: number;
  maxBodyBytes: number;
  maxSteps: number;
  model: string; // the records' model name
  store: SnapshotStore;
  sandbox: Sandbox;
  verify: VerifyContext;
  taskFamily: (name: string) => TaskFamily;
  sandboxLimits?: Partial<SandboxLimits>;
  workspaceRoot?: string;
  force?: boolean;
  log: (line: string) => void;
}

export interface ServeHandle extends RunningServer {
  manager: EpisodeManager;
  runDir: string;
  lost: number; // episodes earlier servers lost in this run directory, found at start
  // Stops taking requests, closes the open episodes (nothing recorded for them) and ends the run's session.
  stop(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

export async function startServe(opts: ServeOptions): Promise<ServeHandle> {
  if (opts.token === null && !isLoopbackHost(opts.host)) {
    throw new UserError(`--host ${opts.host} is reachable from other machines: pass --token (or set HGYM_SERVE_TOKEN) so only your trainer can run commands in the sandboxes`);
  }
  const loaded = loadInstances(opts.instancesPath);
  for (const p of loaded.problems) opts.log(`${opts.instancesPath}:${p.line}: skipped: ${p.message}`);
  if (loaded.instances.length === 0) throw new UserError(`${opts.instancesPath} has no usable instance; make one with hgym generate (or hgym quickstart)`);
  const instances = new Map<string, Instance>(loaded.instances.map((i) => [i.instance_id, i]));
  const agentLimits: Partial<AgentLimits> = { maxSteps: opts.maxSteps };
  const runDir = RunDir.open(opts.outDir, {
    identity: { ...runIdentity({ model: opts.model, max_steps: opts.maxSteps }), instances_sha256: loaded.sha256 },
    options: { serve: true, instances: opts.instancesPath, max_episodes: opts.maxEpisodes, idle_timeout_s: opts.idleTimeoutMs / 1000, max_steps: opts.maxSteps },
    versions: toolVersions(),
    instances: { path: opts.instancesPath, sha256: loaded.sha256, count: loaded.instances.length },
    force: opts.force,
  });
  for (const e of runDir.readErrors) opts.log(`${runDir.rolloutsPath}:${e.line}: ignored: ${e.message}`);
  runDir.writeManifest();
  const journal = new EpisodeJournal(opts.outDir);
  for (const e of journal.readErrors) opts.log(`${journal.path}:${e.line}: ignored: ${e.message}`);
  const lostNow = journal.lostAtStart;
  if (lostNow.length > 0) opts.log(`${lostNow.length} episode(s) were open when the previous server stopped; they are lost (GET /v1/status lists them); finished ones are in ${runDir.rolloutsPath}`);
  const manager = new EpisodeManager({
    setup: {
      store: opts.store,
      sandbox: opts.sandbox,
      verify: opts.verify,
      taskFamily: opts.taskFamily,
      model: opts.model,
      agentLimits,
      sandboxLimits: opts.sandboxLimits ?? {},
      workspaceRoot: opts.workspaceRoot,
    },
    instances,
    runDir,
    journal,
    maxEpisodes: opts.maxEpisodes,
    maxQueue: opts.maxQueue,
    idleTimeoutMs: opts.idleTimeoutMs,
    log: opts.log,
  });
  const app = createServeApp(manager, { token: opts.token, maxBodyBytes: opts.maxBodyBytes, version: packageVersion() });
  let running: RunningServer;
  try {
    running = await listen(app, opts.host, opts.port);
  } catch (e) {
    await manager.shutdown();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UserError(`port ${opts.port} on ${opts.host} is in use; pass another --port (or --port 0 for any free one)`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new UserError(`cannot listen on --host ${opts.host}: no such local address`);
    throw e;
  }
  let stopped: Promise<void> | null = null;
  return {
    ...running,
    manager,
    runDir: runDir.dir,
    lost: lostNow.length,
    stop: () => {
      stopped ??= (async () => {
        running.server.close();
        await manager.shutdown();
      })();
      return stopped;
    },
  };
}
