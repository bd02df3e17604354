// The `local` backend: the shell runs directly on the host, in the workspace directory, with NO isolation (the
// agent can read and write anything the user can). For tests and development only; it says so on every start.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runPrefix } from "../core/run-scope.js";
import { ShellEpisode } from "./episode.js";
import { atExit } from "./exit-cleanup.js";
import { descendants, signal } from "./procfs.js";
import { HostProcessControl } from "./host-control.js";
import { baseShellEnv, resolveLimits } from "./limits.js";
import type { ShellHost } from "./shell.js";
import { killTree } from "./tree-kill.js";
import type { Episode, EpisodeOptions, Sandbox } from "./types.js";

export function checkEpisodeOptions(opts: EpisodeOptions): void {
  let isDir = false;
  try {
    isDir = statSync(opts.hostWorkspace).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new Error(`sandbox workspace ${opts.hostWorkspace} is not an existing directory`);
  if (!path.posix.isAbsolute(opts.workspacePath) || path.posix.normalize(opts.workspacePath) !== opts.workspacePath || opts.workspacePath === "/") {
    throw new Error(`sandbox workspacePath must be a normalized absolute path below /, like /workspace/<name>; got ${JSON.stringify(opts.workspacePath)}`);
  }
}

export class LocalSandbox implements Sandbox {
  readonly backend = "local" as const;

  async available(): Promise<{ ok: true } | { ok: false; reason: string }> {
    const r = spawnSync("bash", ["--noprofile", "--norc", "-c", "true"], { stdio: "ignore" });
    return r.status === 0 ? { ok: true } : { ok: false, reason: "bash is not runnable on this machine" };
  }

  async start(opts: EpisodeOptions): Promise<Episode> {
    checkEpisodeOptions(opts);
    const limits = resolveLimits(opts.limits);
    process.stderr.write(
      `local sandbox: NO ISOLATION - agent commands run directly on this machine as ${os.userInfo().username} in ${opts.hostWorkspace} ` +
        `(they can read and change any of your files, and use the network). Use it only for tests and development; use --sandbox bwrap or docker for real runs.\n`,
    );
    const home = mkdtempSync(path.join(os.tmpdir(), `${runPrefix()}-local-home-`));
    // A small allowlist instead of the host environment: API keys and tokens must not reach agent commands
    // (and through their output, training data).
    const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin", ...baseShellEnv(home) };
    if (process.env.PYENV_ROOT) env.PYENV_ROOT = process.env.PYENV_ROOT; // pyenv shims need it once HOME moves
    Object.assign(env, opts.env ?? {});
    const shells = new Set<number>();
    const unregister = atExit(() => {
      for (const pid of shells) for (const p of [...descendants(pid), { pid }]) signal(p.pid, "SIGKILL");
      rmSync(home, { recursive: true, force: true });
    });
    const host: ShellHost = {
      spawn: () =>
        spawn("bash", ["--noprofile", "--norc"], {
          cwd: opts.hostWorkspace,
          env,
          detached: true, // own session and process group, so Ctrl-C and teardown reach exactly this shell's tree
          stdio: ["pipe", "pipe", "pipe"],
        }) as ChildProcessWithoutNullStreams,
      attach: async (child) => {
        shells.add(child.pid as number);
        return new HostProcessControl(child.pid as number);
      },
      destroy: async (child) => {
        if (child.pid !== undefined) await killTree(child.pid);
        if (child.pid !== undefined) shells.delete(child.pid);
        child.stdin.destroy();
      },
    };
    const episode = new ShellEpisode("local", opts.workspacePath, opts.hostWorkspace, host, limits, async () => {
      rmSync(home, { recursive: true, force: true });
      unregister();
    });
    await episode.start();
    return episode;
  }
}
