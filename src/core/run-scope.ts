// Names for what a run creates on the host (workspaces, temp dirs, cgroups), so that a later sweep can tell a dead
// run's leftovers from a live run's. A run is identified by its pid and the kernel's start time of that pid: a pid
// alone is reused, the pair is not (until a reboot, after which tmpfs leftovers are gone anyway). The pid
// namespace is part of the name too: a pid means nothing outside its namespace, so a run from another namespace
// that shares a directory or a cgroup with us (a container with its own pids) is never judged dead from here.
import { readFileSync, readlinkSync } from "node:fs";

export interface RunId {
  pid: number;
  start: number; // start time in clock ticks since boot (/proc/<pid>/stat, field 22)
  pidns: number; // inode of the run's pid namespace (/proc/<pid>/ns/pid)
}

// The start time of a live process, or null when there is no such process.
export function processStartTicks(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are fixed.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const start = Number(fields[19]); // field 22 overall; fields[0] is field 3
  return Number.isFinite(start) ? start : null;
}

// The inode of a process's pid namespace ("self" for ours), or 0 when the kernel does not show it.
export function pidNamespaceInode(pid: number | "self"): number {
  try {
    const m = /^pid:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/ns/pid`));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

let current: RunId | null = null;

export function currentRun(): RunId {
  current ??= { pid: process.pid, start: processStartTicks(process.pid) ?? 0, pidns: pidNamespaceInode("self") };
  return current;
}

// "hgym-<pid>.<start>.<pidns>": the prefix of every host path or cgroup name this process creates. What follows
// it in a name starts with "-", "_" or "/".
export function runPrefix(run: RunId = currentRun()): string {
  return `hgym-${run.pid}.${run.start}.${run.pidns}`;
}

// The run a name made by runPrefix() belongs to, or null for any other name.
export function parseRunPrefix(name: string): RunId | null {
  const m = /^hgym-(\d{1,10})\.(\d{1,20})\.(\d{1,20})(?:$|[-_/])/.exec(name);
  if (!m) return null;
  const run = { pid: Number(m[1]), start: Number(m[2]), pidns: Number(m[3]) };
  return Number.isSafeInteger(run.pid) && Number.isSafeInteger(run.start) && Number.isSafeInteger(run.pidns) ? run : null;
}

// True while the process that made the name still runs (same pid and same start time), and for any run of another
// pid namespace, whose processes cannot be looked up from here.
export function isRunAlive(run: RunId): boolean {
  if (run.pidns !== currentRun().pidns) return true;
  return processStartTicks(run.pid) === run.start;
}
