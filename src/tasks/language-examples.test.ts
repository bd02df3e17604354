// The done-means of the compiled languages on our own example projects, the way a user runs them: every family
// that supports the language generates gated instances from examples/<lang>-example, and `hgym rollout --model
// oracle` in the real bwrap sandbox scores every one of them a success. (Real fetched repositories were checked the
// same way by hand: docs/LANGUAGES.md.)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SnapshotStore } from "../repo/store.js";
import { generateInstances, instancesToJsonl } from "./common/pipeline.js";
import { getTaskFamily } from "./registry.js";
import { readJsonlRecords } from "../util/jsonl.js";
import { rolloutSchema } from "../core/schemas/rollout.js";
import { createSandbox } from "../sandbox/index.js";
import { createVerifyContext } from "./verify-context.js";
import * as rolloutCmd from "../cli/rollout-command.js";
import { runCommand } from "../cli/test-support/run-command.js";
import type { Instance } from "./types.js";
import { PROJECT_ROOT } from "./redteam/corpus.js";

let tmp: string;
const saved = process.env.HGYM_CACHE;

const rollout = (...args: string[]) => runCommand([rolloutCmd], ["rollout", ...args]);

beforeAll(async () => {
  const available = await createSandbox("bwrap").available();
  if (!available.ok) throw new Error(`bwrap is needed (scripts/setup.sh installs it): ${available.reason}`);
  tmp = mkdtempSync(join(tmpdir(), "hgym-language-examples-"));
  process.env.HGYM_CACHE = join(tmp, "cache");
});

afterAll(() => {
  if (saved === undefined) delete process.env.HGYM_CACHE;
  else process.env.HGYM_CACHE = saved;
  rmSync(tmp, { recursive: true, force: true });
});

const CASES = [
  { language: "go", families: ["func-localize", "func-gen", "dep-search"] },
  { language: "java", families: ["func-localize", "func-gen", "dep-search"] },
  { language: "rust", families: ["func-localize", "func-gen"] },
] as const;

describe("compiled languages on the bundled examples", () => {
  for (const { language, families } of CASES) {
    it(`${language}: ${families.join(", ")} instances pass the gate and the oracle scores 1 in bwrap`, async () => {
      const store = new SnapshotStore();
      const repo = join(PROJECT_ROOT, "examples", `${language}-example`);
      const instances: Instance[] = [];
      for (const task of families) {
        const { instances: made } = await generateInstances({
          family: getTaskFamily(task),
          repos: [repo],
          store,
          verify: createVerifyContext({ store, workspaceRoot: join(tmp, "verify-ws") }),
          seed: 3,
          limit: 3,
          includeTests: false,
          language: null,
          taskOptions: task === "func-localize" ? { description: "docstring" } : task === "func-gen" ? { mode: "static" } : {},
          log: () => undefined,
        });
        expect(made.length, `${language} ${task}`).toBeGreaterThan(0);
        for (const i of made) expect(i.language).toBe(language);
        instances.push(...made);
      }
      const file = join(tmp, `${language}.jsonl`);
      writeFileSync(file, instancesToJsonl(instances));
      const run = join(tmp, "runs", language);
      const out = await rollout(file, "--out", run, "--model", "oracle", "--sandbox", "bwrap", "--concurrency", "2");
      expect(out).toContain(`${instances.length} of ${instances.length} rollouts done (${instances.length} successful`);
      const records = readJsonlRecords(join(run, "rollouts.jsonl"), rolloutSchema);
      expect(records).toHaveLength(instances.length);
      for (const r of records) expect(r.reward?.success, `${r.instance_id}: ${JSON.stringify(r.reward)}`).toBe(true);
    }, 900_000);
  }
});
