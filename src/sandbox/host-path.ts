// Maps a path the agent gave to the host file behind it, refusing anything that leaves the workspace, whether
// through `..` or through a symlink (the editor tool works on the host, where an outward symlink would reach
// real host files).
import { lstatSync, realpathSync } from "node:fs";
import path from "node:path";

export function resolveHostPath(realWorkspace: string, workspacePath: string, agentPath: string): string | null {
  if (agentPath.includes("\0")) return null;
  const inSandbox = path.posix.resolve(workspacePath, agentPath);
  let rel: string;
  if (inSandbox === workspacePath) rel = "";
  else if (inSandbox.startsWith(workspacePath + "/")) rel = inSandbox.slice(workspacePath.length + 1);
  else return null;

  // Find the longest prefix that exists (as an entry: a dangling symlink exists too), resolve it for real, and
  // append the parts that do not exist yet (they cannot be symlinks).
  const parts = rel === "" ? [] : rel.split("/");
  let existing = parts.length;
  while (existing > 0) {
    try {
      lstatSync(path.join(realWorkspace, ...parts.slice(0, existing)));
      break;
    } catch {
      existing--;
    }
  }
  let resolvedPrefix: string;
  try {
    resolvedPrefix = realpathSync(path.join(realWorkspace, ...parts.slice(0, existing)));
  } catch {
    return null; // a dangling symlink: its target is unknown territory, so refuse rather than write through it
  }
  const full = path.join(resolvedPrefix, ...parts.slice(existing));
  if (full !== realWorkspace && !full.startsWith(realWorkspace + path.sep)) return null;
  return full;
}
