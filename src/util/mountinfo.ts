// The mounts this process sees (/proc/self/mountinfo), for the parts that make or find overlay workspaces: the
// workspace code (which bases are in use), the leftover sweep (a dead run's mounted workspace must be unmounted
// before its directory can go) and the workspace size check (an overlay workspace holds only its upper dir).
import { spawnSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import path from "node:path";

export interface MountEntry {
  mountPoint: string; // where it is mounted now (follows renames of its parent directories)
  fsType: string;
  superOptions: Map<string, string>; // e.g. lowerdir, upperdir, workdir for overlay (as given at mount time)
}

// mountinfo escapes space, tab, newline and backslash in paths as octal (\040 ...).
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function readMounts(file = "/proc/self/mountinfo"): MountEntry[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const out: MountEntry[] = [];
  for (const line of text.split("\n")) {
    // <id> <parent> <maj:min> <root> <mount point> <options> [optional fields...] - <fstype> <source> <super options>
    const fields = line.split(" ");
    const dash = fields.indexOf("-", 6);
    if (dash === -1 || fields.length < dash + 4) continue;
    const superOptions = new Map<string, string>();
    for (const opt of (fields[dash + 3] ?? "").split(",")) {
      const eq = opt.indexOf("=");
      superOptions.set(eq === -1 ? opt : opt.slice(0, eq), eq === -1 ? "" : unescape(opt.slice(eq + 1)));
    }
    out.push({ mountPoint: unescape(fields[4] ?? ""), fsType: fields[dash + 1] ?? "", superOptions });
  }
  return out;
}

// Mounts at `dir` or anywhere below it, deepest first (the order they can be unmounted in).
export function mountsUnder(dir: string, mounts: MountEntry[] = readMounts()): MountEntry[] {
  const top = path.resolve(dir);
  return mounts
    .filter((m) => m.mountPoint === top || m.mountPoint.startsWith(`${top}/`))
    .sort((a, b) => b.mountPoint.length - a.mountPoint.length);
}

// The overlay mounted exactly at `dir`, if any.
export function overlayAt(dir: string, mounts: MountEntry[] = readMounts()): MountEntry | null {
  let top: string;
  try {
    top = realpathSync(dir); // mountinfo shows real paths
  } catch {
    top = path.resolve(dir);
  }
  return mounts.find((m) => m.fsType === "overlay" && m.mountPoint === top) ?? null;
}

// Unmounts every mount at or below `dir`, detaching lazily when one is busy (a process still has a file open in
// it: the mount disappears from the tree now and is freed when the last user lets go). Synchronous, so it can
// run in an 'exit' handler. Returns the mount points that could not be unmounted.
export function unmountAllUnder(dir: string): string[] {
  const failed: string[] = [];
  for (const m of mountsUnder(dir)) {
    const plain = spawnSync("umount", [m.mountPoint], { stdio: "ignore" });
    if (plain.status === 0) continue;
    const lazy = spawnSync("umount", ["-l", m.mountPoint], { stdio: "ignore" });
    if (lazy.status !== 0) failed.push(m.mountPoint);
  }
  return failed;
}
