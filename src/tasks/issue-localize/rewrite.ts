// Optional LLM rewrite of a mined commit message into a user's bug report (`--rewrite`). The model sees only the
// cleaned problem statement, never the diff, and its prompt forbids describing the fix; its output then goes
// through the same leak check as offline statements (statement-check.ts). A leaking answer is retried once with
// the leak pointed out, then the commit is dropped — never silently replaced by the unrewritten text (a known
// leak of the paper's pipeline).

import OpenAI from "openai";
import type { Endpoint } from "../../agent/model-client.js";
import type { StatementCheck } from "./types.js";
import { statementRejection } from "./statement-check.js";

export const REWRITE_PROMPT = [
  "You turn the description of a software problem, taken from a developer's commit message, into the bug report a",
  "user of the software would have filed BEFORE anyone looked at the code. Write it from the user's side, in three",
  "short parts: what goes wrong (the symptom, with any error message or wrong output), how to reproduce it (the",
  "calls or steps, with concrete values where the text gives them), and what was expected instead.",
  "Rules: do not describe, suggest or hint at a fix; do not say which file, function, class or line has to change",
  "or how; do not mention helper names, variables or internals that a user would not see; never write phrases such",
  "as 'use X instead', 'now does', 'should call', 'the fix'. Do not invent facts that are not in the text.",
  "Reply with the bug report only, no title line and no preamble.",
].join(" ");

export type RewriteOutcome = { ok: true; text: string; check: StatementCheck | null; attempts: number } | { ok: false; reason: string };

export async function rewriteAsIssue(
  endpoint: Endpoint,
  statement: string,
  seed: number,
  client?: OpenAI,
  check?: (text: string) => StatementCheck,
): Promise<RewriteOutcome> {
  const api = client ?? new OpenAI({ baseURL: endpoint.baseURL, apiKey: endpoint.apiKey, maxRetries: 3, timeout: 120_000 });
  const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: "user", content: `${REWRITE_PROMPT}\n\n<description>\n${statement}\n</description>` }];
  for (let attempt = 1; attempt <= 2; attempt++) {
    let text: string;
    try {
      const res = await api.chat.completions.create({ model: endpoint.model, temperature: 0.3, seed: seed + attempt - 1, max_tokens: 700, messages });
      text = (res.choices[0]?.message?.content ?? "").trim();
    } catch (e) {
      return { ok: false, reason: `rewrite-llm-error${e instanceof OpenAI.APIError && e.status ? `-${e.status}` : ""}` };
    }
    if ((text.match(/[A-Za-z0-9]+/g) ?? []).length < 8) return { ok: false, reason: "rewrite-too-short" };
    const result = check ? check(text) : null;
    const rejected = result ? statementRejection(result) : null;
    if (rejected === null) return { ok: true, text, check: result, attempts: attempt };
    if (attempt === 2) return { ok: false, reason: "rewrite-leaks-fix" };
    const what = result && result.leaked_identifiers.length > 0 ? `it names ${result.leaked_identifiers.join(", ")}` : `it describes the change (${(result?.phrases ?? []).join("; ")})`;
    messages.push({ role: "assistant", content: text }, { role: "user", content: `That report gives the fix away: ${what}. Rewrite it following the rules; describe only what the user sees.` });
  }
  return { ok: false, reason: "rewrite-leaks-fix" };
}
