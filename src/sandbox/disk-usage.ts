// Bytes a directory tree takes on its filesystem (allocated blocks, like `du -s`), without following symlinks or
// leaving the tree. Used to hold an episode's workspace to its size limit.
import { lstatSync, readdirSync } from "node:fs";
import path from "node:path";
import { overlayAt } from "../util/mountinfo.js";

// Stops early once the total passes `stopAbove` (the caller only needs to know it is over).
// An overlay workspace (repo/workspace.ts) counts only its upper dir: what the episode wrote (copied-up files,
// new files, whiteouts of deletions), not the shared read-only base below it.
export function diskUsage(root: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let total = 0;
  const stack = [overlayAt(root)?.superOptions.get("upperdir") ?? root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue; // removed meanwhile, or unreadable: nothing the agent can fill either
    }
    for (const name of entries) {
      const p = path.join(dir, name);
      let st;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      total += st.blocks * 512;
      if (st.isDirectory()) stack.push(p);
    }
    if (total > stopAbove) return total;
  }
  return total;
}
