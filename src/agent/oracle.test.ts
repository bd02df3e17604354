import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runEpisode } from "./loop.js";
import { createOraclePolicy } from "./oracle.js";
import { makeWorkspace, type TestWorkspace } from "./test-support/workspace.js";
import type { ToolFormat } from "./types.js";

const MOD = ["def a():", "    return 1", "", "", "def b():", "    return 1", "", "", "def c():", "    return 1", ""].join("\n");
const LONG = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";

let ws: TestWorkspace;

beforeEach(async () => {
  ws = await makeWorkspace({ "mod.py": MOD, "long.txt": LONG, "notes.txt": "alpha\nbeta", "old.txt": "remove me\n", "move-me.txt": LONG, "run.sh": "echo hi\n" });
});
afterEach(async () => {
  await ws.cleanup();
});

// Make the gold change in the real repository, capture it as a git diff, then put the workspace back.
function makeGoldPatch(context: number): string {
  const w = (rel: string, text: string): void => {
    mkdirSync(path.dirname(path.join(ws.dir, rel)), { recursive: true });
    writeFileSync(path.join(ws.dir, rel), text);
  };
  // b's body is identical to a's and c's: without enough context the replacement would be ambiguous.
  w("mod.py", MOD.replace("def b():\n    return 1", 'def b():\n    """Return two."""\n    return 2'));
  // Several hunks in one file, shifting lines, including a pure insertion.
  w("long.txt", LONG.replace("line 3\n", "line 3\ninserted A\ninserted B\n").replace("line 20\n", "").replace("line 35\n", "line thirty-five\n"));
  w("notes.txt", "alpha\nBETA"); // no newline at end of file, before and after
  w("pkg/new.py", "def fresh():\n    return 0\n");
  rmSync(path.join(ws.dir, "old.txt"));
  // A rename with a change, and a mode change.
  w("docs/moved.txt", LONG.replace("line 10\n", "line ten\n"));
  rmSync(path.join(ws.dir, "move-me.txt"));
  chmodSync(path.join(ws.dir, "run.sh"), 0o755);
  ws.git("add", "-A");
  const patch = ws.git("diff", "--cached", `-U${context}`, "HEAD");
  ws.git("reset", "-q", "--hard", "HEAD");
  ws.git("clean", "-fdq");
  return patch;
}

function currentDiff(context: number): string {
  ws.git("add", "-A");
  return ws.git("diff", "--cached", `-U${context}`, "HEAD");
}

describe("oracle policy", () => {
  for (const [format, context] of [
    ["native", 0],
    ["text", 3],
  ] as [ToolFormat, number][]) {
    it(`replays a gold patch through the tools (${format} format, -U${context})`, async () => {
      const gold = makeGoldPatch(context);
      expect(gold).toContain("\\ No newline at end of file");
      expect(gold).toContain("rename from move-me.txt");
      expect(gold).toContain("new mode 100755");
      expect(readFileSync(path.join(ws.dir, "mod.py"), "utf8")).toBe(MOD);
      const policy = createOraclePolicy(gold, ws.episode);
      const out = await runEpisode({ episode: ws.episode, instruction: "Apply the change.", policy, toolFormat: format, limits: { maxSteps: 40 } });
      expect(out.exit_reason).toBe("finished");
      expect(out.model).toBe("oracle");
      expect(out.steps.filter((s) => s.error)).toEqual([]);
      expect(currentDiff(context)).toBe(gold);
      const tools = out.steps.map((s) => `${s.tool}:${(s.arguments as { command?: string } | null)?.command ?? ""}`);
      expect(tools).toContain("str_replace_editor:view");
      expect(tools).toContain("str_replace_editor:create");
      expect(tools.at(-1)).toBe("finish:");
      if (context === 0) {
        expect(tools).toContain("str_replace_editor:insert");
        // "    return 1" alone occurs three times in mod.py: the oracle had to widen the context to make it unique.
        const modEdit = out.steps.find((s) => (s.arguments as { command?: string; path?: string } | null)?.path?.endsWith("mod.py") && (s.arguments as { command?: string }).command === "str_replace");
        expect((modEdit?.arguments as { old_str: string }).old_str).toContain("def b():");
      }
    });
  }

  it("fails as a model error when the patch does not match the workspace", async () => {
    const bogus = ["--- a/mod.py", "+++ b/mod.py", "@@ -1,1 +1,1 @@", "-def nothing_like_this():", "+def x():", ""].join("\n");
    const out = await runEpisode({ episode: ws.episode, instruction: "x", policy: createOraclePolicy(bogus, ws.episode), toolFormat: "native" });
    expect(out.exit_reason).toBe("model_error");
    expect(out.error).toContain("does not match");

    const truncated = ["--- a/mod.py", "+++ b/mod.py", "@@ -1,5 +1,5 @@", " def a():", ""].join("\n");
    const bad = await runEpisode({ episode: ws.episode, instruction: "x", policy: createOraclePolicy(truncated, ws.episode), toolFormat: "text" });
    expect(bad.exit_reason).toBe("model_error");
    expect(bad.error).toContain("truncated");
    expect(bad.steps).toEqual([]);
  });
});
