// Resident memory of a process tree, for the benchmarks that report the peak of what they start (sandboxes, job
// processes). The tree comes from the sandbox's own /proc reader (src/sandbox/procfs.ts).

import { readFileSync } from "node:fs";
import { descendants } from "../src/sandbox/procfs.js";

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0; // exited while measured
  }
}

// VmRSS summed over every process below `root` (and `root` itself with includeRoot), in KiB.
export function treeRssKb(root: number, opts: { includeRoot: boolean }): number {
  let total = opts.includeRoot ? rssKb(root) : 0;
  for (const p of descendants(root)) total += rssKb(p.pid);
  return total;
}
