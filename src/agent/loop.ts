// The agent loop (CodeAct style), as a small class with overridable steps in the manner of mini-swe-agent's
// DefaultAgent: run() repeats step() = check limits → query the policy → parse the reply into actions → execute
// each in the episode → observe (the observation goes back into the history) → check whether the episode is over,
// until the model calls finish or a limit ends it. Every ending is an EpisodeEnd thrown from a step and caught in
// run(), the one place that turns it into the outcome. Everything sent and received is recorded; the runner adds
// ids, the final diff and the reward to make a RolloutRecord.

import type { Episode } from "../sandbox/types.js";
import { ActionRunner, InfraError, type ActionResult } from "./actions.js";
import { fitContext, type ContextBudget } from "./context.js";
import { PolicyError, type AssistantMessage, type Policy, type PolicyResponse } from "./policy.js";
import { continuationMessage, promptHash, systemPrompt } from "./prompts.js";
import { detectStuck } from "./stuck.js";
import { executionResultText, parseTextToolCall } from "./text-format.js";
import { parseArgumentsJson, toolSchemas, validateToolCall } from "./tools.js";
import { truncateMiddle } from "./truncate.js";
import type { ChatMessage, ExitReason, FailureKind, ModelCall, RolloutRecord, Step, ToolFormat, ToolSchema, Usage } from "./types.js";

export interface AgentLimits {
  maxSteps: number; // model turns (default 30)
  maxCostUsd: number; // default: no limit
  wallTimeMs: number; // default: no limit
  maxObservationChars: number; // observations longer than this are cut in the middle (default 30000)
  context: ContextBudget; // history budget; default: no limit (the server's context error ends the run)
  maxContinuations: number; // continuation messages before giving up on a model that does not call tools (3)
  commandTimeoutMs?: number; // the episode's per-command timeout if not the sandbox default (used to cap by wall time)
}

export const DEFAULT_LIMITS: AgentLimits = {
  maxSteps: 30,
  maxCostUsd: Number.POSITIVE_INFINITY,
  wallTimeMs: Number.POSITIVE_INFINITY,
  maxObservationChars: 30_000,
  context: {},
  maxContinuations: 3,
};

export interface RunEpisodeOptions {
  episode: Episode;
  instruction: string; // the task, sent as the first user message
  policy: Policy; // a ModelClient, or the oracle
  toolFormat: ToolFormat;
  limits?: Partial<AgentLimits>;
  systemPrompt?: string; // default: prompts.ts systemPrompt for the episode's workspace
  signal?: AbortSignal; // cancels the rollout (ends as infra_error: it says nothing about the model)
  onStep?: (step: Step) => void;
}

// The part of a RolloutRecord the agent owns.
export type EpisodeOutcome = Pick<
  RolloutRecord,
  | "messages"
  | "tools"
  | "model_calls"
  | "steps"
  | "exit_reason"
  | "failure"
  | "error"
  | "usage"
  | "cost"
  | "model"
  | "tool_format"
  | "prompt_hash"
  | "wall_ms"
  | "started_at"
  | "finished_at"
> & {
  finish: { message: string; task_completed?: string } | null; // the finish call's arguments, when it was called
};

// Which side a rollout's ending is blamed on. Limits and finish are normal endings of a valid rollout; a model
// that loops, stops calling tools or is rejected by its endpoint failed; sandbox/endpoint outages are infra.
export function failureKind(reason: ExitReason): FailureKind {
  switch (reason) {
    case "finished":
    case "max_steps":
    case "max_cost":
    case "wall_time":
      return "none";
    case "stuck":
    case "no_tool_calls":
    case "context_overflow":
    case "model_error":
      return "model";
    case "infra_error":
      return "infra";
  }
}

// How an episode ends: thrown by any step (a subclass may throw it too, e.g. for an extra stop condition) and
// caught in one place, DefaultAgent.run.
export class EpisodeEnd extends Error {
  constructor(
    readonly reason: ExitReason,
    readonly detail: string | null = null,
  ) {
    super(detail ?? reason);
    this.name = "EpisodeEnd";
  }
}

// One tool call read from a model reply, before it is run.
export interface ParsedAction {
  name: string; // the tool name; "(unreadable)" when a text-format reply could not be read at all
  args: Record<string, unknown> | null; // null when the arguments could not be read
  parseError: string | null; // why the call could not be read; shown to the model instead of running anything
  toolCallId: string | null; // native format: the id the tool message answers; null in the text format
  ignoredCalls: number; // text format: further calls in the same reply, which are not run
}

export class DefaultAgent {
  readonly limits: AgentLimits;
  readonly tools: ToolSchema[] = toolSchemas();
  readonly native: boolean;
  readonly systemPrompt: string;
  // The episode's state, in the order the record lists it.
  readonly messages: ChatMessage[];
  readonly modelCalls: ModelCall[] = [];
  readonly steps: Step[] = [];
  readonly usage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  cost = 0;
  finish: EpisodeOutcome["finish"] = null;
  protected noToolStreak = 0;
  protected readonly actions: ActionRunner;
  protected startedAt = new Date();
  protected deadline = Number.POSITIVE_INFINITY;
  private ran = false;

  constructor(protected readonly opts: RunEpisodeOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.native = opts.toolFormat === "native";
    this.systemPrompt = opts.systemPrompt ?? systemPrompt({ workspacePath: opts.episode.workspacePath, toolFormat: opts.toolFormat, tools: this.tools });
    this.messages = [
      { role: "system", content: this.systemPrompt },
      { role: "user", content: opts.instruction },
    ];
    this.actions = new ActionRunner(opts.episode, this.limits.commandTimeoutMs);
  }

  // Runs the episode to its end. Never throws: every ending, including a bug in a step, is in the outcome.
  async run(): Promise<EpisodeOutcome> {
    if (this.ran) throw new Error("an agent runs one episode: make a new one");
    this.ran = true;
    this.startedAt = new Date();
    this.deadline = this.startedAt.getTime() + this.limits.wallTimeMs;
    let end: EpisodeEnd;
    try {
      for (;;) await this.step();
    } catch (e) {
      end = this.endOf(e);
    }
    return this.outcome(end);
  }

  // One model turn.
  protected async step(): Promise<void> {
    this.checkLimits();
    const reply = await this.query();
    this.messages.push(reply);
    await this.executeActions(this.parseActions(reply));
    this.checkFinished();
  }

  // Before each turn: the step, cost and wall-time budgets.
  protected checkLimits(): void {
    if (this.modelCalls.length >= this.limits.maxSteps) throw new EpisodeEnd("max_steps");
    if (this.cost >= this.limits.maxCostUsd) throw new EpisodeEnd("max_cost", `cost ${this.cost.toFixed(4)} USD reached the limit of ${this.limits.maxCostUsd} USD`);
    if (Date.now() >= this.deadline) throw new EpisodeEnd("wall_time");
  }

  // Asks the policy for the next assistant message (within the context budget and the remaining wall time) and
  // records the call, failed or not.
  protected async query(): Promise<AssistantMessage> {
    const fit = fitContext(this.messages, this.limits.context);
    if (!fit.ok) throw new EpisodeEnd("context_overflow", fit.reason);
    const started = new Date();
    const remaining = this.deadline - Date.now();
    const signals: AbortSignal[] = [];
    if (this.opts.signal) signals.push(this.opts.signal);
    const timeLimit = Number.isFinite(remaining) ? AbortSignal.timeout(Math.max(1, remaining)) : null;
    if (timeLimit) signals.push(timeLimit);
    const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
    const base = { request_messages: fit.messages.length, truncated: fit.dropped !== null, dropped: fit.dropped, started_at: started.toISOString() };
    let resp: PolicyResponse;
    try {
      resp = await this.opts.policy.complete({ messages: fit.messages, tools: this.native ? this.tools : null }, signal);
    } catch (e) {
      const failures = e instanceof PolicyError ? e.failures : [];
      const message = e instanceof Error ? e.message : String(e);
      this.modelCalls.push({
        ...base,
        raw_response: null,
        usage: null,
        cost: 0,
        latency_ms: Date.now() - started.getTime(),
        attempts: Math.max(1, failures.length),
        retries: failures,
        error: message,
      });
      if (this.opts.signal?.aborted) throw new EpisodeEnd("infra_error", "the rollout was cancelled");
      if (timeLimit?.aborted) throw new EpisodeEnd("wall_time", "the wall-time limit was reached during a model call");
      if (e instanceof PolicyError) {
        throw new EpisodeEnd(e.kind === "infra" ? "infra_error" : e.kind === "context" ? "context_overflow" : "model_error", message);
      }
      // Anything else is a defect outside the model (e.g. the oracle could not read its patch).
      throw new EpisodeEnd("infra_error", `the policy ${this.opts.policy.name} failed: ${message}`);
    }
    this.modelCalls.push({ ...base, raw_response: resp.raw, usage: resp.usage, cost: resp.cost, latency_ms: resp.latencyMs, attempts: resp.attempts, retries: resp.failures });
    if (resp.usage) {
      this.usage.prompt_tokens += resp.usage.prompt_tokens;
      this.usage.completion_tokens += resp.usage.completion_tokens;
      this.usage.total_tokens += resp.usage.total_tokens;
    }
    this.cost += resp.cost;
    return resp.message;
  }

  // The tool calls of a reply: every native call (each will get its tool message), or the first call of a
  // text-format reply. An empty list means the model called no tool.
  protected parseActions(reply: AssistantMessage): ParsedAction[] {
    if (this.native) {
      return (reply.tool_calls ?? []).map((tc) => {
        const parsed = parseArgumentsJson(tc.function.arguments);
        return { name: tc.function.name, args: parsed.ok ? parsed.value : null, parseError: parsed.ok ? null : parsed.error, toolCallId: tc.id, ignoredCalls: 0 };
      });
    }
    const parsed = parseTextToolCall(reply.content ?? "");
    if (parsed.error) {
      const parseError = `${parsed.error} Use the <function=NAME><parameter=KEY>VALUE</parameter></function> format.`;
      return [{ name: "(unreadable)", args: null, parseError, toolCallId: null, ignoredCalls: 0 }];
    }
    if (!parsed.call) return [];
    return [{ name: parsed.call.name, args: parsed.call.args, parseError: null, toolCallId: null, ignoredCalls: parsed.ignoredCalls }];
  }

  // Runs the turn's actions in order and puts each observation in the history; calls after finish, or past the
  // wall time, are answered without being run.
  protected async executeActions(actions: ParsedAction[]): Promise<void> {
    if (actions.length === 0) return this.noActions();
    this.noToolStreak = 0;
    for (const action of actions) {
      if (this.finish) {
        this.observe(action, "Not run: finish was called earlier in this turn.");
        continue;
      }
      if (Date.now() >= this.deadline) {
        this.observe(action, "Not run: the time limit was reached.");
        continue;
      }
      const started = new Date();
      const result = await this.execute(action);
      const observation = this.formatObservation(action, result);
      this.recordStep({ tool: action.name, arguments: action.args, observation, error: result.error, started_at: started.toISOString(), duration_ms: Date.now() - started.getTime() });
      this.observe(action, observation);
      if (result.finished) this.finish = result.finished;
    }
  }

  // Carries out one action in the episode. A call that cannot be read or fails validation is an error
  // observation; a broken sandbox is recorded as a step and ends the episode as an infrastructure failure.
  protected async execute(action: ParsedAction): Promise<ActionResult> {
    if (action.parseError !== null || action.args === null) return { observation: action.parseError ?? "The tool call could not be read.", error: true };
    const v = validateToolCall(action.name, action.args);
    if (!v.ok) return { observation: v.error, error: true };
    const started = new Date();
    const remaining = this.deadline - Date.now();
    try {
      return await this.actions.run(v.call, Number.isFinite(remaining) ? Math.max(1000, remaining) : undefined);
    } catch (e) {
      // Recorded, then passed on: the sandbox is broken and nothing the model does can continue the run.
      const message = e instanceof Error ? e.message : String(e);
      this.recordStep({ tool: action.name, arguments: action.args, observation: message, error: true, started_at: started.toISOString(), duration_ms: Date.now() - started.getTime() });
      throw e instanceof InfraError ? e : new InfraError(message);
    }
  }

  // The observation text the model sees (and the step records): the result, cut in the middle to the limit.
  protected formatObservation(_action: ParsedAction, result: ActionResult): string {
    return truncateMiddle(result.observation, this.limits.maxObservationChars);
  }

  // Puts an observation into the history: a tool message answering a native call, a user message otherwise.
  protected observe(action: ParsedAction, observation: string): void {
    if (action.toolCallId !== null) {
      this.messages.push({ role: "tool", tool_call_id: action.toolCallId, name: action.name, content: observation });
      return;
    }
    if (action.parseError !== null) {
      this.messages.push({ role: "user", content: observation });
      return;
    }
    const note =
      action.ignoredCalls > 0
        ? `\n[Only the first function call of a reply is run; the ${action.ignoredCalls} other call${action.ignoredCalls > 1 ? "s were" : " was"} ignored.]`
        : "";
    this.messages.push({ role: "user", content: executionResultText(action.name, observation + note) });
  }

  // A reply without a tool call: remind the model how to call one, a few times, then give up on it.
  protected noActions(): void {
    this.noToolStreak++;
    if (this.noToolStreak > this.limits.maxContinuations) {
      throw new EpisodeEnd("no_tool_calls", `the model answered ${this.noToolStreak} times in a row without calling a tool`);
    }
    const text = continuationMessage(this.opts.toolFormat);
    this.messages.push({ role: "user", content: text });
    this.recordStep({ tool: "(none)", arguments: null, observation: text, error: true, started_at: new Date().toISOString(), duration_ms: 0 });
  }

  // After each turn: the model called finish, or it is repeating itself.
  protected checkFinished(): void {
    if (this.finish) throw new EpisodeEnd("finished");
    const stuck = detectStuck(this.steps);
    if (stuck) throw new EpisodeEnd("stuck", stuck);
  }

  protected recordStep(s: Omit<Step, "index">): void {
    const step: Step = { index: this.steps.length, ...s };
    this.steps.push(step);
    this.opts.onStep?.(step);
  }

  // What ended the run: an EpisodeEnd as thrown, a sandbox failure, or (a bug) anything else.
  protected endOf(e: unknown): EpisodeEnd {
    if (e instanceof EpisodeEnd) return e;
    if (e instanceof InfraError) return new EpisodeEnd("infra_error", e.message);
    return new EpisodeEnd("infra_error", `unexpected error in the agent loop: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }

  protected outcome(end: EpisodeEnd): EpisodeOutcome {
    const finishedAt = new Date();
    const tools = this.native ? this.tools : [];
    return {
      messages: this.messages,
      tools,
      model_calls: this.modelCalls,
      steps: this.steps,
      exit_reason: end.reason,
      failure: failureKind(end.reason),
      error: end.detail,
      usage: this.usage,
      cost: this.cost,
      model: this.opts.policy.name,
      tool_format: this.opts.toolFormat,
      prompt_hash: promptHash(this.systemPrompt, tools),
      wall_ms: finishedAt.getTime() - this.startedAt.getTime(),
      started_at: this.startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
      finish: this.finish,
    };
  }
}

// One episode with the default agent.
export function runEpisode(opts: RunEpisodeOptions): Promise<EpisodeOutcome> {
  return new DefaultAgent(opts).run();
}
