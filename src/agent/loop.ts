// The agent loop (CodeAct style): ask the policy for the next message, run the tool call(s) it contains in the
// episode, feed the observations back, until the model calls finish or a limit ends the run. Everything sent and
// received is recorded; the runner adds ids, the final diff and the reward to make a RolloutRecord.

import type { Episode } from "../sandbox/types.js";
import { ActionRunner, InfraError, type ActionResult } from "./actions.js";
import { fitContext, type ContextBudget } from "./context.js";
import { PolicyError, type Policy, type PolicyResponse } from "./policy.js";
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

type AssistantMessage = Extract<ChatMessage, { role: "assistant" }>;

class EndRun {
  constructor(
    readonly reason: ExitReason,
    readonly error: string | null = null,
  ) {}
}

export async function runEpisode(opts: RunEpisodeOptions): Promise<EpisodeOutcome> {
  const limits: AgentLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const startedAt = new Date();
  const deadline = startedAt.getTime() + limits.wallTimeMs;
  const tools: ToolSchema[] = toolSchemas();
  const native = opts.toolFormat === "native";
  const system =
    opts.systemPrompt ?? systemPrompt({ workspacePath: opts.episode.workspacePath, toolFormat: opts.toolFormat, tools });
  const messages: ChatMessage[] = [
    { role: "system", content: system },
    { role: "user", content: opts.instruction },
  ];
  const modelCalls: ModelCall[] = [];
  const steps: Step[] = [];
  const usage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  let cost = 0;
  let finish: EpisodeOutcome["finish"] = null;
  const actions = new ActionRunner(opts.episode, limits.commandTimeoutMs);

  const recordStep = (s: Omit<Step, "index">): void => {
    const step: Step = { index: steps.length, ...s };
    steps.push(step);
    opts.onStep?.(step);
  };

  // Run one named call with raw arguments; returns the observation (already cut to size) and records the step.
  const act = async (name: string, rawArgs: Record<string, unknown> | null, parseError: string | null): Promise<ActionResult> => {
    const started = new Date();
    let result: ActionResult;
    if (parseError !== null || rawArgs === null) {
      result = { observation: parseError ?? "The tool call could not be read.", error: true };
    } else {
      const v = validateToolCall(name, rawArgs);
      if (!v.ok) {
        result = { observation: v.error, error: true };
      } else {
        const remaining = deadline - Date.now();
        try {
          result = await actions.run(v.call, Number.isFinite(remaining) ? Math.max(1000, remaining) : undefined);
        } catch (e) {
          // Recorded, then passed on: the sandbox is broken and nothing the model does can continue the run.
          const message = e instanceof Error ? e.message : String(e);
          recordStep({ tool: name, arguments: rawArgs, observation: message, error: true, started_at: started.toISOString(), duration_ms: Date.now() - started.getTime() });
          throw e instanceof InfraError ? e : new InfraError(message);
        }
      }
    }
    const observation = truncateMiddle(result.observation, limits.maxObservationChars);
    recordStep({
      tool: name,
      arguments: rawArgs,
      observation,
      error: result.error,
      started_at: started.toISOString(),
      duration_ms: Date.now() - started.getTime(),
    });
    return { ...result, observation };
  };

  let noToolStreak = 0;
  const handleNoToolCall = (): void => {
    noToolStreak++;
    if (noToolStreak > limits.maxContinuations) {
      throw new EndRun("no_tool_calls", `the model answered ${noToolStreak} times in a row without calling a tool`);
    }
    const text = continuationMessage(opts.toolFormat);
    messages.push({ role: "user", content: text });
    recordStep({ tool: "(none)", arguments: null, observation: text, error: true, started_at: new Date().toISOString(), duration_ms: 0 });
  };

  const runNativeTurn = async (msg: AssistantMessage): Promise<void> => {
    const calls = msg.tool_calls ?? [];
    if (calls.length === 0) return handleNoToolCall();
    noToolStreak = 0;
    for (const tc of calls) {
      // Every tool call gets a tool message, even when it is not run, so the history stays valid for the API.
      if (finish) {
        messages.push({ role: "tool", tool_call_id: tc.id, name: tc.function.name, content: "Not run: finish was called earlier in this turn." });
        continue;
      }
      if (Date.now() >= deadline) {
        messages.push({ role: "tool", tool_call_id: tc.id, name: tc.function.name, content: "Not run: the time limit was reached." });
        continue;
      }
      const parsed = parseArgumentsJson(tc.function.arguments);
      const r = await act(tc.function.name, parsed.ok ? parsed.value : null, parsed.ok ? null : parsed.error);
      messages.push({ role: "tool", tool_call_id: tc.id, name: tc.function.name, content: r.observation });
      if (r.finished) finish = r.finished;
    }
  };

  const runTextTurn = async (msg: AssistantMessage): Promise<void> => {
    const parsed = parseTextToolCall(msg.content ?? "");
    if (parsed.error) {
      noToolStreak = 0;
      const r = await act("(unreadable)", null, `${parsed.error} Use the <function=NAME><parameter=KEY>VALUE</parameter></function> format.`);
      messages.push({ role: "user", content: r.observation });
      return;
    }
    if (!parsed.call) return handleNoToolCall();
    noToolStreak = 0;
    const r = await act(parsed.call.name, parsed.call.args, null);
    const note =
      parsed.ignoredCalls > 0
        ? `\n[Only the first function call of a reply is run; the ${parsed.ignoredCalls} other call${parsed.ignoredCalls > 1 ? "s were" : " was"} ignored.]`
        : "";
    messages.push({ role: "user", content: executionResultText(parsed.call.name, r.observation + note) });
    if (r.finished) finish = r.finished;
  };

  const callPolicy = async (): Promise<AssistantMessage> => {
    const fit = fitContext(messages, limits.context);
    if (!fit.ok) throw new EndRun("context_overflow", fit.reason);
    const started = new Date();
    const remaining = deadline - Date.now();
    const signals: AbortSignal[] = [];
    if (opts.signal) signals.push(opts.signal);
    const timeLimit = Number.isFinite(remaining) ? AbortSignal.timeout(Math.max(1, remaining)) : null;
    if (timeLimit) signals.push(timeLimit);
    const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
    const base = { request_messages: fit.messages.length, truncated: fit.dropped !== null, dropped: fit.dropped, started_at: started.toISOString() };
    let resp: PolicyResponse;
    try {
      resp = await opts.policy.complete({ messages: fit.messages, tools: native ? tools : null }, signal);
    } catch (e) {
      const failures = e instanceof PolicyError ? e.failures : [];
      const message = e instanceof Error ? e.message : String(e);
      modelCalls.push({
        ...base,
        raw_response: null,
        usage: null,
        cost: 0,
        latency_ms: Date.now() - started.getTime(),
        attempts: Math.max(1, failures.length),
        retries: failures,
        error: message,
      });
      if (opts.signal?.aborted) throw new EndRun("infra_error", "the rollout was cancelled");
      if (timeLimit?.aborted) throw new EndRun("wall_time", "the wall-time limit was reached during a model call");
      if (e instanceof PolicyError) {
        throw new EndRun(e.kind === "infra" ? "infra_error" : e.kind === "context" ? "context_overflow" : "model_error", message);
      }
      // Anything else is a defect outside the model (e.g. the oracle could not read its patch).
      throw new EndRun("infra_error", `the policy ${opts.policy.name} failed: ${message}`);
    }
    modelCalls.push({
      ...base,
      raw_response: resp.raw,
      usage: resp.usage,
      cost: resp.cost,
      latency_ms: resp.latencyMs,
      attempts: resp.attempts,
      retries: resp.failures,
    });
    if (resp.usage) {
      usage.prompt_tokens += resp.usage.prompt_tokens;
      usage.completion_tokens += resp.usage.completion_tokens;
      usage.total_tokens += resp.usage.total_tokens;
    }
    cost += resp.cost;
    return resp.message;
  };

  let exit: EndRun;
  try {
    for (let turn = 0; ; turn++) {
      if (turn >= limits.maxSteps) throw new EndRun("max_steps");
      if (cost >= limits.maxCostUsd) throw new EndRun("max_cost", `cost ${cost.toFixed(4)} USD reached the limit of ${limits.maxCostUsd} USD`);
      if (Date.now() >= deadline) throw new EndRun("wall_time");
      const msg = await callPolicy();
      messages.push(msg);
      if (native) await runNativeTurn(msg);
      else await runTextTurn(msg);
      if (finish) throw new EndRun("finished");
      const stuck = detectStuck(steps);
      if (stuck) throw new EndRun("stuck", stuck);
    }
  } catch (e) {
    if (e instanceof EndRun) exit = e;
    else if (e instanceof InfraError) exit = new EndRun("infra_error", e.message);
    else exit = new EndRun("infra_error", `unexpected error in the agent loop: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }

  const finishedAt = new Date();
  return {
    messages,
    tools: native ? tools : [],
    model_calls: modelCalls,
    steps,
    exit_reason: exit.reason,
    failure: failureKind(exit.reason),
    error: exit.error,
    usage,
    cost,
    model: opts.policy.name,
    tool_format: opts.toolFormat,
    prompt_hash: promptHash(system, native ? tools : []),
    wall_ms: finishedAt.getTime() - startedAt.getTime(),
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    finish,
  };
}
