// The oracle policy (`--model oracle`): replays a gold patch through the agent's own tools, so the whole rollout
// path — tools, editor, records, diff, verification — can be checked without a model. For each file it views the
// file, then turns each hunk into a str_replace (with enough context to match exactly once) or an insert; new
// files are created, deleted files removed with the shell; then it calls finish. It plans each edit from the
// file's current content on the host, the way a careful agent would after viewing it.

import { promises as fs } from "node:fs";
import { parsePatch } from "../patch/parse.js";
import type { Hunk, ParsedFilePatch } from "../patch/types.js";
import type { Episode } from "../sandbox/types.js";
import { PolicyError, type AssistantMessage, type Policy, type PolicyRequest, type PolicyResponse } from "./policy.js";
import { formatTextToolCall } from "./text-format.js";

export const ORACLE_MODEL = "oracle";

interface PlannedCall {
  name: string;
  args: Record<string, unknown>;
}

// One step of the replay; `plan` runs when the step is reached, so it sees the file as earlier edits left it.
type Job = () => Promise<PlannedCall[]>;

// The old and new text of a hunk, each line with its terminator unless the patch marks it "no newline at end".
function hunkTexts(h: Hunk): { oldLines: string[]; newLines: string[] } {
  const oldLines: string[] = [];
  const newLines: string[] = [];
  for (const line of h.lines) {
    const text = line.noEol ? line.text : `${line.text}\n`;
    if (line.op !== "+") oldLines.push(text);
    if (line.op !== "-") newLines.push(text);
  }
  return { oldLines, newLines };
}

function countOccurrences(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) n++;
  return n;
}

function splitKeepNewlines(content: string): string[] {
  return content === "" ? [] : content.split(/(?<=\n)/);
}

function sameLines(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// Where the hunk's old lines sit in the current file: at the expected line if they match there, else the match
// nearest to it. Returns a 0-based line index or null.
function locate(lines: string[], oldLines: string[], expected: number): number | null {
  if (sameLines(lines.slice(expected, expected + oldLines.length), oldLines)) return expected;
  let best: number | null = null;
  for (let i = 0; i + oldLines.length <= lines.length; i++) {
    if (sameLines(lines.slice(i, i + oldLines.length), oldLines) && (best === null || Math.abs(i - expected) < Math.abs(best - expected))) best = i;
  }
  return best;
}

export class OraclePolicy implements Policy {
  readonly name = ORACLE_MODEL;
  private readonly jobs: Job[] = [];
  private calls = 0;

  private readonly planError: string | null = null;

  constructor(
    goldPatch: string,
    private readonly episode: Pick<Episode, "hostPath" | "workspacePath">,
  ) {
    // A patch the oracle cannot replay is reported by the first complete() call, so the loop records it like any
    // other failed rollout instead of the caller crashing before the episode starts.
    try {
      for (const file of parsePatch(goldPatch)) this.planFile(file);
    } catch (e) {
      this.planError = (e as Error).message;
    }
    this.jobs.push(async () => [{ name: "finish", args: { message: "Applied the reference solution.", task_completed: "true" } }]);
  }

  private agentPath(rel: string): string {
    return `${this.episode.workspacePath.replace(/\/$/, "")}/${rel}`;
  }

  private async read(rel: string): Promise<string> {
    const host = this.episode.hostPath(this.agentPath(rel));
    if (host === null) throw new Error(`the gold patch touches ${rel}, which is outside the workspace`);
    return fs.readFile(host, "utf8");
  }

  private planFile(file: ParsedFilePatch): void {
    const name = file.newPath ?? file.oldPath ?? "(unnamed)";
    if (file.binary) throw new Error(`the gold patch changes the binary file ${name}, which the editor cannot write`);
    const bash = (command: string): void => {
      // Shell commands use workspace-relative paths: the shell starts in the workspace on every backend, while the
      // agent-visible absolute path exists only inside isolating backends.
      this.jobs.push(async () => [{ name: "execute_bash", args: { command } }]);
    };
    if (file.status === "deleted" && file.oldPath !== null) {
      bash(`rm -f -- ${shellQuote(file.oldPath)}`);
      return;
    }
    const target = file.newPath;
    if (target === null) throw new Error("the gold patch has a file section without a new path");
    if (file.status === "added" || file.oldPath === null) {
      const text = file.hunks.map((h) => hunkTexts(h).newLines.join("")).join("");
      this.jobs.push(async () => [{ name: "str_replace_editor", args: { command: "create", path: this.agentPath(target), file_text: text } }]);
      if (file.newMode === "100755") bash(`chmod +x -- ${shellQuote(target)}`);
      return;
    }
    if (file.oldPath !== target) {
      const verb = file.status === "copied" ? "cp" : "mv";
      bash(`mkdir -p -- ${shellQuote(dirOf(target))} && ${verb} -- ${shellQuote(file.oldPath)} ${shellQuote(target)}`);
    }
    if (file.oldMode !== null && file.newMode !== null && file.oldMode !== file.newMode) {
      bash(`chmod ${file.newMode === "100755" ? "+x" : "-x"} -- ${shellQuote(target)}`);
    }
    if (file.hunks.length === 0) return;
    this.jobs.push(async () => [{ name: "str_replace_editor", args: { command: "view", path: this.agentPath(target) } }]);
    let delta = 0; // lines added minus removed by the hunks already applied above this one
    for (const hunk of file.hunks) {
      const shift = delta;
      this.jobs.push(() => this.planHunk(target, hunk, shift));
      delta += hunk.newLines - hunk.oldLines;
    }
  }

  private async planHunk(rel: string, hunk: Hunk, delta: number): Promise<PlannedCall[]> {
    const path = this.agentPath(rel);
    const { oldLines, newLines } = hunkTexts(hunk);
    const content = await this.read(rel);
    const lines = splitKeepNewlines(content);
    if (oldLines.length === 0) {
      // Pure addition without context: for "@@ -N,0 ..." git puts the new lines after old line N.
      return [{ name: "str_replace_editor", args: { command: "insert", path, insert_line: hunk.oldStart + delta, new_str: newLines.join("") } }];
    }
    const at = locate(lines, oldLines, hunk.oldStart - 1 + delta);
    if (at === null) throw new Error(`hunk @@ -${hunk.oldStart},${hunk.oldLines} @@ of ${rel} does not match the file`);
    // Grow the context one line at a time, alternating below and above, until old_str occurs exactly once.
    let from = at;
    let to = at + oldLines.length;
    let before = "";
    let after = "";
    let oldStr = oldLines.join("");
    for (let grow = 0; countOccurrences(content, oldStr) > 1; grow++) {
      if ((grow % 2 === 0 && to < lines.length) || from === 0) {
        after += lines[to++] ?? "";
      } else {
        before = (lines[--from] ?? "") + before;
      }
      oldStr = before + oldLines.join("") + after;
      if (from === 0 && to >= lines.length) break;
    }
    return [{ name: "str_replace_editor", args: { command: "str_replace", path, old_str: oldStr, new_str: before + newLines.join("") + after } }];
  }

  async complete(request: PolicyRequest): Promise<PolicyResponse> {
    const started = Date.now();
    const index = this.calls++;
    if (this.planError !== null) {
      throw new PolicyError(`the oracle cannot replay the gold patch: ${this.planError}`, "model", null, []);
    }
    const job = this.jobs.shift();
    // After finish there is nothing left; answering without a call lets the loop end it as no_tool_calls.
    let planned: PlannedCall[] = [];
    if (job) {
      try {
        planned = await job();
      } catch (e) {
        throw new PolicyError(`the oracle could not replay the gold patch: ${(e as Error).message}`, "model", null, []);
      }
    }
    const native = request.tools !== null;
    let message: AssistantMessage;
    if (planned.length === 0) {
      message = { role: "assistant", content: "Nothing left to do." };
    } else if (native) {
      message = {
        role: "assistant",
        content: null,
        tool_calls: planned.map((c, i) => ({
          id: `oracle_${index}_${i}`,
          type: "function" as const,
          function: { name: c.name, arguments: JSON.stringify(c.args) },
        })),
      };
    } else {
      message = { role: "assistant", content: planned.map((c) => formatTextToolCall(c.name, c.args)).join("\n") };
    }
    return { message, raw: null, usage: null, cost: 0, latencyMs: Date.now() - started, attempts: 1, failures: [] };
  }
}

function dirOf(rel: string): string {
  const i = rel.lastIndexOf("/");
  return i === -1 ? "." : rel.slice(0, i);
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function createOraclePolicy(goldPatch: string, episode: Pick<Episode, "hostPath" | "workspacePath">): OraclePolicy {
  return new OraclePolicy(goldPatch, episode);
}
