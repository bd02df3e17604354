// Leftovers of dead runs, end to end with the real parts: two real runs (src/cli/test-support/leaving-run.ts:
// a real workspace, a real dep-search temp dir, a real bwrap episode with its temp dir and cgroups), one killed
// with SIGKILL, then the sweep and `hgym gc` through the CLI. Files go to a temp workspace root and $TMPDIR so no
// user data is touched; the cgroups are real, made below test cgroups of our own (names no run prefix matches,
// so the start-up sweeps of other tests running at the same time never look inside them).
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, toolCallStep } from "../agent/test-support/scripted-server.js";
import { currentRun, isRunAlive, parseRunPrefix, pidNamespaceInode, processStartTicks, runPrefix, type RunId } from "../core/run-scope.js";
import { buildExampleRepo } from "../repo/example-repo.js";
import { ingestInput } from "../repo/ingest.js";
import { SnapshotStore } from "../repo/store.js";
import { sweepAtStartup } from "../cli/gc.js";
import { cgroupDirsOf, ownCgroupDirs } from "./cgroup-dirs.js";
import { sweepLeftovers, type LeftoverRoots } from "./leftovers.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
const childScript = path.join(repoRoot, "src", "cli", "test-support", "leaving-run.ts");
const mainScript = path.join(repoRoot, "src", "cli", "main.ts");
// Joins the cgroups given before "--" (their cgroup.procs files), then becomes the command after it.
const JOIN_AND_EXEC = 'while [ "$1" != "--" ]; do echo $$ > "$1" || exit 97; shift; done; shift; exec "$@"';

let tmp: string;
let workspaceRoot: string;
let tmpDir: string;
let storeRoot: string;
let snapshotId: string;
const testCgroups: string[] = []; // our test cgroups, one per hierarchy that let us make one and join it
const spawned: ChildProcessWithoutNullStreams[] = [];
const strays: number[] = [];

function roots(): LeftoverRoots {
  return { workspaceRoot, tmpDir, storeTmpDir: path.join(storeRoot, "tmp"), cgroupRoots: testCgroups };
}

function spawnInTestCgroups(command: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  const procs = testCgroups.map((d) => path.join(d, "cgroup.procs"));
  const child = spawn("/bin/sh", ["-c", JOIN_AND_EXEC, "sh", ...procs, "--", ...command], { cwd: repoRoot, env, stdio: ["pipe", "pipe", "pipe"] });
  spawned.push(child);
  return child;
}

function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, TMPDIR: tmpDir, HGYM_WORKSPACES: workspaceRoot, HGYM_CACHE: storeRoot };
}

interface RunHandle {
  child: ChildProcessWithoutNullStreams;
  run: RunId;
  prefix: string;
  workspace: string;
  tempDir: string;
  next(): Promise<Record<string, unknown>>;
}

async function startRun(): Promise<RunHandle> {
  const child = spawnInTestCgroups([process.execPath, "--import", "tsx", childScript, storeRoot, snapshotId, workspaceRoot], childEnv());
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const r = await lines.next();
    if (r.done) throw new Error(`the run exited (code ${child.exitCode}): ${stderr}`);
    return JSON.parse(r.value as string) as Record<string, unknown>;
  };
  child.stdin.write("go\n");
  const ready = await next();
  const prefix = ready.prefix as string;
  const run = parseRunPrefix(prefix);
  if (!run) throw new Error(`the run printed a prefix no run has: ${prefix}`);
  return { child, run, prefix, workspace: ready.workspace as string, tempDir: ready.tempDir as string, next };
}

// Everything under the test roots whose name carries the prefix.
function namedUnder(prefix: string): string[] {
  const out: string[] = [];
  for (const dir of [workspaceRoot, tmpDir, ...testCgroups]) {
    for (const name of readdirSync(dir)) if (name.startsWith(`${prefix}-`)) out.push(path.join(dir, name));
  }
  return out.sort();
}

function hgym(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnInTestCgroups([process.execPath, "--import", "tsx", mainScript, ...args], childEnv());
  child.stdin.end();
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  // A clear failure rather than a timeout when the real sandbox is missing.
  if (spawnSync("bwrap", ["--version"]).status !== 0) throw new Error("bubblewrap is not installed (scripts/setup.sh installs it); these tests need it");
  tmp = mkdtempSync(path.join(tmpdir(), "gc-test-"));
  workspaceRoot = path.join(tmp, "workspaces");
  tmpDir = path.join(tmp, "tmp");
  storeRoot = path.join(tmp, "store");
  mkdirSync(workspaceRoot);
  mkdirSync(tmpDir);
  const store = new SnapshotStore(storeRoot);
  snapshotId = (await ingestInput(store, buildExampleRepo(path.join(tmp, "shelf")))).id;

  // A test cgroup in every hierarchy we are in, kept where a process can join it (v1 cpuset, for one, needs
  // settings before it takes a process).
  const name = `gc-test-${randomBytes(4).toString("hex")}`;
  const probe = spawn("sleep", ["30"]);
  for (const dir of ownCgroupDirs()) {
    const mine = path.join(dir, name);
    try {
      mkdirSync(mine);
    } catch {
      continue;
    }
    try {
      writeFileSync(path.join(mine, "cgroup.procs"), String(probe.pid));
      testCgroups.push(mine);
    } catch {
      rmdirSync(mine);
    }
  }
  probe.kill("SIGKILL");
  await new Promise((r) => probe.on("close", r));
  expect(testCgroups.some((d) => d.startsWith("/sys/fs/cgroup/pids/"))).toBe(true);
}, 60_000);

afterAll(async () => {
  for (const child of spawned) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const closed = new Promise((r) => child.on("close", r));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    await closed;
    clearTimeout(timer);
  }
  for (const pid of strays) if (alive(pid)) process.kill(pid, "SIGKILL");
  // Every run is dead now: whatever a failed test left below the test cgroups goes with the sweep, then they go.
  if (testCgroups.length > 0) await sweepLeftovers(roots());
  for (const dir of testCgroups) {
    for (let i = 0; i < 100; i++) {
      try {
        rmdirSync(dir);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
  rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe("the run prefix", () => {
  it("names this process, parses back, and tells a live run from a dead one by its start time", () => {
    const me = currentRun();
    expect(me.pid).toBe(process.pid);
    expect(me.start).toBe(processStartTicks(process.pid));
    expect(parseRunPrefix(`${runPrefix()}-ws-abc`)).toEqual(me);
    expect(isRunAlive(me)).toBe(true);
    // The same pid with another start time is a dead run whose pid was reused.
    expect(isRunAlive({ ...me, start: me.start + 1 })).toBe(false);
    // A run of another pid namespace cannot be looked up from here: never judged dead.
    expect(isRunAlive({ pid: 999_999_999, start: 1, pidns: me.pidns + 1 })).toBe(true);
    for (const other of ["hgym-workspaces", "hgym-collect-x1", "hgym-12-ab", "hgym-1.2", `${runPrefix()}x`, "ws-abc"]) {
      expect(parseRunPrefix(other)).toBeNull();
    }
  });

  it("finds our cgroup directories through the mount table, v1 and v2", () => {
    const mountinfo = [
      "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
      "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
      "36 31 0:33 /outer /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
      "41 31 0:38 / /sys/fs/cgroup/my\\040unified rw,relatime - cgroup2 cgroup2 rw",
    ].join("\n");
    const procCgroup = ["4:memory:/jobs/a", "3:cpu,cpuacct:/", "2:pids:/outer/b", "1:devices:/x", "0::/c"].join("\n");
    expect(cgroupDirsOf(procCgroup, mountinfo).sort()).toEqual(
      ["/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/memory/jobs/a", "/sys/fs/cgroup/my unified/c", "/sys/fs/cgroup/pids/b"].sort(),
    );
  });
});

describe("sweeping what a killed run left", () => {
  it("removes a SIGKILLed run's workspace, temp dirs and cgroups (killing what still ran there), and nothing of a live run", async () => {
    const dead = await startRun();
    const live = await startRun();
    const deadThings = namedUnder(dead.prefix);
    const liveThings = namedUnder(live.prefix);
    // A workspace, the dep-search temp dir, the sandbox's temp dir, and a cgroup in each test hierarchy it used.
    expect(deadThings).toContain(path.dirname(dead.workspace));
    expect(deadThings).toContain(dead.tempDir);
    expect(deadThings.filter((p) => p.startsWith(tmpDir)).length).toBeGreaterThanOrEqual(2);
    const deadCgroups = deadThings.filter((p) => p.startsWith("/sys/fs/cgroup/"));
    expect(deadCgroups.some((p) => p.startsWith("/sys/fs/cgroup/pids/"))).toBe(true);
    expect(liveThings.length).toBe(deadThings.length);

    dead.child.kill("SIGKILL");
    await new Promise((r) => dead.child.on("close", r));
    expect(isRunAlive(dead.run)).toBe(false);
    for (const p of deadThings) expect(existsSync(p)).toBe(true);

    const pidsCgroup = deadCgroups.find((p) => p.startsWith("/sys/fs/cgroup/pids/")) as string;
    // The sandbox dies with its parent (asynchronously), emptying the cgroup.
    await expect.poll(() => readFileSync(path.join(pidsCgroup, "cgroup.procs"), "utf8"), { timeout: 10_000 }).toBe("");
    // An episode process that outlived its run (as when dying with the parent fails): it runs in the dead run's cgroup.
    const stray = spawn("sleep", ["600"], { detached: true, stdio: "ignore" });
    strays.push(stray.pid as number);
    writeFileSync(path.join(pidsCgroup, "cgroup.procs"), String(stray.pid));
    // What must survive: names no run prefix matches, and what a symbolic link leftover points to.
    const outside = path.join(tmp, "outside");
    mkdirSync(outside);
    writeFileSync(path.join(outside, "precious.txt"), "keep me");
    symlinkSync(outside, path.join(workspaceRoot, `${dead.prefix}-ws-link`));
    for (const name of ["hgym-collect-old", "ws-unrelated", "hgym-workspaces"]) mkdirSync(path.join(tmpDir, name));
    // The half clone a killed ingest leaves in the snapshot store's scratch directory.
    const halfClone = path.join(storeRoot, "tmp", `${dead.prefix}-clone-0a1b2c`);
    mkdirSync(path.join(halfClone, "objects"), { recursive: true });
    // The live run's pid with another start time: a dead run whose pid was reused.
    const reused = runPrefix({ ...live.run, start: live.run.start + 1 });
    mkdirSync(path.join(workspaceRoot, `${reused}-ws-x`, "repo"), { recursive: true });
    writeFileSync(path.join(workspaceRoot, `${reused}-ws-x`, "repo", "f.txt"), "x".repeat(10_000));

    const dry = await sweepLeftovers({ ...roots(), dryRun: true });
    expect(dry.failed).toEqual([]);
    const listed = dry.removed.map((l) => l.path).sort();
    expect(listed).toEqual([...deadThings, halfClone, path.join(workspaceRoot, `${dead.prefix}-ws-link`), path.join(workspaceRoot, `${reused}-ws-x`)].sort());
    for (const ws of [path.dirname(dead.workspace), path.join(workspaceRoot, `${reused}-ws-x`)]) {
      expect(dry.removed.find((l) => l.path === ws)?.bytes).toBeGreaterThan(10_000);
    }
    expect(dry.removed.find((l) => l.path === pidsCgroup)?.killed).toBe(1);
    for (const p of listed) expect(existsSync(p) || lstatSync(p).isSymbolicLink()).toBe(true);
    expect(alive(stray.pid as number)).toBe(true);

    const gc = await hgym(["gc"]);
    expect(gc.stderr).toBe("");
    expect(gc.code).toBe(0);
    expect(gc.stdout).toMatch(/^kind\s+path\s+dead pid\s+size$/m);
    expect(gc.stdout).toContain(`workspace  ${path.dirname(dead.workspace)}`);
    expect(gc.stdout).toContain(`cgroup     ${pidsCgroup}`);
    expect(gc.stdout).toContain("1 processes killed");
    expect(gc.stdout).toMatch(new RegExp(`removed ${listed.length} leftovers of dead runs \\(\\d+\\.\\d MB\\)\\n$`));

    for (const p of listed) expect(existsSync(p) || isSymlink(p)).toBe(false);
    await expect.poll(() => alive(stray.pid as number)).toBe(false);
    expect(readFileSync(path.join(outside, "precious.txt"), "utf8")).toBe("keep me");
    for (const name of ["hgym-collect-old", "ws-unrelated", "hgym-workspaces"]) expect(existsSync(path.join(tmpDir, name))).toBe(true);
    // The live run lost nothing, and its episode still works.
    expect(namedUnder(live.prefix)).toEqual(liveThings);
    live.child.stdin.write("ping\n");
    expect((await live.next()).pong).toContain(`pong from /workspace/`);

    // Its leftovers are gone: another sweep finds nothing.
    const again = await hgym(["gc", "--dry-run"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("would remove 0 leftovers of dead runs (0.0 MB)\n");
  }, 240_000);

  it("a real `hgym rollout` killed with SIGKILL mid-episode leaves its workspace, temp dir and cgroups; the next command's start-up sweep removes them", async () => {
    const instances = path.join(tmp, "fl.jsonl");
    const shelf = buildExampleRepo(path.join(tmp, "shelf-rollout"));
    const generate = ["generate", "func-localize", "--repo", shelf, "--out", instances, "--limit", "1", "--description", "docstring", "--quiet"];
    const first = await hgym(generate);
    expect(first.code, first.stderr).toBe(0);
    // The model runs a command that takes long: the rollout is inside its episode when it is killed.
    const server = await startScriptedServer(() => toolCallStep("execute_bash", { command: "sleep 600" }));
    try {
      const rollout = spawnInTestCgroups(
        [process.execPath, "--import", "tsx", mainScript, "rollout", instances, "--out", path.join(tmp, "run"), "--model", "m", "--base-url", server.baseURL, "--sandbox", "bwrap"],
        { ...childEnv(), OPENAI_API_KEY: "x" },
      );
      rollout.stdin.end();
      const pid = rollout.pid as number;
      await expect.poll(() => processStartTicks(pid), { timeout: 10_000 }).not.toBeNull();
      const prefix = runPrefix({ pid, start: processStartTicks(pid) as number, pidns: pidNamespaceInode(pid) });
      const sleeping = (): boolean => {
        const cgroup = namedUnder(prefix).find((p) => p.startsWith("/sys/fs/cgroup/pids/"));
        if (!cgroup) return false;
        const pids = readFileSync(path.join(cgroup, "cgroup.procs"), "utf8").split("\n").filter(Boolean);
        return pids.some((p) => readFileSync(`/proc/${p}/comm`, "utf8").trim() === "sleep");
      };
      await expect.poll(sleeping, { timeout: 180_000, interval: 200 }).toBe(true);
      rollout.kill("SIGKILL");
      await new Promise((r) => rollout.on("close", r));

      const left = namedUnder(prefix);
      expect(left.filter((p) => p.startsWith(workspaceRoot)).length).toBe(1);
      expect(left.filter((p) => p.startsWith(tmpDir)).length).toBeGreaterThanOrEqual(1);
      expect(left.filter((p) => p.startsWith("/sys/fs/cgroup/")).length).toBeGreaterThanOrEqual(1);
      const again = await hgym(generate);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(new RegExp(`^hgym: removed ${left.length} leftovers of dead runs \\(\\d+\\.\\d MB\\)$`, "m"));
      expect(namedUnder(prefix)).toEqual([]);
    } finally {
      await server.close();
    }
  }, 400_000);

  it("removes a dead run's nested cgroups in every hierarchy, v1 and v2, killing what runs in them", async () => {
    const me = currentRun();
    const dead = runPrefix({ ...me, start: me.start + 1 }); // our pid with another start time: a dead run
    const isV2 = (d: string): boolean => existsSync(path.join(d, "cgroup.controllers")); // a file only v2 has
    const v1 = testCgroups.filter((d) => !isV2(d));
    const v2 = testCgroups.filter(isV2);
    const inV1 = spawn("sleep", ["600"], { stdio: "ignore" });
    const inV2 = spawn("sleep", ["600"], { stdio: "ignore" });
    strays.push(inV1.pid as number, inV2.pid as number);
    for (const parent of testCgroups) {
      mkdirSync(path.join(parent, `${dead}-ep-t`, "inner"), { recursive: true });
      // v1: one process in the nested cgroup of every hierarchy; v2 (when we are in it): another one there only,
      // so only the v2 way of killing (cgroup.kill) can stop it.
      const pid = v1.includes(parent) ? inV1.pid : inV2.pid;
      writeFileSync(path.join(parent, `${dead}-ep-t`, "inner", "cgroup.procs"), String(pid));
    }
    const r = await sweepLeftovers({ workspaceRoot: null, tmpDir: null, cgroupRoots: testCgroups });
    expect(r.failed).toEqual([]);
    expect(r.removed.map((l) => l.path).sort()).toEqual(testCgroups.map((d) => path.join(d, `${dead}-ep-t`)).sort());
    for (const parent of testCgroups) expect(existsSync(path.join(parent, `${dead}-ep-t`))).toBe(false);
    if (v1.length > 0) await expect.poll(() => alive(inV1.pid as number)).toBe(false);
    if (v2.length > 0) await expect.poll(() => alive(inV2.pid as number)).toBe(false);
  });

  it("two sweeps at once remove each leftover once, and the start-up sweep says so in one line", async () => {
    const me = currentRun();
    const dead = { ...me, start: me.start + 1 }; // our own pid with another start time: a dead run
    for (let k = 0; k < 60; k++) {
      const dir = path.join(k % 2 ? workspaceRoot : tmpDir, `${runPrefix(dead)}-ws-${k}`);
      mkdirSync(path.join(dir, "a", "b"), { recursive: true });
      writeFileSync(path.join(dir, "a", "b", "file.txt"), `leftover ${k}`);
    }
    const [one, two] = await Promise.all([sweepLeftovers(roots()), sweepLeftovers(roots())]);
    expect([...one.failed, ...two.failed]).toEqual([]);
    const removed = [...one.removed, ...two.removed].map((l) => l.path);
    expect(removed.length).toBe(60);
    expect(new Set(removed).size).toBe(60);
    expect(readdirSync(workspaceRoot).filter((n) => parseRunPrefix(n) !== null && !isRunAlive(parseRunPrefix(n) as RunId))).toEqual([]);
    // Claimed entries are renamed under the sweeping run's prefix, and none is left behind.
    expect([...readdirSync(workspaceRoot), ...readdirSync(tmpDir)].filter((n) => n.startsWith(`${runPrefix()}-gc-`))).toEqual([]);

    mkdirSync(path.join(tmpDir, `${runPrefix(dead)}-dep-search-z`));
    writeFileSync(path.join(tmpDir, `${runPrefix(dead)}-dep-search-z`, "big"), Buffer.alloc(3 * 2 ** 20, 1));
    const lines: string[] = [];
    await sweepAtStartup(roots(), (l) => lines.push(l));
    expect(lines).toEqual(["hgym: removed 1 leftovers of dead runs (3.0 MB)\n"]);
    await sweepAtStartup(roots(), (l) => lines.push(l));
    expect(lines.length).toBe(1);
  });
});

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
