// The trajectory analysis behind `hgym analyze` and the viewer: every action of every rollout classified into a
// component by a documented rule table, loops and failed edits found, each failure attributed to one cause, and
// the numbers aggregated per task, teacher and outcome. The rules and their order: docs/ANALYSIS.md.

export * from "./types.js";
export { classifyAction, BUILTIN_RULES } from "./classify.js";
export { analyzeRuns, analyzeRecord } from "./analyze.js";
