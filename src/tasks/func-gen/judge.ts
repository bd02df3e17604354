// func-gen `judge` mode: after the structure and content checks, an LLM compares the candidate body with the
// original under a fixed rubric and answers pass or fail with a reason. The endpoint is the verification context's,
// given the instance's recorded overrides (API keys are never stored in instances). No endpoint, an error or an
// unreadable answer is a failure with a reason, never a silent pass.

import OpenAI from "openai";
import type { Instance } from "../types.js";
import type { Reward } from "../../core/reward.js";
import type { WorkspaceResult } from "../../core/repo-view.js";
import { checkContent, checkStructure } from "./checks.js";
import type { FuncGenGold } from "./types.js";
import type { ModelEndpoint, VerifyContext } from "../verify-context.js";

export const JUDGE_RUBRIC = [
  "You review a candidate implementation of a function against the reference implementation it replaces.",
  "The candidate PASSES when, for every input the docstring and the reference allow, it returns the same results,",
  "raises the same kinds of errors and has the same side effects as the reference. Differences in style, naming of",
  "local variables, comments, or equivalent algorithms do not matter. It FAILS when it misses a case the reference",
  "handles, computes something different, is incomplete or a stub, or only works by calling the function itself.",
  'Answer with one JSON object and nothing else: {"verdict": "pass" | "fail", "reason": "<one sentence>"}.',
].join(" ");

export function judgePrompt(gold: FuncGenGold, candidateBody: string, language: string): string {
  return [
    `Function: ${gold.qualifiedName} (${language})`,
    "",
    "Docstring:",
    gold.docstring,
    "",
    "Reference body:",
    "```",
    gold.body,
    "```",
    "",
    "Candidate body:",
    "```",
    candidateBody,
    "```",
  ].join("\n");
}

export function parseVerdict(text: string): { verdict: "pass" | "fail"; reason: string } | null {
  const match = /\{[\s\S]*\}/.exec(text);
  if (match) {
    try {
      const obj = JSON.parse(match[0]) as { verdict?: unknown; reason?: unknown };
      const v = typeof obj.verdict === "string" ? obj.verdict.toLowerCase().trim() : "";
      if (v === "pass" || v === "fail") return { verdict: v, reason: typeof obj.reason === "string" ? obj.reason : "" };
    } catch {
      /* fall through to the plain-word form */
    }
  }
  const word = /^\s*(pass|fail)\b[\s:.-]*(.*)$/is.exec(text);
  return word ? { verdict: (word[1] as string).toLowerCase() as "pass" | "fail", reason: (word[2] ?? "").trim() } : null;
}

export function judgeEndpoint(gold: FuncGenGold, ctx: VerifyContext): ModelEndpoint | null {
  return ctx.modelEndpoint({ baseURL: gold.verify.judge?.base_url, model: gold.verify.judge?.model });
}

export async function verifyJudge(instance: Instance<FuncGenGold>, result: WorkspaceResult, ctx: VerifyContext): Promise<Reward> {
  const gold = instance.gold;
  const { violations, candidate } = await checkStructure(instance, result);
  if (candidate) violations.push(...checkContent(gold, candidate));
  if (violations.length > 0 || !candidate) return { success: false, score: 0, metrics: { judged: false }, violations, mode: "judge" };
  const endpoint = judgeEndpoint(gold, ctx);
  if (!endpoint) {
    return { success: false, score: 0, metrics: { judged: false }, violations: [{ code: "judge-unavailable", message: "judge mode needs a model endpoint: the verifier was given none (hgym reads OPENAI_BASE_URL / OPENAI_API_KEY / HGYM_MODEL)" }], mode: "judge" };
  }
  const api = new OpenAI({ baseURL: endpoint.baseURL, apiKey: endpoint.apiKey, maxRetries: 3, timeout: 120_000 });
  let answer: string;
  try {
    const res = await api.chat.completions.create({
      model: endpoint.model,
      temperature: 0,
      max_tokens: 300,
      messages: [
        { role: "system", content: JUDGE_RUBRIC },
        { role: "user", content: judgePrompt(gold, candidate.text.slice(candidate.region.start, candidate.region.end), candidate.language) },
      ],
    });
    answer = res.choices[0]?.message?.content ?? "";
  } catch (e) {
    return { success: false, score: 0, metrics: { judged: false }, violations: [{ code: "judge-error", message: `the judge could not be reached: ${(e as Error).message}` }], mode: "judge" };
  }
  const verdict = parseVerdict(answer);
  if (!verdict) {
    return { success: false, score: 0, metrics: { judged: false }, violations: [{ code: "judge-unreadable", message: `the judge's answer has no verdict: ${answer.slice(0, 200)}` }], mode: "judge" };
  }
  const passed = verdict.verdict === "pass";
  return {
    success: passed,
    score: passed ? 1 : 0,
    metrics: { judged: true, judge_model: endpoint.model, judge_reason: verdict.reason },
    violations: passed ? [] : [{ code: "judge-failed", message: `the judge rejected the body: ${verdict.reason}` }],
    mode: "judge",
  };
}
