// Does an issue statement give the fix away? A training issue must describe a symptom, not the change: a text
// that names an identifier the patch introduces ("...use normalize_choice() instead..."), names a private helper
// the patch changes, or says what the change does ("use X instead", "now checks", "fixed by adding") teaches the
// model to read the answer off the question. The check runs offline on mined commit messages and on LLM
// rewrites alike; its result is recorded in meta.statement_check.
//
// Identifiers the patch adds: identifier-shaped tokens of the added lines of its source files that occur in
// neither the removed lines nor the file before the fix, and that look like code (snake_case, camelCase, a digit,
// a leading underscore) or are written as code in the statement (`name`, name()). Definitions the patch changes
// count when their name is private (leading underscore): users report symptoms of the functions they call, so a
// public function's name in a bug report is a symptom, a private helper's name is a pointer to the fix.

import { PatchError } from "../../core/errors.js";
import { parsePatch } from "../../patch/parse.js";
import type { RepoView } from "../../core/repo-view.js";
import { indexText, languageForPath } from "../common/code.js";
import { isTestPath } from "../common/test-files.js";
import { isFixDescription } from "./commit-message.js";
import { innermostAt } from "./line-owner.js";
import type { StatementCheck } from "./types.js";

const IDENT = /[A-Za-z_$][A-Za-z0-9_$]*/g;
const CODE_SHAPED = /^_|_[A-Za-z0-9]|[a-z][A-Z]|[A-Za-z][0-9]/;

const FIX_PHRASES: RegExp[] = [
  /\buse[sd]?\s+[`'"]?[\w.$]+(\(\))?[`'"]?\s+instead\b/i,
  /\binstead,?\s+(we|it|this|the code)\s+(now\s+)?\w+/i,
  /\b(we|it|this|the code|the function|the method)\s+now\s+(use|uses|check|checks|call|calls|handle|handles|validate|validates|strip|strips|skip|skips|guard|guards|clamp|clamps|catch|catches|normalize|normalizes|return|returns early)\b/i,
  /\b(fix(ed|es)?|solved?|resolved?|addressed?)\s+(this\s+|it\s+|the\s+\w+\s+)?by\s+\w+ing\b/i,
  /\bby\s+(using|adding|calling|checking|replacing|removing|moving|switching|wrapping|catching|clamping|stripping|skipping|passing|changing)\b/i,
  /\b(this|the)\s+(commit|change|patch|pr|pull request|fix)\s+(adds?|changes?|makes?|uses?|moves?|removes?|replaces?|introduces?|ensures?|fixes|updates?)\b/i,
  /\b(should|must|needs? to)\s+(use|call|be changed to|be replaced (by|with)|check for)\b/i,
  /\b(changed|replaced|switched|renamed|moved)\s+[`'"]?[\w.$]+(\(\))?[`'"]?\s+(to|with|into|by)\s+[`'"]?[\w.$]+/i,
  // A statement that talks about a fix at all is about the change ("the fix", "same fix as", "fixes a race").
  /\bfix(e[sd]|ing)?\b/i,
  /\b(is|are|will be|gets?|was|were)\s+now\b/i,
  /\bnow\s+(knows|works|handles|supports|accepts|respects|preserves|uses|checks|correctly|properly)\b/i,
  /\b(with|without) this (small |simple )?(change|adjustment|commit|patch|pr)\b/i,
  /\bthis (makes|adds|changes|ensures|allows|prevents|commit|change|patch)\b/i,
  /\bwe (should|must|can)\b/i,
  /\b(should|must) (be|get) (prepended|appended|called|used|checked|passed|added|removed|moved|converted|cast|replaced|imported|closed|reset)\b/i,
  /\b(this|the) commit\b/i,
  /;\s*(restore|use|add|remove|call|check|set|skip|return|pass|keep|move|wrap)\s/i,
  /\btests?\s+(were|was|have been|are)\s+(added|updated)\b/i,
  /\bwe (now |also )?(need|have|want) to\b/i,
  /\b(new|adds?|added|adding)\s+(\w+\s+)?(unit |regression )?tests?\b/i,
];

function identifiers(text: string): Set<string> {
  return new Set(text.match(IDENT) ?? []);
}

function mentioned(statement: string, name: string): boolean {
  const escaped = name.replace(/[$]/g, "\\$");
  return new RegExp(`(^|[^A-Za-z0-9_$])${escaped}($|[^A-Za-z0-9_$])`).test(statement);
}

function writtenAsCode(statement: string, name: string): boolean {
  const escaped = name.replace(/[$]/g, "\\$");
  return new RegExp("`[^`]*\\b" + escaped + "\\b[^`]*`|\\b" + escaped + "\\s*\\(").test(statement);
}

export function fixPhrases(statement: string): string[] {
  const out: string[] = [];
  // The first line (a commit's subject once "Fix" is dropped) written as an instruction: "Skip ...", "Use ...".
  const first = (statement.split("\n")[0] ?? "").trim();
  if (isFixDescription(first)) out.push(first.split(/\s+/).slice(0, 3).join(" "));
  for (const re of FIX_PHRASES) {
    const m = re.exec(statement);
    if (m) out.push(m[0]);
  }
  return out;
}

// `start` (the pre-fix tree) sharpens the check when given: identifiers already in the file are not "added".
export function checkStatement(statement: string, patch: string, start?: RepoView | null): StatementCheck {
  const leaked = new Set<string>();
  let files: ReturnType<typeof parsePatch>;
  try {
    files = parsePatch(patch);
  } catch (e) {
    if (!(e instanceof PatchError)) throw e;
    files = [];
  }
  for (const fp of files) {
    const path = fp.newPath ?? fp.oldPath;
    // Tests call the public API the report is about; their names are symptoms, not the fix.
    if (!path || languageForPath(path) === null || isTestPath(path)) continue;
    const added: string[] = [];
    const removed: string[] = [];
    const touched: number[] = [];
    for (const h of fp.hunks) {
      let old = h.oldStart;
      for (const l of h.lines) {
        if (l.op === "+") {
          added.push(l.text);
          touched.push(old);
        } else {
          if (l.op === "-") {
            removed.push(l.text);
            touched.push(old);
          }
          old++;
        }
      }
    }
    const before = fp.oldPath && start ? start.read(fp.oldPath) : null;
    // A new file has no "before": what the other changed files already had counts as known.
    const context = fp.oldPath === null && start ? files.map((f) => (f.oldPath ? (start.read(f.oldPath) ?? "") : "")).join("\n") : "";
    const known = identifiers(`${removed.join("\n")}\n${before ?? ""}\n${context}`);
    // Identifiers inside string literals and comments of added lines are words, not code; strip the simplest.
    const addedCode = added.map((l) => l.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, " ").replace(/(#|\/\/).*$/, ""));
    for (const id of identifiers(addedCode.join("\n"))) {
      if (known.has(id) || id.length < 3) continue;
      if ((CODE_SHAPED.test(id) && mentioned(statement, id)) || writtenAsCode(statement, id)) leaked.add(id);
    }
    // The changed file named by its path or file name ("core.py"), or a private module by its name.
    const base = path.split("/").pop() ?? path;
    const stem = base.replace(/\.[^.]+$/, "");
    if (mentioned(statement, path) || mentioned(statement, base) || (stem.startsWith("_") && !stem.startsWith("__") && mentioned(statement, stem))) leaked.add(path);
    if (before !== null && fp.oldPath) {
      const index = indexText(fp.oldPath, before);
      if (index) {
        for (const line of touched) {
          const d = innermostAt(index, line);
          if (d && d.name.startsWith("_") && !d.name.startsWith("__") && mentioned(statement, d.name)) leaked.add(d.name);
          // Go: a lower-case name is unexported (private), named as code (camelCase, or written `name` / name()).
          else if (d && index.language === "go" && /^[a-z]/.test(d.name) && ((CODE_SHAPED.test(d.name) && mentioned(statement, d.name)) || writtenAsCode(statement, d.name))) leaked.add(d.name);
        }
      }
    }
  }
  const phrases = fixPhrases(statement);
  return { leaked_identifiers: [...leaked].sort(), describes_fix: phrases.length > 0, phrases };
}

// Why a statement is unusable, or null.
export function statementRejection(check: StatementCheck): string | null {
  if (check.leaked_identifiers.length > 0) return "statement names identifiers the fix adds or changes";
  if (check.describes_fix) return "statement describes the fix";
  return null;
}
