import path from "node:path";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerSandbox } from "./docker.js";
import { makeTempDir } from "./test-support.js";
import type { Episode } from "./types.js";

const sandbox = new DockerSandbox();
const availability = await sandbox.available();
if (!availability.ok) console.warn(`skipping docker sandbox tests: ${availability.reason}`);

describe("docker sandbox availability", () => {
  it("explains why it is unavailable, or is available", () => {
    if (availability.ok) expect(availability).toEqual({ ok: true });
    else expect(availability.reason).toMatch(/docker/i);
  });
});

describe.skipIf(!availability.ok)("docker sandbox", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let ep: Episode;
  beforeAll(async () => {
    tmp = makeTempDir("hgym-docker-test-"); // made here, not at collection, so a skipped suite leaves nothing
    writeFileSync(path.join(tmp.dir, "hello.py"), "print('hi')\n");
    ep = await sandbox.start({ hostWorkspace: tmp.dir, workspacePath: "/workspace/demo", limits: { commandTimeoutMs: 10_000 } });
  }, 300_000);
  afterAll(async () => {
    await ep?.close();
    tmp?.cleanup();
  });

  it("keeps state, interrupts timeouts, answers input and has no network", async () => {
    await ep.run("mkdir -p d && cd d && export V=1");
    expect((await ep.run('pwd; echo "$V"')).output).toBe("/workspace/demo/d\n1\n");
    const slow = await ep.run("sleep 100", { timeoutMs: 500 });
    expect(slow.timedOut).toBe(true);
    expect((await ep.run("pwd")).output).toBe("/workspace/demo/d\n");
    const ask = await ep.run('read -p "x? " x; echo "got $x"');
    expect(ask.exitCode).toBeNull();
    expect((await ep.run("yes", { isInput: true })).output).toBe("got yes\n");
    const net = await ep.run(`python3 -c "import socket; socket.create_connection(('1.1.1.1', 53), 2)"`);
    expect(net.exitCode).not.toBe(0);
    expect((await ep.run("cd .. && python3 hello.py")).output).toBe("hi\n");
  });
});
