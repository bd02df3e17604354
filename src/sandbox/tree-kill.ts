// Kill a process, its process group and all its descendants, and wait until they are really gone. Descendants
// are collected before anything dies (orphans get re-parented away from the tree) and killed before the root,
// so each dead child is reaped by a parent that is still alive instead of lingering as a zombie of pid 1.
import { alive, descendants, signal } from "./procfs.js";

export async function killTree(rootPid: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<number>();
  const pause = () => new Promise((r) => setTimeout(r, 10));
  // Phase 1: everything below the root (re-scanned, since dying parents may have just forked).
  while (Date.now() < deadline) {
    for (const p of descendants(rootPid)) seen.add(p.pid);
    const left = [...seen].filter((pid) => alive(pid));
    if (left.length === 0) break;
    for (const pid of left) signal(pid, "SIGKILL");
    await pause();
  }
  // Phase 2: the root and anything still in its process group.
  while (true) {
    signal(-rootPid, "SIGKILL");
    signal(rootPid, "SIGKILL");
    for (const pid of seen) signal(pid, "SIGKILL");
    const left = [rootPid, ...seen].filter((pid) => alive(pid));
    if (left.length === 0) return true;
    if (Date.now() >= deadline) return false;
    await pause();
  }
}
