import { describe, expect, it } from "vitest";
import { UserError } from "../core/errors.js";
import { DEFAULT_LIMITS, createSandbox } from "./index.js";
import { BwrapSandbox } from "./bwrap.js";
import { makeTempDir } from "./test-support.js";

describe("createSandbox", () => {
  it("exports the documented default limits", () => {
    expect(DEFAULT_LIMITS).toEqual({
      commandTimeoutMs: 120_000,
      episodeTimeoutMs: 1_800_000,
      memoryBytes: 4 * 1024 ** 3,
      maxProcesses: 512,
      maxOutputBytes: 1024 * 1024,
      tmpBytes: 512 * 1024 ** 2,
      workspaceBytes: 2 * 1024 ** 3,
      cpuSecondsPerCommand: 240,
    });
  });

  it("builds each named backend and rejects unknown names with a UserError", () => {
    expect(createSandbox("local").backend).toBe("local");
    expect(createSandbox("bwrap").backend).toBe("bwrap");
    expect(createSandbox("docker").backend).toBe("docker");
    expect(() => createSandbox("podman" as never)).toThrow(UserError);
  });

  it("auto picks bwrap when it is available and runs an episode with it", async () => {
    const bwrapOk = (await new BwrapSandbox().available()).ok;
    const auto = createSandbox("auto");
    const a = await auto.available();
    if (!bwrapOk) {
      // Without bwrap, auto either found docker or explains what to install.
      if (!a.ok) expect(a.reason).toContain("bubblewrap");
      return;
    }
    expect(a.ok).toBe(true);
    expect(auto.backend).toBe("bwrap");
    const tmp = makeTempDir("hgym-auto-");
    const ep = await auto.start({ hostWorkspace: tmp.dir, workspacePath: "/workspace/auto" });
    try {
      expect(ep.backend).toBe("bwrap");
      expect((await ep.run("pwd")).output).toBe("/workspace/auto\n");
    } finally {
      await ep.close();
      tmp.cleanup();
    }
  });

  it("rejects a bad workspace with a message naming it", async () => {
    await expect(createSandbox("local").start({ hostWorkspace: "/nonexistent/ws", workspacePath: "/workspace/x" })).rejects.toThrow(
      /\/nonexistent\/ws is not an existing directory/,
    );
    const tmp = makeTempDir("hgym-badpath-");
    try {
      await expect(createSandbox("local").start({ hostWorkspace: tmp.dir, workspacePath: "workspace/x" })).rejects.toThrow(/workspacePath/);
    } finally {
      tmp.cleanup();
    }
  });
});
