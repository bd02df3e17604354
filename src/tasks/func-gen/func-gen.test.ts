import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { Command } from "commander";
import { register as registerImport } from "../../cli/import.js";
import { StartStates, verifyPatch } from "../common/verify-batch.js";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { startScriptedServer, type ScriptedServer } from "../../agent/test-support/scripted-server.js";
import { generateInstances, instancesToJsonl, type GenerationResult } from "../common/pipeline.js";
import { instanceStart, makeTempRepo, scorePatch, editPatch, type TempRepo } from "../common/test-support.js";
import { patchFromTexts } from "../common/workspace.js";
import type { Instance } from "../types.js";
import type { RepoView } from "../../core/repo-view.js";
import { createVerifyContext, type VerifyContext } from "../verify-context.js";
import { createSandbox } from "../../sandbox/index.js";
import { funcGen } from "./index.js";
import { importRepost } from "./repost.js";
import { MEAN_EVAL_SCRIPT, STATS_REPO, TS_REPO, stdlibJsonRepo } from "./fixtures.js";
import { DEFAULT_FUNC_GEN_OPTIONS, type FuncGenGold, type FuncGenOptions } from "./types.js";
import { instancesFromFiles, runFamilyConformance } from "../common/conformance.js";

async function generate(repo: TempRepo, opts: Partial<FuncGenOptions> = {}, seed = 1): Promise<GenerationResult<FuncGenGold>> {
  return generateInstances({
    family: funcGen,
    repos: [repo.dir],
    store: repo.store,
    seed,
    includeTests: false,
    language: null,
    taskOptions: { ...DEFAULT_FUNC_GEN_OPTIONS, ...opts },
    log: () => {},
  });
}

function byKey(result: GenerationResult<FuncGenGold>, file: string, key: string): Instance<FuncGenGold> {
  const inst = result.instances.find((i) => i.gold.file === file && i.gold.key === key);
  if (!inst) throw new Error(`no instance ${file}::${key}; have ${result.instances.map((i) => i.instance_id).join(", ")}`);
  return inst;
}

// Replaces the masked body of the target in the starting state with `body` (lines, indented by the caller).
function bodyPatch(repo: TempRepo, inst: Instance<FuncGenGold>, body: string): string {
  const start = instanceStart(repo.store, inst);
  const placeholder = inst.language === "python" ? "pass  # TODO: Implement this function" : 'throw new Error("TODO: implement");';
  return patchFromTexts([editPatch(start, inst.gold.file, (t) => t.replace(placeholder, body.trim()))]);
}

const HACK_CODES: Record<string, RegExp> = {
  "placeholder-left": /placeholder-left|stub-body|test-failed/,
  "raise-not-implemented": /stub-body|test-failed/,
  "calls-itself": /calls-itself|test-failed/,
  "gold-plus-change-elsewhere": /code-outside-body-changed/,
  "docstring-deleted": /docstring-changed/,
};

describe("func-gen static mode on the Python standard library's json package", () => {
  let repo: TempRepo;
  let result: GenerationResult<FuncGenGold>;
  beforeAll(async () => {
    repo = makeTempRepo(stdlibJsonRepo(), "json");
    result = await generate(repo);
  });
  afterAll(() => repo.cleanup());

  it("selects documented, non-trivial functions and methods and reports drop reasons", () => {
    const keys = result.instances.map((i) => `${i.gold.file}::${i.gold.key}`);
    expect(keys).toEqual(expect.arrayContaining(["json/__init__.py::dumps", "json/__init__.py::loads", "json/encoder.py::JSONEncoder.encode", "json/decoder.py::JSONDecoder.decode"]));
    expect(result.instances.length).toBeGreaterThanOrEqual(6);
    const dropped = result.report.totals.dropped;
    expect(Object.keys(dropped).length).toBeGreaterThan(0);
    for (const i of result.instances) {
      expect(i.meta.verify_mode).toBe("static");
      expect(i.meta.validity.gold && i.meta.validity.null, i.instance_id).toBe(true);
      expect(Object.keys(i.meta.validity.hacks).sort(), i.instance_id).toEqual(Object.keys(HACK_CODES).sort());
      expect(Object.keys(result.report.totals.dropped).filter((k) => k.startsWith("validity:")), "the gate had to drop proposed instances").toEqual([]);
    }
  });

  it("masks exactly the body: signature, decorators and docstring stay, the file parses", () => {
    const inst = byKey(result, "json/__init__.py", "loads");
    const start = instanceStart(repo.store, inst);
    const text = start.read("json/__init__.py") as string;
    expect(text.split("pass  # TODO: Implement this function").length - 1).toBe(1);
    expect(text).toContain("def loads(s, *, cls=None");
    expect(text).toContain("Deserialize ``s``");
    expect(text).not.toContain("_default_decoder.decode(s)\n");
    expect(inst.instruction).toContain("`loads` in `json/__init__.py`");
  });

  it("every hack fails with a reason; the gold scores similarity 1", async () => {
    const inst = byKey(result, "json/encoder.py", "JSONEncoder.encode");
    const start = instanceStart(repo.store, inst);
    const gold = await scorePatch(funcGen, inst, start, inst.gold.patch);
    expect(gold).toMatchObject({ success: true, score: 1, mode: "static" });
    for (const hack of funcGen.hacks(inst, start)) {
      const reward = await scorePatch(funcGen, inst, start, hack.patch);
      expect(reward.success, hack.name).toBe(false);
      expect(reward.violations.map((v) => v.code).join(" "), hack.name).toMatch(HACK_CODES[hack.name] as RegExp);
    }
    // The gold body with one statement over-indented after a simple statement: tree-sitter accepts it, Python
    // raises "unexpected indent".
    const skewedBody = inst.gold.body.replace("        if not isinstance(chunks,", "            if not isinstance(chunks,");
    expect(skewedBody).not.toBe(inst.gold.body);
    const skewed = await scorePatch(funcGen, inst, start, bodyPatch(repo, inst, skewedBody));
    expect(skewed.success).toBe(false);
    expect(skewed.violations.map((v) => v.message).join(" ")).toMatch(/indented differently|IndentationError|unexpected indent/);
  });

  it("is deterministic", async () => {
    const again = await generate(repo);
    expect(instancesToJsonl(again.instances)).toBe(instancesToJsonl(result.instances));
  });
});

describe("func-gen on TypeScript", () => {
  let repo: TempRepo;
  let result: GenerationResult<FuncGenGold>;
  beforeAll(async () => {
    repo = makeTempRepo(TS_REPO, "tsrepo");
    result = await generate(repo);
  });
  afterAll(() => repo.cleanup());

  it("masks functions and methods with the throw placeholder; trivial delegations are dropped", async () => {
    expect(result.instances.map((i) => i.gold.key).sort()).toEqual(["Counter.add", "truncate"]);
    expect(result.report.totals.dropped, JSON.stringify(result.report.totals.dropped)).toEqual({ "body-too-short": 1 });
    const inst = byKey(result, "src/text.ts", "Counter.add");
    const start = instanceStart(repo.store, inst);
    expect(start.read("src/text.ts")).toContain('add(word: string): number {\n    throw new Error("TODO: implement");\n  }');
    const selfCall = funcGen.hacks(inst, start).find((h) => h.name === "calls-itself");
    expect(selfCall?.patch).toContain("return this.add(word);");
  });

  it("a different but similar implementation passes, a wrong one scores lower", async () => {
    const inst = byKey(result, "src/text.ts", "truncate");
    const start = instanceStart(repo.store, inst);
    const similar = await scorePatch(funcGen, inst, start, bodyPatch(repo, inst, 'if (text.length <= max) return text;\n  const head = text.slice(0, Math.max(0, max - 1));\n  return head + "…";'));
    expect(similar.success).toBe(true);
    expect(similar.metrics.similarity as number).toBeLessThan(1);
    const wrong = await scorePatch(funcGen, inst, start, bodyPatch(repo, inst, "return text;"));
    expect(wrong.success).toBe(false);
    expect(wrong.score).toBeLessThan(similar.score);
  });
});

describe("func-gen exec mode in the sandbox", () => {
  let repo: TempRepo;
  let previousCache: string | undefined;
  let ctx: VerifyContext;
  const scoreExec = (inst: Instance<FuncGenGold>, start: RepoView, patch: string) => scorePatch(funcGen, inst, start, patch, ctx);
  let fromTests: GenerationResult<FuncGenGold>;
  let imported: Instance<FuncGenGold>[];
  let importSkipped: { id: string; reason: string }[];
  beforeAll(async () => {
    repo = makeTempRepo(STATS_REPO, "stats");
    ctx = createVerifyContext({ store: repo.store });
    // Only for `hgym import repost` below: the command (the edge) opens the store HGYM_CACHE names.
    previousCache = process.env.HGYM_CACHE;
    process.env.HGYM_CACHE = repo.store.root;
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo.dir, env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@x", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@x" }, encoding: "utf8" });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "stats");
    const commit = git("rev-parse", "HEAD").trim();
    fromTests = await generate(repo, { testCmd: "python3 -B -m unittest -q tests.test_core", timeoutMs: 30_000 });
    const records = join(repo.dir, "..", "repost.jsonl");
    writeFileSync(
      records,
      [
        { repo: "acme/stats", commit, func_path: "stats/core.py", func_name: "mean", eval_script: MEAN_EVAL_SCRIPT, idx: 7 },
        { repo: "acme/missing", commit, file: "stats/core.py", func_name: "mean", eval_script: MEAN_EVAL_SCRIPT },
        { repo: "acme/stats", commit, file: "stats/core.py", func_name: "mean", eval_script: "def mean_new_implementation(v):\n    return 0\n" },
        { repo: "acme/stats", commit, file: "stats/core.py" },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n") + "\n",
    );
    const res = await importRepost({ file: records, reposDir: join(repo.dir, ".."), store: repo.store, timeoutMs: 30_000 });
    imported = res.instances;
    importSkipped = res.skipped;
  }, 120_000);
  afterAll(() => {
    if (previousCache === undefined) delete process.env.HGYM_CACHE;
    else process.env.HGYM_CACHE = previousCache;
    repo.cleanup();
  });

  it("with a test command: only the tested function survives the gate; its hacks fail by running", () => {
    expect(fromTests.instances.map((i) => i.gold.key)).toEqual(["mean"]);
    // spread has no test, so a stub "passes" the command: the gate drops it (the untouched placeholder is
    // rejected before anything runs).
    expect(fromTests.report.totals.dropped).toEqual({
      "validity:hack-passed:calls-itself": 1,
      "validity:hack-passed:placeholder-left": 1,
      "validity:hack-passed:raise-not-implemented": 1,
    });
    const inst = fromTests.instances[0] as Instance<FuncGenGold>;
    expect(inst.gold.verify).toMatchObject({ mode: "exec", test_cmd: "python3 -B -m unittest -q tests.test_core" });
    expect(Object.values(inst.meta.validity.hacks).every((v) => v)).toBe(true);
  });

  it("imports RepoST records and skips unusable ones with reasons", () => {
    expect(imported).toHaveLength(1);
    expect(imported[0]?.meta.origin).toEqual({ kind: "repost", instance_id: "7" });
    expect(imported[0]?.gold.verify.eval_script).toBe(MEAN_EVAL_SCRIPT);
    const reasons = importSkipped.map((s) => s.reason).join("\n");
    expect(reasons).toMatch(/acme\/missing not found/);
    expect(reasons).toMatch(/defines mean_new_implementation itself/);
    expect(reasons).toMatch(/missing field\(s\) func_name, eval_script/);
  });

  it("`hgym import repost` writes the gated instances", async () => {
    const out = join(repo.dir, "..", "imported.jsonl");
    const program = new Command().exitOverride();
    registerImport(program);
    const write = process.stdout.write.bind(process.stdout);
    const printed: string[] = [];
    process.stdout.write = ((chunk: string) => (printed.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      await program.parseAsync(["node", "hgym", "import", "repost", join(repo.dir, "..", "repost.jsonl"), "--out", out, "--repos-dir", join(repo.dir, ".."), "--quiet"]);
    } finally {
      process.stdout.write = write;
    }
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string).instance_id).toBe(imported[0]?.instance_id);
    expect(printed.join("")).toMatch(/4 records: 1 instances written/);
  }, 60_000);

  it("the verify context decides where the tests run and which store the workspace comes from", async () => {
    const inst = fromTests.instances[0] as Instance<FuncGenGold>;
    const start = instanceStart(repo.store, inst);
    const other = makeTempRepo({}, "elsewhere");
    try {
      // HGYM_CACHE names repo.store here (for the CLI test); the context's own store and sandbox must win.
      const local = createVerifyContext({ store: other.store, sandbox: createSandbox("local") });
      expect(other.store.has(inst.repo.snapshot)).toBe(false);
      const r = await scorePatch(funcGen, inst, start, inst.gold.patch, local);
      expect(r).toMatchObject({ success: true, mode: "exec", metrics: { backend: "local" } });
      // The snapshot was missing from the context's store, so it was ingested again from the recorded source.
      expect(other.store.has(inst.repo.snapshot)).toBe(true);
    } finally {
      other.cleanup();
    }
  }, 60_000);

  it("`hgym verify`'s shared path scores exec instances (async verify)", async () => {
    const inst = imported[0] as Instance<FuncGenGold>;
    const states = new StartStates(repo.store);
    expect((await verifyPatch(inst as Instance, inst.gold.patch, states, ctx)).success).toBe(true);
    expect((await verifyPatch(inst as Instance, "", states, ctx)).success).toBe(false);
  }, 60_000);

  for (const variant of ["test command", "eval script"] as const) {
    it(`${variant}: a correct candidate passes, a wrong one fails, one calling the original fails (bwrap)`, async () => {
      const inst = variant === "test command" ? (fromTests.instances[0] as Instance<FuncGenGold>) : (imported[0] as Instance<FuncGenGold>);
      const start = instanceStart(repo.store, inst);
      const ok = await scoreExec(inst, start, bodyPatch(repo, inst, "if len(values) == 0:\n        raise ValueError('empty')\n    return sum(values) / len(values)"));
      expect(ok.metrics.output_tail, String(ok.metrics.output_tail)).toBeDefined();
      expect(ok).toMatchObject({ success: true, mode: "exec" });
      expect(ok.metrics.backend).toBe("bwrap");
      const wrong = await scoreExec(inst, start, bodyPatch(repo, inst, "if not values:\n        raise ValueError('empty')\n    return sum(values) / (len(values) + 1)"));
      expect(wrong.success).toBe(false);
      expect(wrong.violations[0]?.code).toBe("test-failed");
      // In the paper's setup this binds to the original inlined in the eval script and passes.
      const callsOriginal = await scoreExec(inst, start, bodyPatch(repo, inst, "return mean(values)"));
      expect(callsOriginal.success).toBe(false);
      expect(String(callsOriginal.metrics.output_tail)).toMatch(/RecursionError|maximum recursion/);
    }, 60_000);
  }
});

describe("func-gen judge mode", () => {
  let repo: TempRepo;
  let server: ScriptedServer;
  let result: GenerationResult<FuncGenGold>;
  beforeAll(async () => {
    // The scripted judge passes the original body and fails anything dividing by the wrong count.
    server = await startScriptedServer((_i, body) => {
      const prompt = JSON.stringify(body);
      const verdict = prompt.includes("(len(values) + 1)") ? { verdict: "fail", reason: "divides by one too many" } : { verdict: "pass", reason: "same results" };
      return { kind: "completion", content: JSON.stringify(verdict) };
    });
    repo = makeTempRepo(STATS_REPO, "stats");
    result = await generate(repo, { mode: "judge", judgeBaseURL: server.baseURL, judgeModel: "judge-m" });
  });
  afterAll(async () => {
    await server.close();
    repo.cleanup();
  });

  it("asks the judge with the rubric and records its verdict and reason", async () => {
    const inst = byKey(result, "stats/core.py", "mean");
    expect(inst.meta.validity.gold).toBe(true);
    expect(inst.gold.verify.judge).toEqual({ model: "judge-m", base_url: server.baseURL });
    const start = instanceStart(repo.store, inst);
    const before = server.requests.length;
    const wrong = await scorePatch(funcGen, inst, start, bodyPatch(repo, inst, "if not values:\n        raise ValueError('empty')\n    return sum(values) / (len(values) + 1)"));
    expect(wrong).toMatchObject({ success: false, mode: "judge" });
    expect(wrong.violations[0]?.message).toContain("divides by one too many");
    const good = await scorePatch(funcGen, inst, start, bodyPatch(repo, inst, "if not values:\n        raise ValueError('empty')\n    return sum(values) / len(values)"));
    expect(good).toMatchObject({ success: true, mode: "judge", metrics: { judge_reason: "same results" } });
    expect(server.requests.length).toBe(before + 2);
    const sent = JSON.stringify(server.requests[before]?.body);
    expect(sent).toContain("Reference body");
    expect(sent).toContain("same kinds of errors");
    // Stubs never reach the judge.
    await scorePatch(funcGen, inst, start, bodyPatch(repo, inst, "raise NotImplementedError"));
    expect(server.requests.length).toBe(before + 2);
  });
});

describe("func-gen: shared family conformance (ungated static instances)", () => {
  runFamilyConformance({ family: funcGen, makeInstances: () => instancesFromFiles(funcGen, { ...stdlibJsonRepo(), ...TS_REPO }, DEFAULT_FUNC_GEN_OPTIONS) });
});
