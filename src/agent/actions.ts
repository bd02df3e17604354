// Carrying out one validated tool call in an episode and turning the result into the observation text the model
// sees. Sandbox failures (the shell could not be started again, the episode is gone) are thrown as InfraError:
// they are not the model's doing and end the rollout as an infrastructure failure.

import { DEFAULT_LIMITS as SANDBOX_DEFAULTS } from "../sandbox/limits.js";
import type { Episode } from "../sandbox/types.js";
import { FileEditor } from "./editor.js";
import type { ToolCallArgs } from "./tools.js";

export class InfraError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InfraError";
  }
}

export interface ActionResult {
  observation: string;
  error: boolean;
  finished?: { message: string; task_completed?: string };
}

export class ActionRunner {
  private readonly editor: FileEditor;

  // defaultTimeoutMs: the episode's own per-command timeout, so a wall-time cap only replaces it when shorter.
  constructor(
    private readonly episode: Episode,
    private readonly defaultTimeoutMs: number = SANDBOX_DEFAULTS.commandTimeoutMs,
  ) {
    this.editor = new FileEditor(episode);
  }

  // `capMs` bounds a command's run time (e.g. the rollout's remaining wall time).
  async run(call: ToolCallArgs, capMs?: number): Promise<ActionResult> {
    switch (call.tool) {
      case "execute_bash":
        return this.bash(call.args.command, call.args.is_input === "true", call.args.timeout, capMs);
      case "str_replace_editor": {
        const r = await this.editor.run(call.args);
        return { observation: r.output, error: r.error };
      }
      case "think":
        return { observation: "Your thought has been recorded.", error: false };
      case "finish":
        return {
          observation: "The task has been marked as finished.",
          error: false,
          finished: { message: call.args.message, task_completed: call.args.task_completed },
        };
    }
  }

  private async bash(command: string, isInput: boolean, timeoutSec: number | undefined, capMs?: number): Promise<ActionResult> {
    if (!isInput && command.trim() === "") {
      return {
        observation: "The command is empty. Give a shell command to run, or set is_input to \"true\" to read more output from a running process.",
        error: true,
      };
    }
    if (timeoutSec !== undefined && timeoutSec <= 0) {
      return { observation: "timeout must be a positive number of seconds.", error: true };
    }
    let timeoutMs = timeoutSec !== undefined ? Math.round(timeoutSec * 1000) : undefined;
    if (capMs !== undefined && capMs < (timeoutMs ?? this.defaultTimeoutMs)) timeoutMs = capMs;
    let result;
    try {
      result = await this.episode.run(command, { timeoutMs, isInput });
    } catch (e) {
      throw new InfraError(`the sandbox failed to run a command: ${(e as Error).message}`);
    }
    const output = result.output.replace(/\s+$/, "");
    if (result.exitCode === null) {
      // The sandbox's output already carries a note saying what happened (timed out and interrupted, waiting for
      // input, episode closed); only an empty one needs our words.
      const fallback = result.timedOut ? "[The command timed out.]" : "[The command has not finished.]";
      return { observation: output || fallback, error: result.timedOut };
    }
    const status = `[Command finished with exit code ${result.exitCode}]`;
    return { observation: output ? `${output}\n${status}` : status, error: result.exitCode !== 0 };
  }
}
