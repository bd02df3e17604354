// The `docker` backend: one container per episode (no network, memory and pids limits, read-only root, the
// workspace bind-mounted), the persistent shell started with `docker exec -i`, `docker rm -f` at the end. The
// daemon may be remote or in a VM, so processes are inspected and signalled from inside the container.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { realpathSync } from "node:fs";
import { ShellEpisode } from "./episode.js";
import { runPrefix } from "../core/run-scope.js";
import { LimitMonitor } from "./limit-monitor.js";
import { baseShellEnv, resolveLimits } from "./limits.js";
import { checkEpisodeOptions } from "./local.js";
import type { ProcessControl, ShellHost } from "./shell.js";
import type { Episode, EpisodeOptions, Sandbox } from "./types.js";

export const DEFAULT_DOCKER_IMAGE = process.env.HGYM_SANDBOX_IMAGE ?? "python:3.11";
const HOME_IN_CONTAINER = "/tmp/home";

// Runs inside the container: "$1" is the mode, "$2" the shell's pid. Pure bash + /proc, because slim images have
// no ps/pkill. Descendants are found by following parent pids to a fixed point.
const PROC_HELPER = `
mode=$1; shell=$2
declare -A parent
for f in /proc/[0-9]*/stat; do
  read -r line 2>/dev/null < "$f" || continue
  pid=\${line%% *}; rest=\${line##*) }; set -- $rest; parent[$pid]=$2
done
kids=" "; changed=1
while [ $changed = 1 ]; do
  changed=0
  for pid in "\${!parent[@]}"; do
    p=\${parent[$pid]}
    if { [ "$p" = "$shell" ] || [[ "$kids" == *" $p "* ]]; } && [[ "$kids" != *" $pid "* ]]; then kids="$kids$pid "; changed=1; fi
  done
done
case $mode in
  kill) for pid in $kids; do kill -KILL "$pid" 2>/dev/null; done; kill -KILL "$shell" 2>/dev/null ;;
  killkids) for pid in $kids; do kill -KILL "$pid" 2>/dev/null; done ;;
  input)
    want=$(readlink /proc/$shell/fd/0)
    for pid in $shell $kids; do
      [ "$(readlink /proc/$pid/fd/0 2>/dev/null)" = "$want" ] || continue
      w=$(cat /proc/$pid/wchan 2>/dev/null); read -r st 2>/dev/null < /proc/$pid/stat || continue; st=\${st##*) }
      case "$w" in *pipe_read*|*pipe_wait*) [ "\${st%% *}" = S ] && { echo yes; exit 0; } ;; esac
    done; echo no ;;
esac
`;

function docker(args: string[], timeoutMs = 30_000): { ok: boolean; out: string; err: string } {
  const r = spawnSync("docker", args, { encoding: "utf8", timeout: timeoutMs });
  return { ok: r.status === 0, out: (r.stdout ?? "").trim(), err: (r.stderr || String(r.error ?? "")).trim() };
}

function dockerAsync(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const p = spawn("docker", args, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    p.on("close", () => resolve(out.trim()));
    p.on("error", () => resolve(""));
  });
}

class DockerProcessControl implements ProcessControl {
  constructor(
    private readonly container: string,
    private readonly shellPid: number,
  ) {}

  async interrupt(): Promise<void> {
    // The shell was started by setsid, so its pid is its process group.
    await dockerAsync(["exec", this.container, "kill", "-INT", "--", `-${this.shellPid}`]);
  }

  async killCommands(): Promise<void> {
    await dockerAsync(["exec", this.container, "bash", "-c", PROC_HELPER, "helper", "killkids", String(this.shellPid)]);
  }

  async waitingForInput(): Promise<boolean> {
    const out = await dockerAsync(["exec", this.container, "bash", "-c", PROC_HELPER, "helper", "input", String(this.shellPid)]);
    return out === "yes";
  }
}

export class DockerSandbox implements Sandbox {
  readonly backend = "docker" as const;

  constructor(private readonly image: string = DEFAULT_DOCKER_IMAGE) {}

  async available(): Promise<{ ok: true } | { ok: false; reason: string }> {
    const r = docker(["info", "--format", "{{.ServerVersion}}"], 15_000);
    if (r.ok) return { ok: true };
    if (/ENOENT/.test(r.err)) return { ok: false, reason: "the docker CLI is not installed" };
    return { ok: false, reason: `no Docker daemon is reachable (${r.err.split("\n")[0] || "docker info failed"})` };
  }

  async start(opts: EpisodeOptions): Promise<Episode> {
    checkEpisodeOptions(opts);
    const limits = resolveLimits(opts.limits);
    const name = `${runPrefix()}-ep-${randomBytes(6).toString("hex")}`;
    const uid = process.getuid?.() ?? 1000;
    const gid = process.getgid?.() ?? 1000;
    const env = { ...baseShellEnv(HOME_IN_CONTAINER), ...(opts.env ?? {}) };
    const run = docker([
      "run", "-d", "--name", name,
      "--network", "none",
      "--memory", String(limits.memoryBytes),
      "--memory-swap", String(limits.memoryBytes),
      "--pids-limit", String(limits.maxProcesses),
      "--cap-drop", "ALL",
      "--security-opt", "no-new-privileges",
      "--read-only",
      "--tmpfs", `/tmp:exec,mode=1777,size=${Math.floor(limits.tmpBytes)}`,
      "--ulimit", `fsize=${Math.floor(limits.workspaceBytes)}`,
      "--user", `${uid}:${gid}`, // files the agent writes stay owned by the user running hgym
      "-v", `${realpathSync(opts.hostWorkspace)}:${opts.workspacePath}`,
      "-w", opts.workspacePath,
      this.image,
      "sleep", "infinity",
    ], 300_000);
    if (!run.ok) throw new Error(`docker sandbox: cannot start a container from image ${this.image}: ${run.err}`);
    const removeContainer = async () => {
      await dockerAsync(["rm", "-f", name]);
    };
    const envArgs = Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    const host: ShellHost = {
      spawn: () =>
        spawn("docker", ["exec", "-i", ...envArgs, "-w", opts.workspacePath, name, "setsid", "-w", "bash", "-c", `mkdir -p "$HOME"; exec bash --noprofile --norc`], {
          stdio: ["pipe", "pipe", "pipe"],
        }) as ChildProcessWithoutNullStreams,
      attach: async (child, shellPid) => {
        shellPids.set(child, shellPid);
        return new DockerProcessControl(name, shellPid);
      },
      destroy: async (child) => {
        const shellPid = shellPids.get(child);
        shellPids.delete(child);
        if (shellPid !== undefined) await dockerAsync(["exec", name, "bash", "-c", PROC_HELPER, "helper", "kill", String(shellPid)]);
        child.kill("SIGKILL");
        child.stdin.destroy();
      },
    };
    const shellPids = new Map<ChildProcessWithoutNullStreams, number>();
    // The daemon's cgroup is not ours to read, so only the workspace size is checked around commands.
    const monitor = new LimitMonitor(null, opts.hostWorkspace, limits);
    const episode = new ShellEpisode("docker", opts.workspacePath, opts.hostWorkspace, host, limits, removeContainer, monitor);
    await episode.start();
    return episode;
  }
}
