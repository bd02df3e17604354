// One served episode: the runner's own rollout (attemptRollout: fresh workspace → sandbox episode → agent → final
// diff → the family's verifier → RolloutRecord) with the ServedAgent as the agent, so the HTTP client plays the
// model. The client and the agent hand the turn back and forth: the agent waits in query() for the client's tool
// calls; the client's step waits until the agent asks for the next turn (the calls ran) or the rollout ended
// (finish, a limit, stuck: then the reward is in the answer).

import type { AgentLimits } from "../agent/loop.js";
import type { AssistantMessage } from "../agent/policy.js";
import type { ChatMessage, RolloutRecord, Step, ToolSchema, Usage } from "../agent/types.js";
import type { Sandbox, SandboxLimits } from "../sandbox/types.js";
import type { SnapshotStore } from "../repo/store.js";
import { LocalRolloutEnvironment } from "../runner/environment.js";
import { attemptRollout, RolloutAborted, type AgentRunArgs } from "../runner/execute.js";
import type { Instance, TaskFamily } from "../tasks/types.js";
import type { VerifyContext } from "../tasks/verify-context.js";
import { ServeError } from "./errors.js";
import { ServedAgent, type ClientTurn } from "./served-agent.js";

export type EpisodeStatus = "starting" | "ready" | "busy" | "finished" | "failed" | "closed" | "expired";

export interface EpisodeSetup {
  store: SnapshotStore;
  sandbox: Sandbox;
  verify: VerifyContext;
  taskFamily: (name: string) => TaskFamily;
  model: string; // the record's model name
  agentLimits: Partial<AgentLimits>;
  sandboxLimits: Partial<SandboxLimits>;
  workspaceRoot?: string;
}

export interface InitialObservation {
  messages: ChatMessage[]; // the system prompt and the instruction, as a model would be sent them
  tools: ToolSchema[]; // OpenAI function-tool format
  instruction: string;
  workspace_path: string; // where the repository is inside the sandbox
}

export interface StepOutcome {
  messages: ChatMessage[]; // what the turn added after the assistant message: tool results, reminders
  steps: Step[]; // the actions run this turn, with their own durations
  tool_ms: number; // time spent running the actions (the sum of the steps' durations)
  done: boolean;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export class ServedEpisode {
  status: EpisodeStatus = "starting";
  readonly createdAt = new Date();
  lastActive = Date.now();
  record: RolloutRecord | null = null;
  error: string | null = null; // why a failed episode failed
  observation: InitialObservation | null = null;
  readonly done: Promise<RolloutRecord | null>;
  private agent: ServedAgent | null = null;
  private readonly abort = new AbortController();
  private endStatus: "closed" | "expired" = "closed";
  private agentWaiting: Deferred<ClientTurn> | null = null; // the agent waits for the client's turn
  private turnOver: Deferred<void> | null = null; // the client waits for the agent to run its turn
  private readonly ready = deferred<void>();

  constructor(
    readonly id: string,
    readonly instance: Instance,
    readonly sample: number,
    setup: EpisodeSetup,
    onRecord: (rec: RolloutRecord) => void,
    onEnd: (ep: ServedEpisode) => void,
  ) {
    const env = new LocalRolloutEnvironment({
      store: setup.store,
      sandbox: setup.sandbox,
      verify: setup.verify,
      taskFamily: setup.taskFamily,
      model: setup.model,
      endpoint: null,
      toolFormat: "native",
      agentLimits: setup.agentLimits,
      sandboxLimits: setup.sandboxLimits,
      workspaceRoot: setup.workspaceRoot,
      runAgent: (args) => this.runAgent(args, setup),
    });
    // One listener for the episode's life (not one per turn): closing wakes the agent if it waits for the client.
    this.abort.signal.addEventListener("abort", () => this.agentWaiting?.resolve({ kind: "end", reason: "the episode was closed" }), { once: true });
    this.done = (async () => {
      try {
        const rec = await attemptRollout(instance, env, sample, 1, this.abort.signal);
        this.record = rec;
        onRecord(rec);
        this.status = rec.failure === "infra" ? "failed" : "finished";
        if (rec.failure === "infra") this.error = rec.error;
        return rec;
      } catch (e) {
        if (e instanceof RolloutAborted) this.status = this.endStatus;
        else {
          this.status = "failed";
          this.error = e instanceof Error ? e.message : String(e);
        }
        return null;
      } finally {
        this.ready.resolve();
        this.turnOver?.resolve();
        onEnd(this);
      }
    })();
  }

  private runAgent(args: AgentRunArgs, setup: EpisodeSetup) {
    const agent = new ServedAgent(
      {
        episode: args.episode,
        instruction: args.instance.instruction,
        policy: { name: setup.model, complete: () => Promise.reject(new Error("a served episode takes its turns from the client")) },
        toolFormat: "native",
        limits: setup.agentLimits,
        signal: args.signal,
      },
      (signal) => this.awaitClient(signal),
    );
    this.agent = agent;
    this.observation = {
      messages: agent.messages.map((m) => ({ ...m })),
      tools: agent.tools,
      instruction: args.instance.instruction,
      workspace_path: args.episode.workspacePath,
    };
    return agent.run();
  }

  // The agent asks for the next turn: the previous one is over.
  private awaitClient(signal: AbortSignal | undefined): Promise<ClientTurn> {
    const waiting = deferred<ClientTurn>();
    this.agentWaiting = waiting;
    this.status = "ready";
    if (signal?.aborted) waiting.resolve({ kind: "end", reason: "the episode was closed" });
    this.ready.resolve();
    this.turnOver?.resolve();
    return waiting.promise;
  }

  // Resolves when the episode can take its first step (or ended before it could: see status and error).
  whenReady(): Promise<void> {
    return this.ready.promise;
  }

  get open(): boolean {
    return this.status === "starting" || this.status === "ready" || this.status === "busy";
  }

  get stepCount(): number {
    return this.agent?.steps.length ?? 0;
  }

  get messages(): ChatMessage[] {
    return this.agent?.messages ?? [];
  }

  // One turn: the client's assistant message with its tool calls (validated by the caller's request schema).
  async step(message: AssistantMessage, usage: Usage | null, raw: unknown): Promise<StepOutcome> {
    const agent = this.takeTurn();
    const before = agent.messages.length;
    const stepsBefore = agent.steps.length;
    await this.hand({ kind: "act", message, usage, raw });
    const steps = agent.steps.slice(stepsBefore);
    return {
      messages: agent.messages.slice(before + 1),
      steps,
      tool_ms: steps.reduce((n, s) => n + s.duration_ms, 0),
      done: !this.open,
    };
  }

  // Ends the episode without a finish call; the workspace is scored as it is.
  async finish(): Promise<RolloutRecord | null> {
    this.takeTurn();
    await this.hand({ kind: "end", reason: "ended by the client" });
    return this.done;
  }

  // Stops an open episode (nothing is recorded) or forgets a finished one.
  async close(status: "closed" | "expired" = "closed"): Promise<void> {
    if (this.open) {
      this.endStatus = status;
      this.abort.abort();
      await this.done;
    } else if (this.status === "finished" || this.status === "failed") {
      // Kept: a finished episode's status stays readable until it is forgotten.
    }
  }

  private takeTurn(): ServedAgent {
    this.lastActive = Date.now();
    if (this.status === "busy") throw new ServeError(409, `episode ${this.id} is running a step; wait for its answer before sending the next`);
    if (this.status === "finished" || this.status === "failed") {
      throw new ServeError(409, `episode ${this.id} has ended (${this.record?.exit_reason ?? this.status}); create a new episode`);
    }
    if (this.status === "closed" || this.status === "expired") throw new ServeError(409, `episode ${this.id} was ${this.status}; create a new episode`);
    if (this.status === "starting" || !this.agent || !this.agentWaiting) throw new ServeError(409, `episode ${this.id} is still starting`);
    return this.agent;
  }

  private async hand(turn: ClientTurn): Promise<void> {
    const waiting = this.agentWaiting as Deferred<ClientTurn>;
    this.agentWaiting = null;
    this.status = "busy";
    this.turnOver = deferred<void>();
    waiting.resolve(turn);
    await this.turnOver.promise;
    this.lastActive = Date.now();
  }
}
