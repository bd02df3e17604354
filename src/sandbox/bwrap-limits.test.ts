// Episode-wide limits on the bwrap backend, with the real kernel enforcing them: memory across processes (memory
// cgroup), /tmp and /dev/shm size (tmpfs size), workspace size, CPU time per command, and the process limit after
// a fork bomb. Each test also shows the episode is still usable afterwards.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runPrefix } from "../core/run-scope.js";
import { BwrapSandbox } from "./bwrap.js";
import { makeTempDir, processesWithArg, uniqueToken, waitForProcesses } from "./test-support.js";
import type { Episode, SandboxLimits } from "./types.js";

const sandbox = new BwrapSandbox();
const availability = await sandbox.available();
if (!availability.ok) console.warn(`skipping bwrap limit tests: ${availability.reason}`);

const MiB = 1024 ** 2;

async function withEpisode(limits: Partial<SandboxLimits>, body: (ep: Episode, hostDir: string) => Promise<void>): Promise<void> {
  const tmp = makeTempDir("hgym-bwrap-limits-");
  const ep = await sandbox.start({ hostWorkspace: tmp.dir, workspacePath: "/workspace/l", limits: { commandTimeoutMs: 30_000, ...limits } });
  try {
    await body(ep, tmp.dir);
  } finally {
    await ep.close();
    tmp.cleanup();
  }
}

// The cgroup directories (per hierarchy) a process of the episode is in, found from the host.
function cgroupDirsOf(pid: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(`/proc/${pid}/cgroup`, "utf8").split("\n")) {
    const [, controllers, rel] = line.split(":");
    if (!controllers || rel === undefined) continue;
    for (const c of ["memory", "pids", "cpuacct"]) if (controllers.split(",").includes(c)) out.set(c, path.join("/sys/fs/cgroup", c, rel));
  }
  return out;
}

// Two python processes, each holding 60 % of `limit` for a moment at the same time.
function twoHolders(limit: number): string {
  const bytes = Math.floor(limit * 0.6);
  const holder = `python3 -c 'import time; x = bytearray(${bytes}); x[::4096] = b"x" * len(x[::4096]); time.sleep(1.5); print("held")'`;
  return `${holder} & ${holder}; wait`;
}

describe.skipIf(!availability.ok)("bwrap episode limits", () => {
  it("runs the episode in one cgroup named after the run, with the memory and process limits, removed at close", async () => {
    const token = uniqueToken();
    let dirs = new Map<string, string>();
    await withEpisode({ memoryBytes: 300 * MiB, maxProcesses: 77 }, async (ep) => {
      await ep.run(`sleep 1000${token} &`);
      const [pid] = await waitForProcesses(`1000${token}`, 1);
      dirs = cgroupDirsOf(pid as number);
      const memory = dirs.get("memory");
      const pids = dirs.get("pids");
      if (!memory || !pids) throw new Error(`no memory/pids cgroup for the episode: ${[...dirs].join(", ")}`);
      expect(path.basename(memory)).toMatch(new RegExp(`^${runPrefix().replaceAll(".", "\\.")}-ep-[0-9a-f]{8}$`));
      expect(path.basename(pids)).toBe(path.basename(memory));
      expect(Number(readFileSync(path.join(memory, "memory.limit_in_bytes"), "utf8"))).toBe(300 * MiB);
      if (existsSync(path.join(memory, "memory.memsw.limit_in_bytes"))) {
        expect(Number(readFileSync(path.join(memory, "memory.memsw.limit_in_bytes"), "utf8"))).toBe(300 * MiB);
      }
      expect(readFileSync(path.join(pids, "pids.max"), "utf8").trim()).toBe("77");
    });
    expect(processesWithArg(`1000${token}`)).toEqual([]);
    for (const dir of dirs.values()) expect(existsSync(dir), dir).toBe(false);
  });

  it("holds two processes to one memory limit together: one is OOM-killed, the agent is told, the episode goes on", async () => {
    // Control: with room for both, both hold their memory.
    await withEpisode({ memoryBytes: 1024 * MiB }, async (ep) => {
      const r = await ep.run(twoHolders(256 * MiB));
      expect(r.output.match(/^held$/gm)?.length, r.output).toBe(2);
    });
    await withEpisode({ memoryBytes: 256 * MiB }, async (ep) => {
      await ep.run("cd /tmp && export KEPT=yes");
      const r = await ep.run(twoHolders(256 * MiB));
      expect(r.output.match(/^held$/gm)?.length ?? 0, r.output).toBeLessThan(2);
      expect(r.output).toContain("killed (SIGKILL) because the episode reached its memory limit of 256 MiB");
      const after = await ep.run('echo "alive $KEPT"; pwd');
      expect(after.output).toBe("alive yes\n/tmp\n");
    });
  });

  it("caps /tmp and /dev/shm at tmpBytes, and /dev is read-only", async () => {
    await withEpisode({ tmpBytes: 8 * MiB }, async (ep) => {
      for (const dir of ["/tmp", "/dev/shm"]) {
        const r = await ep.run(`head -c ${20 * MiB} /dev/zero > ${dir}/fill; echo "rc=$?"; stat -c %s ${dir}/fill`);
        expect(r.output, dir).toContain("No space left on device");
        const size = Number(r.output.trim().split("\n").at(-1));
        expect(size, dir).toBeLessThanOrEqual(8 * MiB);
        expect(size, dir).toBeGreaterThan(4 * MiB);
        expect((await ep.run(`rm ${dir}/fill && echo freed`)).output).toBe("freed\n");
      }
      expect((await ep.run("touch /dev/extra")).output).toContain("Read-only file system");
      expect((await ep.run("echo ok > /dev/null && echo fine")).output).toBe("fine\n");
    });
  });

  it("stops a single file at workspaceBytes, warns when the workspace is over it, and closes the episode if it stays over", async () => {
    await withEpisode({ workspaceBytes: 16 * MiB }, async (ep, hostDir) => {
      const big = await ep.run(`head -c ${40 * MiB} /dev/zero > big; echo "rc=$?"`);
      expect(big.output).toMatch(/File size limit exceeded|rc=153/);
      expect(statSync(path.join(hostDir, "big")).size).toBeLessThanOrEqual(16 * MiB);
      const over = await ep.run(`rm big; head -c ${10 * MiB} /dev/zero > a; head -c ${10 * MiB} /dev/zero > b; echo wrote`);
      expect(over.output).toContain("wrote\n[The workspace now holds more than its limit of 16 MiB");
      const cleaned = await ep.run("rm a; echo cleaned");
      expect(cleaned.output).toBe("cleaned\n");
      await ep.run(`head -c ${10 * MiB} /dev/zero > a`);
      const stillOver = await ep.run("echo ignoring it");
      expect(stillOver.output).toContain("still holds more than its limit of 16 MiB, so the episode was closed");
      expect((await ep.run("echo more")).output).toContain("closed");
    });
  });

  it("stops a command that uses more CPU time than cpuSecondsPerCommand, keeping the shell", async () => {
    await withEpisode({ cpuSecondsPerCommand: 1 }, async (ep) => {
      await ep.run("export KEPT=cpu");
      const started = Date.now();
      const r = await ep.run("python3 -c 'while True: pass'");
      expect(r.timedOut).toBe(true);
      expect(r.output).toContain("Command used more than 1 s of CPU time");
      expect(Date.now() - started).toBeLessThan(25_000);
      expect((await ep.run('echo "$KEPT"')).output).toBe("cpu\n");
      const light = await ep.run("sleep 2; echo slept"); // wall time without CPU is not CPU time
      expect(light.output).toBe("slept\n");
    });
  });

  it("survives a fork bomb: the bomb is killed, the agent is told, and the next command works", async () => {
    await withEpisode({ maxProcesses: 64, commandTimeoutMs: 5000 }, async (ep) => {
      // The bomb returns at once and fills the episode in the background: the check after it, or before one of
      // the next commands (an agent's next command comes seconds later), finds the limit reached and resets.
      let r = await ep.run(":(){ :|:& };:");
      for (let i = 0; i < 50 && !r.output.includes("limit of 64 processes"); i++) {
        await new Promise((res) => setTimeout(res, 200));
        r = await ep.run("echo next");
      }
      expect(r.output).toContain("limit of 64 processes");
      expect(r.output).toContain("A new shell was started in /workspace/l");
      const clean = await ep.run("echo clean; pwd");
      expect(clean.output).toBe("clean\n/workspace/l\n");
      expect(clean.exitCode).toBe(0);
    });
  });
});
