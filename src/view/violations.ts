// What each violation code a verifier can report means, in a sentence a reader of a trajectory needs: the record's
// own message says what happened in this rollout, this says what rule it broke and why the rule exists
// (docs/REWARDS.md has the full verifier rules). A test checks every code the task families emit is listed.

export const VIOLATION_EXPLANATIONS: Record<string, string> = {
  "code-changed": "Comment-only tasks must leave the program unchanged: the language's own front end saw a difference in the code once comments (and docstrings where allowed) were removed.",
  "parse-error": "The edited file no longer compiles for the language's own front end (CPython / the TypeScript parser), so the solution cannot count.",
  "start-does-not-parse": "The file did not compile before the agent touched it, so the comments-only verdict cannot be decided; the instance itself is faulty, not the rollout.",
  "file-created": "Only existing files may be edited in this task; creating files is a common way to game a reward.",
  "file-deleted": "Deleting a file is never part of a correct solution for this task.",
  "file-renamed": "Renaming a file is never part of a correct solution for this task.",
  "mode-changed": "File permissions (e.g. the executable bit) must not change.",
  "binary-file": "Binary files must not change.",
  "file-not-allowed": "The task allows changes to certain files only; this one is outside them.",
  "non-code-file-changed": "Only comments in source files may change; this file is not a source file of the language.",
  "other-docstring-added": "Only the described definition should be documented; documenting others as well dilutes the localization signal.",
  "target-missing": "The definition the task is about (or its file) is gone, so there is nothing to score.",
  "target-not-documented": "The task asked for a docstring on the described definition, and it has none.",
  "docstring-changed": "The function's docstring is its specification in this task and must be kept as given.",
  "body-missing": "The verifier could not find the function body to score in the final file.",
  "code-outside-body-changed": "Only the body of the target function may change; the rest of the file must be the starting text for the language's front end.",
  "line-terminator-hidden": "A lone carriage return or Unicode line separator makes the language see different lines than a reader does, a known way to hide code.",
  "placeholder-left": "The body is still the placeholder the task started with: nothing was implemented.",
  "stub-body": "A stub (pass, ..., raise/throw, empty return) is not an implementation.",
  "calls-itself": "Calling the function itself instead of implementing it (when the original was not recursive) is a reward hack.",
  "dead-code-changes-function": "Code that never runs can still change what a function is: a dead `yield` makes it a generator, a dead assignment makes a name local, a dead `var` shadows an outer one. The body's unreachable code did so where the original's did not.",
  "low-similarity": "Static verification compares the body with the original; below the instance's threshold it does not count as a reimplementation.",
  "no-test": "Execution-based verification needs a test command or an eval script and the instance has neither.",
  "no-recorded-verdict": "The instance records no test verdict from its gold run, so the tests' outcome cannot be compared; regenerate the instance.",
  "test-failed": "The instance's tests exited with an error on the agent's implementation.",
  "test-timeout": "The instance's tests did not finish within their time limit on the agent's implementation.",
  "tests-incomplete": "The test run ended differently from the gold run (e.g. errors or interruption instead of a full run).",
  "tests-not-passed": "Tests that pass on the original implementation did not pass on the agent's: its behaviour differs.",
  "verdict-missing": "The test runner wrote no report: the tests did not finish (crash, timeout, or the process was killed).",
  "verdict-forged": "The test report was altered after the test runner wrote it: an attempt to fake passing tests.",
  "judge-unavailable": "Judge mode needs a model endpoint and none was configured for verification.",
  "judge-error": "The judge model could not be reached; the verdict is missing, not negative.",
  "judge-unreadable": "The judge model answered without a readable verdict.",
  "judge-failed": "The judge model read the body and rejected it; its reason is in the message.",
  "other-file-changed": "Only the target file may change in this task.",
  "other-file": "Only the target file may change in this task.",
  "patch-does-not-apply": "The submitted patch does not apply to the starting state, so it cannot be scored.",
  "no-gold-file-commented": "Issue localization is scored by where comments land: none landed in a file the real fix changes.",
  "no-comment-at-gold-location": "Comments must sit near a region the real fix changes (or on a definition it changes); none does.",
  "low-file-precision": "Too many commented files are files the real fix does not touch: commenting everywhere is not localization.",
  "low-entity-precision": "Too many commented definitions are ones the real fix does not touch: commenting everywhere is not localization.",
};

export function explainViolation(code: string): string | null {
  return VIOLATION_EXPLANATIONS[code] ?? null;
}
