// The agent loop with the HTTP client as its policy: DefaultAgent with query() replaced by "wait for the client's
// next turn". Everything else (parsing the tool calls, running them in the episode, the observations, finish,
// stuck detection, the step limit, the record) is the offline loop's own code, so a served episode's record is
// the same as a `hgym rollout` record of the same actions.

import { DefaultAgent, EpisodeEnd, type RunEpisodeOptions } from "../agent/loop.js";
import type { AssistantMessage } from "../agent/policy.js";
import type { Usage } from "../agent/types.js";

// What the client sends for one turn: its assistant message (tool calls in the OpenAI shape), or "end the
// episode now" (the finish endpoint, for a client that does not call the finish tool).
export type ClientTurn = { kind: "act"; message: AssistantMessage; usage: Usage | null; raw: unknown } | { kind: "end"; reason: string };

// The agent's side of the conversation with the client: asked once per turn, it resolves with the client's turn.
export type TurnSource = (signal: AbortSignal | undefined) => Promise<ClientTurn>;

export class ServedAgent extends DefaultAgent {
  constructor(
    opts: RunEpisodeOptions,
    private readonly nextTurn: TurnSource,
  ) {
    super(opts);
  }

  protected override async query(): Promise<AssistantMessage> {
    const started = new Date();
    const turn = await this.nextTurn(this.opts.signal);
    if (this.opts.signal?.aborted) throw new EpisodeEnd("infra_error", "the episode was closed");
    if (turn.kind === "end") throw new EpisodeEnd("finished", turn.reason);
    // The client's time to answer stands where a model call's latency stands offline.
    this.modelCalls.push({
      request_messages: this.messages.length,
      truncated: false,
      dropped: null,
      started_at: started.toISOString(),
      raw_response: turn.raw,
      usage: turn.usage,
      cost: 0,
      latency_ms: Date.now() - started.getTime(),
      attempts: 1,
      retries: [],
    });
    if (turn.usage) {
      this.usage.prompt_tokens += turn.usage.prompt_tokens;
      this.usage.completion_tokens += turn.usage.completion_tokens;
      this.usage.total_tokens += turn.usage.total_tokens;
    }
    return turn.message;
  }
}
