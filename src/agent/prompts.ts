// Our own prompts (docs/DESIGN.md §4: tool names follow OpenHands, the words do not). Kept short: the task text in the
// user message carries the specifics, the system prompt only sets the working rules.

import { sha256 } from "../util/hash.js";
import { textToolsSection } from "./text-format.js";
import type { ToolFormat, ToolSchema } from "./types.js";

export function systemPrompt(opts: { workspacePath: string; toolFormat: ToolFormat; tools: ToolSchema[] }): string {
  const base = [
    "You are a software engineering agent working in a code repository.",
    `The repository is at ${opts.workspacePath}; it is also the shell's starting directory.`,
    "",
    "How to work:",
    "- Use the tools to explore: list directories, search with grep or find, and read the relevant files before changing anything.",
    "- Make every file change with the str_replace_editor tool, not with shell redirections or sed, and keep changes to what the task asks for.",
    "- There is no network access and nothing needs to be installed.",
    "- Act in every reply: each reply should contain a tool call.",
    "- When the task is done, call finish with a short summary. Do not stop without calling finish.",
  ].join("\n");
  return opts.toolFormat === "text" ? `${base}\n\n${textToolsSection(opts.tools)}` : base;
}

// Sent as a user turn when the model replies without calling a tool.
export function continuationMessage(toolFormat: ToolFormat): string {
  const how =
    toolFormat === "text"
      ? "Write a function call in the <function=NAME><parameter=KEY>VALUE</parameter></function> format described in the system prompt."
      : "Use one of the provided tools.";
  return `Your reply did not call a tool, so nothing happened. Continue working on the task. ${how} If you have finished, call finish with a summary.`;
}

// Identifies a prompt version: runs with the same system prompt and tool schemas share a hash.
export function promptHash(system: string, tools: ToolSchema[]): string {
  return sha256(`${system}\u0000${JSON.stringify(tools)}`);
}
