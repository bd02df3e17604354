// Default episode limits and the merge of caller overrides into them.
import type { SandboxLimits } from "./types.js";

export const DEFAULT_LIMITS: SandboxLimits = {
  commandTimeoutMs: 120_000,
  episodeTimeoutMs: 30 * 60_000,
  memoryBytes: 4 * 1024 ** 3,
  maxProcesses: 512,
  maxOutputBytes: 1024 * 1024,
  tmpBytes: 512 * 1024 ** 2,
  workspaceBytes: 2 * 1024 ** 3,
  // Twice the command timeout: a single-threaded command meets the wall-time limit first, a parallel build the CPU one.
  cpuSecondsPerCommand: 240,
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

const UNITS: Record<string, number> = { "": 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 };

// One limit from the command line, "name=value": e.g. memoryBytes=8GiB, tmpBytes=256MiB, maxProcesses=1024,
// cpuSecondsPerCommand=600. Byte limits take a K/M/G (KiB/MiB/GiB, powers of 1024) suffix. Throws a message
// naming the problem and the accepted names.
export function parseLimitSetting(text: string): [keyof SandboxLimits, number] {
  const names = Object.keys(DEFAULT_LIMITS) as (keyof SandboxLimits)[];
  const eq = text.indexOf("=");
  const name = text.slice(0, eq).trim() as keyof SandboxLimits;
  if (eq < 0 || !names.includes(name)) {
    throw new Error(`sandbox limit "${text}" must be NAME=VALUE with NAME one of ${names.join(", ")}`);
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text.slice(eq + 1));
  const unit = m?.[2]?.toLowerCase() ?? "";
  const factor = name.endsWith("Bytes") ? UNITS[unit] : unit === "" ? 1 : undefined;
  if (!m || factor === undefined || Number(m[1]) <= 0) {
    const hint = name.endsWith("Bytes") ? "a positive number of bytes, optionally with K, M or G (e.g. 512M)" : "a positive number";
    throw new Error(`sandbox limit ${name}: "${text.slice(eq + 1)}" is not ${hint}`);
  }
  return [name, Math.floor(Number(m[1]) * factor)];
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
