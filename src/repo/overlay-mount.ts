// Mounting and unmounting the overlays of copy-on-write workspaces.
//
// Why a long-lived helper instead of mount(8): spawning `mount -t overlay` from node costs 7-9 ms on a loaded
// 2-core machine (node's fork/exec plus libmount's work), most of a workspace's 10 ms budget; one python3 process
// that makes the mount(2)/umount2(2) system calls for every workspace of the process answers in under 1 ms. It is
// started on first use, shared by all workspaces, and does not keep node alive (unref'd while nothing waits on it).
// The helper runs in our mount namespace, so its mounts are ours.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { promises as fsp, rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { randomBytes } from "node:crypto";
import { runPrefix } from "../core/run-scope.js";
import { unmountAllUnder } from "../util/mountinfo.js";

const HELPER = String.raw`
import ctypes, errno, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
for line in sys.stdin:
    op, target, arg = line.rstrip("\n").split("\t")
    if op == "m":
        r = libc.mount(b"overlay", target.encode(), b"overlay", 0, arg.encode())
    else:
        r = libc.umount2(target.encode(), int(arg))
    if r == 0:
        sys.stdout.write("ok\n")
    else:
        e = ctypes.get_errno()
        sys.stdout.write("%s (%s)\n" % (os.strerror(e), errno.errorcode.get(e, str(e))))
    sys.stdout.flush()
`;

const MNT_DETACH = 2;

// A mount the kernel refused (not root, no overlay support, an upper dir on a file system overlay cannot use).
export class OverlayRefused extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "OverlayRefused";
  }
}

class MountHelper {
  private child: ChildProcessWithoutNullStreams | null = null;
  private waiting: { resolve: (reply: string) => void; reject: (err: Error) => void }[] = [];

  request(line: string): Promise<string> {
    const child = this.child ?? this.start();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (this.waiting.length === 1) this.setRef(child, true);
      child.stdin.write(`${line}\n`);
    });
  }

  private start(): ChildProcessWithoutNullStreams {
    const child = spawn("python3", ["-c", HELPER], { stdio: ["pipe", "pipe", "pipe"] });
    this.child = child;
    const fail = (why: string): void => {
      if (this.child === child) this.child = null;
      for (const w of this.waiting.splice(0)) w.reject(new OverlayRefused(why));
    };
    child.on("error", (e) => fail(`the mount helper (python3) could not start: ${e.message}`));
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("exit", (code, signal) => fail(`the mount helper (python3) exited (${signal ?? code}): ${stderr.trim().slice(-300)}`));
    child.stdin.on("error", () => {
      /* the exit handler reports what happened */
    });
    createInterface({ input: child.stdout }).on("line", (reply) => {
      this.waiting.shift()?.resolve(reply);
      if (this.waiting.length === 0) this.setRef(child, false);
    });
    return child;
  }

  // Referenced only while a request waits, so an idle helper never keeps the process alive.
  private setRef(child: ChildProcessWithoutNullStreams, on: boolean): void {
    for (const h of [child, child.stdout, child.stderr, child.stdin] as { ref(): void; unref(): void }[]) {
      if (on) h.ref();
      else h.unref();
    }
  }
}

const helper = new MountHelper();

// Characters the kernel's legacy option string cannot carry in a path (separators), or our line protocol.
const UNSAFE_PATH = /[,:\\\n\t=]/;

export interface OverlayDirs {
  lower: string; // read-only, shared
  upper: string; // this workspace's writes; `work` must be on the same file system
  work: string;
  target: string; // the mount point: the workspace directory
}

export async function mountOverlay(dirs: OverlayDirs): Promise<void> {
  if (process.getuid?.() !== 0) throw new OverlayRefused("overlay workspaces need root (mount(2)); this process is not root");
  for (const p of Object.values(dirs)) {
    if (UNSAFE_PATH.test(p)) throw new OverlayRefused(`the path ${JSON.stringify(p)} has a character overlay mount options cannot hold (, : \\ = or a control character)`);
  }
  // redirect_dir=on: renaming a directory of the base works like on any file system (without it rename(2) of
  // a lower directory fails with EXDEV, and programs other than mv(1) do not fall back to copying).
  const options = `lowerdir=${dirs.lower},upperdir=${dirs.upper},workdir=${dirs.work},redirect_dir=on`;
  const reply = await helper.request(`m\t${dirs.target}\t${options}`);
  if (reply !== "ok") throw new OverlayRefused(`mount -t overlay on ${dirs.target} failed: ${reply}`);
}

// Unmounts, detaching lazily when something still uses the mount.
export async function unmountOverlay(target: string): Promise<void> {
  const reply = await helper.request(`u\t${target}\t0`);
  if (reply === "ok") return;
  const lazy = await helper.request(`u\t${target}\t${MNT_DETACH}`);
  if (lazy !== "ok") throw new Error(`could not unmount the workspace overlay ${target}: ${reply}; ${lazy}`);
}

// Whether overlay workspaces can be made under `root` (null) or why not. Tried once per root and process with a
// tiny overlay whose upper dir is on root's file system, so a refusal costs no base extraction.
const probes = new Map<string, Promise<string | null>>();
export function overlayUnsupportedReason(root: string): Promise<string | null> {
  let probe = probes.get(root);
  if (!probe) {
    probe = probeOverlay(root);
    probes.set(root, probe);
  }
  return probe;
}

async function probeOverlay(root: string): Promise<string | null> {
  if (process.getuid?.() !== 0) return "not root";
  await fsp.mkdir(root, { recursive: true });
  const box = join(root, `${runPrefix()}-probe-${randomBytes(6).toString("hex")}`);
  const dirs = { lower: join(box, "lower"), upper: join(box, "upper"), work: join(box, "work"), target: join(box, "merged") };
  try {
    await Promise.all(Object.values(dirs).map((d) => fsp.mkdir(d, { recursive: true })));
    await mountOverlay(dirs);
    await unmountOverlay(dirs.target);
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await fsp.rm(box, { recursive: true, force: true }).catch(() => undefined);
  }
}

// Mounted workspaces of this process, unmounted and removed if it exits with them still open (a crash,
// process.exit). A SIGKILL leaves them to the leftover sweep (gc/leftovers.ts unmounts dead runs' workspaces).
// This is src/sandbox/exit-cleanup.ts's pattern; repo/ may not import sandbox/ (same layer), hence its own hook.
const mounted = new Map<string, string>(); // mount point -> the directory to remove with it
let exitHookInstalled = false;

export function trackMounted(target: string, box: string): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const [t, b] of mounted) {
        try {
          spawnSync("umount", ["-l", t], { stdio: "ignore" });
          unmountAllUnder(b);
          rmSync(b, { recursive: true, force: true });
        } catch {
          // keep going: the other workspaces still deserve their cleanup
        }
      }
    });
  }
  mounted.set(target, box);
  return () => void mounted.delete(target);
}
