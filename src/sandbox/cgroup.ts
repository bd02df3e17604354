// A per-episode pids cgroup, used when one can be created (root, or delegated cgroup v2). It is what contains a
// fork bomb when hgym runs as root: the kernel exempts uid 0 (which the sandbox user maps to) from RLIMIT_NPROC.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";

export class PidsCgroup {
  private constructor(readonly dir: string) {}

  get procsFile(): string {
    return path.join(this.dir, "cgroup.procs");
  }

  // A new cgroup below ours with pids.max set, or null when this machine does not let us make one.
  static create(maxProcesses: number): PidsCgroup | null {
    for (const base of candidateParents()) {
      const dir = path.join(base, `hgym-${process.pid}-${randomBytes(4).toString("hex")}`);
      try {
        mkdirSync(dir);
      } catch {
        continue;
      }
      try {
        writeFileSync(path.join(dir, "pids.max"), String(maxProcesses));
        return new PidsCgroup(dir);
      } catch {
        try {
          rmdirSync(dir);
        } catch {
          // not ours to worry about further
        }
      }
    }
    return null;
  }

  pids(): number[] {
    try {
      return readFileSync(this.procsFile, "utf8").split("\n").filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  // Removes the cgroup; fails (and returns false) while processes are still in it.
  remove(): boolean {
    try {
      rmdirSync(this.dir);
      return true;
    } catch {
      return !existsSync(this.dir);
    }
  }
}

// Our own cgroup in the v1 pids hierarchy and in the v2 unified hierarchy (when it offers the pids controller).
function candidateParents(): string[] {
  let lines: string[];
  try {
    lines = readFileSync("/proc/self/cgroup", "utf8").split("\n");
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const line of lines) {
    const [, controllers, rel] = line.split(":");
    if (rel === undefined) continue;
    if (controllers?.split(",").includes("pids")) out.push(path.join("/sys/fs/cgroup/pids", rel));
    if (controllers === "") {
      for (const root of ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"]) {
        const dir = path.join(root, rel);
        try {
          if (readFileSync(path.join(dir, "cgroup.subtree_control"), "utf8").split(/\s+/).includes("pids")) out.push(dir);
        } catch {
          // not a v2 hierarchy with pids delegated here
        }
      }
    }
  }
  return out;
}
