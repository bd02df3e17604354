import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildExampleRepo, examplesDir } from "./example-repo.js";

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === ".git") return [];
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(root, p) : [relative(root, p)];
  });
}

describe("bundled example repository", () => {
  const tmp = mkdtempSync(join(tmpdir(), "hgym-example-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("replays its history into a real git repository whose final tree is examples/shelf", () => {
    const repo = buildExampleRepo(join(tmp, "a"));
    const log = execFileSync("git", ["log", "--format=%s"], { cwd: repo, encoding: "utf8" }).trim().split("\n");
    expect(log.length).toBeGreaterThanOrEqual(4);
    expect(log.some((s) => s.startsWith("Fix "))).toBe(true);
    const shipped = join(examplesDir(), "shelf");
    const built = listFiles(repo).sort();
    expect(built).toEqual(listFiles(shipped).sort());
    for (const f of built) expect(readFileSync(join(repo, f), "utf8")).toBe(readFileSync(join(shipped, f), "utf8"));
  });

  it("gives the same commit ids on every build", () => {
    const head = (r: string) => execFileSync("git", ["rev-parse", "HEAD"], { cwd: r, encoding: "utf8" }).trim();
    expect(head(buildExampleRepo(join(tmp, "b")))).toBe(head(buildExampleRepo(join(tmp, "c"))));
  });
});
