// The per-episode cgroup: every process of an episode (the shell, its commands, their background children) is put
// in it before bwrap starts, so the limits bind the episode as a whole, not each process:
// - pids.max contains a fork bomb even as root (the kernel exempts uid 0, which the sandbox user maps to, from
//   RLIMIT_NPROC);
// - the memory limit (v1 memory.limit_in_bytes + memory.memsw.limit_in_bytes so swap is no way around it, or v2
//   memory.max + memory.swap.max) covers the episode's processes together, and also the tmpfs pages they write
//   (/tmp, /dev/shm, a workspace on /dev/shm), which the kernel charges to the writer's memory cgroup;
// - CPU accounting (v1 cpuacct.usage, v2 cpu.stat) lets the shell stop a command that used too much CPU time.
// The host may have cgroup v1 hierarchies (one directory per controller), the v2 unified hierarchy (one directory
// for all), or a mix; each controller is taken from wherever this process's own cgroup offers it. Directory names
// start with runPrefix(), so a sweep can tell a dead run's leftover cgroups from a live run's.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runPrefix } from "../core/run-scope.js";

export type Controller = "pids" | "memory" | "cpu";

interface Place {
  dir: string; // the new cgroup's directory
  v2: boolean;
}

export interface CgroupLimits {
  maxProcesses: number;
  memoryBytes: number;
}

export class EpisodeCgroup {
  private constructor(
    readonly name: string,
    private readonly places: Map<Controller, Place>,
  ) {}

  // A new cgroup with the limits set in every controller this machine lets us use; `missing` lists the others.
  static create(limits: CgroupLimits): { cgroup: EpisodeCgroup | null; missing: Controller[] } {
    const name = `${runPrefix()}-ep-${randomBytes(4).toString("hex")}`;
    const places = new Map<Controller, Place>();
    const made: string[] = [];
    const parents = parentCgroups();
    for (const controller of ["pids", "memory", "cpu"] as const) {
      for (const parent of parents.get(controller) ?? []) {
        const dir = path.join(parent.dir, name);
        const existed = made.includes(dir);
        try {
          if (!existed) mkdirSync(dir);
        } catch {
          continue;
        }
        if (!existed) made.push(dir);
        try {
          applyLimit(controller, dir, parent.v2, limits);
          places.set(controller, { dir, v2: parent.v2 });
          break;
        } catch {
          // this parent does not let us set the limit; a directory made for it alone is removed below
        }
      }
    }
    const used = new Set([...places.values()].map((p) => p.dir));
    for (const dir of made) if (!used.has(dir)) tryRmdir(dir);
    const missing = (["pids", "memory", "cpu"] as const).filter((c) => !places.has(c));
    return { cgroup: places.size > 0 ? new EpisodeCgroup(name, places) : null, missing };
  }

  has(controller: Controller): boolean {
    return this.places.has(controller);
  }

  // The v1 memory cgroup's directory (its memory.stat counts pages charged), or null.
  memoryDir(): string | null {
    const m = this.places.get("memory");
    return m && !m.v2 ? m.dir : null;
  }

  // The cgroup.procs files a process writes its pid to, to join (one per distinct directory).
  get procsFiles(): string[] {
    return this.dirs().map((d) => path.join(d, "cgroup.procs"));
  }

  pids(): number[] {
    const all = new Set<number>();
    for (const f of this.procsFiles) {
      try {
        for (const line of readFileSync(f, "utf8").split("\n")) if (line) all.add(Number(line));
      } catch {
        // removed already
      }
    }
    return [...all];
  }

  // Processes the kernel killed because the episode reached its memory limit, so far.
  oomKills(): number {
    const memory = this.places.get("memory");
    return memory ? keyedValue(path.join(memory.dir, memory.v2 ? "memory.events" : "memory.oom_control"), "oom_kill") : 0;
  }

  // fork/clone calls refused because the episode reached its process limit, so far.
  pidsLimitHits(): number {
    const pids = this.places.get("pids");
    return pids ? keyedValue(path.join(pids.dir, "pids.events"), "max") : 0;
  }

  // CPU time used by the episode so far (all its processes, dead ones included).
  cpuSeconds(): number | null {
    const cpu = this.places.get("cpu");
    if (!cpu) return null;
    try {
      if (cpu.v2) return keyedValue(path.join(cpu.dir, "cpu.stat"), "usage_usec", true) / 1e6;
      return Number(readFileSync(path.join(cpu.dir, "cpuacct.usage"), "utf8")) / 1e9;
    } catch {
      return null;
    }
  }

  // Removes the cgroup; false while processes are still in it.
  remove(): boolean {
    let ok = true;
    for (const dir of this.dirs()) if (!tryRmdir(dir)) ok = false;
    return ok;
  }

  private dirs(): string[] {
    return [...new Set([...this.places.values()].map((p) => p.dir))];
  }
}

function applyLimit(controller: Controller, dir: string, v2: boolean, limits: CgroupLimits): void {
  if (controller === "pids") {
    writeFileSync(path.join(dir, "pids.max"), String(limits.maxProcesses));
  } else if (controller === "memory") {
    const bytes = String(Math.floor(limits.memoryBytes));
    if (v2) {
      writeFileSync(path.join(dir, "memory.max"), bytes);
      if (existsSync(path.join(dir, "memory.swap.max"))) writeFileSync(path.join(dir, "memory.swap.max"), "0");
    } else {
      writeFileSync(path.join(dir, "memory.limit_in_bytes"), bytes);
      // memory+swap may not be lower than memory, so it is set second; absent when swap accounting is off.
      if (existsSync(path.join(dir, "memory.memsw.limit_in_bytes"))) writeFileSync(path.join(dir, "memory.memsw.limit_in_bytes"), bytes);
    }
  } else if (!existsSync(path.join(dir, v2 ? "cpu.stat" : "cpuacct.usage"))) {
    throw new Error("no CPU accounting here");
  }
}

// `key N` from a flat keyed file (memory.events, pids.events, cpu.stat...); 0 when absent or unreadable.
function keyedValue(file: string, key: string, strict = false): number {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (strict) throw err;
    return 0;
  }
  for (const line of text.split("\n")) {
    const [k, v] = line.split(" ");
    if (k === key) return Number(v) || 0;
  }
  return 0;
}

function tryRmdir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch {
    return !existsSync(dir);
  }
}

interface Parent {
  dir: string;
  v2: boolean;
}

// For each controller, the directories of our own cgroup that offer it: the v1 hierarchy it is mounted in, and the
// v2 unified hierarchy when the controller is enabled for our children there (cgroup.subtree_control).
function parentCgroups(): Map<Controller, Parent[]> {
  const out = new Map<Controller, Parent[]>();
  const add = (c: Controller, p: Parent): void => {
    out.set(c, [...(out.get(c) ?? []), p]);
  };
  let own: string[];
  let mounts: string[];
  try {
    own = readFileSync("/proc/self/cgroup", "utf8").split("\n");
    mounts = readFileSync("/proc/self/mountinfo", "utf8").split("\n");
  } catch {
    return out;
  }
  // mountinfo: "id parent major:minor root mountpoint options... - fstype source superoptions"
  const v1Mounts: { root: string; point: string; controllers: string[] }[] = [];
  const v2Mounts: { root: string; point: string }[] = [];
  for (const line of mounts) {
    const [pre, post] = line.split(" - ");
    if (!pre || !post) continue;
    const f = pre.split(" ");
    const [fstype, , superOptions] = post.split(" ");
    const root = f[3];
    const point = f[4];
    if (root === undefined || point === undefined) continue;
    if (fstype === "cgroup") v1Mounts.push({ root, point, controllers: (superOptions ?? "").split(",") });
    if (fstype === "cgroup2") v2Mounts.push({ root, point });
  }
  const under = (root: string, rel: string): string | null =>
    rel === root || rel.startsWith(root === "/" ? "/" : root + "/") ? (root === "/" ? rel : rel.slice(root.length) || "/") : null;
  for (const line of own) {
    const first = line.indexOf(":");
    const second = line.indexOf(":", first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const rel = line.slice(second + 1);
    if (controllers === "") {
      for (const m of v2Mounts) {
        const r = under(m.root, rel);
        if (r === null) continue;
        const dir = path.join(m.point, r);
        let enabled: string[];
        try {
          enabled = readFileSync(path.join(dir, "cgroup.subtree_control"), "utf8").trim().split(/\s+/);
        } catch {
          continue;
        }
        if (enabled.includes("pids")) add("pids", { dir, v2: true });
        if (enabled.includes("memory")) add("memory", { dir, v2: true });
        add("cpu", { dir, v2: true }); // cpu.stat's usage_usec exists in every v2 cgroup
      }
      continue;
    }
    const names = controllers.split(",");
    for (const m of v1Mounts) {
      if (!names.every((n) => m.controllers.includes(n))) continue;
      const r = under(m.root, rel);
      if (r === null) continue;
      const dir = path.join(m.point, r);
      if (names.includes("pids")) add("pids", { dir, v2: false });
      if (names.includes("memory")) add("memory", { dir, v2: false });
      if (names.includes("cpuacct")) add("cpu", { dir, v2: false });
    }
  }
  // v1 first: on a mixed host the controllers live there, and the unified hierarchy only offers cpu.stat.
  for (const [c, list] of out) out.set(c, [...list.filter((p) => !p.v2), ...list.filter((p) => p.v2)]);
  return out;
}
