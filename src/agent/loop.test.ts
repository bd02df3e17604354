import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ActionResult } from "./actions.js";
import { DefaultAgent, EpisodeEnd, runEpisode, type ParsedAction, type RunEpisodeOptions } from "./loop.js";
import { ModelClient } from "./model-client.js";
import { continuationMessage } from "./prompts.js";
import { startScriptedServer, textStep, toolCallStep, type Script, type ScriptedServer } from "./test-support/scripted-server.js";
import { makeWorkspace, type TestWorkspace } from "./test-support/workspace.js";
import { formatTextToolCall } from "./text-format.js";
import { toolSchemas } from "./tools.js";
import type { ChatMessage } from "./types.js";

const WS = "/workspace/demo";
const BUGGY = "def add(a, b):\n    return a - b\n";
const FIXED = "def add(a, b):\n    return a + b\n";

let ws: TestWorkspace;
let server: ScriptedServer | null = null;

beforeEach(async () => {
  ws = await makeWorkspace({ "calc.py": BUGGY, "other.py": "X = 1\n" });
});
afterEach(async () => {
  await server?.close();
  server = null;
  await ws.cleanup();
});

async function run(script: Script, extra: Partial<RunEpisodeOptions> = {}, model = "m") {
  server = await startScriptedServer(script);
  const policy = new ModelClient({ baseURL: server.baseURL, apiKey: "k", model, retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 50 } });
  return runEpisode({ episode: ws.episode, instruction: "Fix add in calc.py.", policy, toolFormat: "native", ...extra });
}

function sentMessages(i: number): ChatMessage[] {
  return (server?.requests[i]?.body as { messages: ChatMessage[] }).messages;
}

const calc = (): string => readFileSync(path.join(ws.dir, "calc.py"), "utf8");

describe("runEpisode, native tool calls", () => {
  it("solves a task through the editor and ends with finish", async () => {
    const out = await run([
      toolCallStep("str_replace_editor", { command: "view", path: `${WS}/calc.py` }),
      toolCallStep("str_replace_editor", { command: "str_replace", path: `${WS}/calc.py`, old_str: "return a - b", new_str: "return a + b" }),
      toolCallStep("finish", { message: "fixed", task_completed: "true" }),
    ]);
    expect(out.exit_reason).toBe("finished");
    expect(out.failure).toBe("none");
    expect(out.finish).toEqual({ message: "fixed", task_completed: "true" });
    expect(calc()).toBe(FIXED);
    expect(server?.requests).toHaveLength(3);
    const first = server?.requests[0]?.body as { tools: unknown; messages: ChatMessage[] };
    expect(first.tools).toEqual(toolSchemas());
    expect(first.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(first.messages[0]?.content).toContain(WS);
    expect(first.messages[1]?.content).toBe("Fix add in calc.py.");
    const second = sentMessages(1);
    expect(second).toHaveLength(4);
    expect(second[3]).toMatchObject({ role: "tool", tool_call_id: "call_0_0", name: "str_replace_editor" });
    expect(second[3]?.content).toContain("     2\t    return a - b");
    // What was recorded is what was sent, plus the final turn.
    expect(out.messages.slice(0, 6)).toEqual(sentMessages(2));
    expect(out.messages).toHaveLength(8);
    expect(out.tools).toEqual(toolSchemas());
    expect(out.steps.map((s) => s.tool)).toEqual(["str_replace_editor", "str_replace_editor", "finish"]);
    expect(out.model_calls).toHaveLength(3);
    expect(out.model_calls.every((c) => c.attempts === 1 && !c.truncated)).toBe(true);
    expect(out.model).toBe("m");
    expect(out.prompt_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("turns malformed calls into observations and continues", async () => {
    const out = await run([
      toolCallStep("execute_bash", "{not json"),
      toolCallStep("browse_web", { url: "http://x" }),
      toolCallStep("execute_bash", { command: "ls", cwd: "/" }),
      toolCallStep("str_replace_editor", { command: "view" }),
      toolCallStep("finish", { message: "gave up" }),
    ]);
    expect(out.exit_reason).toBe("finished");
    expect(out.steps.map((s) => s.error)).toEqual([true, true, true, true, false]);
    expect(out.steps[0]?.arguments).toBeNull();
    expect(out.steps[0]?.observation).toContain("not valid JSON");
    expect(out.steps[1]?.observation).toContain('no tool named "browse_web"');
    expect(out.steps[2]?.observation).toContain('no parameter "cwd"');
    expect(out.steps[3]?.observation).toContain('"path"');
    // Each observation went back to the model as the tool result of its call.
    const last = sentMessages(4);
    const toolMsgs = last.filter((m) => m.role === "tool");
    expect(toolMsgs.map((m) => m.content)).toEqual(out.steps.slice(0, 4).map((s) => s.observation));
  });

  it("sends continuation messages to a model that never calls a tool, then stops", async () => {
    const out = await run(() => textStep("I believe the bug is in add."));
    expect(out.exit_reason).toBe("no_tool_calls");
    expect(out.failure).toBe("model");
    expect(server?.requests).toHaveLength(4);
    const continuations = out.messages.filter((m) => m.role === "user" && m.content === continuationMessage("native"));
    expect(continuations).toHaveLength(3);
    expect(out.steps.map((s) => s.tool)).toEqual(["(none)", "(none)", "(none)"]);
  });

  it("stops a model repeating the same action", async () => {
    const out = await run(() => toolCallStep("execute_bash", { command: "ls" }));
    expect(out.exit_reason).toBe("stuck");
    expect(out.steps).toHaveLength(4);
    expect(out.error).toContain("4 times");
  });

  it("stops a model alternating between two actions", async () => {
    const out = await run((i) => toolCallStep("str_replace_editor", { command: "view", path: i % 2 === 0 ? "calc.py" : "other.py" }));
    expect(out.exit_reason).toBe("stuck");
    expect(out.steps).toHaveLength(6);
    expect(out.error).toContain("alternating");
  });

  it("stops at max_steps", async () => {
    const out = await run((i) => toolCallStep("think", { thought: `idea ${i}` }), { limits: { maxSteps: 5 } });
    expect(out.exit_reason).toBe("max_steps");
    expect(out.failure).toBe("none");
    expect(server?.requests).toHaveLength(5);
    expect(out.steps).toHaveLength(5);
  });

  it("cuts long observations in the middle", async () => {
    const out = await run(
      [toolCallStep("execute_bash", { command: "seq 1 20000" }), toolCallStep("finish", { message: "done" })],
      { limits: { maxObservationChars: 2000 } },
    );
    const obs = out.steps[0]?.observation ?? "";
    expect(obs.length).toBeLessThanOrEqual(2000);
    expect(obs.startsWith("1\n2\n3\n")).toBe(true);
    expect(obs).toContain("omitted from the middle");
    expect(obs).toContain("20000\n[Command finished with exit code 0]");
    expect(obs).not.toContain("\n10000\n");
    const sentTool = sentMessages(1).find((m) => m.role === "tool");
    expect(sentTool?.content).toBe(obs);
  });

  it("drops the middle of the history to fit the context, keeping system, task and tool pairs", async () => {
    const long = "y".repeat(600);
    const out = await run((i) => (i < 12 ? toolCallStep("think", { thought: `${i} ${long}` }) : toolCallStep("finish", { message: "ok" })), {
      limits: { context: { chars: 6000 } },
    });
    expect(out.exit_reason).toBe("finished");
    const truncatedCalls = out.model_calls.filter((c) => c.truncated);
    expect(truncatedCalls.length).toBeGreaterThan(0);
    for (let i = 0; i < (server?.requests.length ?? 0); i++) {
      const sent = sentMessages(i);
      expect(sent[0]).toEqual(out.messages[0]);
      expect(sent[1]).toEqual({ role: "user", content: "Fix add in calc.py." });
      const size = JSON.stringify(sent).length;
      if (out.model_calls[i]?.truncated) {
        expect(sent[2]?.content).toContain("left out");
        expect(sent[3]?.role).toBe("assistant");
        expect(size).toBeLessThan(9000);
      }
      // Every tool result still follows the assistant message that made its call.
      const ids = new Set(sent.flatMap((m) => (m.role === "assistant" ? (m.tool_calls ?? []).map((t) => t.id) : [])));
      for (const m of sent) if (m.role === "tool") expect(ids.has(m.tool_call_id)).toBe(true);
    }
    expect(out.model_calls.at(-1)?.request_messages).toBeLessThan(out.messages.length - 1);
    // The record keeps the whole conversation.
    expect(out.messages.filter((m) => m.role === "tool")).toHaveLength(13);
  });

  it("ends with context_overflow when even the system prompt and task do not fit", async () => {
    const out = await run([textStep("never")], { limits: { context: { tokens: 20 } } });
    expect(out.exit_reason).toBe("context_overflow");
    expect(server?.requests).toHaveLength(0);
  });

  it("records retries of the endpoint in the model call", async () => {
    const out = await run([{ kind: "error", status: 429, retryAfterMs: 10 }, { kind: "error", status: 500 }, toolCallStep("finish", { message: "ok" })]);
    expect(out.exit_reason).toBe("finished");
    expect(out.model_calls[0]?.attempts).toBe(3);
    expect(out.model_calls[0]?.retries?.map((r) => r.status)).toEqual([429, 500]);
  });

  it("classifies an unreachable endpoint as infra and a rejected request as model", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const policy = new ModelClient({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "k", model: "m", retry: { maxRetries: 1, baseDelayMs: 5 } });
    const down = await runEpisode({ episode: ws.episode, instruction: "x", policy, toolFormat: "native" });
    expect(down.exit_reason).toBe("infra_error");
    expect(down.failure).toBe("infra");
    expect(down.model_calls[0]?.attempts).toBe(2);
    expect(down.model_calls[0]?.error).toContain("connection");

    const rejected = await run([{ kind: "error", status: 400, message: "bad request field" }]);
    expect(rejected.exit_reason).toBe("model_error");
    expect(rejected.failure).toBe("model");
    expect(rejected.error).toContain("bad request field");
  });
});

describe("runEpisode, limits and failures", () => {
  it("stops at the cost limit", async () => {
    server = await startScriptedServer((i) => toolCallStep("think", { thought: `t${i}` }, { usage: { prompt_tokens: 100_000, completion_tokens: 1000 } }));
    const policy = new ModelClient({ baseURL: server.baseURL, apiKey: "k", model: "priced", prices: { priced: { input_per_mtok: 1, output_per_mtok: 10 } } });
    const out = await runEpisode({ episode: ws.episode, instruction: "x", policy, toolFormat: "native", limits: { maxCostUsd: 0.25 } });
    expect(out.exit_reason).toBe("max_cost");
    expect(out.failure).toBe("none");
    expect(out.model_calls).toHaveLength(3); // 0.11 USD per call: stops once 0.25 is reached
    expect(out.cost).toBeCloseTo(0.33, 10);
    expect(out.usage).toEqual({ prompt_tokens: 300_000, completion_tokens: 3000, total_tokens: 303_000 });
  });

  it("stops at the wall-time limit, even during a slow model call", async () => {
    const out = await run([toolCallStep("think", { thought: "a" }), { kind: "delay", ms: 5000, then: toolCallStep("finish", { message: "late" }) }], {
      limits: { wallTimeMs: 400 },
    });
    expect(out.exit_reason).toBe("wall_time");
    expect(out.failure).toBe("none");
    expect(out.finish).toBeNull();
  });

  it("reports a command timeout as an observation and goes on", async () => {
    const out = await run([toolCallStep("execute_bash", { command: "sleep 20", timeout: 0.5 }), toolCallStep("execute_bash", { command: "echo still-here" }), toolCallStep("finish", { message: "ok" })]);
    expect(out.exit_reason).toBe("finished");
    expect(out.steps[0]?.error).toBe(true);
    expect(out.steps[0]?.observation).toMatch(/timed out/i);
    expect(out.steps[1]?.observation).toBe("still-here\n[Command finished with exit code 0]");
  });

  it("ends as infra_error when the sandbox itself fails", async () => {
    // Removing the workspace and exiting the shell leaves the sandbox unable to start a new shell.
    const out = await run([toolCallStep("execute_bash", { command: `cd / && rm -rf '${ws.dir}' && exit 3` }), toolCallStep("finish", { message: "never" })]);
    expect(out.exit_reason).toBe("infra_error");
    expect(out.failure).toBe("infra");
    expect(out.error).toContain("sandbox");
    expect(out.steps).toHaveLength(1);
    expect(out.steps[0]?.error).toBe(true);
    expect(server?.requests).toHaveLength(1);
  });
});

describe("runEpisode, text tool-call format", () => {
  const call = (name: string, args: Record<string, unknown>, before = "Next step."): ReturnType<typeof textStep> =>
    textStep(`${before}\n${formatTextToolCall(name, args)}`);

  it("solves a task with <function=...> calls and EXECUTION RESULT turns, without sending tools", async () => {
    const out = await run(
      [
        call("execute_bash", { command: "grep -n return calc.py" }),
        // The closing tag is missing, as when </function> is a stop sequence.
        textStep(`Fixing.\n<function=str_replace_editor>\n<parameter=command>str_replace</parameter>\n<parameter=path>${WS}/calc.py</parameter>\n<parameter=old_str>return a - b</parameter>\n<parameter=new_str>return a + b</parameter>\n`),
        call("finish", { message: "fixed", task_completed: "true" }),
      ],
      { toolFormat: "text" },
    );
    expect(out.exit_reason).toBe("finished");
    expect(calc()).toBe(FIXED);
    expect(out.tools).toEqual([]);
    for (const r of server?.requests ?? []) expect(r.body).not.toHaveProperty("tools");
    const first = sentMessages(0);
    expect(first[0]?.content).toContain("<function=FUNCTION_NAME>");
    expect(first[0]?.content).toContain("str_replace_editor");
    const second = sentMessages(1);
    expect(second.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(second[3]?.content).toMatch(/^EXECUTION RESULT of \[execute_bash\]:\n2: {4}return a - b\n\[Command finished with exit code 0\]$/);
    const third = sentMessages(2);
    expect(third[5]?.content?.startsWith("EXECUTION RESULT of [str_replace_editor]:\n")).toBe(true);
    expect(out.messages.some((m) => m.role === "tool")).toBe(false);
  });

  it("runs only the first call of a reply and tells the model", async () => {
    const out = await run(
      [
        textStep(`${formatTextToolCall("think", { thought: "a" })}\n${formatTextToolCall("execute_bash", { command: "touch SHOULD_NOT_EXIST" })}`),
        call("finish", { message: "ok" }),
      ],
      { toolFormat: "text" },
    );
    expect(out.steps[0]?.tool).toBe("think");
    expect(sentMessages(1)[3]?.content).toContain("1 other call was ignored");
    expect(readFileSync(path.join(ws.dir, "calc.py"), "utf8")).toBe(BUGGY);
    expect(() => readFileSync(path.join(ws.dir, "SHOULD_NOT_EXIST"))).toThrow();
  });

  it("rejects unknown tools and parameters with an explanation, and continues", async () => {
    const out = await run(
      [call("search", { query: "add" }), call("think", { thought: "x", mood: "y" }), call("finish", { message: "ok" })],
      { toolFormat: "text" },
    );
    expect(out.exit_reason).toBe("finished");
    expect(sentMessages(1)[3]?.content).toContain('EXECUTION RESULT of [search]:\nThere is no tool named "search"');
    expect(sentMessages(2)[5]?.content).toContain('no parameter "mood"');
  });

  it("sends format-specific continuation messages", async () => {
    const out = await run(() => textStep("Thinking out loud."), { toolFormat: "text" });
    expect(out.exit_reason).toBe("no_tool_calls");
    expect(sentMessages(1)[3]?.content).toBe(continuationMessage("text"));
    expect(continuationMessage("text")).toContain("<function=");
  });
});

// The extension point: a subclass overrides single steps of the default agent and keeps the rest.
class TestsPassAgent extends DefaultAgent {
  // Every observation says which call of the episode it answers.
  protected override formatObservation(action: ParsedAction, result: ActionResult): string {
    return `[call ${this.steps.length + 1}: ${action.name}] ${super.formatObservation(action, result)}`;
  }

  // An extra stop condition: the episode ends as soon as a command prints the tests' success line.
  protected override checkFinished(): void {
    if (this.steps.some((s) => s.tool === "execute_bash" && s.observation.includes("TESTS PASSED"))) throw new EpisodeEnd("finished", "the tests passed");
    super.checkFinished();
  }
}

describe("DefaultAgent subclass", () => {
  it("overrides the observation format and adds a stop condition; everything else is the default loop", async () => {
    server = await startScriptedServer([
      toolCallStep("str_replace_editor", { command: "str_replace", path: `${WS}/calc.py`, old_str: "return a - b", new_str: "return a + b" }),
      toolCallStep("execute_bash", { command: "python3 -c 'from calc import add; assert add(2, 3) == 5; print(\"TESTS PASSED\")'" }),
      toolCallStep("finish", { message: "never asked for" }),
    ]);
    const policy = new ModelClient({ baseURL: server.baseURL, apiKey: "k", model: "m", retry: { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 50 } });
    const out = await new TestsPassAgent({ episode: ws.episode, instruction: "Fix add in calc.py.", policy, toolFormat: "native" }).run();
    expect(out.exit_reason).toBe("finished");
    expect(out.error).toBe("the tests passed");
    expect(out.finish).toBeNull();
    expect(calc()).toBe(FIXED);
    // The model was asked twice: the stop condition ended the episode before the scripted finish was requested.
    expect(server.requests).toHaveLength(2);
    const toolMessage = sentMessages(1)[3];
    expect(toolMessage).toMatchObject({ role: "tool", name: "str_replace_editor" });
    expect(toolMessage?.content).toMatch(/^\[call 1: str_replace_editor\] The file \/workspace\/demo\/calc.py has been edited/);
    expect(out.steps.map((st) => st.tool)).toEqual(["str_replace_editor", "execute_bash"]);
    expect(out.steps[1]?.observation.startsWith("[call 2: execute_bash] TESTS PASSED")).toBe(true);
    // The default agent on the same script does not stop there: it runs to the model's finish.
    await server.close();
    await ws.cleanup();
    ws = await makeWorkspace({ "calc.py": BUGGY, "other.py": "X = 1\n" });
    server = null;
    const plain = await run([
      toolCallStep("str_replace_editor", { command: "str_replace", path: `${WS}/calc.py`, old_str: "return a - b", new_str: "return a + b" }),
      toolCallStep("execute_bash", { command: "python3 -c 'from calc import add; assert add(2, 3) == 5; print(\"TESTS PASSED\")'" }),
      toolCallStep("finish", { message: "done" }),
    ]);
    expect(plain.exit_reason).toBe("finished");
    expect(plain.finish).toEqual({ message: "done" });
    expect(plain.steps.map((st) => st.tool)).toEqual(["str_replace_editor", "execute_bash", "finish"]);
    expect(plain.steps[0]?.observation.startsWith("[call")).toBe(false);
  });

  it("runs one episode per agent", async () => {
    server = await startScriptedServer([toolCallStep("finish", { message: "ok" })]);
    const policy = new ModelClient({ baseURL: server.baseURL, apiKey: "k", model: "m", retry: { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 50 } });
    const agent = new DefaultAgent({ episode: ws.episode, instruction: "x", policy, toolFormat: "native" });
    expect((await agent.run()).exit_reason).toBe("finished");
    await expect(agent.run()).rejects.toThrow(/one episode/);
  });
});
