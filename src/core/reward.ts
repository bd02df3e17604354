// What a verifier returns, and the names of the task families. Rollout records (agent/, runner/, export/) carry
// both, so they sit below the task families that produce them.

export type TaskName = "func-localize" | "issue-localize" | "dep-search" | "func-gen";

export interface Violation {
  code: string; // machine-readable: "code-changed", "file-created", "parse-error", ...
  message: string; // human-readable reason
  file?: string;
  line?: number;
}

export interface Reward {
  success: boolean;
  score: number; // 0..1 dense score
  metrics: Record<string, number | string | boolean | null>;
  violations: Violation[];
  mode?: string; // e.g. func-gen's "static" | "exec" | "judge"
}
