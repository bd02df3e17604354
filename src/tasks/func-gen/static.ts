// func-gen `static` mode: structure and content checks, then similarity of the body's token sequence to the
// gold body's as the dense score; success needs the similarity threshold recorded in the instance.

import type { Instance, Reward, WorkspaceResult } from "../types.js";
import { bodyTokens, sequenceSimilarity } from "./body.js";
import { checkContent, checkStructure, type Candidate } from "./checks.js";
import type { FuncGenGold } from "./types.js";

// The gold body's tokens, from the gold state (the starting text with the gold patch applied is the original
// file, so its region can be found the same way as the candidate's).
export function goldTokens(gold: FuncGenGold, c: Candidate): string[] {
  const goldText = c.text.slice(0, c.region.start) + gold.body + c.text.slice(c.region.end);
  return bodyTokens(goldText, c.language, { start: c.region.start, end: c.region.start + gold.body.length });
}

export function verifyStatic(instance: Instance<FuncGenGold>, result: WorkspaceResult): Reward {
  const { violations, candidate } = checkStructure(instance, result);
  let similarity: number | null = null;
  if (candidate) {
    violations.push(...checkContent(instance.gold, candidate));
    const tokens = bodyTokens(candidate.text, candidate.language, candidate.region);
    similarity = sequenceSimilarity(tokens, goldTokens(instance.gold, candidate));
    const threshold = instance.gold.verify.similarity_threshold;
    if (violations.length === 0 && similarity < threshold) {
      violations.push({ code: "low-similarity", message: `the body's similarity to the original is ${similarity.toFixed(2)}, below ${threshold}`, file: instance.gold.file });
    }
  }
  const success = violations.length === 0;
  // The similarity is the dense score whenever the answer is well-formed, also below the threshold.
  const wellFormed = violations.every((v) => v.code === "low-similarity");
  return { success, score: wellFormed ? (similarity ?? 0) : 0, metrics: { similarity }, violations, mode: "static" };
}
