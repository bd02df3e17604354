// The analysis end to end on real runs: two teachers run by the real runner (snapshot store, workspaces, the local
// sandbox, the agent loop with the real model client) against the scripted OpenAI-compatible server. Teacher A's
// scripted trajectories are designed to hit every component, a repeat loop, an A-B cycle, failed edits, and each
// failure cause once; teacher B solves everything in two steps. Every number checked below was counted by hand
// from the scripts (the comments give the counts).

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../cli/test-support/run-command.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, textStep, toolCallStep, type ScriptStep, type ScriptedServer } from "../agent/test-support/scripted-server.js";
import { UserError } from "../core/errors.js";
import { runExport } from "../export/export.js";
import { runBatch } from "../runner/batch.js";
import { LocalRolloutEnvironment } from "../runner/environment.js";
import { runIdentity } from "../runner/run-dir.js";
import { setupTinyTask, tinyFamily, type TinySetup } from "../runner/test-support/tiny-task.js";
import { createSandbox } from "../sandbox/index.js";
import * as analyzeCmd from "../cli/analyze.js";
import { analyzeRuns, type Analysis, type RolloutAnalysis } from "./index.js";

const THOUGHT = "The docstring of greet was removed by the setup patch. ".repeat(5); // 280 characters: enough reasoning
const SCENARIOS = ["good", "edits", "loop", "cycle", "limit", "explore", "gold", "reason", "wrong", "infra"] as const;
type Scenario = (typeof SCENARIOS)[number];
const DEP_SEARCH = new Set<Scenario>(["loop", "cycle", "limit", "infra"]);

let tmp: string;
let server: ScriptedServer;
let setup: TinySetup;
let runA: string;
let runB: string;
let analysis: Analysis;

const bash = (command: string): ScriptStep => toolCallStep("execute_bash", { command });
const view = (path: string): ScriptStep => toolCallStep("str_replace_editor", { command: "view", path });
const replace = (path: string, old_str: string, new_str: string): ScriptStep => toolCallStep("str_replace_editor", { command: "str_replace", path, old_str, new_str });
const finish = toolCallStep("finish", { message: "done" });

// Teacher A's trajectory for one scenario, as the list of replies (one per model turn). Shell commands use paths
// relative to the shell's starting directory (the repository), which hold in every sandbox backend.
function scriptOf(scenario: Scenario, ws: string): ScriptStep[] {
  const greet = `${ws}/greet.py`;
  const fix = replace(greet, "def greet(name):\n", 'def greet(name):\n    """Say hello."""\n');
  const wrongEdit = replace(greet, "def greet(name):\n", "def greet(name):\n    # hello\n");
  switch (scenario) {
    case "good": // 9 steps: reasoning 2, exploration 3, implementation 1, verification 1, navigation 1, submission 1
      return [
        textStep("Let me start by looking at the repository layout."),
        bash("cd . && ls"),
        bash("grep -n greet greet.py"),
        toolCallStep("think", { thought: THOUGHT }),
        view(greet),
        fix,
        bash(`PYTHONDONTWRITEBYTECODE=1 python3 -c "import greet; print(greet.greet('x'))"`), // no __pycache__: the verifier refuses other changed files,
        bash("git status"),
        finish,
      ];
    case "edits": // 7 steps: exploration 2, reasoning 1, implementation 3 (all failed), submission 1
      return [view(greet), bash('find . -name "*.py"'), toolCallStep("think", { thought: THOUGHT }), replace(greet, "no such text 1", "x"), replace(greet, "no such text 2", "x"), replace(greet, "no such text 3", "x"), finish];
    case "loop": // 4 steps: exploration 3 (the same ls three times: a loop), submission 1
      return [bash("ls"), bash("ls"), bash("ls"), finish];
    case "cycle": // 6 steps, exploration 6: A-B-A-B-A-B, which the agent's stuck detector ends
      return [view(greet), view(`${ws}/util.py`), view(greet), view(`${ws}/util.py`), view(greet), view(`${ws}/util.py`)];
    case "limit": // 10 steps, exploration 10: different commands until max_steps (10)
      return Array.from({ length: 12 }, (_, k) => bash(`sed -n '${k + 1}p' greet.py`));
    case "explore": // 2 steps: implementation 1 (applied, wrong), submission 1; no exploration at all
      return [wrongEdit, finish];
    case "gold": // 5 steps: exploration 2 (never greet.py, the gold file), reasoning 1, implementation 1, submission 1
      return [bash("ls"), bash("cat util.py"), toolCallStep("think", { thought: THOUGHT }), wrongEdit, finish];
    case "reason": // 4 steps: exploration 2, implementation 1, submission 1; no reasoning text at all
      return [bash("cat greet.py"), bash("grep -n def greet.py"), wrongEdit, finish];
    case "wrong": // 6 steps: other 1, reasoning 1, exploration 2, implementation 1, submission 1: a fair attempt, wrong answer
      return [bash("export LC_ALL=C"), toolCallStep("think", { thought: THOUGHT }), bash("cat greet.py"), bash("sed -n 1,5p greet.py"), wrongEdit, finish];
    case "infra": // 0 steps: the connection is reset on the first call (an infrastructure failure)
      return [{ kind: "reset" }];
  }
}

function reply(body: unknown): ScriptStep {
  const b = body as { model: string; messages: { role: string; content?: string | null }[] };
  const ws = /at (\/workspace\/[^;\s]+)/.exec(b.messages[0]?.content ?? "")?.[1] ?? "/workspace/demo";
  const turn = b.messages.filter((m) => m.role === "assistant").length;
  if (b.model === "teacher-b") {
    // 100 + 10 tokens per call at the prices below: $0.12 per call, $0.24 per rollout.
    const usage = { prompt_tokens: 100, completion_tokens: 10 };
    return turn === 0
      ? toolCallStep("str_replace_editor", { command: "str_replace", path: `${ws}/greet.py`, old_str: "def greet(name):\n", new_str: 'def greet(name):\n    """Say hello."""\n' }, { usage })
      : toolCallStep("finish", { message: "done" }, { usage });
  }
  const scenario = /\[scenario:(\w+)\]/.exec(b.messages[1]?.content ?? "")?.[1] as Scenario;
  return scriptOf(scenario, ws)[turn] ?? finish;
}

async function runTeacher(model: string, out: string): Promise<void> {
  const env = new LocalRolloutEnvironment({
    store: setup.store,
    sandbox: createSandbox("local"),
    taskFamily: () => tinyFamily as never,
    model,
    endpoint: { baseURL: server.baseURL, apiKey: "x", model },
    modelRetry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    prices: { "teacher-b": { input_per_mtok: 1000, output_per_mtok: 2000 } },
    toolFormat: "native",
    agentLimits: { maxSteps: 10 },
    workspaceRoot: join(tmp, "ws"),
  });
  await runBatch({
    instancesPath: setup.instancesPath,
    outDir: out,
    env,
    identity: runIdentity({ model, max_steps: 10 }),
    options: {},
    samples: 1,
    concurrency: 2,
    limit: null,
    maxInfraRetries: 0,
    infraRetryDelayMs: 1,
    force: false,
    progressStream: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream,
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-analyze-"));
  server = await startScriptedServer((_i, body) => reply(body));
  setup = await setupTinyTask(tmp, SCENARIOS.length);
  // One instance per scenario; the scenario is named in the instruction so the server knows what to play.
  const instances = setup.instances.map((inst, k) => {
    const scenario = SCENARIOS[k] as Scenario;
    // dep-search instances carry a dep-search gold (instance files are checked per task when read); the tiny
    // family's verifier only reads gold.file and gold.expected, which both shapes keep.
    const gold = DEP_SEARCH.has(scenario) ? { ...inst.gold, target: { file: "greet.py", key: "greet", line: 1, name: "greet", kind: "function" }, dependencies: [] } : inst.gold;
    return { ...inst, gold, instance_id: `tiny/${scenario}`, task: DEP_SEARCH.has(scenario) ? "dep-search" : "func-localize", instruction: `${inst.instruction} [scenario:${scenario}]` };
  });
  writeFileSync(setup.instancesPath, instances.map((i) => JSON.stringify(i) + "\n").join(""));
  runA = join(tmp, "run-a");
  runB = join(tmp, "run-b");
  await runTeacher("teacher-a", runA);
  await runTeacher("teacher-b", runB);
  analysis = await analyzeRuns([runA, runB]);
}, 120_000);

afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

function rollout(teacher: string, scenario: Scenario): RolloutAnalysis {
  const r = analysis.rollouts.find((x) => x.teacher === teacher && x.instance_id === `tiny/${scenario}`);
  if (!r) throw new Error(`no rollout for ${teacher} ${scenario}`);
  return r;
}

const none = { exploration: 0, implementation: 0, verification: 0, reasoning: 0, navigation: 0, submission: 0, other: 0 };

describe("analyzeRuns on real runs", () => {
  it("classifies every action of teacher A's trajectories as scripted", () => {
    const good = rollout("teacher-a", "good");
    expect(good.actions.map((a) => [a.component, a.rule])).toEqual([
      ["reasoning", "reply.no-tool"],
      ["exploration", "shell.list"],
      ["exploration", "shell.search"],
      ["reasoning", "tool.think"],
      ["exploration", "editor.view"],
      ["implementation", "editor.str_replace"],
      ["verification", "shell.run-code"],
      ["navigation", "shell.git-inspect"],
      ["submission", "tool.finish"],
    ]);
    expect(good).toMatchObject({ outcome: "success", steps: 9, loop: null, failure: null, edits: { attempted: 1, failed: 0, last_failed: false }, exploration_before_first_edit: 3, viewed_gold_file: true });
    expect(good.components).toEqual({ ...none, reasoning: 2, exploration: 3, implementation: 1, verification: 1, navigation: 1, submission: 1 });
    // 49 characters of free text + the 280-character thought.
    expect(good.reasoning_chars).toBe("Let me start by looking at the repository layout.".length + THOUGHT.trim().length);
  });

  it("finds loops, failed edits and one failure cause per unsuccessful rollout", () => {
    const edits = rollout("teacher-a", "edits");
    expect(edits.edits).toEqual({ attempted: 3, failed: 3, last_failed: true });
    expect(edits.actions.filter((a) => a.edit !== null).map((a) => a.edit)).toEqual(["failed", "failed", "failed"]);
    expect(rollout("teacher-a", "loop").loop).toMatchObject({ kind: "repeat", start: 0, length: 3 });
    const cycle = rollout("teacher-a", "cycle");
    expect(cycle).toMatchObject({ exit_reason: "stuck", steps: 6, loop: { kind: "cycle", start: 0, length: 6 } });
    expect(rollout("teacher-a", "limit")).toMatchObject({ exit_reason: "max_steps", steps: 10, loop: null });
    expect(rollout("teacher-a", "gold").viewed_gold_file).toBe(false);
    expect(rollout("teacher-a", "reason").reasoning_chars).toBe(0);
    const causes = Object.fromEntries(SCENARIOS.map((s) => [s, rollout("teacher-a", s).failure?.rule ?? null]));
    expect(causes).toEqual({
      good: null,
      edits: "editing.many-failed",
      loop: "loop.repeat",
      cycle: "loop.cycle",
      limit: "limit.max_steps",
      explore: "exploration.few-before-edit",
      gold: "exploration.gold-file-unseen",
      reason: "reasoning.short",
      wrong: "other.wrong-answer",
      infra: "infra.failure",
    });
    expect(rollout("teacher-a", "infra")).toMatchObject({ failure_kind: "infra", steps: 0, outcome: "failure", failure: { cause: "infrastructure" } });
  });

  it("aggregates per task, teacher and outcome with the hand-counted numbers", () => {
    // 20 rollouts: teacher A 53 steps (9+7+4+6+10+2+5+4+6+0), teacher B 10 x 2 steps; 11 successes (A's good, all B).
    expect(analysis.overall).toMatchObject({ rollouts: 20, successes: 11, actions: 73, avg_steps: 3.65, loops: 2, non_loop_rate: 0.9, edit_attempts: 18, edit_failures: 3, repos: 1, instances: 10 });
    expect(analysis.overall.edit_failure_rate).toBeCloseTo(3 / 18, 12);
    expect(analysis.overall.component_counts).toEqual({ exploration: 30, implementation: 18, verification: 1, reasoning: 5, navigation: 1, submission: 17, other: 1 });
    expect(analysis.overall.component_share.exploration).toBeCloseTo(30 / 73, 12);
    expect(analysis.overall.failure_causes).toEqual({ infrastructure: 1, limit: 1, stuck_loop: 2, failed_editing: 1, insufficient_exploration: 2, insufficient_reasoning: 1, other: 1 });

    const byTask = Object.fromEntries(analysis.by_task.map((g) => [g.key, g]));
    expect(Object.keys(byTask)).toEqual(["dep-search", "func-localize"]);
    // dep-search: A's loop, cycle, limit, infra (4+6+10+0) + B 4 x 2 = 28 steps in 8 rollouts.
    expect(byTask["dep-search"]).toMatchObject({ rollouts: 8, successes: 4, success_rate: 0.5, actions: 28, avg_steps: 3.5, loops: 2, non_loop_rate: 0.75 });
    expect(byTask["dep-search"]?.component_counts).toEqual({ ...none, exploration: 19, submission: 5, implementation: 4 });
    // func-localize: A's 9+7+2+5+4+6 = 33 + B 6 x 2 = 45 steps in 12 rollouts.
    expect(byTask["func-localize"]).toMatchObject({ rollouts: 12, successes: 7, actions: 45, loops: 0, non_loop_rate: 1, edit_attempts: 14, edit_failures: 3 });
    expect(byTask["func-localize"]?.component_counts).toEqual({ exploration: 11, implementation: 14, verification: 1, reasoning: 5, navigation: 1, submission: 12, other: 1 });

    const byTeacher = Object.fromEntries(analysis.by_teacher.map((g) => [g.key, g]));
    expect(byTeacher["teacher-a"]).toMatchObject({ rollouts: 10, successes: 1, success_rate: 0.1, actions: 53, avg_steps: 5.3, non_loop_rate: 0.8 });
    expect(byTeacher["teacher-b"]).toMatchObject({ rollouts: 10, successes: 10, success_rate: 1, actions: 20, avg_steps: 2, non_loop_rate: 1, edit_attempts: 10, edit_failures: 0 });
    expect(byTeacher["teacher-b"]?.component_share).toEqual({ ...none, implementation: 0.5, submission: 0.5 });
    expect(byTeacher["teacher-b"]?.cost).toBeCloseTo(2.4, 12);
    expect(byTeacher["teacher-b"]?.avg_cost).toBeCloseTo(0.24, 12);
    expect(byTeacher["teacher-a"]?.cost).toBe(0);

    const byOutcome = Object.fromEntries(analysis.by_outcome.map((g) => [g.key, g]));
    expect(byOutcome.success).toMatchObject({ rollouts: 11, actions: 29 });
    expect(byOutcome.failure).toMatchObject({ rollouts: 9, actions: 44 });
    expect(analysis.by_task_teacher.map((g) => `${g.key}=${g.rollouts}`)).toEqual(["dep-search|teacher-a=4", "dep-search|teacher-b=4", "func-localize|teacher-a=6", "func-localize|teacher-b=6"]);
    // Steps 0..10 in bins of 2: [0] [2, 2 x10] [4,5,4] [7,6,6] [9] [10].
    expect(analysis.step_histogram.bins.map((b) => `${b.from}-${b.to}:${b.count}`)).toEqual(["0-2:1", "2-4:11", "4-6:3", "6-8:3", "8-10:1", "10-12:1"]);
  });

  it("thresholds change the verdicts they govern", async () => {
    const strict = await analyzeRuns([runA], { thresholds: { minExploration: 3, loopRepeat: 4 }, keepActions: false });
    const rules = Object.fromEntries(strict.rollouts.map((r) => [r.instance_id, r.failure?.rule ?? null]));
    // 3 identical ls calls are no loop at 4; its 3 explorations pass the threshold of 3 but never name greet.py.
    expect(rules["tiny/loop"]).toBe("exploration.gold-file-unseen");
    expect(rules["tiny/gold"]).toBe("exploration.few-before-edit"); // 2 explorations < 3
    expect(strict.rollouts[0]?.actions).toEqual([]);
  });

  it("analyses a run named twice once, and can leave the rollouts out", async () => {
    const twice = await analyzeRuns([runA, join(runA, ".")], { keepRollouts: false });
    expect(twice.runs).toHaveLength(1);
    const teacherA = analysis.by_teacher.find((g) => g.key === "teacher-a");
    expect(teacherA?.rollouts).toBe(10);
    expect(twice.overall).toEqual({ ...teacherA, key: "all" });
    expect(twice.rollouts).toEqual([]);
  });
});

describe("hgym analyze", () => {
  const hgym = (...args: string[]) => runCommand([analyzeCmd], ["analyze", ...args]);

  it("prints the tables and writes JSON and valid SVG charts", async () => {
    const json = join(tmp, "out", "analysis.json");
    const svgDir = join(tmp, "charts");
    const printed = await hgym(runA, runB, "--json", json, "--svg", svgDir);
    const lines = printed.split("\n");
    // The outcome table, the component table and the cause table each have a teacher-a row, in that order.
    const rowsOf = (key: string) => lines.filter((l) => new RegExp(`^teacher\\s+${key}\\s`).test(l));
    expect(rowsOf("teacher-a")).toEqual([
      expect.stringMatching(/^teacher\s+teacher-a\s+10\s+10\.0%\s+5\.3\s+80\.0%\s+37\.5% \(3\/8\)\s+\$0\.0000$/),
      expect.stringMatching(/^teacher\s+teacher-a\s+53\s+56\.6%\s+15\.1%\s+1\.9%\s+9\.4%\s+1\.9%\s+13\.2%\s+1\.9%$/),
      expect.stringMatching(/^teacher\s+teacher-a\s+9\s+1\s+2\s+1\s+1\s+2\s+1\s+1$/),
    ]);
    expect(rowsOf("teacher-b")[0]).toMatch(/^teacher\s+teacher-b\s+10\s+100\.0%\s+2\.0\s+100\.0%\s+0\.0% \(0\/10\)\s+\$0\.2400$/);
    expect(printed).toContain(`analysis: ${json}`);
    const written = JSON.parse(readFileSync(json, "utf8")) as Analysis;
    expect(written.overall).toEqual(analysis.overall);
    expect(written.rollouts).toHaveLength(20);

    expect(readdirSync(svgDir).sort()).toEqual(["components-by-task.svg", "components-by-teacher.svg", "overview.svg", "steps-histogram.svg"]);
    // Parsed by a real XML parser (Python's expat via minidom); bars counted from the parsed document.
    const bars = (file: string): string[] =>
      execFileSync("python3", ["-c", "import sys, xml.dom.minidom as m\nd = m.parse(sys.argv[1])\nassert d.documentElement.tagName == 'svg'\nfor r in d.getElementsByTagName('rect'):\n  if r.getAttribute('class') == 'bar': print(r.getAttribute('data-group') + '/' + r.getAttribute('data-component') + '=' + r.getAttribute('data-value'))", join(svgDir, file)], { encoding: "utf8" })
        .trim()
        .split("\n");
    // Average actions per rollout: teacher A 30, 8, 1, 5, 1, 7, 1 over 10 rollouts; teacher B 10 and 10 over 10.
    expect(bars("components-by-teacher.svg")).toEqual([
      "teacher-a/exploration=3", "teacher-a/implementation=0.80", "teacher-a/verification=0.10", "teacher-a/reasoning=0.50", "teacher-a/navigation=0.10", "teacher-a/submission=0.70", "teacher-a/other=0.10",
      "teacher-b/implementation=1", "teacher-b/submission=1",
    ]);
    expect(bars("overview.svg").filter((b) => b.startsWith("all/"))).toHaveLength(7);
    expect(bars("steps-histogram.svg").map((b) => b.replace(/^.*=/, ""))).toEqual(["1", "11", "3", "3", "1", "1"]);
    expect(bars("components-by-task.svg").filter((b) => b.startsWith("dep-search/"))).toEqual(["dep-search/exploration=2.38", "dep-search/implementation=0.50", "dep-search/submission=0.63"]);
  });

  it("the export's dataset card shows the same trajectories, repos, average steps and cost per instance", async () => {
    const out = join(tmp, "export", "b.jsonl");
    runExport({ runDirs: [runB], format: "openai", parquet: false, out, filters: { onlySuccess: true, includeOracle: false, maxPerInstance: null, minReward: null } });
    const card = readFileSync(`${out}.README.md`, "utf8");
    const b = analysis.by_teacher.find((g) => g.key === "teacher-b");
    expect(b).toMatchObject({ rollouts: 10, repos: 1, avg_steps: 2 });
    expect(card).toContain("| task | trajectories | repos | avg steps | cost per instance |");
    expect(card).toContain("| dep-search | 4 | 1 | 2.0 | $0.2400 |");
    expect(card).toContain("| func-localize | 6 | 1 | 2.0 | $0.2400 |");
    expect(card).toContain("| all | 10 | 1 | 2.0 | $0.2400 |");
  });

  it("refuses a folder that is not a run directory, and an output path that is a folder, with one clear message", async () => {
    await expect(hgym(join(tmp, "nope"))).rejects.toThrow(UserError);
    await expect(hgym(join(tmp, "nope"))).rejects.toThrow(/not a run directory/);
    await expect(hgym(runA, "--json", tmp)).rejects.toThrow(/it exists and is a folder/);
    await expect(hgym(runA, "--instances", join(tmp, "missing.jsonl"))).rejects.toThrow(/instances file .* does not exist/);
  });
});
