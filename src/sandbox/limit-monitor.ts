// Checks an episode against the limits the kernel does not report to the command itself, around every command, and
// tells the agent what happened:
// - memory: the cgroup's OOM-kill counter rose, so a process was killed because the episode as a whole (its
//   processes, and the tmpfs files they wrote) reached memoryBytes;
// - processes: the cgroup refused a fork (pids.max reached). A fork bomb returns at once and keeps the episode
//   full, so every later command would fail to fork: the shell is reset, which kills the episode's whole pid
//   namespace at once (the only kill a fork bomb cannot outrun);
// - workspace size: the workspace is a host directory bound into the sandbox, usually on /dev/shm, which no
//   filesystem limit of ours covers (a per-episode mount on the host would outlive a kill -9 of hgym, and the
//   host reads the directory between commands). So its disk use is measured after each command and the agent is
//   told when it is over workspaceBytes; if it is still over after the next command the episode is closed. A single
//   file cannot pass the limit at all (RLIMIT_FSIZE), and tmpfs writes also count against the memory cgroup, so a
//   command cannot fill the host while it runs. Walking a large repository costs 10-500 ms, so the walk is skipped
//   while the cgroup's count of pages charged since the last walk (memory.stat pgpgin, which only grows: anonymous,
//   page-cache and tmpfs pages alike) cannot have taken the workspace over the limit. Without that counter (no v1
//   memory cgroup, docker) walks are spaced so they take at most a tenth of the time: a check that can be one
//   command late, instead of a per-step cost that grows with the repository.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { EpisodeCgroup } from "./cgroup.js";
import { diskUsage } from "./disk-usage.js";
import type { SandboxLimits } from "./types.js";

export interface MonitorVerdict {
  notes: string[];
  resetShell: boolean; // kill everything the episode runs and start a fresh shell
  closeEpisode: boolean;
}

const PAGE = 4096;

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}

export class LimitMonitor {
  private oomKills = 0;
  private pidsHits = 0;
  private workspaceBytes = 0;
  private chargedAtWalk: number | null = null;
  private overWorkspace = false;
  private walkEndedAt = 0;
  private walkMs = 0;

  constructor(
    private readonly cgroup: EpisodeCgroup | null,
    private readonly hostWorkspace: string,
    private readonly limits: SandboxLimits,
    // Without a charged-pages counter, the time between walks is at least this many times the last walk's.
    private readonly walkSpacing = 9,
  ) {
    this.resync();
    this.walkWorkspace();
  }

  // Before a command: a fork bomb started by the previous command may have filled the episode since it returned.
  before(): MonitorVerdict {
    const verdict: MonitorVerdict = { notes: [], resetShell: false, closeEpisode: false };
    this.checkProcesses(verdict, "since the previous command");
    return verdict;
  }

  after(): MonitorVerdict {
    const verdict: MonitorVerdict = { notes: [], resetShell: false, closeEpisode: false };
    if (this.cgroup) {
      const oomKills = this.cgroup.oomKills();
      if (oomKills > this.oomKills) {
        verdict.notes.push(
          `[${oomKills - this.oomKills === 1 ? "A process was" : `${oomKills - this.oomKills} processes were`} killed (SIGKILL) because the episode reached its memory limit of ${mib(this.limits.memoryBytes)}, ` +
            "which all its processes share, together with the files in /tmp, /dev/shm and a workspace kept in memory.]",
        );
      }
      this.oomKills = oomKills;
    }
    this.checkProcesses(verdict, "during the command");
    this.checkWorkspace(verdict);
    return verdict;
  }

  // After the shell was reset, what the reset itself did (kills, refused forks while dying) is not news.
  resync(): void {
    if (this.cgroup) {
      this.oomKills = this.cgroup.oomKills();
      this.pidsHits = this.cgroup.pidsLimitHits();
    }
  }

  private checkProcesses(verdict: MonitorVerdict, when: string): void {
    if (!this.cgroup) return;
    const pidsLimitHits = this.cgroup.pidsLimitHits();
    if (pidsLimitHits > this.pidsHits) {
      verdict.resetShell = true;
      verdict.notes.push(
        `[The episode reached its limit of ${this.limits.maxProcesses} processes ${when} (a fork bomb, or too many parallel jobs), so all its processes were killed.]`,
      );
    }
    this.pidsHits = pidsLimitHits;
  }

  private charged(): number | null {
    const dir = this.cgroup?.memoryDir();
    if (!dir) return null;
    try {
      const m = /^pgpgin (\d+)$/m.exec(readFileSync(path.join(dir, "memory.stat"), "utf8"));
      return m ? Number(m[1]) * PAGE : null;
    } catch {
      return null;
    }
  }

  private walkWorkspace(): void {
    const started = performance.now();
    this.chargedAtWalk = this.charged();
    this.workspaceBytes = diskUsage(this.hostWorkspace, this.limits.workspaceBytes);
    this.walkEndedAt = performance.now();
    this.walkMs = this.walkEndedAt - started;
  }

  private checkWorkspace(verdict: MonitorVerdict): void {
    const charged = this.charged();
    if (charged === null || this.chargedAtWalk === null) {
      if (!this.overWorkspace && performance.now() - this.walkEndedAt < this.walkSpacing * this.walkMs) return;
    } else if (!this.overWorkspace && this.workspaceBytes + (charged - this.chargedAtWalk) <= this.limits.workspaceBytes) {
      return;
    }
    this.walkWorkspace();
    if (this.workspaceBytes <= this.limits.workspaceBytes) {
      this.overWorkspace = false;
      return;
    }
    if (this.overWorkspace) {
      verdict.closeEpisode = true;
      verdict.notes.push(`[The workspace still holds more than its limit of ${mib(this.limits.workspaceBytes)}, so the episode was closed.]`);
      return;
    }
    this.overWorkspace = true;
    verdict.notes.push(
      `[The workspace now holds more than its limit of ${mib(this.limits.workspaceBytes)}. Remove files to get under it: ` +
        "if it is still over the limit after the next command, the episode is closed.]",
    );
  }
}
