import { describe, expect, it } from "vitest";
import { detectStuck } from "./stuck.js";
import { truncateMiddle } from "./truncate.js";
import type { Step } from "./types.js";

function step(tool: string, args: Record<string, unknown>, observation: string, error = false): Step {
  return { index: 0, tool, arguments: args, observation, error, started_at: "", duration_ms: 0 };
}

describe("detectStuck", () => {
  const ls = step("execute_bash", { command: "ls" }, "a.py");
  const cat = step("execute_bash", { command: "cat a.py" }, "x = 1");

  it("flags 4 identical action+observation pairs, not 3", () => {
    expect(detectStuck([ls, ls, ls])).toBeNull();
    expect(detectStuck([cat, ls, ls, ls, ls])).toContain("4 times");
  });

  it("ignores argument key order but not different observations", () => {
    const a = step("str_replace_editor", { command: "view", path: "a" }, "o");
    const b = step("str_replace_editor", { path: "a", command: "view" }, "o");
    expect(detectStuck([a, b, a, b])).toContain("repeated");
    const changed = step("str_replace_editor", { path: "a", command: "view" }, "o2");
    expect(detectStuck([a, b, a, changed])).toBeNull();
  });

  it("flags A/B alternation over 6 steps", () => {
    expect(detectStuck([ls, cat, ls, cat, ls])).toBeNull();
    expect(detectStuck([ls, cat, ls, cat, ls, cat])).toContain("alternating");
  });

  it("flags the same failing action 3 times, but not different actions with the same error", () => {
    const bad = step("nope", { x: 1 }, "There is no tool named nope", true);
    expect(detectStuck([bad, bad, bad])).toContain("same error");
    const grep1 = step("execute_bash", { command: "grep foo" }, "[Command finished with exit code 1]", true);
    const grep2 = step("execute_bash", { command: "grep bar" }, "[Command finished with exit code 1]", true);
    const grep3 = step("execute_bash", { command: "grep baz" }, "[Command finished with exit code 1]", true);
    expect(detectStuck([grep1, grep2, grep3])).toBeNull();
  });

  it("leaves replies without tool calls to the continuation limit", () => {
    const none = step("(none)", {}, "continue", false);
    expect(detectStuck([none, none, none, none])).toBeNull();
  });
});

describe("truncateMiddle", () => {
  it("keeps short text and cuts long text in the middle within the limit", () => {
    expect(truncateMiddle("abc", 10)).toBe("abc");
    const text = "H".repeat(5000) + "M".repeat(5000) + "T".repeat(5000);
    const cut = truncateMiddle(text, 1000, "hint here");
    expect(cut.length).toBeLessThanOrEqual(1000);
    expect(cut.startsWith("HHH")).toBe(true);
    expect(cut.endsWith("TTT")).toBe(true);
    expect(cut).not.toContain("M");
    expect(cut).toMatch(/\[\.\.\. \d+ characters omitted from the middle of this output\. hint here \.\.\.\]/);
  });
});
