// Turning a fix commit's message into an issue text. A commit message says what was wrong AND what the change
// does; an issue only says the first. So references (issue numbers, URLs, trailers such as Signed-off-by) and
// the paragraphs that describe the fix ("Clamp the value...", "This commit changes...") are removed, and the
// subject's leading "Fix" is dropped so it reads as a symptom. Heuristic by nature; what is left must still be
// long enough to describe a problem, otherwise the commit is not used.

const TRAILER = /^[A-Za-z][A-Za-z-]*(-by|-to)?:\s+\S/; // Signed-off-by:, Co-authored-by:, Reviewed-by:, Cc:, Change-Id:
const REFERENCE_LINE = /^\s*((fix(es|ed)?|close[sd]?|resolve[sd]?|see|refs?|related( to)?|part of)\b[\s:]*)?((\S+\/\S+)?#\d+|gh-\d+|https?:\/\/\S+)([\s,]+(and\s+)?((\S+\/\S+)?#\d+|gh-\d+|https?:\/\/\S+))*\.?\s*$/i;
// Verbs a fix description starts with (imperative mood), and the "This commit/change/patch ..." family.
const FIX_VERBS = [
  "add", "adjust", "allow", "avoid", "bump", "change", "check", "clamp", "clean", "correct", "default", "disable",
  "drop", "emit", "enable", "ensure", "escape", "fall back", "fix", "flush", "guard", "handle", "ignore", "implement", "improve", "introduce",
  "keep", "let", "make", "move", "normalize", "pass", "prevent", "raise", "refactor", "remove", "rename", "replace",
  "report", "reset", "resolve", "restore", "return", "revert", "rewrite", "set", "skip", "sort", "split", "stop", "strip", "switch", "treat", "trim", "update",
  "use", "validate", "wrap",
];
const FIX_PARAGRAPH = new RegExp(
  `^(this (commit|change|patch|pr|pull request|fix)\\b|with this (change|commit|patch)|the fix\\b|to fix (this|it)\\b|instead,? we\\b|we now\\b|now we\\b|(${FIX_VERBS.join("|")})(e?s)?\\b)`,
  "i",
);
const SUBJECT_FIX_PREFIX = /^(\[[^\]]*\]\s*)*((bug)?fix(es|ed)?|hotfix|bug)(\([^)]*\))?\s*[:-]?\s+/i;
const CONVENTIONAL_PREFIX = /^[a-z]+(\([^)]*\))?!?:\s+/i; // "fix(parser): ", "core: "

export interface CleanedMessage {
  subject: string; // the commit's subject as written
  statement: string; // the issue text
}

export function stripReferences(text: string): string {
  return text
    .replace(/\(\s*(#\d+|gh-\d+)(\s*,\s*(#\d+|gh-\d+))*\s*\)/g, "") // "(#123)" in subjects
    .replace(/\b(fix(es|ed)?|close[sd]?|resolve[sd]?)\s+((\S+\/\S+)?#\d+|gh-\d+)/gi, "")
    .replace(/https?:\/\/\S+/g, "")
    .replace(/(^|\s)(\S+\/\S+)?#\d+\b/g, "$1")
    .replace(/[ \t]+([.,;:])/g, "$1")
    .trim();
}

// The subject rewritten as a symptom: "Fix negative prices when ..." -> "Negative prices when ...".
export function subjectAsSymptom(subject: string): string {
  let s = stripReferences(subject).replace(/\[(skip ci|ci skip)\]/gi, "").trim();
  const fixed = SUBJECT_FIX_PREFIX.exec(s);
  if (fixed) s = s.slice(fixed[0].length);
  else s = s.replace(CONVENTIONAL_PREFIX, "");
  s = s.replace(/[.\s]+$/, "");
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

export function isFixDescription(paragraph: string): boolean {
  return FIX_PARAGRAPH.test(paragraph.trim());
}

export function cleanCommitMessage(message: string): CleanedMessage {
  const lines = message.replace(/\r\n/g, "\n").split("\n");
  const subject = (lines[0] ?? "").trim();
  const body = lines.slice(1).join("\n");
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .split("\n")
        .filter((l) => !TRAILER.test(l.trim()) && !REFERENCE_LINE.test(l))
        .join("\n")
        .trim(),
    )
    .filter((p) => p !== "")
    .filter((p) => !isFixDescription(p))
    .map((p) => stripReferences(p.replace(/\s*\n\s*/g, " ")))
    .filter((p) => p !== "");
  const head = subjectAsSymptom(subject);
  const statement = [head, ...paragraphs].filter((p) => p !== "").join("\n\n");
  return { subject, statement };
}

// Whether a commit looks like a fix, from its message.
const FIX_WORDS = /\b(fix(es|ed|ing)?|bug(s|fix)?|crash(es|ed)?|error|exception|wrong|incorrect(ly)?|broken|regression|fail(s|ed|ure|ing)?|mistake|typo|off-by-one|hang(s|ing)?|leak(s)?|invalid|unexpected(ly)?)\b/i;
export function looksLikeFix(message: string): boolean {
  return FIX_WORDS.test(message);
}

export function wordCount(text: string): number {
  return (text.match(/[A-Za-z0-9_]+/g) ?? []).length;
}
