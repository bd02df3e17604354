// Fitting the conversation into the model's context. When the history is over budget we drop its middle: the
// system prompt and the task (the first user message) always stay, then as many of the most recent turns as fit.
// A turn is an assistant message together with the tool results / user messages that follow it, so a tool call
// is never separated from its result (OpenAI-compatible servers reject a tool message without its call).

import type { ChatMessage } from "./types.js";

export interface ContextBudget {
  chars?: number; // budget in characters of message text
  tokens?: number; // budget in tokens, estimated from characters (see CHARS_PER_TOKEN)
}

// Code tokenizes denser than prose; 3 characters per token errs on the side of sending less.
export const CHARS_PER_TOKEN = 3;
const PER_MESSAGE_OVERHEAD = 8; // role markers and separators in the chat template, in characters

export function messageChars(m: ChatMessage): number {
  let n = PER_MESSAGE_OVERHEAD + (m.content?.length ?? 0);
  if (m.role === "assistant") {
    n += m.reasoning_content?.length ?? 0;
    for (const tc of m.tool_calls ?? []) n += tc.function.name.length + tc.function.arguments.length + PER_MESSAGE_OVERHEAD;
  }
  return n;
}

export function budgetChars(budget: ContextBudget): number | null {
  const limits: number[] = [];
  if (budget.chars !== undefined) limits.push(budget.chars);
  if (budget.tokens !== undefined) limits.push(budget.tokens * CHARS_PER_TOKEN);
  return limits.length > 0 ? Math.min(...limits) : null;
}

export type FitResult =
  | { ok: true; messages: ChatMessage[]; dropped: { from: number; to: number } | null } // dropped: [from, to) of the input
  | { ok: false; reason: string };

export function omissionNote(count: number): string {
  return `[${count} earlier messages of this conversation were left out here to fit the context window. The task above is unchanged; continue from the most recent messages below.]`;
}

export function fitContext(messages: ChatMessage[], budget: ContextBudget): FitResult {
  const limit = budgetChars(budget);
  const total = messages.reduce((s, m) => s + messageChars(m), 0);
  if (limit === null || total <= limit) return { ok: true, messages, dropped: null };

  const firstUser = messages.findIndex((m) => m.role === "user");
  const headEnd = firstUser === -1 ? Math.min(1, messages.length) : firstUser + 1;
  const head = messages.slice(0, headEnd);
  const headChars = head.reduce((s, m) => s + messageChars(m), 0);

  // Turn boundaries in the rest: each assistant message starts a turn.
  const starts: number[] = [];
  for (let i = headEnd; i < messages.length; i++) if (messages[i]?.role === "assistant" || i === headEnd) starts.push(i);

  const note = (count: number): ChatMessage => ({ role: "user", content: omissionNote(count) });
  let keepFrom = messages.length;
  let used = headChars;
  for (let t = starts.length - 1; t >= 0; t--) {
    const start = starts[t] as number;
    const turnChars = messages.slice(start, keepFrom).reduce((s, m) => s + messageChars(m), 0);
    const noteChars = start > headEnd ? messageChars(note(start - headEnd)) : 0;
    if (used + turnChars + noteChars > limit) break;
    used += turnChars;
    keepFrom = start;
  }
  const lastTurnStart = starts[starts.length - 1];
  if (lastTurnStart !== undefined && keepFrom > lastTurnStart) {
    return {
      ok: false,
      reason: `the system prompt, the task and the latest turn need ${used + messages.slice(lastTurnStart).reduce((s, m) => s + messageChars(m), 0)} characters, over the context budget of ${limit}`,
    };
  }
  if (lastTurnStart === undefined) {
    return { ok: false, reason: `the system prompt and the task alone need ${headChars} characters, over the context budget of ${limit}` };
  }
  const droppedCount = keepFrom - headEnd;
  if (droppedCount === 0) return { ok: true, messages, dropped: null };
  return {
    ok: true,
    messages: [...head, note(droppedCount), ...messages.slice(keepFrom)],
    dropped: { from: headEnd, to: keepFrom },
  };
}
