// Real data for the viewer's tests: the tiny task's instances, two runs made by real rollouts (the agent loop, the
// model client against the scripted OpenAI-compatible server, the bwrap sandbox — local when bwrap is missing —,
// verification) and a real export. Teacher "solver" fixes every instance after a look around; teacher "breaker"
// fixes every second one and, on the others, prints a <script> element in a shell command and edits the wrong
// file (a violation), so the viewer's escaping, violations, filters and comparison all have real records.

import { join } from "node:path";
import { startScriptedServer, toolCallStep, type ScriptStep } from "../../agent/test-support/scripted-server.js";
import { runExport } from "../../export/export.js";
import { runBatch } from "../../runner/batch.js";
import { LocalRolloutEnvironment } from "../../runner/environment.js";
import { runIdentity } from "../../runner/run-dir.js";
import { setupTinyTask, tinyFamily, type TinySetup } from "../../runner/test-support/tiny-task.js";
import { createSandbox } from "../../sandbox/index.js";

export const XSS_PAYLOAD = "<script>window.__xss = 1; document.title = 'pwned'</script><img src=x onerror=\"window.__xss = 2\">";

export interface ViewerFixture {
  root: string;
  instancesPath: string;
  solverRun: string;
  breakerRun: string;
  exportPath: string;
  instances: number;
}

const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;

function workspaceOf(body: unknown): string {
  const messages = (body as { messages: { role: string; content?: string }[] }).messages;
  return /at (\/workspace\/[^;\s]+)/.exec(messages[0]?.content ?? "")?.[1] ?? "/workspace/demo";
}

const usage = { prompt_tokens: 120, completion_tokens: 30 };

// Decided from the conversation (its length says which turn it is), so the server needs no state per episode;
// `breaker` counts the conversations it started (rollouts run one at a time, in instance order).
function solver(_i: number, body: unknown): ScriptStep {
  const ws = workspaceOf(body);
  const turn = ((body as { messages: unknown[] }).messages.length - 2) / 2;
  if (turn === 0) return toolCallStep("execute_bash", { command: `ls ${ws}` }, { content: "Let me look at the repository first.", usage });
  if (turn === 1) return toolCallStep("str_replace_editor", { command: "view", path: `${ws}/greet.py` }, { usage });
  if (turn === 2) {
    return toolCallStep("str_replace_editor", { command: "str_replace", path: `${ws}/greet.py`, old_str: "def greet(name):\n", new_str: 'def greet(name):\n    """Say hello."""\n' }, { usage });
  }
  return toolCallStep("finish", { message: "Restored the docstring." }, { usage });
}

function breaker(): (i: number, body: unknown) => ScriptStep {
  let conversations = 0;
  return (_i, body) => {
    const ws = workspaceOf(body);
    const turn = ((body as { messages: unknown[] }).messages.length - 2) / 2;
    if (turn === 0) conversations++;
    const breaks = conversations % 2 === 1;
    if (!breaks) {
      if (turn === 0) return toolCallStep("str_replace_editor", { command: "str_replace", path: `${ws}/greet.py`, old_str: "def greet(name):\n", new_str: 'def greet(name):\n    """Say hello."""\n' }, { usage });
      return toolCallStep("finish", { message: "done" }, { usage });
    }
    if (turn === 0) return toolCallStep("execute_bash", { command: `printf '%s\\n' '${XSS_PAYLOAD.replace(/'/g, "'\\''")}'` }, { content: `I will print ${XSS_PAYLOAD}`, usage });
    if (turn === 1) return toolCallStep("str_replace_editor", { command: "str_replace", path: `${ws}/util.py`, old_str: "X = 1", new_str: "X = 2" }, { usage });
    return toolCallStep("finish", { message: "done" }, { usage });
  };
}

export async function makeViewerFixture(root: string, instances = 4): Promise<ViewerFixture> {
  const setup = await setupTinyTask(root, instances);
  const backend = (await createSandbox("bwrap").available()).ok ? "bwrap" : "local";
  const solverRun = join(root, "runs", "solver");
  const breakerRun = join(root, "runs", "breaker");
  await runWith(setup, "solver-model", solver, solverRun, backend, root);
  await runWith(setup, "breaker-model", breaker(), breakerRun, backend, root);
  const exportPath = join(root, "export", "openai.jsonl");
  runExport({
    runDirs: [solverRun],
    format: "openai",
    parquet: false,
    out: exportPath,
    filters: { onlySuccess: true, includeOracle: false, maxPerInstance: null, minReward: null },
  });
  return { root, instancesPath: setup.instancesPath, solverRun, breakerRun, exportPath, instances };
}

async function runWith(setup: TinySetup, model: string, script: (i: number, body: unknown) => ScriptStep, outDir: string, backend: "bwrap" | "local", root: string): Promise<void> {
  const server = await startScriptedServer(script);
  try {
    const env = new LocalRolloutEnvironment({
      store: setup.store,
      sandbox: createSandbox(backend),
      taskFamily: () => tinyFamily as never,
      model,
      endpoint: { baseURL: server.baseURL, apiKey: "x", model },
      modelRetry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      toolFormat: "native",
      agentLimits: { maxSteps: 10 },
      workspaceRoot: join(root, "ws"),
    });
    const res = await runBatch({
      instancesPath: setup.instancesPath,
      outDir,
      env,
      identity: runIdentity({ model, max_steps: 10 }),
      options: {},
      samples: 1,
      concurrency: 1,
      limit: null,
      maxInfraRetries: 0,
      infraRetryDelayMs: 1,
      force: false,
      progressStream: quiet,
    });
    if (res.counts.final !== setup.instances.length) throw new Error(`fixture run ${model}: ${res.counts.final} of ${setup.instances.length} rollouts finished`);
  } finally {
    await server.close();
  }
}
