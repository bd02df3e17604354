// Finds where the host's python3, node and git really live, so an isolating backend can mount exactly those
// install prefixes (read-only, same path) instead of the directories around them. On this kind of machine python3
// is a pyenv shim under the host home; binding the home would expose everything in it.
import { spawnSync } from "node:child_process";
import { realpathSync } from "node:fs";
import path from "node:path";

// Directories the sandbox always mounts, so tools found under them need nothing extra.
export const SYSTEM_PREFIXES = ["/usr", "/bin", "/lib", "/lib64", "/sbin"];

export interface ToolPrefix {
  tool: string;
  prefix: string; // install root to bind read-only at the same path
  binDir: string; // goes to the front of PATH inside the sandbox
}

function under(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir + "/");
}

function which(tool: string): string | null {
  const r = spawnSync("bash", ["--noprofile", "--norc", "-c", `command -v ${tool}`], { encoding: "utf8" });
  const out = r.stdout.trim();
  return r.status === 0 && out.startsWith("/") ? out : null;
}

function pythonPrefix(): ToolPrefix | null {
  // Ask the interpreter itself: a pyenv shim or a venv only knows its real home at run time.
  const r = spawnSync("python3", ["-c", "import sys, os; print(sys.base_prefix); print(os.path.realpath(sys.executable))"], {
    encoding: "utf8",
  });
  if (r.status !== 0) return null;
  const [prefix, exe] = r.stdout.trim().split("\n");
  if (!prefix || !exe) return null;
  const realPrefix = realpathSync(prefix);
  return { tool: "python3", prefix: realPrefix, binDir: path.dirname(exe) };
}

function binaryPrefix(tool: string): ToolPrefix | null {
  const found = which(tool);
  if (!found) return null;
  const real = realpathSync(found);
  // <prefix>/bin/<tool> is the layout of node tarballs, nvm, volta, Homebrew and source installs.
  const binDir = path.dirname(real);
  return { tool, prefix: path.dirname(binDir), binDir };
}

let cached: ToolPrefix[] | null = null;

// Tool prefixes outside the system directories (already mounted), found once per process.
export function extraToolPrefixes(): ToolPrefix[] {
  if (cached) return cached;
  const found = [pythonPrefix(), binaryPrefix("node"), binaryPrefix("git")].filter((t): t is ToolPrefix => t !== null);
  cached = found.filter((t) => !SYSTEM_PREFIXES.some((d) => under(t.prefix, d)) && t.prefix !== "/");
  return cached;
}
