// The persistent shell keeps working whatever a command does to its own streams or to the shell itself, on every
// backend that runs here (local, and bwrap when available).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BwrapSandbox } from "./bwrap.js";
import { LocalSandbox } from "./local.js";
import { makeTempDir } from "./test-support.js";
import type { Episode, Sandbox } from "./types.js";

const bwrapOk = (await new BwrapSandbox().available()).ok;
const backends: [string, () => Sandbox, boolean][] = [
  ["local", () => new LocalSandbox(), true],
  ["bwrap", () => new BwrapSandbox(), bwrapOk],
];

describe.each(backends)("persistent shell on %s", (name, make, available) => {
  let tmp: ReturnType<typeof makeTempDir>;
  let ep: Episode;
  let home = ""; // the workspace as the shell's pwd shows it
  const quiet = vi.spyOn(process.stderr, "write").mockImplementation(() => true); // the local backend's warning

  beforeAll(async () => {
    if (!available) return;
    tmp = makeTempDir(`hgym-shell-${name}-`);
    mkdirSync(path.join(tmp.dir, "sub"));
    ep = await make().start({ hostWorkspace: tmp.dir, workspacePath: "/workspace/s", limits: { commandTimeoutMs: 10_000 } });
    home = (await ep.run("pwd")).output.trim();
  });
  afterAll(async () => {
    await ep?.close();
    tmp?.cleanup();
    quiet.mockRestore();
  });

  it.skipIf(!available).each([
    ["exec 1>&-"],
    ["exec 1>&- 2>&-"],
    ["exec >/dev/null 2>&1"],
    ["exec </dev/null"],
    ["exec 0<&-"],
  ])("reports `%s` as finished and keeps the shell, its cwd and its variables", async (command) => {
    await ep.run("cd sub && export KEPT=yes");
    const r = await ep.run(`${command}; echo lost-or-not`);
    expect(r.exitCode).not.toBeNull(); // finished (echo may fail on the closed stdout)
    expect(r.output).not.toContain("waiting for input");
    const after = await ep.run('echo "back $KEPT"; pwd');
    expect(after.output).toBe(`back yes\n${home}/sub\n`);
    expect(after.exitCode).toBe(0);
    await ep.run("cd .. && unset KEPT");
  });

  it.skipIf(!available)("keeps the marker when a program closes its stdout and stderr", async () => {
    const r = await ep.run(`python3 -c 'import os; os.close(1); os.close(2)'; echo after`);
    expect(r.output).toBe("after\n");
    expect(r.exitCode).toBe(0);
  });

  it.skipIf(!available)("restarts a shell killed by the command and tells the agent what was reset", async () => {
    await ep.run("cd sub && export GONE=1");
    const r = await ep.run("kill -9 $$");
    expect(r.output).toContain("The shell exited");
    expect(r.output).toContain(`a new shell was started in ${name === "bwrap" ? "/workspace/s" : home}`);
    expect(r.output).toContain("environment variables, the working directory and background processes were reset");
    const after = await ep.run('pwd; echo "[$GONE]"');
    expect(after.output).toBe(`${home}\n[]\n`);
  });

  it.skipIf(!available)("tells the agent when the shell died between commands", async () => {
    await ep.run("(sleep 0.3; kill -9 $$) >/dev/null 2>&1 &");
    await new Promise((r) => setTimeout(r, 1500));
    const r = await ep.run("echo hello");
    expect(r.output).toContain("The shell exited (code 137) after the previous command");
    expect(r.output.endsWith("hello\n")).toBe(true);
    expect(r.exitCode).toBe(0);
    expect((await ep.run("echo again")).output).toBe("again\n");
  });

  it.skipIf(!available)("restarts after `exit` in the middle of a command line", async () => {
    const r = await ep.run("echo before; exit 4; echo never");
    expect(r.output).toContain("before\n");
    expect(r.output).not.toContain("never");
    expect(r.exitCode).toBe(4);
    expect((await ep.run("echo fine")).output).toBe("fine\n");
  });
});
