import { describe, expect, it } from "vitest";
import { executionResultText, formatTextToolCall, parseTextToolCall, textToolsSection, toTextFormat } from "./text-format.js";
import { toolSchemas, validateToolCall } from "./tools.js";
import type { ChatMessage } from "./types.js";

describe("text tool-call format", () => {
  it("round-trips calls, including multi-line values and trailing newlines", () => {
    const args = { command: "str_replace", path: "/w/a.py", old_str: "def f():\n    pass\n", new_str: "x = 1", view_range: [1, -1] };
    const text = formatTextToolCall("str_replace_editor", args);
    expect(text.startsWith("<function=str_replace_editor>\n<parameter=command>str_replace</parameter>\n")).toBe(true);
    const parsed = parseTextToolCall(`I will edit.\n${text}`);
    expect(parsed.error).toBeNull();
    expect(parsed.call?.name).toBe("str_replace_editor");
    expect(parsed.call?.args).toEqual({ command: "str_replace", path: "/w/a.py", old_str: "def f():\n    pass\n", new_str: "x = 1", view_range: "[1,-1]" });
    const v = validateToolCall("str_replace_editor", parsed.call?.args ?? {});
    expect(v.ok && v.call.args).toEqual(args);
  });

  it("tolerates a missing </function>, whitespace, any parameter order", () => {
    const p = parseTextToolCall("<function = execute_bash >\n<parameter=timeout>5</parameter>\n  <parameter=command>\nls -la\n</parameter>\n");
    expect(p.call).toEqual({ name: "execute_bash", args: { timeout: "5", command: "ls -la" } });
    const noParamClose = parseTextToolCall("<function=think>\n<parameter=thought>hmm\nmore");
    expect(noParamClose.call).toEqual({ name: "think", args: { thought: "hmm\nmore" } });
  });

  it("reads only the first call and counts the others", () => {
    const p = parseTextToolCall("<function=think>\n<parameter=thought>a</parameter>\n</function>\n<function=finish>\n<parameter=message>b</parameter>\n</function>");
    expect(p.call).toEqual({ name: "think", args: { thought: "a" } });
    expect(p.ignoredCalls).toBe(1);
  });

  it("reports no call, unreadable calls and duplicate parameters", () => {
    expect(parseTextToolCall("just talking").call).toBeNull();
    expect(parseTextToolCall("just talking").error).toBeNull();
    expect(parseTextToolCall("<function=>\n</function>").error).toContain("no function name");
    expect(parseTextToolCall("<function=think><parameter=thought>a</parameter><parameter=thought>b</parameter></function>").error).toContain("twice");
  });

  it("the system section lists every tool and its parameters", () => {
    const section = textToolsSection(toolSchemas());
    for (const name of ["execute_bash", "str_replace_editor", "think", "finish", "view_range", "insert_line", "task_completed"]) {
      expect(section).toContain(name);
    }
    expect(section).toContain("EXECUTION RESULT of [FUNCTION_NAME]:");
  });

  it("converts a native conversation deterministically", () => {
    const tools = toolSchemas();
    const native: ChatMessage[] = [
      { role: "system", content: "SYS" },
      { role: "user", content: "TASK" },
      {
        role: "assistant",
        content: "Looking.",
        tool_calls: [
          { id: "c1", type: "function", function: { name: "execute_bash", arguments: '{"command":"ls"}' } },
          { id: "c2", type: "function", function: { name: "think", arguments: '{"thought":"ok"}' } },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: "a.py" },
      { role: "tool", tool_call_id: "c2", name: "think", content: "noted" },
      { role: "assistant", content: null, tool_calls: [{ id: "c3", type: "function", function: { name: "finish", arguments: '{"message":"done"}' } }] },
      { role: "tool", tool_call_id: "c3", content: "finished" },
    ];
    const out = toTextFormat(native, tools);
    expect(out).toEqual([
      { role: "system", content: `SYS\n\n${textToolsSection(tools)}` },
      { role: "user", content: "TASK" },
      {
        role: "assistant",
        content: "Looking.\n\n<function=execute_bash>\n<parameter=command>ls</parameter>\n</function>\n\n<function=think>\n<parameter=thought>ok</parameter>\n</function>",
      },
      { role: "user", content: `${executionResultText("execute_bash", "a.py")}\n\n${executionResultText("think", "noted")}` },
      { role: "assistant", content: "<function=finish>\n<parameter=message>done</parameter>\n</function>" },
      { role: "user", content: "EXECUTION RESULT of [finish]:\nfinished" },
    ]);
    expect(toTextFormat(native, tools)).toEqual(out);
  });
});

describe("tool argument validation", () => {
  it("rejects unknown tools, unknown and missing parameters, wrong types, with the allowed set", () => {
    const unknownTool = validateToolCall("browse", { url: "x" });
    expect(unknownTool.ok).toBe(false);
    expect(!unknownTool.ok && unknownTool.error).toContain("execute_bash(command, is_input, timeout)");
    const unknownParam = validateToolCall("execute_bash", { command: "ls", cwd: "/" });
    expect(!unknownParam.ok && unknownParam.error).toContain('no parameter "cwd"');
    const missing = validateToolCall("str_replace_editor", { command: "view" });
    expect(!missing.ok && missing.error).toContain('"path"');
    const badEnum = validateToolCall("str_replace_editor", { command: "delete", path: "a" });
    expect(!badEnum.ok && badEnum.error).toContain('"view"');
    const badInt = validateToolCall("str_replace_editor", { command: "insert", path: "a", insert_line: "two" });
    expect(!badInt.ok && badInt.error).toContain("integer");
  });

  it("coerces booleans and numeric strings", () => {
    const v = validateToolCall("execute_bash", { command: "cat", is_input: true, timeout: "2.5" });
    expect(v.ok && v.call.args).toEqual({ command: "cat", is_input: "true", timeout: 2.5 });
  });
});
