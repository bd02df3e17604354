// Entry point of the sandbox module: pick a backend by name, or the best available one for "auto".
import { UserError } from "../core/errors.js";
import { BwrapSandbox } from "./bwrap.js";
import { DockerSandbox } from "./docker.js";
import { LocalSandbox } from "./local.js";
import type { Sandbox, SandboxBackend } from "./types.js";

export { DEFAULT_LIMITS } from "./limits.js";
export type * from "./types.js";

export function createSandbox(backend: SandboxBackend | "auto"): Sandbox {
  switch (backend) {
    case "local":
      return new LocalSandbox();
    case "bwrap":
      return new BwrapSandbox();
    case "docker":
      return new DockerSandbox();
    case "auto":
      return new AutoSandbox();
    default:
      throw new UserError(`unknown sandbox backend ${JSON.stringify(backend)}: use bwrap, docker, local or auto`);
  }
}

// Resolves to bwrap (Linux) or docker on first use; the choice is made once and then fixed.
class AutoSandbox implements Sandbox {
  private chosen: Sandbox | null = null;
  private reasons: string[] = [];

  get backend(): SandboxBackend {
    return this.chosen?.backend ?? (process.platform === "linux" ? "bwrap" : "docker");
  }

  private async choose(): Promise<Sandbox | null> {
    if (this.chosen) return this.chosen;
    this.reasons = [];
    const candidates: Sandbox[] = process.platform === "linux" ? [new BwrapSandbox(), new DockerSandbox()] : [new DockerSandbox()];
    for (const c of candidates) {
      const a = await c.available();
      if (a.ok) {
        this.chosen = c;
        return c;
      }
      this.reasons.push(`${c.backend}: ${a.reason}`);
    }
    return null;
  }

  async available(): Promise<{ ok: true } | { ok: false; reason: string }> {
    return (await this.choose()) ? { ok: true } : { ok: false, reason: this.explain() };
  }

  async start(opts: Parameters<Sandbox["start"]>[0]) {
    const s = await this.choose();
    if (!s) throw new UserError(this.explain());
    return s.start(opts);
  }

  private explain(): string {
    return (
      `no isolating sandbox is available (${this.reasons.join("; ")}). Install bubblewrap (\`apt-get install bubblewrap\`) ` +
      "or start a Docker daemon, or pass `--sandbox local` to run agent commands without isolation (tests/development only)."
    );
  }
}
