// Default episode limits and the merge of caller overrides into them.
import type { SandboxLimits } from "./types.js";

export const DEFAULT_LIMITS: SandboxLimits = {
  commandTimeoutMs: 120_000,
  episodeTimeoutMs: 30 * 60_000,
  memoryBytes: 4 * 1024 ** 3,
  maxProcesses: 512,
  maxOutputBytes: 1024 * 1024,
};

export function resolveLimits(overrides: Partial<SandboxLimits> | undefined): SandboxLimits {
  const limits: SandboxLimits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(overrides ?? {}) as [keyof SandboxLimits, number | undefined][]) {
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(`sandbox limit ${key} must be a positive number, got ${value}`);
    }
    limits[key] = value;
  }
  return limits;
}

// Variables every backend sets so tools behave non-interactively and print plain text.
export function baseShellEnv(home: string): Record<string, string> {
  return {
    TERM: "dumb",
    PAGER: "cat",
    GIT_PAGER: "cat",
    MANPAGER: "cat",
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    HOME: home,
    PS1: "",
    PYTHONUNBUFFERED: "1",
    GIT_TERMINAL_PROMPT: "0",
    DEBIAN_FRONTEND: "noninteractive",
  };
}
