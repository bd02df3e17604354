// Our own cgroup directories: for every hierarchy this process belongs to (each cgroup v1 hierarchy, and the v2
// unified one), the directory of our cgroup in it. Episode cgroups are made directly below these, so they are
// where a sweep looks for a dead run's cgroups.
import { readFileSync } from "node:fs";
import path from "node:path";

interface CgroupMount {
  root: string; // the directory of the hierarchy shown at the mount point ("/" unless a cgroup namespace moved it)
  mountPoint: string;
  v2: boolean;
  controllers: Set<string>; // v1: the controllers (and "name=..." options) of the hierarchy
}

// mountinfo escapes space, tab, newline and backslash in paths as octal.
function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const out: CgroupMount[] = [];
  for (const line of mountinfo.split("\n")) {
    const sep = line.indexOf(" - ");
    if (sep === -1) continue;
    const before = line.slice(0, sep).split(" ");
    const [fstype, , superOptions = ""] = line.slice(sep + 3).split(" ");
    if (fstype !== "cgroup" && fstype !== "cgroup2") continue;
    const root = before[3];
    const mountPoint = before[4];
    if (root === undefined || mountPoint === undefined) continue;
    out.push({
      root: unescapeMountPath(root),
      mountPoint: unescapeMountPath(mountPoint),
      v2: fstype === "cgroup2",
      controllers: new Set(superOptions.split(",")),
    });
  }
  return out;
}

// The directories of the cgroups listed in /proc/<pid>/cgroup text, found through the mounts of mountinfo text.
export function cgroupDirsOf(procCgroup: string, mountinfo: string): string[] {
  const mounts = parseCgroupMounts(mountinfo);
  const dirs = new Set<string>();
  for (const line of procCgroup.split("\n")) {
    const first = line.indexOf(":");
    const second = line.indexOf(":", first + 1);
    if (first === -1 || second === -1) continue;
    const controllers = line.slice(first + 1, second);
    const rel = line.slice(second + 1);
    const wanted = controllers === "" ? [] : controllers.split(",");
    for (const m of mounts) {
      if (controllers === "" ? !m.v2 : m.v2 || !wanted.every((c) => m.controllers.has(c))) continue;
      // Our cgroup is visible through this mount only when it lies inside the mounted part of the hierarchy.
      const inside = path.posix.relative(m.root, rel);
      if (inside.startsWith("..") || path.posix.isAbsolute(inside)) continue;
      dirs.add(path.join(m.mountPoint, inside));
    }
  }
  return [...dirs];
}

// This process's cgroup directories, or [] where there are no cgroups (not Linux, /proc hidden).
export function ownCgroupDirs(): string[] {
  try {
    return cgroupDirsOf(readFileSync("/proc/self/cgroup", "utf8"), readFileSync("/proc/self/mountinfo", "utf8"));
  } catch {
    return [];
  }
}
