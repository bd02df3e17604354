import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createSandbox } from "./index.js";
import { makeTempDir, processesWithArg, uniqueToken, waitForProcesses } from "./test-support.js";
import type { Episode } from "./types.js";

describe("local sandbox", () => {
  const tmp = makeTempDir("hgym-local-test-");
  const ws = path.join(tmp.dir, "ws");
  let ep: Episode;
  const stderrSpy = vi.spyOn(process.stderr, "write");

  beforeAll(async () => {
    mkdirSync(ws);
    ep = await createSandbox("local").start({
      hostWorkspace: ws,
      workspacePath: "/workspace/demo",
      limits: { commandTimeoutMs: 5000, maxOutputBytes: 4000 },
    });
  });
  afterEach(() => stderrSpy.mockClear());
  afterAll(async () => {
    await ep.close();
    stderrSpy.mockRestore();
    tmp.cleanup();
  });

  it("keeps cwd and exported variables between commands and reports exit codes", async () => {
    expect((await ep.run("mkdir -p sub && cd sub && export HGYM_X=42")).exitCode).toBe(0);
    const r = await ep.run('pwd; echo "x=$HGYM_X"; echo to-stderr >&2; exit_code() { return 3; }; exit_code');
    expect(r.output).toBe(`${path.join(ws, "sub")}\nx=42\nto-stderr\n`);
    expect(r.exitCode).toBe(3);
    expect(r.timedOut).toBe(false);
    await ep.run("cd ..");
  });

  it("interrupts a command past its timeout and keeps the shell state", async () => {
    await ep.run("cd sub");
    const r = await ep.run("sleep 100", { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(r.output).toContain("interrupted");
    const after = await ep.run("pwd; echo $HGYM_X");
    expect(after.output).toBe(`${path.join(ws, "sub")}\n42\n`);
    await ep.run("cd ..");
  });

  it("escalates to SIGKILL when Ctrl-C is ignored, and restarts a shell stuck in a builtin loop", async () => {
    await ep.run("cd sub");
    const stubborn = await ep.run("trap '' INT; sleep 30", { timeoutMs: 200 });
    expect(stubborn.timedOut).toBe(true);
    expect(stubborn.output).toContain("SIGKILL");
    expect((await ep.run("trap ':' INT; pwd")).output).toBe(`${path.join(ws, "sub")}\n`); // state survived
    const stuck = await ep.run("while true; do :; done", { timeoutMs: 200 });
    expect(stuck.timedOut).toBe(true);
    expect(stuck.output).toContain("shell was restarted");
    expect((await ep.run("pwd")).output).toBe(`${ws}\n`); // a fresh shell starts in the workspace again
  });

  it("interrupts a waiting command when the agent sends C-c as input", async () => {
    const first = await ep.run("cat");
    expect(first.output).toContain("waiting for input");
    const stopped = await ep.run("C-c", { isInput: true });
    expect(stopped.exitCode).toBe(130);
    expect((await ep.run("echo next")).output).toBe("next\n");
  });

  it("sends input to a program waiting on stdin", async () => {
    const first = await ep.run(`python3 -c 'name = input("name? "); print("hello " + name)'`);
    expect(first.exitCode).toBeNull();
    expect(first.timedOut).toBe(false);
    expect(first.output).toContain("name? ");
    expect(first.output).toContain("waiting for input");
    const busy = await ep.run("echo should-not-run");
    expect(busy.output).toContain("still running");
    const second = await ep.run("world", { isInput: true });
    expect(second.output).toBe("hello world\n");
    expect(second.exitCode).toBe(0);
  });

  it("caps output, keeping head and tail, and survives invalid UTF-8", async () => {
    const r = await ep.run("seq 1 20000; printf '\\xff end'");
    expect(r.output.startsWith("1\n2\n3\n")).toBe(true);
    expect(r.output).toMatch(/bytes of output cut here/);
    expect(r.output.endsWith("20000\n\uFFFD end")).toBe(true);
    expect(Buffer.byteLength(r.output)).toBeLessThan(4200);
  });

  it("starts a new shell after `exit` and says state was lost", async () => {
    const r = await ep.run("exit 7");
    expect(r.exitCode).toBe(7);
    expect(r.output).toContain("new shell was started");
    expect((await ep.run("echo alive")).output).toBe("alive\n");
  });

  it("maps agent paths to host paths and refuses symlinks that leave the workspace", () => {
    const outside = path.join(tmp.dir, "outside.txt");
    writeFileSync(outside, "secret");
    symlinkSync(outside, path.join(ws, "leak"));
    expect(ep.hostPath("/workspace/demo/sub/f.txt")).toBe(path.join(ws, "sub", "f.txt"));
    expect(ep.hostPath("leak")).toBeNull();
    expect(ep.hostPath("/tmp")).toBeNull();
  });

  it("warns loudly on start and kills background processes on close", async () => {
    const other = await createSandbox("local").start({ hostWorkspace: ws, workspacePath: "/workspace/demo" });
    const warned = stderrSpy.mock.calls.map((c) => String(c[0])).join("");
    expect(warned).toContain("local sandbox: NO ISOLATION");
    const token = uniqueToken();
    await other.run(`sleep 1000${token.slice(0, 3)}.${token} &`);
    expect((await waitForProcesses(token, 1)).length).toBe(1);
    await other.close();
    expect(processesWithArg(token)).toEqual([]);
    expect((await other.run("echo x")).output).toContain("closed");
  });
});
