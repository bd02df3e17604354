// The real RolloutEnvironment: workspaces from the snapshot store, episodes from a sandbox backend, the agent loop
// driven by an OpenAI-compatible model client or by the oracle, results collected as a git diff, and the task
// family looked up by the instance's task name.

import { runEpisode, type AgentLimits } from "../agent/loop.js";
import { ModelClient, type Endpoint, type PriceTable, type RetryOptions, type SamplingOptions } from "../agent/model-client.js";
import { createOraclePolicy, ORACLE_MODEL } from "../agent/oracle.js";
import type { Policy } from "../agent/policy.js";
import type { ToolFormat } from "../agent/types.js";
import type { SnapshotStore } from "../repo/store.js";
import { collectResult, materializeWorkspace, type Workspace, type WorkspaceMode } from "../repo/workspace.js";
import type { Episode, Sandbox, SandboxLimits } from "../sandbox/types.js";
import type { Instance, TaskFamily } from "../tasks/types.js";
import type { WorkspaceResult } from "../core/repo-view.js";
import { createVerifyContext, type VerifyContext } from "../tasks/verify-context.js";
import type { AgentOutcome, AgentRunArgs, PreparedWorkspace, RolloutEnvironment } from "./execute.js";

export interface EnvironmentOptions {
  store: SnapshotStore;
  sandbox: Sandbox;
  // What the verifiers may use; default: `store`, the "auto" sandbox for func-gen exec tests, no judge model.
  verify?: VerifyContext;
  taskFamily: (name: string) => TaskFamily; // the task registry's lookup
  model: string; // a model name, or "oracle" to replay each instance's gold patch
  endpoint: Endpoint | null; // required unless model is "oracle"
  sampling?: SamplingOptions;
  prices?: PriceTable;
  modelRetry?: Partial<RetryOptions>;
  toolFormat: ToolFormat;
  agentLimits?: Partial<AgentLimits>;
  sandboxLimits?: Partial<SandboxLimits>;
  workspaceRoot?: string; // parent directory for workspaces (default: the OS temp dir)
  workspaceMode?: WorkspaceMode; // overlay, copy or auto (default: overlay when this host can mount one)
  // Runs the agent instead of the built-in loop with a model or the oracle (`hgym serve`: the client is the policy).
  runAgent?: (args: AgentRunArgs) => Promise<AgentOutcome>;
}

export class LocalRolloutEnvironment implements RolloutEnvironment {
  readonly model: string;
  readonly oracle: boolean;
  readonly verifyContext: VerifyContext;
  private readonly workspaces = new WeakMap<PreparedWorkspace, Workspace>();

  constructor(private readonly opts: EnvironmentOptions) {
    this.oracle = opts.model === ORACLE_MODEL;
    this.model = opts.model;
    this.verifyContext = opts.verify ?? createVerifyContext({ store: opts.store });
    if (!this.oracle && !opts.endpoint && !opts.runAgent) throw new Error("a model endpoint is required unless the model is \"oracle\"");
  }

  family(instance: Instance): TaskFamily {
    return this.opts.taskFamily(instance.task);
  }

  async materialize(instance: Instance): Promise<PreparedWorkspace> {
    const snapshot = this.opts.store.get(instance.repo.snapshot);
    const ws = await materializeWorkspace(this.opts.store, snapshot, instance.setup_patch, { root: this.opts.workspaceRoot, mode: this.opts.workspaceMode });
    const prepared: PreparedWorkspace = {
      hostDir: ws.dir,
      workspacePath: `/workspace/${ws.name}`,
      dispose: () => ws.remove(),
    };
    this.workspaces.set(prepared, ws);
    return prepared;
  }

  startEpisode(workspace: PreparedWorkspace): Promise<Episode> {
    return this.opts.sandbox.start({
      hostWorkspace: workspace.hostDir,
      workspacePath: workspace.workspacePath,
      limits: this.opts.sandboxLimits,
    });
  }

  private policy(args: AgentRunArgs, sample: number): Policy {
    if (this.oracle) return createOraclePolicy(args.family.goldPatch(args.instance), args.episode);
    const endpoint = this.opts.endpoint as Endpoint;
    const sampling = { ...this.opts.sampling };
    // K samples with one fixed seed would be K copies of one trajectory; each sample gets its own seed.
    if (sampling.seed !== undefined) sampling.seed += sample;
    return new ModelClient({ ...endpoint, sampling, prices: this.opts.prices, retry: this.opts.modelRetry });
  }

  async runAgent(args: AgentRunArgs): Promise<AgentOutcome> {
    if (this.opts.runAgent) return this.opts.runAgent(args);
    return runEpisode({
      episode: args.episode,
      instruction: args.instance.instruction,
      policy: this.policy(args, args.sample),
      toolFormat: this.opts.toolFormat,
      limits: this.opts.agentLimits,
      signal: args.signal,
    });
  }

  async collect(_instance: Instance, workspace: PreparedWorkspace): Promise<{ diff: string; result: WorkspaceResult }> {
    const ws = this.workspaces.get(workspace);
    if (!ws) throw new Error(`workspace ${workspace.hostDir} was not made by this environment`);
    return collectResult(ws.dir, { baseCommit: ws.commit, start: ws.start });
  }
}
