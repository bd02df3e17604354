// The workspace-size check without a cgroup (the docker backend's case, and bwrap on a host without one), on a real
// directory; the cgroup-driven checks run through real episodes in bwrap-limits.test.ts.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diskUsage } from "./disk-usage.js";
import { LimitMonitor } from "./limit-monitor.js";
import { resolveLimits } from "./limits.js";
import { makeTempDir } from "./test-support.js";

const MiB = 1024 ** 2;

describe("workspace size check", () => {
  it("measures allocated bytes without following symlinks out of the tree", () => {
    const tmp = makeTempDir("hgym-du-test-");
    try {
      mkdirSync(path.join(tmp.dir, "a/b"), { recursive: true });
      writeFileSync(path.join(tmp.dir, "a/b/one"), Buffer.alloc(MiB, 1));
      writeFileSync(path.join(tmp.dir, "two"), Buffer.alloc(MiB, 2));
      symlinkSync("/usr", path.join(tmp.dir, "usr-link"));
      const bytes = diskUsage(tmp.dir);
      expect(bytes).toBeGreaterThanOrEqual(2 * MiB);
      expect(bytes).toBeLessThan(3 * MiB);
      expect(diskUsage(tmp.dir, MiB / 2)).toBeGreaterThan(MiB / 2); // stops early once over
    } finally {
      tmp.cleanup();
    }
  });

  it("warns once the workspace is over the limit, closes if it stays over, and forgets a cleaned-up excess", () => {
    const tmp = makeTempDir("hgym-monitor-test-");
    try {
      const monitor = new LimitMonitor(null, tmp.dir, resolveLimits({ workspaceBytes: 4 * MiB }), 0); // walk every time
      writeFileSync(path.join(tmp.dir, "small"), Buffer.alloc(MiB, 1));
      expect(monitor.after()).toEqual({ notes: [], resetShell: false, closeEpisode: false });
      writeFileSync(path.join(tmp.dir, "big"), Buffer.alloc(4 * MiB, 1));
      const over = monitor.after();
      expect(over.notes.join("")).toContain("more than its limit of 4 MiB");
      expect(over.closeEpisode).toBe(false);
      rmSync(path.join(tmp.dir, "big"));
      expect(monitor.after().notes).toEqual([]);
      writeFileSync(path.join(tmp.dir, "big"), Buffer.alloc(4 * MiB, 1));
      expect(monitor.after().closeEpisode).toBe(false);
      const still = monitor.after();
      expect(still.closeEpisode).toBe(true);
      expect(still.notes.join("")).toContain("so the episode was closed");
    } finally {
      tmp.cleanup();
    }
  });
});
