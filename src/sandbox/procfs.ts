// Host-side view of process trees through /proc. The local and bwrap backends run the shell as a descendant of a
// process we spawned, so we can signal and inspect the shell's commands from the host without entering the
// sandbox (bwrap's pid namespace hides its processes from each other, not from the host).
import { readFileSync, readdirSync, readlinkSync } from "node:fs";

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  state: string;
}

// Field layout of /proc/<pid>/stat: "pid (comm) state ppid pgrp ...". comm may contain spaces and parentheses,
// so fields are counted from the last ')'.
function parseStat(pid: number, text: string): ProcInfo | null {
  const close = text.lastIndexOf(")");
  if (close < 0) return null;
  const fields = text.slice(close + 2).split(" ");
  const state = fields[0];
  const ppid = Number(fields[1]);
  const pgrp = Number(fields[2]);
  if (state === undefined || !Number.isFinite(ppid) || !Number.isFinite(pgrp)) return null;
  return { pid, ppid, pgrp, state };
}

export function readProc(pid: number): ProcInfo | null {
  try {
    return parseStat(pid, readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return null; // the process is gone
  }
}

export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProc(Number(name));
    if (info) out.push(info);
  }
  return out;
}

// Direct children of `parent` whose command line contains `needle` (e.g. the language servers we started).
export function childrenRunning(parent: number, needle: string): number[] {
  return listProcesses()
    .filter((p) => p.ppid === parent)
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p.pid}/cmdline`, "utf8").includes(needle);
      } catch {
        return false; // the process ended while we looked
      }
    })
    .map((p) => p.pid);
}

// Every descendant of `root` (not including root), from one consistent-enough scan of /proc.
export function descendants(root: number, procs: ProcInfo[] = listProcesses()): ProcInfo[] {
  const children = new Map<number, ProcInfo[]>();
  for (const p of procs) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const out: ProcInfo[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      stack.push(c.pid);
    }
  }
  return out;
}

// The pid a process has in the innermost pid namespace it belongs to (last value of the NSpid line).
export function innermostPid(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const line = status.split("\n").find((l) => l.startsWith("NSpid:"));
    if (!line) return pid; // kernels without NSpid have no nested namespaces to translate
    const last = line.trim().split(/\s+/).pop();
    return last === undefined ? null : Number(last);
  } catch {
    return null;
  }
}

export function pidNamespace(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return null;
  }
}

export function stdinTarget(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/fd/0`);
  } catch {
    return null;
  }
}

// The `read` system call number, needed to recognise "blocked in read(0, ...)" in /proc/<pid>/syscall.
const READ_SYSCALL: Partial<Record<string, number>> = { x64: 0, arm64: 63, riscv64: 63, ia32: 3, arm: 3 };

// True when the process is asleep inside read() on file descriptor 0. /proc/<pid>/syscall is exact but needs
// ptrace rights; wchan ("pipe_read") is the fallback when syscall is unreadable.
export function blockedReadingStdin(pid: number): boolean {
  const info = readProc(pid);
  if (!info || info.state !== "S") return false;
  const nr = READ_SYSCALL[process.arch];
  try {
    const fields = readFileSync(`/proc/${pid}/syscall`, "utf8").trim().split(" ");
    if (nr !== undefined && fields.length >= 2) return Number(fields[0]) === nr && Number(fields[1]) === 0;
  } catch {
    // fall through to wchan
  }
  try {
    const wchan = readFileSync(`/proc/${pid}/wchan`, "utf8");
    return wchan.includes("pipe_read") || wchan.includes("pipe_wait");
  } catch {
    return false;
  }
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone, or not ours to signal: both mean there is nothing more to do
  }
}

export function alive(pid: number): boolean {
  const info = readProc(pid);
  return info !== null && info.state !== "Z" && info.state !== "X";
}
