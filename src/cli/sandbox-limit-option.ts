// `--sandbox-limit NAME=VALUE` (repeatable), shared by the commands that start sandbox episodes.

import { InvalidArgumentError } from "commander";
import { parseLimitSetting } from "../sandbox/limits.js";
import type { SandboxLimits } from "../sandbox/types.js";

export function sandboxLimitOption(v: string, prev: Partial<SandboxLimits> | undefined): Partial<SandboxLimits> {
  try {
    const [name, value] = parseLimitSetting(v);
    return { ...prev, [name]: value };
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}
