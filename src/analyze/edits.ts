// Whether an edit applied. An edit attempt is a str_replace_editor call with command str_replace, insert or
// create (the edits whose outcome the observation states); it failed when the step is marked as an error or the
// observation says no change was made — our editor's words and OpenHands' (for imported trajectories).

import type { ActionInput } from "./types.js";

const EDIT_COMMANDS = new Set(["str_replace", "insert", "create"]);

const FAILED_EDIT = [
  /^No replacement was (made|performed)/m, // ours and OpenHands': old_str not found / several matches
  /did not appear verbatim/,
  /Multiple occurrences of old_str/,
  /occurs \d+ times in/,
  /^ERROR:/m, // OpenHands editor errors ("ERROR:\nInvalid `path` parameter ...")
  /Invalid `(path|insert_line|view_range)` parameter/,
  /File already exists at/,
  /does not exist\. Please provide a valid path/,
];

export function isEditAttempt(step: ActionInput): boolean {
  const command = step.arguments?.command;
  return step.tool === "str_replace_editor" && typeof command === "string" && EDIT_COMMANDS.has(command);
}

export function editFailed(step: ActionInput): boolean {
  if (step.error) return true;
  const obs = step.observation ?? "";
  return FAILED_EDIT.some((re) => re.test(obs));
}
