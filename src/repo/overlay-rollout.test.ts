// `hgym rollout --model oracle` end to end on the bundled example, once with overlay workspaces and once with
// copies: the same diffs and the same rewards, in the real bwrap sandbox.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExampleRepo } from "./example-repo.js";
import { SnapshotStore } from "./store.js";
import { generateInstances, instancesToJsonl } from "../tasks/common/pipeline.js";
import { getTaskFamily } from "../tasks/registry.js";
import { readJsonlRecords } from "../util/jsonl.js";
import { rolloutSchema } from "../core/schemas/rollout.js";
import { createSandbox } from "../sandbox/index.js";
import { createVerifyContext } from "../tasks/verify-context.js";
import { readMounts } from "../util/mountinfo.js";
import * as rolloutCmd from "../cli/rollout-command.js";
import { runCommand } from "../cli/test-support/run-command.js";

let tmp: string;
let instancesPath: string;
const saved = { cache: process.env.HGYM_CACHE, workspaces: process.env.HGYM_WORKSPACES };

const hgym = (...args: string[]) => runCommand([rolloutCmd], args);

beforeAll(async () => {
  const available = await createSandbox("bwrap").available();
  if (!available.ok) throw new Error(`bwrap is needed (scripts/setup.sh installs it): ${available.reason}`);
  tmp = mkdtempSync(join(tmpdir(), "hgym-overlay-rollout-"));
  process.env.HGYM_CACHE = join(tmp, "cache");
  const store = new SnapshotStore();
  const repo = buildExampleRepo(join(tmp, "shelf"));
  const instances = [];
  for (const task of ["func-localize", "func-gen"]) {
    const { instances: made } = await generateInstances({
      family: getTaskFamily(task),
      repos: [repo],
      store,
      verify: createVerifyContext({ store, workspaceRoot: join(tmp, "verify-ws") }),
      seed: 1,
      limit: 2,
      includeTests: false,
      language: null,
      taskOptions: task === "func-localize" ? { description: "docstring" } : {},
      log: () => undefined,
    });
    instances.push(...made);
  }
  expect(new Set(instances.map((i) => i.task))).toEqual(new Set(["func-localize", "func-gen"]));
  instancesPath = join(tmp, "instances.jsonl");
  writeFileSync(instancesPath, instancesToJsonl(instances));
}, 300_000);

afterAll(() => {
  for (const [k, v] of [["HGYM_CACHE", saved.cache], ["HGYM_WORKSPACES", saved.workspaces]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(tmp, { recursive: true, force: true });
});

describe("hgym rollout --workspace-mode", () => {
  it("gives the same diffs and rewards with overlay workspaces as with copies", async () => {
    const results: Record<string, Map<string, { diff: string; reward: unknown }>> = {};
    for (const mode of ["overlay", "copy"]) {
      const wsRoot = join(tmp, `ws-${mode}`);
      process.env.HGYM_WORKSPACES = wsRoot;
      const run = join(tmp, "runs", mode);
      const out = await hgym("rollout", instancesPath, "--out", run, "--model", "oracle", "--sandbox", "bwrap", "--concurrency", "2", "--workspace-mode", mode);
      expect(out).toMatch(/4 of 4 rollouts done \(4 successful/);
      const recs = readJsonlRecords(join(run, "rollouts.jsonl"), rolloutSchema);
      results[mode] = new Map(recs.map((r) => [r.instance_id, { diff: r.final_diff, reward: r.reward }]));
      // Overlay runs leave their shared base behind (reused by the next run) and nothing mounted; copies make none.
      expect(existsSync(join(wsRoot, "hgym-bases")) && readdirSync(join(wsRoot, "hgym-bases")).length > 0).toBe(mode === "overlay");
      expect(readMounts().filter((m) => m.mountPoint.startsWith(`${wsRoot}/`))).toEqual([]);
    }
    const overlay = results.overlay as Map<string, { diff: string; reward: unknown }>;
    const copy = results.copy as Map<string, { diff: string; reward: unknown }>;
    expect([...overlay.keys()].sort()).toEqual([...copy.keys()].sort());
    for (const [id, r] of overlay) {
      expect(r.diff).toBe(copy.get(id)?.diff);
      expect(r.reward).toEqual(copy.get(id)?.reward);
      expect(r.diff).toMatch(/^diff --git/);
    }
  }, 600_000);
});
