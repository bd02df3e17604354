// Schemas of every record hgym reads from disk or from a user (docs/RECORDS.md). Readers check records with these
// (util/jsonl.ts for JSONL files); the TypeScript types of the records are derived from them or checked against
// them in schemas.test.ts, so the two cannot drift.

export * from "./check.js";
export * from "./instance.js";
export * from "./reward.js";
export * from "./rollout.js";
export * from "./run-manifest.js";
export * from "./export-manifest.js";
export * from "./prediction.js";
export * from "./swebench.js";
export * from "./repost.js";
export * from "./code-index.js";
export * from "./gold.js";
