// Turning a fix commit's message into an issue text. A commit message says what was wrong AND what the change
// does; an issue only says the first. So references (issue numbers, URLs, trailers such as Signed-off-by),
// review-tool templates (Summary:, Test Plan:, Reviewers:, Differential Revision:, checklists, HTML comments)
// and the paragraphs and bullets that describe the fix ("Clamp the value...", "This commit changes...") are
// removed, the remaining bullet lists are squashed into one sentence, and the subject's leading "Fix" is dropped
// so it reads as a symptom. Heuristic by nature; what is left must still be long enough to describe a problem,
// and statement-check.ts then rejects texts that still give the fix away.

const TRAILER = /^[A-Za-z][A-Za-z-]*(-by|-to)?:\s+\S/; // Signed-off-by:, Co-authored-by:, Reviewed-by:, Cc:, Change-Id:
const REFERENCE_LINE = /^\s*((fix(es|ed)?|close[sd]?|resolve[sd]?|see|refs?|related( to)?|part of)\b[\s:]*)?((\S+\/\S+)?#\d+|gh-\d+|https?:\/\/\S+)([\s,]+(and\s+)?((\S+\/\S+)?#\d+|gh-\d+|https?:\/\/\S+))*\.?\s*$/i;
// Verbs a fix description starts with (imperative mood), and the "This commit/change/patch ..." family.
const FIX_VERBS = [
  "abort", "add", "adjust", "allow", "always", "apply", "avoid", "bump", "change", "check", "clamp", "clean", "complete", "compute", "convert", "correct", "default",
  "defer", "derive", "disable", "do not", "don't", "drop", "emit", "enable", "ensure", "escape", "explicit", "explicitly", "extract", "fall back", "fix", "flush", "forward", "guard",
  "handle", "ignore", "implement", "improve", "initialize", "introduce", "keep", "let", "make", "mark", "move", "never", "normalize", "pass",
  "pause", "preserve", "prevent", "propagate", "provide", "raise", "record", "refactor", "register", "remove", "rename", "replace", "report",
  "reset", "resolve", "restore", "return", "revert", "rewrite", "set", "simplify", "skip", "sort", "stick with", "split", "stop", "store", "strip", "support", "switch",
  "temporarily", "track", "treat", "trim", "update", "use", "using", "validate", "wrap",
];
const FIX_PARAGRAPH = new RegExp(
  `^(this (commit|change|patch|pr|pull request|fix)\\b|with this (change|commit|patch)|the fix\\b|to fix (this|it)\\b|instead,? we\\b|we now\\b|now we\\b|(${FIX_VERBS.join("|")})(e?s|e?d)?\\b)`,
  "i",
);
const SUBJECT_FIX_PREFIX = /^(\[[^\]]*\]\s*)*((bug)?fix(es|ed)?|hotfix|bug)(\([^)]*\))?\s*[:-]?\s+/i;
const CONVENTIONAL_PREFIX = /^[a-z][a-z/]*(\([^)]*\))?!?:\s+/i; // "fix(parser): ", "core: ", "BUG/TST: "

export interface CleanedMessage {
  subject: string; // the commit's subject as written
  statement: string; // the issue text
}

export function stripReferences(text: string): string {
  return text
    .replace(/\(\s*(#\d+|gh-\d+)(\s*,\s*(#\d+|gh-\d+))*\s*\)/g, "") // "(#123)" in subjects
    .replace(/\b(this|which|that)\s+(fix(es|ed)?|close[sd]?|resolve[sd]?)\s+((\S+\/\S+)?#\d+|gh-\d+)\.?/gi, "")
    .replace(/\b(fix(es|ed)?|close[sd]?|resolve[sd]?)\s+((\S+\/\S+)?#\d+|gh-\d+)/gi, "")
    .replace(/https?:\/\/\S+/g, "")
    .replace(/(^|\s)(\S+\/\S+)?#\d+\b/g, "$1")
    .replace(/[ \t]+([.,;:])/g, "$1")
    .trim();
}

// The subject rewritten as a symptom: "Fix negative prices when ..." -> "Negative prices when ...".
export function subjectAsSymptom(subject: string): string {
  let s = stripReferences(subject).replace(/\[(skip ci|ci skip)\]/gi, "").trim().replace(/^[\s:;,.-]+/, "");
  const fixed = SUBJECT_FIX_PREFIX.exec(s);
  if (fixed) s = s.slice(fixed[0].length).replace(/^for\s+/i, ""); // "Bugfix for Exit handling"
  else s = s.replace(CONVENTIONAL_PREFIX, "");
  s = s.replace(/^(issue|bug)\s*[-:]\s*/i, "").replace(/[.\s]+$/, "");
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

export function isFixDescription(paragraph: string): boolean {
  return FIX_PARAGRAPH.test(paragraph.trim());
}

// Review-tool templates. A label whose content is the problem keeps its content ("Summary: x" -> "x"); sections
// about testing or review are dropped up to the next label or blank line; single-line metadata is dropped.
const KEEP_LABEL = /^\s*(summary|description|problem|motivation|issue|bug description|what happened|context)\s*:\s*/i;
const DROP_SECTION = /^\s*(#+\s*)?(test(ing)? plan|tests?|testing( done)?|how (was|has) this been tested\??|checklist|changelog|release notes?|screenshots?|solution|changes|fix|implementation)\s*:?\s*$/i;
const DROP_SECTION_INLINE = /^\s*(test(ing)? plan|testing|tests?|solution|changes|fix|implementation)\s*:\s*\S/i;
const META_LINE = /^\s*(reviewers?|reviewed by|subscribers|tags|differential revision|pulled by|pull request resolved|fbshipit-source-id|ghstack-source-id|change-id|bug|jira|task|cc|approved by|blame revision)\s*:/i;
const CHECKBOX = /^\s*[-*]\s*\[[ xX]\]/;
const BULLET = /^\s*([-*+•]|\d+[.)])\s+/;
const MARKDOWN_HEADER = /^\s*#{1,6}\s+\S/;

function dropTemplates(body: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const raw of body.replace(/<!--[\s\S]*?-->/g, "").split("\n")) {
    const line = raw.replace(/\s+$/, "");
    if (line.trim() === "") {
      skipping = false;
      out.push("");
      continue;
    }
    if (DROP_SECTION.test(line) || DROP_SECTION_INLINE.test(line)) {
      skipping = true;
      continue;
    }
    if (KEEP_LABEL.test(line)) {
      skipping = false;
      out.push(line.replace(KEEP_LABEL, ""));
      continue;
    }
    if (skipping || META_LINE.test(line) || CHECKBOX.test(line) || MARKDOWN_HEADER.test(line)) continue;
    out.push(line);
  }
  return out.join("\n");
}

// A paragraph made of bullets: the bullets that describe the fix are dropped, the rest become one sentence.
function squashBullets(paragraph: string): string {
  const lines = paragraph.split("\n");
  if (!lines.some((l) => BULLET.test(l))) return paragraph;
  const items: string[] = [];
  for (const l of lines) {
    if (BULLET.test(l) || items.length === 0) items.push(l.replace(BULLET, "").trim());
    else items[items.length - 1] += ` ${l.trim()}`;
  }
  const kept = items.filter((i) => i !== "" && !isFixDescription(i)).map((i) => i.replace(/[.;,\s]+$/, ""));
  return kept.length === 0 ? "" : `${kept.join("; ")}.`;
}

export function cleanCommitMessage(message: string): CleanedMessage {
  const lines = message.replace(/\r\n/g, "\n").split("\n");
  const subject = (lines[0] ?? "").trim();
  const body = dropTemplates(lines.slice(1).join("\n"));
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
    .map(squashBullets)
    .map((p) => stripReferences(p.replace(/\s*\n\s*/g, " ")))
    .filter((p) => p !== "");
  const head = subjectAsSymptom(subject);
  const statement = [head, ...paragraphs].filter((p) => p !== "").join("\n\n");
  return { subject, statement };
}

// Commits that are not fixes whatever words their body uses: clean-ups, refactors, formatting, releases and
// version bumps, dependency updates, reverts, merges, documentation, tests and CI.
const NOT_A_FIX_SUBJECT =
  /^(\[[^\]]*\]\s*)*((chore|docs?|style|refactor|perf|test|tests|ci|build|release|deps|revert|wip)(\([^)]*\))?!?:|(clean[\s-]?up|cleanups?|refactor(ing|ed)?|reformat|format(ting)?|lint(ing)?|tidy|polish|typos?|docs?|documentation|readme|changelog|release|prepare (for )?release|bump|version|v?\d+\.\d+(\.\d+)?\b|update (deps|dependencies)|upgrade|merge|revert|wip|test(s|ing)?|ci)\b)/i;

// Why a commit is not used as a fix, from its message; null when it looks like one.
export function notAFixReason(message: string): string | null {
  const subject = (message.split("\n")[0] ?? "").trim();
  if (/^merge\b/i.test(subject)) return "merge commit";
  if (NOT_A_FIX_SUBJECT.test(subject)) return "not a fix (cleanup, refactor, release, docs, tests or merge)";
  if (!looksLikeFix(message)) return "message does not describe a fix";
  return null;
}

// Whether a commit looks like a fix, from its message.
const FIX_WORDS = /\b(fix(es|ed|ing)?|bug(s|fix)?|crash(es|ed)?|error|exception|wrong|incorrect(ly)?|broken|regression|fail(s|ed|ure|ing)?|mistake|typo|off-by-one|hang(s|ing)?|leak(s)?|invalid|unexpected(ly)?)\b/i;
export function looksLikeFix(message: string): boolean {
  return FIX_WORDS.test(message);
}

export function wordCount(text: string): number {
  return (text.match(/[A-Za-z0-9_]+/g) ?? []).length;
}
