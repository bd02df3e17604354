// func-gen `static` mode: structure and content checks, then similarity of the body's token sequence to the
// gold body's as the dense score; success needs the similarity threshold recorded in the instance. Both token
// sequences are taken from the live code only (dead-code.ts): the original hidden behind an early return or
// under `if False:` counts for nothing.

import type { Instance } from "../types.js";
import type { Reward } from "../../core/reward.js";
import type { WorkspaceResult } from "../../core/repo-view.js";
import { bodyTokens, sequenceSimilarity } from "./body.js";
import { checkContent, checkStructure, type Candidate } from "./checks.js";
import { deadCodeScopeEffect, deadRanges, withoutDeadCode } from "./dead-code.js";
import type { FuncGenGold } from "./types.js";

// The gold body's tokens, from the gold state (the starting text with the gold patch applied is the original
// file, so its region can be found the same way as the candidate's).
export function goldTokens(gold: FuncGenGold, c: Candidate): string[] {
  const goldText = c.text.slice(0, c.region.start) + gold.body + c.text.slice(c.region.end);
  return liveTokens(goldText, c.language, { start: c.region.start, end: c.region.start + gold.body.length }).tokens;
}

// Whether the gold body's own dead code has such an effect (then the candidate is not blamed for reproducing it).
function goldScopeEffect(gold: FuncGenGold, c: Candidate): boolean {
  const goldText = c.text.slice(0, c.region.start) + gold.body + c.text.slice(c.region.end);
  const region = { start: c.region.start, end: c.region.start + gold.body.length };
  return deadCodeScopeEffect(goldText, c.language, region, deadRanges(goldText, c.language, region)) !== null;
}

// The region's tokens with dead statements and blocks left out, and how many characters were dead.
export function liveTokens(text: string, language: Candidate["language"], region: { start: number; end: number }): { tokens: string[]; deadChars: number } {
  const dead = deadRanges(text, language, region);
  const deadChars = dead.reduce((n, r) => n + (r.end - r.start), 0);
  return { tokens: bodyTokens(dead.length > 0 ? withoutDeadCode(text, dead) : text, language, region), deadChars };
}

export async function verifyStatic(instance: Instance<FuncGenGold>, result: WorkspaceResult): Promise<Reward> {
  const { violations, candidate } = await checkStructure(instance, result);
  let similarity: number | null = null;
  let deadChars = 0;
  if (candidate) {
    violations.push(...checkContent(instance.gold, candidate));
    // Left out of the similarity, dead code must still change nothing: a dead `yield` or a dead binding of a
    // live name changes what the function does.
    const effect = deadCodeScopeEffect(candidate.text, candidate.language, candidate.region, deadRanges(candidate.text, candidate.language, candidate.region));
    if (effect && !goldScopeEffect(instance.gold, candidate)) violations.push({ code: "dead-code-changes-function", message: `${effect}`, file: instance.gold.file });
    const live = liveTokens(candidate.text, candidate.language, candidate.region);
    deadChars = live.deadChars;
    similarity = sequenceSimilarity(live.tokens, goldTokens(instance.gold, candidate));
    const threshold = instance.gold.verify.similarity_threshold;
    if (violations.length === 0 && similarity < threshold) {
      violations.push({ code: "low-similarity", message: `the body's similarity to the original is ${similarity.toFixed(2)}, below ${threshold}`, file: instance.gold.file });
    }
  }
  const success = violations.length === 0;
  // The similarity is the dense score whenever the answer is well-formed, also below the threshold.
  const wellFormed = violations.every((v) => v.code === "low-similarity");
  return { success, score: wellFormed ? (similarity ?? 0) : 0, metrics: { similarity, dead_code_chars: deadChars }, violations, mode: "static" };
}
