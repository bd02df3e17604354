// The Episode every backend returns: a PersistentShell plus hostPath, the episode wall-time limit, the checks of
// the episode-wide limits around each command (LimitMonitor, when the backend has a cgroup) and teardown.
import { realpathSync } from "node:fs";
import { resolveHostPath } from "./host-path.js";
import type { LimitMonitor, MonitorVerdict } from "./limit-monitor.js";
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
    private readonly monitor: LimitMonitor | null = null,
    cpuSeconds?: () => number | null,
  ) {
    this.realWorkspace = realpathSync(hostWorkspace);
    this.shell = new PersistentShell(host, {
      maxOutputBytes: limits.maxOutputBytes,
      commandTimeoutMs: limits.commandTimeoutMs,
      // Where a restarted shell starts, as the agent sees it (the local backend runs in the host directory itself).
      workspacePath: backend === "local" ? this.realWorkspace : workspacePath,
      cpuSecondsPerCommand: limits.cpuSecondsPerCommand,
      cpuSeconds,
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
    if (!this.monitor) return this.shell.run(command, opts);
    const before = await this.apply(this.monitor.before());
    const r = await this.shell.run(command, opts);
    const after = await this.apply(this.monitor.after());
    if (before.length === 0 && after.length === 0) return r;
    const parts = [...before, r.output, ...after].filter((s) => s !== "");
    return { ...r, output: parts.map((s, i) => (s.endsWith("\n") || i === parts.length - 1 ? s : `${s}\n`)).join("") };
  }

  private async apply(verdict: MonitorVerdict): Promise<string[]> {
    const notes = [...verdict.notes];
    if (verdict.closeEpisode) {
      await this.close();
    } else if (verdict.resetShell) {
      await this.shell.reset();
      this.monitor?.resync();
      notes.push(`[A new shell was started in ${this.workspacePath}: environment variables, the working directory and background processes were reset (files are kept).]`);
    }
    return notes;
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
