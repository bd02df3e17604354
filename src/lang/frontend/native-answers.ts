// The answers of the compiled languages' front-end helpers (native/go-frontend, java-frontend, rust-frontend),
// read the same way for all three: `check` → {ok, line, message}; `compare` → {equal, line, reason} or
// {error: "start-does-not-parse" | "parse-error", line, message}. An answer without a verdict is a broken helper
// (an exception), never a verdict.

import type { FrontendError, FrontendVerdict } from "./verdict.js";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// A JavaScript string may hold a lone UTF-16 surrogate, which no UTF-8 file can (it would cross the process
// boundary as U+FFFD and be judged as another text): such a text is not source code, so it does not parse.
export function notUtf8Source(text: string): FrontendError | null {
  return LONE_SURROGATE.test(text) ? { line: 1, message: "the text is not valid UTF-8 (it holds a lone UTF-16 surrogate)" } : null;
}

function lineOf(value: unknown): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

function answerError(r: Record<string, unknown>, fallback: string): FrontendError {
  return { line: lineOf(r.line), message: typeof r.message === "string" && r.message !== "" ? r.message : fallback };
}

export function checkAnswer(helper: string, r: Record<string, unknown>): FrontendError | null {
  if (r.ok === true) return null;
  if (r.ok === false) return answerError(r, "does not parse");
  throw new Error(`${helper} answered a check without "ok": ${JSON.stringify(r).slice(0, 200)}`);
}

export function compareAnswer(helper: string, r: Record<string, unknown>): FrontendVerdict {
  if (r.error === "start-does-not-parse") return { kind: "start-error", error: answerError(r, "the starting text does not parse") };
  if (r.error === "parse-error") return { kind: "parse-error", error: answerError(r, "does not parse") };
  if (r.equal === true) return { kind: "equal" };
  if (r.equal === false) return { kind: "different", line: lineOf(r.line), reason: typeof r.reason === "string" ? r.reason : "code differs" };
  throw new Error(`${helper} gave no verdict: ${JSON.stringify(r).slice(0, 200)}`);
}

// The texts of a comparison checked before they are sent: a verdict without asking the helper, or null.
export function unsendableComparison(before: string, after: string): FrontendVerdict | null {
  const start = notUtf8Source(before);
  if (start) return { kind: "start-error", error: start };
  const final = notUtf8Source(after);
  return final ? { kind: "parse-error", error: final } : null;
}
