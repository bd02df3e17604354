// Finds where the host's python3, node and git really live, so an isolating backend can mount exactly those
// install prefixes (read-only, same path) instead of the directories around them. On this kind of machine python3
// is a pyenv shim under the host home; binding the home would expose everything in it.
// It also lists the package directories inside what is mounted (site-packages, dist-packages, global node_modules):
// the sandbox covers them with an empty directory, so the agent gets the interpreters and their standard libraries
// only. A package installed on the host can be the very repository an instance comes from, and its installed copy
// holds the answer (the original docstring or body) one `grep -r` away. The one exception is pytest and what it
// needs (PYTHON_TEST_TOOLS).
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
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

// Asks the interpreter itself: a pyenv shim or a venv only knows its real home, and its package directories, at
// run time. One path per line: base prefix, executable, then every directory it would import packages from.
const PYTHON_QUERY = [
  "import os, site, sys, sysconfig",
  "print(sys.base_prefix); print(os.path.realpath(sys.executable))",
  "dirs = set(site.getsitepackages()) | {site.getusersitepackages()}",
  "dirs |= {sysconfig.get_path(k) for k in ('purelib', 'platlib')}",
  "dirs |= {p for p in sys.path if p.endswith(('site-packages', 'dist-packages'))}",
  "print('\\n'.join(sorted(d for d in dirs if d)))",
].join("\n");

let pythonInfo: { prefix: ToolPrefix; packageDirs: string[] } | null | undefined;

function queryPython(): { prefix: ToolPrefix; packageDirs: string[] } | null {
  if (pythonInfo !== undefined) return pythonInfo;
  pythonInfo = null;
  const r = spawnSync("python3", ["-c", PYTHON_QUERY], { encoding: "utf8" });
  if (r.status !== 0) return null;
  const [prefix, exe, ...packageDirs] = r.stdout.trim().split("\n");
  if (!prefix || !exe) return null;
  pythonInfo = { prefix: { tool: "python3", prefix: realpathSync(prefix), binDir: path.dirname(exe) }, packageDirs };
  return pythonInfo;
}

function pythonPrefix(): ToolPrefix | null {
  return queryPython()?.prefix ?? null;
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

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

// Every `<base>/python*/{site,dist}-packages` plus the distribution's shared python3/dist-packages.
function systemPythonPackageDirs(): string[] {
  const out = ["/usr/lib/python3/dist-packages", "/usr/local/lib/python3/dist-packages"];
  for (const base of ["/usr/lib", "/usr/local/lib", "/usr/lib64", "/usr/local/lib64"]) {
    let names: string[];
    try {
      names = readdirSync(base);
    } catch {
      continue;
    }
    for (const n of names) if (/^python\d/.test(n)) out.push(path.join(base, n, "site-packages"), path.join(base, n, "dist-packages"));
  }
  return out;
}

// What stays visible in a hidden package directory:
// - node's own package manager and corepack ship with node; everything else in a global node_modules was installed;
// - pytest and what it imports at run time, so agents and func-gen's exec verification can run a repository's
//   tests. This is the one exception to "standard library only": an instance made from one of these projects
//   themselves would find its original installed here.
export const NODE_BUNDLED = ["npm", "corepack"];
export const PYTHON_TEST_TOOLS = ["pytest", "_pytest", "pluggy", "iniconfig", "packaging", "pygments", "exceptiongroup", "tomli", "py"];

// A directory entry that belongs to one of `names`: the package, its module file, or its dist-info/egg-info.
function keptEntry(entry: string, names: string[]): boolean {
  const norm = entry.toLowerCase().replace(/-/g, "_");
  return names.some((n) => norm === n || norm === `${n}.py` || new RegExp(`^${n}_[^_]+\\.(dist|egg)_info$`).test(norm));
}

export interface HiddenDir {
  dir: string; // real path, existing, below a mounted prefix
  keep: string[]; // entries of it mounted back (read-only) over the emptied directory
}

let packageDirsCache: HiddenDir[] | null = null;

// Package directories visible through the mounts (system prefixes and tool prefixes), found once per process.
export function hostPackageDirs(): HiddenDir[] {
  if (packageDirsCache) return packageDirsCache;
  const mounted = [...SYSTEM_PREFIXES, ...extraToolPrefixes().map((t) => t.prefix)];
  const node = binaryPrefix("node");
  const nodeGlobal = ["/usr/lib/node_modules", "/usr/local/lib/node_modules", ...(node ? [path.join(node.prefix, "lib", "node_modules")] : [])];
  // <prefix>/lib/node is on node's own module search path (require.resolve.paths) for globally placed modules.
  const nodeLibs = ["/usr/lib/node", "/usr/local/lib/node", ...(node ? [path.join(node.prefix, "lib", "node")] : [])];
  const pythonDirs = [...(queryPython()?.packageDirs ?? []), ...systemPythonPackageDirs()];
  const real = (p: string): string | null => {
    if (!path.isAbsolute(p) || !existsSync(p) || !isDir(p)) return null;
    const r = realpathSync(p);
    return mounted.some((m) => under(r, m) && r !== m) ? r : null;
  };
  const keepNames = new Map<string, string[]>();
  for (const d of nodeLibs) keepNames.set(real(d) ?? "", []);
  for (const d of pythonDirs) keepNames.set(real(d) ?? "", PYTHON_TEST_TOOLS);
  for (const d of nodeGlobal) keepNames.set(real(d) ?? "", NODE_BUNDLED);
  keepNames.delete("");
  // Outer directories only, so a nested one (a site-packages inside another) is not mounted over twice.
  const all = [...keepNames.keys()].sort();
  packageDirsCache = all
    .filter((p) => !all.some((q) => q !== p && under(p, q)))
    .map((dir) => {
      let entries: string[] = [];
      try {
        entries = readdirSync(dir);
      } catch {
        // unreadable: nothing to keep
      }
      // Symbolic links are not kept: mounting one would show whatever it points to.
      const kept = entries.filter((e) => keptEntry(e, keepNames.get(dir) ?? []) && !lstatSync(path.join(dir, e)).isSymbolicLink());
      return { dir, keep: kept.map((e) => path.join(dir, e)) };
    });
  return packageDirsCache;
}
