// Which sandbox func-gen exec tests run in, from HGYM_VERIFY_SANDBOX (bwrap, docker, local or auto, the default).
// Apart from verify-context.ts so commands can read it without loading the model client.

import { UserError } from "../core/errors.js";
import type { SandboxBackend } from "../sandbox/types.js";

const BACKENDS: readonly (SandboxBackend | "auto")[] = ["auto", "bwrap", "docker", "local"];

export function verifySandboxBackend(env: NodeJS.ProcessEnv): SandboxBackend | "auto" {
  const value = (env.HGYM_VERIFY_SANDBOX ?? "").trim();
  if (value === "") return "auto";
  if (!(BACKENDS as readonly string[]).includes(value)) {
    throw new UserError(`HGYM_VERIFY_SANDBOX=${JSON.stringify(value)} is not a sandbox backend: set it to ${BACKENDS.join(", ")} (or unset it for auto)`);
  }
  return value as SandboxBackend | "auto";
}
