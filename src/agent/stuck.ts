// Stuck detection: an agent that repeats itself burns steps and produces useless training data. We stop it when
//   - the same action produced the same observation `repeat` times in a row (default 4),
//   - two actions alternate A/B/A/B/A/B with the same observations over the last 6 steps,
//   - the same action failed with the identical error `errorRepeat` times in a row (default 3): retrying a failing
//     call unchanged will not start working. (Different actions with the same error are not a loop: several
//     greps that find nothing all end in "exit code 1".)

import type { Step } from "./types.js";

export interface StuckOptions {
  repeat?: number;
  errorRepeat?: number;
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
}

// Identity of a step for comparison: tool + arguments (key order ignored) + observation.
function stepKey(s: Step): string {
  return `${s.tool}\u0000${canonical(s.arguments)}\u0000${s.observation}`;
}

// Returns a human-readable reason when the agent is stuck, else null. Replies without a tool call ("(none)" steps)
// are left out: the loop's continuation limit deals with those.
export function detectStuck(allSteps: Step[], opts: StuckOptions = {}): string | null {
  const steps = allSteps.filter((s) => s.tool !== "(none)");
  const repeat = opts.repeat ?? 4;
  const errorRepeat = opts.errorRepeat ?? 3;
  const keys = steps.map(stepKey);
  const n = keys.length;

  if (n >= repeat) {
    const last = keys.slice(n - repeat);
    if (last.every((k) => k === last[0])) {
      return `the same action and observation (${steps[n - 1]?.tool}) repeated ${repeat} times in a row`;
    }
  }
  if (n >= 6) {
    const [a, b] = [keys[n - 6], keys[n - 5]];
    const window = keys.slice(n - 6);
    if (a !== b && window.every((k, i) => k === (i % 2 === 0 ? a : b))) {
      return `alternating between two actions (${steps[n - 6]?.tool} / ${steps[n - 5]?.tool}) for 6 steps`;
    }
  }
  if (n >= errorRepeat) {
    const last = steps.slice(n - errorRepeat);
    if (last.every((s, i) => s.error && keys[n - errorRepeat + i] === keys[n - errorRepeat])) {
      return `the same error repeated ${errorRepeat} times in a row`;
    }
  }
  return null;
}
