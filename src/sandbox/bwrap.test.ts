import { mkdirSync, rmSync, symlinkSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BwrapSandbox } from "./bwrap.js";
import { makeTempDir, processesWithArg, uniqueToken, waitForProcesses } from "./test-support.js";
import type { Episode } from "./types.js";

const sandbox = new BwrapSandbox();
const availability = await sandbox.available();
if (!availability.ok) console.warn(`skipping bwrap tests: ${availability.reason}`);

describe.skipIf(!availability.ok)("bwrap sandbox", () => {
  // Made in beforeAll, not at collection, so a skipped suite leaves nothing behind.
  let tmp: ReturnType<typeof makeTempDir>;
  let ws = "";
  const token = uniqueToken();
  // Things the agent must never see: a file in the host home, and an "instance file" outside the workspace.
  const homeSecret = path.join(os.homedir(), `.hgym-test-secret-${token}`);
  let instanceFile = "";
  let ep: Episode;
  let server: net.Server;
  let port = 0;

  beforeAll(async () => {
    tmp = makeTempDir("hgym-bwrap-test-");
    ws = path.join(tmp.dir, "ws");
    instanceFile = path.join(tmp.dir, "instance.jsonl");
    mkdirSync(ws);
    writeFileSync(path.join(ws, "hello.py"), "print('hi from the workspace')\n");
    writeFileSync(homeSecret, `home-secret-${token}`);
    writeFileSync(instanceFile, `{"gold": "instance-secret-${token}"}\n`);
    symlinkSync(homeSecret, path.join(ws, "leak"));
    symlinkSync(path.dirname(homeSecret), path.join(ws, "homedir"));
    server = net.createServer((s) => s.end("pong"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    port = (server.address() as net.AddressInfo).port;
    ep = await sandbox.start({
      hostWorkspace: ws,
      workspacePath: "/workspace/demo",
      limits: { commandTimeoutMs: 10_000, maxOutputBytes: 64 * 1024, maxProcesses: 64 },
    });
  });
  afterAll(async () => {
    await ep?.close();
    server?.close();
    rmSync(homeSecret, { force: true });
    tmp?.cleanup();
  });

  it("runs in the workspace with python3, node, git and grep, keeping cwd and env", async () => {
    const r = await ep.run(
      "pwd && python3 hello.py && node -e 'console.log(6*7)' && git --version >/dev/null && echo needle | grep -c needle && whoami",
    );
    expect(r.output).toBe("/workspace/demo\nhi from the workspace\n42\n1\nagent\n");
    expect(r.exitCode).toBe(0);
    await ep.run("mkdir -p pkg && cd pkg && export HGYM_Y=yes");
    expect((await ep.run('pwd; echo "$HGYM_Y"; echo "$HOME"')).output).toBe("/workspace/demo/pkg\nyes\n/tmp/home\n");
    await ep.run("cd /workspace/demo");
  });

  it("interrupts `sleep 100` at the timeout and the next command runs with cwd intact", async () => {
    await ep.run("cd pkg");
    const r = await ep.run("sleep 100", { timeoutMs: 400 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    const after = await ep.run("pwd");
    expect(after.output).toBe("/workspace/demo/pkg\n");
    expect(after.exitCode).toBe(0);
    await ep.run("cd /workspace/demo");
  });

  it("answers a `read` prompt with is_input", async () => {
    const first = await ep.run('read -p "your name? " who; echo "got $who"');
    expect(first.exitCode).toBeNull();
    expect(first.output).toContain("waiting for input");
    const second = await ep.run("agent-007", { isInput: true });
    expect(second.output).toBe("got agent-007\n");
    expect(second.exitCode).toBe(0);
  });

  it("caps output", async () => {
    const r = await ep.run("head -c 300000 /dev/zero | tr '\\0' x; echo; echo END");
    expect(r.output).toContain("bytes of output cut here");
    expect(r.output.endsWith("END\n")).toBe(true);
    expect(r.output.length).toBeLessThan(70 * 1024);
  });

  it("has no network: the host's loopback server and DNS are unreachable", async () => {
    // The server answers from the host, so a failure inside is the sandbox's doing.
    const hostReply = await new Promise<string>((resolve, reject) => {
      const c = net.connect(port, "127.0.0.1");
      let data = "";
      c.on("data", (d) => (data += d.toString()));
      c.on("end", () => resolve(data));
      c.on("error", reject);
    });
    expect(hostReply).toBe("pong");
    const r = await ep.run(
      `python3 -c "import socket; socket.create_connection(('127.0.0.1', ${port}), 2); print('CONNECTED')"`,
    );
    expect(r.output).not.toContain("CONNECTED");
    expect(r.exitCode).not.toBe(0);
    const dns = await ep.run("getent hosts example.com");
    expect(dns.exitCode).not.toBe(0);
  });

  it("hides the host home, the instance file and the rest of the host", async () => {
    // /root only holds the empty mount points leading to the bound python prefix (when python lives there).
    const listing = await ep.run("ls -A /root");
    expect(listing.output).not.toContain(".hgym-test-secret");
    expect(listing.output).not.toContain(".cache");
    for (const cmd of [`cat ${homeSecret}`, `cat ${instanceFile}`, `ls ${tmp.dir}`, `ls ${path.join(os.homedir(), ".cache")}`]) {
      const r = await ep.run(cmd);
      expect(r.exitCode, cmd).not.toBe(0);
      expect(r.output).not.toContain(`home-secret-${token}`);
      expect(r.output).not.toContain(`instance-secret-${token}`);
    }
    expect((await ep.run("ls /etc/ssl/private")).exitCode).not.toBe(0);
    const etc = await ep.run("ls /etc; cat /etc/shadow");
    expect(etc.output).not.toMatch(/\bshadow\b(?!:)/);
    expect(etc.output).not.toContain("npmrc");
  });

  it("lets the agent write the workspace and nothing else", async () => {
    const ok = await ep.run("echo data > written.txt && mkdir -p d/e && touch d/e/f");
    expect(ok.exitCode).toBe(0);
    expect(readFileSync(path.join(ws, "written.txt"), "utf8")).toBe("data\n");
    for (const target of ["/usr/x", "/etc/x", "/x", "/workspace/x"]) {
      const r = await ep.run(`touch ${target}`);
      expect(r.exitCode, target).not.toBe(0);
    }
    expect(existsSync("/usr/x")).toBe(false);
    expect((await ep.run("touch /tmp/scratch && echo ok")).output).toBe("ok\n");
  });

  it("does not follow workspace symlinks out, in the shell or through hostPath", async () => {
    const r = await ep.run("cat leak");
    expect(r.output).not.toContain(`home-secret-${token}`);
    expect(r.exitCode).not.toBe(0);
    const dir = await ep.run("ls -A homedir/");
    expect(dir.output).not.toContain(".hgym-test-secret");
    expect(ep.hostPath("leak")).toBeNull();
    expect(ep.hostPath("/workspace/demo/homedir/x")).toBeNull();
    expect(ep.hostPath("/workspace/demo/../../root")).toBeNull();
    expect(ep.hostPath("/workspace/demo/hello.py")).toBe(path.join(ws, "hello.py"));
  });

  it("fails a memory hog with MemoryError under the memory limit", async () => {
    const r = await ep.run(`python3 -c "x = bytearray(8 * 1024**3)"`);
    expect(r.output).toContain("MemoryError");
    expect(r.exitCode).not.toBe(0);
  });
});

describe.skipIf(!availability.ok)("bwrap episode teardown", () => {
  it("contains a fork bomb, kills what it left and stays usable, leaving no process behind at close", async () => {
    const tmp = makeTempDir("hgym-bwrap-fork-");
    const token = uniqueToken();
    const ep = await sandbox.start({ hostWorkspace: tmp.dir, workspacePath: "/workspace/f", limits: { maxProcesses: 40, commandTimeoutMs: 20_000 } });
    try {
      const script = [
        `# ${token}`,
        "import os, time",
        "n = 0",
        "try:",
        "    for i in range(2000):",
        "        if os.fork() == 0:",
        "            time.sleep(60)",
        "            os._exit(0)",
        "        n += 1",
        "except OSError as e:",
        "    print('fork refused after', n, type(e).__name__)",
      ].join("\n");
      writeFileSync(path.join(tmp.dir, "bomb.py"), script);
      const r = await ep.run(`python3 bomb.py ${token}`);
      const m = /fork refused after (\d+)/.exec(r.output);
      expect(m, r.output).not.toBeNull();
      expect(Number(m?.[1])).toBeLessThan(40);
      // The limit was hit, so the sleeping children were killed with the shell, and the agent was told.
      expect(r.output).toContain("limit of 40 processes");
      expect(processesWithArg(token)).toEqual([]);
      expect((await ep.run("echo usable")).output).toBe("usable\n");
      await ep.run(`sleep 1000${token} &`);
      expect((await waitForProcesses(token, 1)).length).toBe(1);
      await ep.close();
      expect(processesWithArg(token)).toEqual([]);
    } finally {
      await ep.close();
      tmp.cleanup();
    }
  });

  it("kills background processes at close() and closes by itself at the episode time limit", async () => {
    const tmp = makeTempDir("hgym-bwrap-bg-");
    const token = uniqueToken();
    const ep = await sandbox.start({ hostWorkspace: tmp.dir, workspacePath: "/workspace/b", limits: { episodeTimeoutMs: 1500 } });
    try {
      const r = await ep.run(`(setsid sleep 1000${token} &) ; sleep 1000${token} & echo started`);
      expect(r.output).toBe("started\n");
      expect((await waitForProcesses(`1000${token}`, 2)).length).toBe(2);
      await new Promise((res) => setTimeout(res, 2000)); // past the episode limit
      const late = await ep.run("echo too late");
      expect(late.output).toContain("episode time limit");
      expect(processesWithArg(`1000${token}`)).toEqual([]);
    } finally {
      await ep.close();
      tmp.cleanup();
    }
  });
});
