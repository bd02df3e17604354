// Start-up loads only what the command uses: `hgym --version`, `hgym --help` and `hgym generate <task> --help` must
// not load the task families, the parsers, the TypeScript compiler, the model client or the Parquet writer (what
// made `hgym --version` take 1.4 s). Checked by the modules node actually loads, recorded by a resolve hook in a
// real `hgym` process, not by timing (bench/startup.ts measures the time).

import { describe, expect, it, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "hgym-startup-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// A module hook that appends every module URL node resolves to a file.
const log = join(tmp, "loaded.txt");
const hook = join(tmp, "hook.mjs");
writeFileSync(hook, `import { appendFileSync } from "node:fs";\nexport async function resolve(spec, ctx, next) {\n  const r = await next(spec, ctx);\n  appendFileSync(${JSON.stringify(log)}, r.url + "\\n");\n  return r;\n}\n`);
const register = join(tmp, "register.mjs");
writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`);

function loadedBy(...args: string[]): string[] {
  writeFileSync(log, "");
  spawnSync(process.execPath, ["--import", "tsx", "--import", register, join(root, "src/cli/main.ts"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, HGYM_CACHE: join(tmp, "cache") } });
  return readFileSync(log, "utf8").split("\n").filter(Boolean);
}

const HEAVY = [/node_modules\/typescript\//, /node_modules\/openai\//, /node_modules\/hyparquet-writer\//, /node_modules\/web-tree-sitter\//, /node_modules\/hono\//, /\/src\/tasks\/registry\.ts/, /\/src\/lang\/parser\.ts/, /\/src\/runner\//];

describe("hgym start-up", () => {
  for (const args of [["--version"], ["--help"], ["generate", "dep-search", "--help"], ["gc", "--help"], ["verify", "--help"], ["quickstart", "--help"], ["serve", "--help"], ["export-tasks", "--help"], ["index", "--help"], ["export", "--help"], ["import", "repost", "--help"], ["rollout", "--help"], ["build", "--help"]]) {
    it(`hgym ${args.join(" ")} loads no family, parser, compiler, model client or Parquet writer`, () => {
      const loaded = loadedBy(...args);
      expect(loaded.some((u) => u.endsWith("/src/cli/main.ts"))).toBe(true);
      expect(loaded.filter((u) => HEAVY.some((re) => re.test(u)))).toEqual([]);
    });
  }

  // The TypeScript compiler (9 MB, ~0.8 s of CPU to load) only for TypeScript/JavaScript work: generating from a
  // Python repository loads the families and the parser, not the compiler the TypeScript resolver needs.
  for (const [task, ...options] of [["func-localize", "--description", "docstring"], ["dep-search"]] as const) {
    it(`hgym generate ${task} on a Python repository does not load the TypeScript compiler`, () => {
      const repo = join(tmp, `py-${task}`);
      mkdirSync(repo);
      writeFileSync(join(repo, "m.py"), 'import os\n\n\ndef helper(x):\n    """Join."""\n    return os.path.join(x, "a")\n\n\ndef target(y):\n    return helper(helper(y))\n');
      spawnSync("git", ["init", "-q"], { cwd: repo });
      const loaded = loadedBy("generate", task, "--repo", repo, "--out", join(tmp, `${task}.jsonl`), "--quiet", ...options);
      expect(loaded.some((u) => /\/src\/tasks\/registry\.ts/.test(u))).toBe(true);
      expect(loaded.some((u) => /\/src\/lang\/parser\.ts/.test(u))).toBe(true);
      if (task === "dep-search") expect(loaded.some((u) => /\/src\/resolve\/pyright\.ts/.test(u))).toBe(true); // it resolved calls
      expect(loaded.filter((u) => /node_modules\/typescript\//.test(u))).toEqual([]);
    }, 60_000);
  }

  it("a command that runs loads what it needs (the hook sees it)", () => {
    const loaded = loadedBy("verify", "--instances", join(tmp, "none.jsonl"), "--patches", join(tmp, "none.jsonl"));
    expect(loaded.some((u) => /\/src\/tasks\/registry\.ts/.test(u) || /node_modules\/typescript\//.test(u))).toBe(true);
  });
});
