// End to end on real data: the quickstart (example repository, every family, oracle rollouts in the sandbox), then
// Harbor task folders run with their own scripts (oracle → reward 1, untouched → reward 0, for every family),
// ATIF trajectories checked against the schema, and RL rows for verl and SkyRL read back from Parquet.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { main } from "../cli/main.js";
import { quickstart } from "../cli/quickstart.js";
import { instanceSchema } from "../core/schemas/instance.js";
import { SnapshotStore } from "../repo/store.js";
import { readJsonlRecords } from "../util/jsonl.js";
import { runAtifExport } from "./atif-export.js";
import { atifTrajectorySchema } from "./atif-schema.js";
import { exportHarborTasks } from "./harbor.js";
import { writeRlRows } from "./rl-export.js";
import { NO_RECIPE } from "./select.js";

const REPO_ROOT = resolve(__dirname, "..", "..");
const HGYM_BIN = `node --import tsx ${join(REPO_ROOT, "src", "cli", "main.ts")}`;
const FAMILIES = ["dep-search", "func-gen", "func-localize", "issue-localize"];
const everything = { onlySuccess: false, includeOracle: true, maxPerInstance: null, minReward: null };

describe("exports of real runs", () => {
  const tmp = mkdtempSync(join(tmpdir(), "hgym-realruns-"));
  const saved = { cache: process.env.HGYM_CACHE, base: process.env.OPENAI_BASE_URL, model: process.env.HGYM_MODEL };
  const instancesPath = join(tmp, "qs", "instances.jsonl");
  const runDir = join(tmp, "qs", "runs", "oracle");

  beforeAll(async () => {
    process.env.HGYM_CACHE = join(tmp, "cache");
    delete process.env.OPENAI_BASE_URL;
    delete process.env.HGYM_MODEL;
    await quickstart({ out: join(tmp, "qs"), sandbox: "auto", concurrency: 2, seed: 0, perTask: 1 }, () => undefined);
  }, 300_000);

  afterAll(() => {
    for (const [k, v] of [["HGYM_CACHE", saved.cache], ["OPENAI_BASE_URL", saved.base], ["HGYM_MODEL", saved.model]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  // Runs a task folder's own scripts against a local copy of its starting state; returns the reward file's text.
  function runHarborTask(taskDir: string, solve: boolean): { reward: string; workspace: string; why: string } {
    const ws = mkdtempSync(join(tmp, "ws-"));
    const logs = mkdtempSync(join(tmp, "logs-"));
    execFileSync("tar", ["-xf", join(taskDir, "environment", "workspace.tar"), "-C", ws]);
    const [name] = readdirSync(ws);
    const workspace = join(ws, name ?? "");
    const env = { ...process.env, HGYM_HARBOR_WORKSPACE: workspace, HGYM_HARBOR_LOGS: logs, HGYM_BIN };
    if (solve) execFileSync("bash", [join(taskDir, "solution", "solve.sh")], { env });
    const test = spawnSync("bash", [join(taskDir, "tests", "test.sh")], { env, encoding: "utf8" });
    expect(test.status, test.stderr).toBe(0);
    const details = existsSync(join(logs, "reward-details.json")) ? readFileSync(join(logs, "reward-details.json"), "utf8") : "(no details)";
    return { reward: readFileSync(join(logs, "reward.txt"), "utf8").trim(), workspace, why: `${test.stdout}\n${test.stderr}\n${details}` };
  }

  it("Harbor folders: the oracle passes and the untouched workspace fails, for every family, with no gold or history in the image", async () => {
    const instances = readJsonlRecords(instancesPath, instanceSchema);
    expect([...new Set(instances.map((i) => i.task))].sort()).toEqual(FAMILIES);
    const out = join(tmp, "harbor");
    const tasks = await exportHarborTasks({
      instances,
      out,
      store: new SnapshotStore(join(tmp, "cache")),
      baseImage: "node:20-bookworm",
      hgymPackage: "hybrid-gym@0.1.0",
      agentTimeoutSec: 1800,
      verifierTimeoutSec: 600,
    });
    expect(tasks.map((t) => t.task).sort()).toEqual(FAMILIES);
    for (const t of tasks) {
      const dir = join(out, t.dir);
      for (const f of ["instruction.md", "task.toml", "environment/Dockerfile", "environment/workspace.tar", "tests/test.sh", "solution/solve.sh"]) {
        expect(existsSync(join(dir, f)), `${t.dir}/${f}`).toBe(true);
      }
      expect(statSync(join(dir, "tests", "test.sh")).mode & 0o111).not.toBe(0);
      const toml = readFileSync(join(dir, "task.toml"), "utf8");
      expect(toml).toMatch(/^version = "1\.0"$/m);
      expect(toml).toMatch(/^\[verifier\]\ntimeout_sec = 600\.0$/m);
      expect(toml).toContain(`category = "${t.task}"`);
      // No path of this machine in the folder's text files.
      const snapshots = join(dir, "tests", "store", "snapshots");
      for (const f of ["instruction.md", "task.toml", "tests/instance.json", "tests/start.json", ...readdirSync(snapshots).map((n) => `tests/store/snapshots/${n}`)]) {
        expect(readFileSync(join(dir, f), "utf8"), f).not.toContain(tmp);
      }

      const oracle = runHarborTask(dir, true);
      expect(oracle.reward, `${t.task} oracle: ${oracle.why}`).toBe("1");
      const untouched = runHarborTask(dir, false);
      expect(untouched.reward, `${t.task} untouched: ${untouched.why}`).toBe("0");

      // The image's repository: one commit, and no line the gold patch adds (the gold is only in tests/ and solution/).
      const git = (args: string[]) => execFileSync("git", args, { cwd: untouched.workspace, encoding: "utf8" });
      expect(git(["rev-list", "--count", "--all"]).trim()).toBe("1");
      const objects = git(["cat-file", "--batch-all-objects", "--batch"]);
      const added = readFileSync(join(dir, "solution", "gold.patch"), "utf8")
        .split("\n")
        .filter((l) => l.startsWith("+") && !l.startsWith("+++") && l.trim().length > 12);
      expect(added.length, t.task).toBeGreaterThan(0);
      expect(added.some((l) => objects.includes(l.slice(1))), `${t.task}: a gold line is in the image`).toBe(false);
    }
  }, 300_000);

  it("ATIF: every exported trajectory passes the schema and keeps calls, results and the reward", () => {
    const out = join(tmp, "atif");
    const res = runAtifExport({ runDirs: [runDir], out, filters: everything, recipe: NO_RECIPE });
    expect(res.trajectories).toBe(4);
    const index = readFileSync(join(out, "index.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { path: string; task: string; reward: number });
    expect(index.map((e) => e.task).sort()).toEqual(FAMILIES);
    for (const entry of index) {
      const t = atifTrajectorySchema.parse(JSON.parse(readFileSync(join(out, entry.path), "utf8")));
      expect(t.steps[0]?.source).toBe("system");
      expect(t.steps[1]?.source).toBe("user");
      const agentSteps = t.steps.filter((s) => s.source === "agent");
      expect(agentSteps.length).toBeGreaterThan(1);
      for (const s of agentSteps) {
        for (const c of s.tool_calls ?? []) expect(s.observation?.results.some((r) => r.source_call_id === c.tool_call_id)).toBe(true);
      }
      expect(agentSteps.at(-1)?.tool_calls?.[0]?.function_name).toBe("finish");
      expect((t.extra?.reward as { score: number }).score).toBe(entry.reward);
    }
    // The schema is not a formality: a broken reference and a non-agent tool call are rejected.
    const one = JSON.parse(readFileSync(join(out, index[0]?.path ?? ""), "utf8")) as { steps: { tool_calls?: { tool_call_id: string }[]; source: string }[] };
    const agent = one.steps.find((s) => s.tool_calls);
    if (agent?.tool_calls?.[0]) agent.tool_calls[0].tool_call_id = "renamed";
    expect(atifTrajectorySchema.safeParse(one).success).toBe(false);
  });

  it("RL rows: verl and SkyRL Parquet read back as nested prompt messages with the environment reference", async () => {
    const instances = readJsonlRecords(instancesPath, instanceSchema);
    for (const format of ["verl", "skyrl"] as const) {
      const out = join(tmp, `${format}.parquet`);
      writeRlRows({ instances, instancesFile: instancesPath, out, parquet: true, format, serverUrl: "http://127.0.0.1:8080", envClass: "hybrid_gym", split: "train" });
      const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(out) })) as Record<string, unknown>[];
      expect(rows).toHaveLength(instances.length);
      for (const [i, row] of rows.entries()) {
        const inst = instances[i];
        const prompt = row.prompt as { role: string; content: string }[];
        expect(prompt.map((m) => m.role)).toEqual(["system", "user"]);
        expect(prompt[1]?.content).toBe(inst?.instruction);
        const extra = row.extra_info as Record<string, unknown>;
        expect(extra).toMatchObject({ split: "train", index: i, instance_id: inst?.instance_id, task: inst?.task, server_url: "http://127.0.0.1:8080", instances_file: "instances.jsonl" });
        expect((JSON.parse(extra.tools as string) as { function: { name: string } }[]).map((t) => t.function.name)).toContain("finish");
        const reward = (format === "verl" ? row.reward_model : row.reward_spec) as Record<string, unknown>;
        expect(reward.ground_truth).toBe(inst?.instance_id);
        if (format === "verl") expect(row).toMatchObject({ data_source: `hybrid-gym/${inst?.task}`, ability: "agentic-coding", agent_name: "hybrid_gym" });
        else expect(row).toMatchObject({ env_class: "hybrid_gym" });
        // No gold in a row handed to a trainer.
        expect(JSON.stringify(row)).not.toContain(JSON.stringify(inst?.gold));
      }
    }
  });

  it("the commands: export --format atif, export-tasks verl (needs --server-url), and the quickstart's oracle runs need --include-oracle", async () => {
    const atif = join(tmp, "cli-atif");
    expect(await main(["node", "hgym", "export", runDir, "--format", "atif", "--include-oracle", "--out", atif])).toBe(0);
    expect(readFileSync(join(atif, "index.jsonl"), "utf8").trim().split("\n")).toHaveLength(4);
    const none = join(tmp, "none.jsonl");
    expect(await main(["node", "hgym", "export", runDir, "--format", "openai", "--out", none])).toBe(1);
    expect(existsSync(none)).toBe(false);
    const rows = join(tmp, "cli-verl.jsonl");
    expect(await main(["node", "hgym", "export-tasks", instancesPath, "--format", "verl", "--out", rows])).toBe(1);
    expect(await main(["node", "hgym", "export-tasks", instancesPath, "--format", "verl", "--server-url", "http://127.0.0.1:9", "--out", rows])).toBe(0);
    expect(readFileSync(rows, "utf8").trim().split("\n")).toHaveLength(4);
    expect(await main(["node", "hgym", "export-tasks", instancesPath, "--format", "skyrl", "--server-url", "http://x", "--parquet", "--out", join(tmp, "x.jsonl")])).toBe(1);
  });

  // Only where a Docker daemon is reachable (none on our machines): build one folder's image from hgym's own npm
  // tarball and run the oracle and the verifier inside it, as Harbor would.
  const dockerReachable = spawnSync("docker", ["info"], { stdio: "ignore" }).status === 0;
  it.skipIf(!dockerReachable)("Harbor folder: the Docker image builds and the oracle scores 1 inside it", async () => {
    const packed = execFileSync("npm", ["pack", "--pack-destination", tmp], { cwd: REPO_ROOT, encoding: "utf8" }).trim().split("\n").at(-1) ?? "";
    const instance = readJsonlRecords(instancesPath, instanceSchema).find((i) => i.task === "func-localize");
    if (!instance) throw new Error("no func-localize instance");
    const out = join(tmp, "harbor-docker");
    const [task] = await exportHarborTasks({ instances: [instance], out, store: new SnapshotStore(join(tmp, "cache")), baseImage: "node:20-bookworm", hgymPackage: "unused", hgymTarball: join(tmp, packed), agentTimeoutSec: 600, verifierTimeoutSec: 600 });
    const dir = join(out, task?.dir ?? "");
    const image = `hgym-harbor-test-${process.pid}`;
    execFileSync("docker", ["build", "-t", image, join(dir, "environment")], { stdio: "inherit" });
    try {
      const reward = execFileSync(
        "docker",
        ["run", "--rm", "-v", `${join(dir, "tests")}:/tests:ro`, "-v", `${join(dir, "solution")}:/solution:ro`, image, "bash", "-c", "bash /solution/solve.sh && bash /tests/test.sh >/dev/null && cat /logs/verifier/reward.txt"],
        { encoding: "utf8" },
      );
      expect(reward.trim()).toBe("1");
    } finally {
      spawnSync("docker", ["rmi", "-f", image], { stdio: "ignore" });
    }
  }, 900_000);
});
