// ProcessControl for shells whose processes the host can see in /proc (local and bwrap backends).
import type { ProcessControl } from "./shell.js";
import { blockedReadingStdin, descendants, readProc, signal, stdinTarget } from "./procfs.js";

export class HostProcessControl implements ProcessControl {
  private readonly shellStdin: string | null;

  constructor(private readonly shellHostPid: number) {
    this.shellStdin = stdinTarget(shellHostPid);
  }

  async interrupt(): Promise<void> {
    const info = readProc(this.shellHostPid);
    if (!info) return;
    // The shell leads its own process group (setsid), so the group is the shell plus its foreground commands.
    if (info.pgrp === this.shellHostPid) signal(-this.shellHostPid, "SIGINT");
    else for (const p of [info, ...descendants(this.shellHostPid)]) signal(p.pid, "SIGINT");
  }

  async killCommands(): Promise<void> {
    // Repeat a few times: a dying command may have forked between the scan and the kill.
    for (let round = 0; round < 3; round++) {
      const procs = descendants(this.shellHostPid);
      if (procs.length === 0) return;
      for (const p of procs) signal(p.pid, "SIGKILL");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async waitingForInput(): Promise<boolean> {
    if (this.shellStdin === null) return false;
    const candidates = [this.shellHostPid, ...descendants(this.shellHostPid).map((p) => p.pid)];
    return candidates.some((pid) => stdinTarget(pid) === this.shellStdin && blockedReadingStdin(pid));
  }
}
