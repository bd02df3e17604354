// Every measured output case of issue 9 through the real command line (`main`, in process): outputs into a
// missing folder, onto a read-only tmpfs, onto a full 64 KiB tmpfs, onto /dev/full; a too-large file; an
// unknown task; repositories with nothing to index. Each ends in one line naming the thing and an exit code,
// never a stack trace. Mounting needs root (we run as root here and in CI).

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { indexRepo } from "../lang/index.js";
import { MAX_INDEX_FILE_BYTES } from "../lang/index-stats.js";
import { makeTempDir, writeFiles } from "../repo/testutil.js";
import { main } from "./main.js";

const isRoot = process.getuid?.() === 0;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function hgym(args: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const savedExit = process.exitCode;
  const savedCache = process.env.HGYM_CACHE;
  try {
    process.exitCode = undefined;
    const code = await main(["node", "hgym", ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = savedExit;
    if (savedCache === undefined) delete process.env.HGYM_CACHE;
    else process.env.HGYM_CACHE = savedCache;
  }
}

// The one line a failing command prints (progress lines aside), checked to be free of stack traces.
function errorLine(run: CliRun): string {
  expect(run.stderr).not.toMatch(/\n\s+at |unexpected error/);
  const lines = run.stderr.split("\n").filter((l) => l.startsWith("hgym: "));
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

const PY = "def add(a, b):\n    \"\"\"Add two numbers.\"\"\"\n    return a + b\n\n\ndef twice(x):\n    return add(x, x)\n";

describe("output safety of the commands", () => {
  const tmp = makeTempDir("hgym-out-cli-");
  const mounts: string[] = [];
  let repo: string;
  let cache: string;
  beforeAll(() => {
    repo = join(tmp.path, "calc");
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`pkg/mod${i}.py`] = PY.replaceAll("add", `add${i}`);
    writeFiles(repo, files);
    cache = join(tmp.path, "cache");
  });
  afterAll(() => {
    for (const m of mounts.reverse()) execFileSync("umount", ["-l", m]);
    tmp.cleanup();
  });
  const mount = (dir: string, options: string): string => {
    mkdirSync(dir, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
    mounts.push(dir);
    return dir;
  };

  it("index --out into a missing folder creates it", async () => {
    const out = join(tmp.path, "new", "deeper", "calc.index.jsonl");
    const run = await hgym(["--cache", cache, "index", repo, "--out", out]);
    expect(run.code).toBe(0);
    expect(readFileSync(out, "utf8").trimEnd().split("\n")).toHaveLength(40);
    expect(readdirSync(join(tmp.path, "new", "deeper"))).toEqual(["calc.index.jsonl"]);
  });

  it("--out /dev/full (or a folder) is refused and never replaced", async () => {
    const run = await hgym(["--cache", cache, "index", repo, "--out", "/dev/full"]);
    expect(run.code).toBe(1);
    expect(errorLine(run)).toBe("hgym: refusing to write /dev/full: it exists and is a character device, not a regular file; choose another --out");
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
    const gen = await hgym(["--cache", cache, "generate", "func-gen", "--repo", repo, "--out", tmp.path]);
    expect(gen.code).toBe(1);
    expect(errorLine(gen)).toContain(`refusing to write ${tmp.path}: it exists and is a folder`);
  });

  it.skipIf(!isRoot)("on a read-only file system, index and generate stop before reading the repository (EROFS)", async () => {
    const ro = mount(join(tmp.path, "ro"), "ro,size=1m");
    const freshCache = join(tmp.path, "cache-untouched");
    const run = await hgym(["--cache", freshCache, "index", repo, "--out", join(ro, "x.jsonl")]);
    expect(run.code).toBe(1);
    expect(errorLine(run)).toBe(`hgym: cannot write ${join(ro, "x.jsonl")}: the file system is read-only (EROFS); choose a writable location for --out`);
    const gen = await hgym(["--cache", freshCache, "generate", "func-localize", "--repo", repo, "--out", join(ro, "sub", "i.jsonl")]);
    expect(gen.code).toBe(1);
    expect(errorLine(gen)).toContain("the file system is read-only (EROFS)");
    // No snapshot store was even opened: the work was not done.
    expect(existsSync(freshCache)).toBe(false);
  });

  it.skipIf(!isRoot)("on a full disk, index reports ENOSPC with the path and leaves no partial file", async () => {
    const small = mount(join(tmp.path, "small"), "size=64k");
    const big: Record<string, string> = {};
    for (let i = 0; i < 300; i++) big[`m${i}.py`] = PY.replaceAll("add", `add${i}`);
    const bigRepo = join(tmp.path, "bigcalc");
    writeFiles(bigRepo, big);
    const out = join(small, "big.index.jsonl");
    const run = await hgym(["--cache", cache, "index", bigRepo, "--out", out]);
    expect(run.code).toBe(1);
    expect(errorLine(run)).toBe(`hgym: cannot write ${out}: no space left on the device (ENOSPC); free space or choose another --out`);
    expect(readdirSync(small)).toEqual([]);
  });

  it("a file too large to index is refused as an option and skipped by the indexer, never building a giant record", async () => {
    // A separate process: commander exits on an invalid option value itself, which vitest does not allow.
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "--cache", cache, "index", repo, "--max-file-bytes", "100000000"], {
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`--max-file-bytes must be an integer from 1 to ${MAX_INDEX_FILE_BYTES}`);
    const huge = "x = 1\n".repeat(Math.ceil((MAX_INDEX_FILE_BYTES + 1) / 6));
    const index = await indexRepo([{ path: "huge.py", text: huge }, { path: "small.py", text: PY }], { workers: 0 });
    expect(index.stats.tooLarge).toBe(1);
    expect(index.files.map((f) => f.path)).toEqual(["small.py"]);
  });

  it("generate names an unknown task and lists the known ones", async () => {
    const run = await hgym(["generate", "func-teleport", "--repo", repo, "--out", join(tmp.path, "t.jsonl")]);
    expect(run.code).toBe(1);
    expect(errorLine(run)).toBe('hgym: unknown task "func-teleport"; known tasks: dep-search, func-gen, func-localize, issue-localize (see hgym generate <task> --help)');
  });

  it("an empty or binary-only repository says why nothing was indexed, exits 1 and writes nothing", async () => {
    const empty = join(tmp.path, "empty");
    mkdirSync(empty);
    const e = await hgym(["--cache", cache, "index", empty, "--out", join(tmp.path, "empty.jsonl")]);
    expect(e.code).toBe(1);
    expect(errorLine(e)).toBe(`hgym: no indexable source files in ${empty}: the repository has no files; nothing written`);
    const bin = join(tmp.path, "binonly");
    writeFiles(bin, { "a.png": Buffer.from([0x89, 0x50, 0, 1]) as unknown as string, "notes.txt": "hello\n", "data.csv": "a,b\n" });
    const b = await hgym(["--cache", cache, "index", bin, "--out", join(tmp.path, "bin.jsonl")]);
    expect(b.code).toBe(1);
    expect(errorLine(b)).toBe(
      `hgym: no indexable source files in ${bin}: 0 of 2 files are in a supported language (Python, TypeScript, TSX, JavaScript); nothing written`,
    );
    expect(existsSync(join(tmp.path, "bin.jsonl"))).toBe(false);
    const g = await hgym(["--cache", cache, "generate", "func-localize", "--repo", bin, "--out", join(tmp.path, "g.jsonl"), "--quiet"]);
    expect(g.code).toBe(1);
    expect(errorLine(g)).toContain(`no func-localize instances from ${bin}`);
    expect(existsSync(join(tmp.path, "g.jsonl"))).toBe(false);
  });

  it("rollout refuses an instance file whose only instance names an unknown task, naming it", async () => {
    const file = join(tmp.path, "unknown-task.jsonl");
    writeFileSync(
      file,
      JSON.stringify({
        schema: "hgym.instance/2",
        instance_id: "calc/func-teleport/1",
        task: "func-teleport",
        language: "python",
        repo: { name: "calc", commit: "0".repeat(40), source: repo, snapshot: "s" },
        setup_patch: "",
        instruction: "x",
        gold: {},
        meta: { generator_version: "1", seed: 0, difficulty: {}, validity: { gold: true, null: true, hacks: {} } },
      }) + "\n",
    );
    const runDir = join(tmp.path, "runs", "r1");
    const run = await hgym(["--cache", cache, "rollout", file, "--out", runDir, "--model", "oracle", "--sandbox", "local"]);
    expect(run.code).toBe(1);
    const line = errorLine(run);
    expect(line).toContain(`no usable instance in ${file}`);
    expect(line).toContain("func-teleport");
    expect(existsSync(runDir)).toBe(false);
  });
});
