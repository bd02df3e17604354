// Optional LLM rewrite of a mined commit message into an issue report (`--rewrite`). The model sees only the
// cleaned problem statement, never the diff, so it cannot add the fix back; if it fails, the commit is skipped
// rather than silently falling back to the unrewritten text (a known leak of the paper's pipeline).

import OpenAI from "openai";
import type { Endpoint } from "../../agent/model-client.js";

const PROMPT = [
  "Rewrite the following description of a software problem as an issue report a user would file: describe what",
  "goes wrong, how to trigger it and what was expected. Do not propose a fix, do not say which code to change,",
  "and do not invent details that are not in the text. Reply with the issue text only.",
].join(" ");

export async function rewriteAsIssue(endpoint: Endpoint, statement: string, seed: number, client?: OpenAI): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  const api = client ?? new OpenAI({ baseURL: endpoint.baseURL, apiKey: endpoint.apiKey, maxRetries: 3, timeout: 120_000 });
  try {
    const res = await api.chat.completions.create({
      model: endpoint.model,
      temperature: 0.3,
      seed,
      max_tokens: 600,
      messages: [{ role: "user", content: `${PROMPT}\n\n${statement}` }],
    });
    const text = (res.choices[0]?.message?.content ?? "").trim();
    if ((text.match(/[A-Za-z0-9]+/g) ?? []).length < 8) return { ok: false, reason: "rewrite-too-short" };
    return { ok: true, text };
  } catch (e) {
    return { ok: false, reason: `rewrite-llm-error${e instanceof OpenAI.APIError && e.status ? `-${e.status}` : ""}` };
  }
}
