// Loops in a trajectory. A loop is what the agent's own stuck detector (agent/stuck.ts) would call stuck, checked
// after every action instead of only at the end, with the analysis's repeat threshold: the same action and
// observation `repeat` times in a row, two actions alternating with the same observations for 6 actions, or the
// same failing action 3 times in a row. Reusing the detector keeps "loop" in reports and "stuck" in runs the same
// idea; a run the detector ended (exit reason `stuck`) always counts as a loop.

import { detectStuck } from "../agent/stuck.js";
import type { ExitReason, Step } from "../agent/types.js";
import type { LoopFinding } from "./types.js";

const CYCLE = 6; // agent/stuck.ts: A/B/A/B/A/B
const ERROR_REPEAT = 3; // agent/stuck.ts default

// The first loop in `steps`, or null.
export function findLoop(steps: readonly Step[], exitReason: ExitReason, repeat: number): LoopFinding | null {
  // Replies without a tool call are not actions for the detector (it drops them itself); keep the rest in order.
  // Observations are replaced by a number per distinct text: the detector compares them whole, and doing that for
  // every window of a long trajectory would copy the same large strings over and over.
  const ids = new Map<string, string>();
  const acted = steps
    .filter((s) => s.tool !== "(none)")
    .map((s) => {
      let id = ids.get(s.observation);
      if (id === undefined) ids.set(s.observation, (id = String(ids.size)));
      return { ...s, observation: id };
    });
  const window = Math.max(repeat, CYCLE, ERROR_REPEAT);
  for (let k = 1; k <= acted.length; k++) {
    // Every rule needs the last action to equal the one before it (repeat, error) or the one before that (cycle);
    // checking the observation and tool first spares the detector almost every window.
    const last = acted[k - 1] as Step;
    const same = (j: number): boolean => acted[j]?.observation === last.observation && acted[j]?.tool === last.tool;
    if (!same(k - 2) && !same(k - 3)) continue;
    const tail = acted.slice(Math.max(0, k - window), k);
    const reason = detectStuck(tail, { repeat, errorRepeat: ERROR_REPEAT });
    if (reason === null) continue;
    const kind: LoopFinding["kind"] = reason.startsWith("alternating") ? "cycle" : reason.startsWith("the same error") ? "error" : "repeat";
    const length = kind === "cycle" ? CYCLE : kind === "error" ? ERROR_REPEAT : repeat;
    const first = acted[k - length];
    return { kind, start: first?.index ?? 0, length, description: reason };
  }
  if (exitReason === "stuck") {
    const last = steps[steps.length - 1];
    return { kind: "stuck", start: last?.index ?? 0, length: 0, description: "the agent's stuck detector ended the run" };
  }
  return null;
}
