// One interface for every sandbox backend (bwrap, docker, local). An Episode is one agent run: a persistent
// shell inside an isolated view of one workspace directory, with limits, torn down completely by close().

export type SandboxBackend = "bwrap" | "docker" | "local";

export interface SandboxLimits {
  commandTimeoutMs: number; // per command, default 120 s; the command is interrupted and the agent told
  episodeTimeoutMs: number; // whole episode wall time, default 30 min
  memoryBytes: number; // all the episode's processes together, tmpfs files they write included (memory cgroup), default 4 GiB
  maxProcesses: number; // processes of the episode at once (pids cgroup), default 512
  tmpBytes: number; // size of the private /tmp (and of /dev/shm), default 512 MiB
  workspaceBytes: number; // disk use of the workspace, checked after every command, default 2 GiB
  cpuSecondsPerCommand: number; // CPU time of one command, all its processes together, default 240 s
  maxOutputBytes: number; // per command output cap, default 1 MiB (the agent layer truncates further)
}

export interface EpisodeOptions {
  hostWorkspace: string; // directory on the host holding the materialized workspace (becomes writable)
  workspacePath: string; // where the agent sees it, e.g. "/workspace/requests"
  env?: Record<string, string>;
  limits?: Partial<SandboxLimits>;
  network?: false; // reserved: episodes never have network
}

export interface CommandResult {
  output: string; // stdout and stderr interleaved, capped at maxOutputBytes (a note says when it was cut)
  exitCode: number | null; // null when the command did not finish (timeout, or still waiting for input)
  timedOut: boolean;
  durationMs: number;
}

export interface RunOptions {
  timeoutMs?: number;
  isInput?: boolean; // send `command` as input to the process still running from the previous command
}

export interface Episode {
  readonly backend: SandboxBackend;
  readonly workspacePath: string;
  run(command: string, opts?: RunOptions): Promise<CommandResult>;
  // Map a path the agent gave (absolute inside the sandbox, or relative to workspacePath) to the host path, or
  // null when it resolves (through symlinks too) outside the workspace. Used by the file editor tool, which works
  // on the host side for speed.
  hostPath(agentPath: string): string | null;
  close(): Promise<void>; // kills every process of the episode; idempotent
}

export interface Sandbox {
  readonly backend: SandboxBackend;
  available(): Promise<{ ok: true } | { ok: false; reason: string }>;
  start(opts: EpisodeOptions): Promise<Episode>;
}
