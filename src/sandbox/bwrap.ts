// The `bwrap` backend (default on Linux): bubblewrap puts the shell in fresh user, pid, network, ipc, uts and
// cgroup namespaces with a filesystem made only of read-only system directories, the tools' install prefixes
// with their package directories emptied (toolchain.ts), a private size-limited /tmp and the workspace (the one
// writable host path). The host home, snapshot store, instance files, installed packages and network are simply
// not there. The whole episode runs in one cgroup (cgroup.ts) holding its memory, processes and CPU time.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runPrefix } from "../core/run-scope.js";
import { EpisodeCgroup, type Controller } from "./cgroup.js";
import { ShellEpisode } from "./episode.js";
import { atExit, sleepSync } from "./exit-cleanup.js";
import { HostProcessControl } from "./host-control.js";
import { baseShellEnv, resolveLimits } from "./limits.js";
import { LimitMonitor } from "./limit-monitor.js";
import { checkEpisodeOptions } from "./local.js";
import { descendants, innermostPid, listProcesses, pidNamespace, readProc, signal } from "./procfs.js";
import type { ShellHost } from "./shell.js";
import { extraToolPrefixes, hostPackageDirs } from "./toolchain.js";
import { killTree } from "./tree-kill.js";
import type { Episode, EpisodeOptions, Sandbox, SandboxLimits } from "./types.js";

const SANDBOX_UID = 1000;
const SANDBOX_HOME = "/tmp/home";

// /etc entries tools need (dynamic linker, certificates, locale/time, git and python defaults). Everything else in
// /etc stays hidden: package-manager tokens (npmrc, pip.conf), shadow files, host names and the resolver.
const ETC_ENTRIES = [
  "ld.so.cache",
  "ld.so.conf",
  "ld.so.conf.d",
  "alternatives",
  "ssl/certs", // not /etc/ssl as a whole: ssl/private holds host keys, and the sandbox user maps to their owner
  "ssl/openssl.cnf",
  "ca-certificates",
  "ca-certificates.conf",
  "localtime",
  "timezone",
  "nsswitch.conf",
  "mime.types",
  "gitconfig",
  "inputrc",
  "python3",
  "python3.11",
  "magic",
  "magic.mime",
];

function findBwrap(): string | null {
  for (const p of ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"]) if (existsSync(p)) return p;
  const r = spawnSync("bash", ["--noprofile", "--norc", "-c", "command -v bwrap"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

// Root-level system directories: merged-/usr systems have symlinks (/bin -> usr/bin), others real directories.
function systemMountArgs(): string[] {
  const args = ["--ro-bind", "/usr", "/usr"];
  for (const dir of ["/bin", "/lib", "/lib64", "/sbin", "/lib32", "/libx32"]) {
    let st;
    try {
      st = lstatSync(dir);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else if (st.isDirectory()) args.push("--ro-bind", dir, dir);
  }
  for (const entry of ETC_ENTRIES) {
    const p = path.join("/etc", entry);
    if (existsSync(p)) args.push("--ro-bind", p, p);
  }
  return args;
}

// passwd/group/hosts written for the sandbox, so name lookups work without showing the host's accounts.
function writeIdentityFiles(dir: string): string[] {
  const files: Record<string, string> = {
    passwd: `root:x:0:0:root:/root:/bin/bash\nagent:x:${SANDBOX_UID}:${SANDBOX_UID}:agent:${SANDBOX_HOME}:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
    group: `root:x:0:\nagent:x:${SANDBOX_UID}:\nnogroup:x:65534:\n`,
    hosts: "127.0.0.1 localhost sandbox\n::1 localhost ip6-localhost\n",
    hostname: "sandbox\n",
  };
  const args: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), content);
    args.push("--ro-bind", path.join(dir, name), `/etc/${name}`);
  }
  return args;
}

// Each package directory under a mounted prefix is covered by an empty read-only directory, or, when some of its
// entries stay visible (toolchain.ts says which), by a read-only tmpfs holding only those, mounted back.
function packageHidingArgs(emptyDir: string): string[] {
  const args: string[] = [];
  for (const { dir, keep } of hostPackageDirs()) {
    if (keep.length === 0) {
      args.push("--ro-bind", emptyDir, dir);
      continue;
    }
    args.push("--tmpfs", dir);
    for (const p of keep) args.push("--ro-bind", p, p);
    args.push("--remount-ro", dir);
  }
  return args;
}

export interface BwrapExtras {
  // Per-process RLIMIT_CPU, only when no cgroup measures the CPU time of a command as a whole.
  cpuRlimit: boolean;
}

export function bwrapArgs(opts: EpisodeOptions, limits: SandboxLimits, identityDir: string, extras: BwrapExtras = { cpuRlimit: false }): string[] {
  const tools = extraToolPrefixes();
  const emptyDir = path.join(identityDir, "empty");
  mkdirSync(emptyDir, { recursive: true });
  const args = [
    "--unshare-all", // user, pid, net, ipc, uts, cgroup
    "--die-with-parent",
    "--new-session",
    "--uid", String(SANDBOX_UID),
    "--gid", String(SANDBOX_UID),
    "--hostname", "sandbox",
    ...systemMountArgs(),
    ...writeIdentityFiles(identityDir),
  ];
  for (const t of tools) args.push("--ro-bind", t.prefix, t.prefix);
  args.push(...packageHidingArgs(emptyDir));
  const sized = (dir: string): string[] => (tmpSizeSupported ? ["--size", String(Math.floor(limits.tmpBytes)), "--tmpfs", dir] : ["--tmpfs", dir]);
  args.push(
    "--proc", "/proc",
    "--dev", "/dev",
    // --dev's own tmpfs has no size, so it is made read-only; /dev/shm (POSIX shared memory, multiprocessing)
    // gets a size like /tmp.
    ...sized("/dev/shm"),
    "--remount-ro", "/dev",
    ...sized("/tmp"),
    "--dir", SANDBOX_HOME,
    "--bind", realpathSync(opts.hostWorkspace), opts.workspacePath,
    "--remount-ro", "/",
    "--chdir", opts.workspacePath,
    "--",
    // Second lines behind the episode cgroup: RLIMIT_AS stops a single process reserving more than the whole
    // episode may use (a clean MemoryError/ENOMEM instead of an OOM kill); RLIMIT_NPROC bounds processes for
    // non-root users; RLIMIT_FSIZE stops any single file growing past the workspace limit.
    "/usr/bin/prlimit",
    `--as=${Math.floor(limits.memoryBytes)}`,
    `--nproc=${Math.floor(limits.maxProcesses)}`,
    `--fsize=${Math.floor(limits.workspaceBytes)}`,
    ...(extras.cpuRlimit ? [`--cpu=${Math.ceil(limits.cpuSecondsPerCommand)}`] : []),
    "--core=0",
    "--",
    "/bin/bash", "--noprofile", "--norc",
  );
  return args;
}

function sandboxEnv(opts: EpisodeOptions): Record<string, string> {
  const toolBins = extraToolPrefixes().map((t) => t.binDir);
  const PATH = [...new Set([...toolBins, "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"])].join(":");
  return { PATH, ...baseShellEnv(SANDBOX_HOME), USER: "agent", LOGNAME: "agent", TMPDIR: "/tmp", ...(opts.env ?? {}) };
}

// Said once per process, like any other limit this host cannot enforce.
const warned = new Set<Controller | "tmp">();
let tmpSizeSupported = true;

function warnMissing(missing: Controller[], limits: SandboxLimits): void {
  const root = process.getuid?.() === 0;
  for (const c of missing) {
    if (warned.has(c)) continue;
    if (c === "pids" && !root) continue; // RLIMIT_NPROC binds a non-root sandbox user
    warned.add(c);
    const what =
      c === "pids"
        ? "no pids cgroup could be created, so the process limit is not enforced (the kernel exempts root from RLIMIT_NPROC). Run hgym as a normal user to enforce it"
        : c === "memory"
          ? `no memory cgroup could be created, so the memory limit (${limits.memoryBytes} bytes) binds each process separately (RLIMIT_AS), not the episode as a whole, and files in /tmp and the workspace do not count against it`
          : "no CPU accounting cgroup could be created, so CPU time is limited per process (RLIMIT_CPU) instead of per command";
    process.stderr.write(`bwrap sandbox: ${what}.\n`);
  }
  if (!tmpSizeSupported && !warned.has("tmp")) {
    warned.add("tmp");
    process.stderr.write("bwrap sandbox: this bubblewrap has no --size option (a newer one has), so /tmp and /dev/shm have no size of their own; only the memory limit bounds them.\n");
  }
}

let availability: Promise<{ ok: true } | { ok: false; reason: string }> | null = null;

export class BwrapSandbox implements Sandbox {
  readonly backend = "bwrap" as const;

  available(): Promise<{ ok: true } | { ok: false; reason: string }> {
    availability ??= checkAvailable();
    return availability;
  }

  async start(opts: EpisodeOptions): Promise<Episode> {
    checkEpisodeOptions(opts);
    const a = await this.available();
    if (!a.ok) throw new Error(`bwrap sandbox unavailable: ${a.reason}`);
    const bwrap = findBwrap() as string;
    const limits = resolveLimits(opts.limits);
    const identityDir = mkdtempSync(path.join(os.tmpdir(), `${runPrefix()}-bwrap-etc-`));
    const { cgroup, missing } = EpisodeCgroup.create(limits);
    warnMissing(missing, limits);
    const env = sandboxEnv(opts);
    let args: string[];
    let monitor: LimitMonitor;
    try {
      args = bwrapArgs(opts, limits, identityDir, { cpuRlimit: !cgroup?.has("cpu") });
      monitor = new LimitMonitor(cgroup, opts.hostWorkspace, limits);
    } catch (err) {
      rmSync(identityDir, { recursive: true, force: true });
      cgroup?.remove();
      throw err;
    }
    const namespaces = new Map<ChildProcessWithoutNullStreams, string>();
    const roots = new Set<number>();
    const unregister = atExit(() => {
      for (const pid of roots) for (const p of [...descendants(pid), { pid }]) signal(p.pid, "SIGKILL");
      rmSync(identityDir, { recursive: true, force: true });
      for (let i = 0; cgroup && i < 25 && !cgroup.remove(); i++) sleepSync(20);
    });

    const host: ShellHost = {
      spawn: () => {
        const stdio: ["pipe", "pipe", "pipe"] = ["pipe", "pipe", "pipe"];
        if (cgroup) {
          // Join the cgroup before bwrap exists, so every process it ever creates is counted.
          const join = 'while [ "$1" != -- ]; do echo $$ > "$1" || { echo "cannot join cgroup $1" >&2; exit 97; }; shift; done; shift; exec "$@"';
          return spawn("/bin/sh", ["-c", join, "sh", ...cgroup.procsFiles, "--", bwrap, ...args], { env, stdio, detached: true }) as ChildProcessWithoutNullStreams;
        }
        return spawn(bwrap, args, { env, stdio, detached: true }) as ChildProcessWithoutNullStreams;
      },
      attach: async (child, shellPid) => {
        roots.add(child.pid as number);
        const hostPid = await findShellHostPid(child.pid as number, shellPid);
        const ns = pidNamespace(hostPid);
        if (ns) namespaces.set(child, ns);
        return new HostProcessControl(hostPid);
      },
      destroy: async (child) => {
        if (child.pid !== undefined) await killTree(child.pid);
        if (child.pid !== undefined) roots.delete(child.pid);
        // Anything left (there should be nothing once the namespace's init died) goes too. The episode's cgroup
        // names exactly its processes. A pid namespace is only named by an inode number, which the kernel gives
        // to a new namespace as soon as the old one is gone: scanning by it could hit another episode's processes,
        // so it is the fallback for hosts without a cgroup, where it is the only handle.
        const ns = namespaces.get(child);
        namespaces.delete(child);
        if (cgroup) await killCgroup(cgroup);
        else if (ns) await killNamespace(ns);
        child.stdin.destroy();
      },
    };
    const onClose = async (): Promise<void> => {
      rmSync(identityDir, { recursive: true, force: true });
      unregister();
      if (cgroup) {
        for (let i = 0; i < 50 && !cgroup.remove(); i++) {
          for (const pid of cgroup.pids()) signal(pid, "SIGKILL");
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const cpuSeconds = cgroup?.has("cpu") ? () => cgroup.cpuSeconds() : undefined;
    const episode = new ShellEpisode("bwrap", opts.workspacePath, opts.hostWorkspace, host, limits, onClose, monitor, cpuSeconds);
    await episode.start();
    return episode;
  }
}

// The host pid of the sandbox shell, found among bwrap's descendants by the pid it has inside its namespace.
async function findShellHostPid(rootPid: number, nsPid: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const match = descendants(rootPid).find((p) => innermostPid(p.pid) === nsPid && pidNamespace(p.pid) !== pidNamespace(process.pid));
    if (match) return match.pid;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`cannot find the sandbox shell (pid ${nsPid} inside) among the processes of bwrap ${rootPid}`);
}

async function killCgroup(cgroup: EpisodeCgroup): Promise<void> {
  for (let round = 0; round < 100; round++) {
    const left = cgroup.pids().filter((pid) => readProc(pid)?.state !== "Z");
    if (left.length === 0) return;
    for (const pid of left) signal(pid, "SIGKILL");
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function killNamespace(ns: string): Promise<void> {
  for (let round = 0; round < 100; round++) {
    // Zombies are dead already; one re-parented to the host's init stays until that init reaps it.
    const left = listProcesses().filter((p) => p.state !== "Z" && pidNamespace(p.pid) === ns);
    if (left.length === 0) return;
    for (const p of left) signal(p.pid, "SIGKILL");
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function checkAvailable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (process.platform !== "linux") return { ok: false, reason: "bubblewrap needs Linux" };
  const bwrap = findBwrap();
  if (!bwrap) return { ok: false, reason: "bubblewrap is not installed: run `apt-get install bubblewrap` (or your distribution's equivalent)" };
  if (!existsSync("/usr/bin/prlimit")) return { ok: false, reason: "/usr/bin/prlimit (util-linux) is missing; it applies the memory and process limits" };
  const r = spawnSync(bwrap, ["--unshare-all", "--die-with-parent", "--ro-bind", "/usr", "/usr", ...systemMountArgs().slice(3), "--proc", "/proc", "--dev", "/dev", "/usr/bin/true"], {
    encoding: "utf8",
    timeout: 10_000,
  });
  if (r.status === 0) {
    // Older bubblewrap has no --size (sized tmpfs); without it /tmp and /dev/shm are only bound by the memory cgroup.
    const sized = spawnSync(bwrap, ["--unshare-all", "--ro-bind", "/", "/", "--size", "1048576", "--tmpfs", "/tmp", "/usr/bin/true"], { timeout: 10_000 });
    tmpSizeSupported = sized.status === 0;
    return { ok: true };
  }
  const err = (r.stderr || String(r.error ?? "")).trim();
  if (/namespace|permission|operation not permitted/i.test(err)) {
    return {
      ok: false,
      reason:
        `bubblewrap cannot create namespaces (${err}). User namespaces are probably disabled: enable them with ` +
        "`sysctl kernel.unprivileged_userns_clone=1` (Debian) or `sysctl kernel.apparmor_restrict_unprivileged_userns=0` (Ubuntu 24.04), " +
        "or inside a container run it with --privileged / a seccomp profile that allows clone(CLONE_NEWUSER)",
    };
  }
  return { ok: false, reason: `bubblewrap failed a test run: ${err || `exit code ${r.status}`}` };
}
