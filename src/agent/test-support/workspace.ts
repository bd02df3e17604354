// Test helper: a real temporary git repository with given files, and a real `local` sandbox episode on it.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createSandbox } from "../../sandbox/index.js";
import type { Episode } from "../../sandbox/types.js";

export interface TestWorkspace {
  dir: string; // host directory of the workspace
  episode: Episode;
  git(...args: string[]): string;
  cleanup(): Promise<void>;
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" },
  });
}

export async function makeWorkspace(files: Record<string, string>, workspacePath = "/workspace/demo"): Promise<TestWorkspace> {
  const root = mkdtempSync(path.join(os.tmpdir(), "hgym-agent-test-"));
  const dir = path.join(root, "demo");
  mkdirSync(dir);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "start", "--allow-empty");
  const episode = await createSandbox("local").start({ hostWorkspace: dir, workspacePath });
  return {
    dir,
    episode,
    git: (...args: string[]) => git(dir, ...args),
    cleanup: async () => {
      await episode.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
