// The Episode every backend returns: a PersistentShell plus hostPath, the episode wall-time limit and teardown.
import { realpathSync } from "node:fs";
import { resolveHostPath } from "./host-path.js";
import { PersistentShell, type ShellHost } from "./shell.js";
import type { CommandResult, Episode, RunOptions, SandboxBackend, SandboxLimits } from "./types.js";

export class ShellEpisode implements Episode {
  private readonly shell: PersistentShell;
  private readonly realWorkspace: string;
  private readonly wallTimer: NodeJS.Timeout;
  private closing: Promise<void> | null = null;
  private expired = false;

  constructor(
    readonly backend: SandboxBackend,
    readonly workspacePath: string,
    hostWorkspace: string,
    host: ShellHost,
    private readonly limits: SandboxLimits,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {
    this.realWorkspace = realpathSync(hostWorkspace);
    this.shell = new PersistentShell(host, {
      maxOutputBytes: limits.maxOutputBytes,
      commandTimeoutMs: limits.commandTimeoutMs,
    });
    this.wallTimer = setTimeout(() => {
      this.expired = true;
      void this.close();
    }, limits.episodeTimeoutMs);
    this.wallTimer.unref(); // an open episode must not keep the process alive on its own
  }

  async start(): Promise<void> {
    try {
      await this.shell.start();
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  async run(command: string, opts?: RunOptions): Promise<CommandResult> {
    if (this.expired) {
      return {
        output: `[The episode time limit (${Math.round(this.limits.episodeTimeoutMs / 1000)} s) was reached and the sandbox was closed.]`,
        exitCode: null,
        timedOut: true,
        durationMs: 0,
      };
    }
    return this.shell.run(command, opts);
  }

  hostPath(agentPath: string): string | null {
    return resolveHostPath(this.realWorkspace, this.workspacePath, agentPath);
  }

  close(): Promise<void> {
    if (!this.closing) {
      clearTimeout(this.wallTimer);
      this.closing = this.shell.close().finally(() => this.onClose());
    }
    return this.closing;
  }
}
