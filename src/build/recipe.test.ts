// Recipes as a user writes them (good and bad), SWE-bench records turned into repository states, shard keys,
// and one job run in this process through the shard store (what a queue worker does).

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../core/errors.js";
import { buildExampleRepo } from "../repo/example-repo.js";
import { SnapshotStore } from "../repo/store.js";
import { DEFAULT_FUNC_GEN_OPTIONS } from "../tasks/func-gen/types.js";
import { createVerifyContext } from "../tasks/verify-context.js";
import { runBuildJob, shardKey } from "./job.js";
import { loadRecipe } from "./recipe.js";
import { listShardKeys, readShard, writeShard } from "./shard.js";

let dir: string;
let shelf: string;
let head: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hgym-recipe-test-"));
  shelf = buildExampleRepo(join(dir, "clones", "acme__shelf"));
  head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: shelf, encoding: "utf8" }).trim();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recipe(value: unknown, name = "r.json"): string {
  const p = join(dir, name);
  writeFileSync(p, typeof value === "string" ? value : JSON.stringify(value));
  return p;
}

async function refusal(p: string): Promise<string> {
  const e = await loadRecipe(p).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UserError);
  return (e as Error).message;
}

describe("loadRecipe", () => {
  it("reads repositories from strings, list files and records, pins local revisions, and fills every option's default", async () => {
    writeFileSync(join(dir, "list.txt"), `# comment\nclones/acme__shelf@HEAD~1\n\nclones/acme__shelf   # again, same input: built once\nclones/acme__shelf@HEAD~1\n`);
    const records = [
      { instance_id: "acme__shelf-1", repo: "acme/shelf", base_commit: head, problem_statement: "Prices go negative when the discount is above 100 percent, which breaks reports.", patch: "diff --git a/x b/x\n" },
      { instance_id: "acme__shelf-2", repo: "acme/shelf", base_commit: head, problem_statement: "Another report about the same state of the repository and its behaviour.", patch: "diff --git a/y b/y\n" },
      { instance_id: "other-1", repo: "acme/missing", base_commit: head },
    ];
    writeFileSync(join(dir, "records.jsonl"), records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const plan = await loadRecipe(
      recipe({
        name: "mix",
        seed: 7,
        repositories: ["clones/acme__shelf", { list: "list.txt" }, { records: "records.jsonl", repos_dir: "clones" }],
        families: { "func-gen": { per_repo: 2, target: 5, options: { "verify-mode": "static", minBodyLines: 2 } }, "dep-search": { repositories: ["clones/acme__shelf"] } },
      }),
    );
    expect(plan.families.map((f) => f.family)).toEqual(["dep-search", "func-gen"]);
    const fg = plan.families[1];
    expect(fg?.values).toMatchObject({ verifyMode: "static", minBodyLines: 2, maxBodyLines: DEFAULT_FUNC_GEN_OPTIONS.maxBodyLines, exitStatusVerdict: false });
    expect(fg?.target).toBe(5);
    expect(plan.jobs.map((j) => j.input)).toEqual([shelf, `${shelf}@HEAD~1`, `${shelf}@${head}`]);
    expect(plan.jobs[0]?.commit).toBeNull(); // a folder: keyed by its path
    expect(plan.jobs[1]?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(plan.jobs[1]?.commit).not.toBe(head);
    expect(plan.jobs[0]?.families.map((f) => f.family)).toEqual(["dep-search", "func-gen"]);
    expect(plan.jobs[1]?.families.map((f) => f.family)).toEqual(["func-gen"]); // dep-search only on the folder
    expect(plan.jobs[2]?.issues.map((i) => i.instance_id)).toEqual(["acme__shelf-1", "acme__shelf-2"]);
    expect(plan.skipped).toEqual([{ id: "other-1", reason: expect.stringContaining("acme/missing not found") as string }]);
  });

  it("refuses a bad recipe with one message naming the field", async () => {
    expect(await refusal(join(dir, "nope.json"))).toContain("recipe not found");
    expect(await refusal(recipe("{ not json", "bad.json"))).toContain("not valid JSON");
    expect(await refusal(recipe({ repositories: [shelf], families: {} }))).toContain("families");
    expect(await refusal(recipe({ repositories: [shelf], families: { "func-teleport": {} } }))).toContain("func-teleport");
    expect(await refusal(recipe({ repositories: [shelf], families: { "dep-search": { options: { "max-depz": 3 } } } }))).toMatch(/max-depz.*not an option of dep-search; known: max-deps/);
    expect(await refusal(recipe({ repositories: [shelf], families: { "dep-search": { options: { "max-deps": 0 } } } }))).toContain("--max-deps must be an integer ≥ 1");
    expect(await refusal(recipe({ repositories: [shelf], families: { "func-gen": { options: { "verify-mode": "exec" } } } }))).toContain("needs --test-cmd");
    expect(await refusal(recipe({ repositories: [shelf], families: { "func-gen": { repositories: ["elsewhere"] } } }))).toContain("not among the recipe's repositories");
  });
});

describe("shards", () => {
  it("keys by what decides the content, and a job run here writes shards the store reads back and resume skips", async () => {
    const plan = await loadRecipe(recipe({ repositories: [`${shelf}@${head}`], families: { "func-localize": { per_repo: 2, options: { description: "docstring" } } } }));
    const job = plan.jobs[0];
    const family = plan.families[0];
    if (!job || !family) throw new Error("no job");
    const key = shardKey(job, family);
    expect(shardKey({ ...job }, { ...family, values: Object.fromEntries(Object.entries(family.values).reverse()) })).toBe(key);
    expect(shardKey({ ...job, seed: 1 }, family)).not.toBe(key);
    expect(shardKey({ ...job, commit: "0".repeat(40) }, family)).not.toBe(key);
    expect(shardKey(job, { ...family, perRepo: 3 })).not.toBe(key);

    const store = new SnapshotStore(join(dir, "cache"));
    const result = await runBuildJob(job, { store, verify: createVerifyContext({ store }), log: () => {} });
    expect(result.shards).toHaveLength(1);
    const shard = result.shards[0];
    if (!shard) throw new Error("no shard");
    expect(shard.key).toBe(key);
    expect(shard.instances).toHaveLength(2);
    expect(shard.reports[0]?.commit).toBe(head);
    const shardDir = join(dir, "shards");
    writeShard(shardDir, shard);
    expect(listShardKeys(shardDir)).toEqual(new Set([key]));
    expect(readShard(shardDir, key)).toEqual(JSON.parse(JSON.stringify(shard)));
    // Resume: a family whose shard is done is not run again.
    const again = await runBuildJob(job, { store, verify: createVerifyContext({ store }), log: () => {}, done: listShardKeys(shardDir) });
    expect(again.shards).toEqual([]);
    // A shard that is not one is an error naming the file, never silently redone.
    writeFileSync(join(shardDir, `${key}.json`), '{"schema":"hgym.build-shard/9"}\n');
    expect(() => readShard(shardDir, key)).toThrow(/newer hgym/);
  }, 120_000);
});
