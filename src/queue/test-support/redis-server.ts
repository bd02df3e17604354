// A private redis-server for tests and benches: Debian's binary (scripts/setup.sh installs it) on a free loopback
// port, with a password, its files in a temp dir and no persistence. Redis cannot pick its own port (port 0 means
// "no TCP"), so a free one is found by binding it first; a race with another process is retried.

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REDIS_SERVER = process.env.HGYM_REDIS_SERVER ?? "/usr/bin/redis-server";

export interface TestRedis {
  url: string; // redis://:<password>@127.0.0.1:<port>
  port: number;
  password: string;
  pid: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function waitReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (/Ready to accept connections/.test(out)) {
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${out.slice(-2000)}`)));
  });
}

export async function startTestRedis(): Promise<TestRedis> {
  const password = randomBytes(12).toString("hex");
  const dir = mkdtempSync(join(tmpdir(), "hgym-redis-"));
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const child = spawn(
      REDIS_SERVER,
      ["--port", String(port), "--bind", "127.0.0.1", "--requirepass", password, "--dir", dir, "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      await waitReady(child);
    } catch (err) {
      if (tries < 5) continue; // the port was taken between the probe and the start
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    child.stdout?.resume();
    return {
      url: `redis://:${password}@127.0.0.1:${port}`,
      port,
      password,
      pid: child.pid ?? 0,
      stop: async () => {
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once("exit", r));
          child.kill("SIGKILL");
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
