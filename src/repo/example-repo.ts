// The bundled example repository ("shelf", under examples/). It ships as a series of git-format patches so that
// it can be rebuilt into a real git repository with history on any machine, offline: quickstart and the tests
// need real history (issue-localize mines fix commits from it), and a nested .git cannot be committed.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// examples/ sits at the package root; this file is at src/repo/ (sources) or dist/repo/ (compiled).
export function examplesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "examples");
    if (existsSync(join(candidate, "shelf-history"))) return candidate;
    dir = dirname(dir);
  }
  throw new Error("the bundled examples/ folder was not found next to the hybrid-gym package; reinstall the package");
}

const FIXED_IDENTITY = {
  GIT_AUTHOR_NAME: "hgym examples",
  GIT_AUTHOR_EMAIL: "examples@hybrid-gym.invalid",
  GIT_COMMITTER_NAME: "hgym examples",
  GIT_COMMITTER_EMAIL: "examples@hybrid-gym.invalid",
};

// Builds the example as a git repository at `target` (created; must not exist or be empty) by applying every
// patch of examples/shelf-history in order. Commit ids are deterministic: author and committer dates come from
// the patches. Returns the path of the repository.
export function buildExampleRepo(target: string): string {
  const patchDir = join(examplesDir(), "shelf-history");
  const patches = readdirSync(patchDir)
    .filter((f) => f.endsWith(".patch"))
    .sort()
    .map((f) => join(patchDir, f));
  const repo = resolve(target);
  mkdirSync(repo, { recursive: true });
  const env = { ...process.env, ...FIXED_IDENTITY, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, env, stdio: ["ignore", "pipe", "pipe"] });
  git("init", "-q", "-b", "main");
  git("config", "user.name", FIXED_IDENTITY.GIT_AUTHOR_NAME);
  git("config", "user.email", FIXED_IDENTITY.GIT_AUTHOR_EMAIL);
  git("config", "commit.gpgsign", "false");
  git("am", "-q", "--committer-date-is-author-date", "--keep-cr", ...patches);
  return repo;
}
