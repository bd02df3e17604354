// issue-localize data: the issue records it reads (SWE-bench format, or mined from history), the gold answer
// stored in each instance, the success criterion and the generator's options.

// One issue as SWE-bench writes it. `patch` is the fix (a unified diff against base_commit); test_patch and
// hints_text are kept for reference but never enter the instruction.
export interface IssueRecord {
  instance_id: string;
  repo: string; // "owner/name"
  base_commit: string;
  problem_statement: string;
  patch: string;
  test_patch?: string;
  hints_text?: string;
}

// Where an instance's issue came from.
export type IssueOrigin =
  | { kind: "swe-bench"; instance_id: string }
  | { kind: "history"; commit: string; subject: string };

// An issue ready for the pipeline: the record, where it came from, and the ingest input that yields the
// repository at the pre-fix state (path@base_commit).
export interface PreparedIssue {
  record: IssueRecord;
  origin: IssueOrigin;
  input: string;
  statementCheck?: StatementCheck; // set for mined statements (checked before they are used)
}

// Whether an issue statement gives the fix away (statement-check.ts); recorded in meta.statement_check.
export interface StatementCheck {
  leaked_identifiers: string[]; // identifiers the patch adds or whose definitions it changes, named in the text
  describes_fix: boolean; // the text says what the change does ("use X instead", "now returns", "fix by")
  phrases: string[]; // the fix-describing phrases found
}

// How success is decided; stored in the instance so verification needs nothing else.
//   default: comments only, at least one comment at a gold location (within line_tolerance lines of a gold hunk,
//            or documenting/inside a gold definition — `<module>` alone is not a location), file precision >=
//            min_file_precision and entity precision >= min_entity_precision
//   paper:   comments only, at least one gold file commented (the paper's looser rule)
export interface IssueCriterion {
  name: "default" | "paper";
  min_file_precision: number;
  min_entity_precision?: number; // default 0.5 (absent in instances written before it existed)
}

export interface GoldHunk {
  file: string; // pre-patch path
  start: number; // first pre-patch line of the changed region (1-based)
  end: number; // last pre-patch line (== start - 1 for a pure insertion after line start - 1)
}

export interface IssueLocalizeGold {
  files: string[]; // non-test source files (indexed languages) the fix changes (renames by their old path), sorted
  other_files?: string[]; // other non-test files the fix changes (changelogs, docs, config): never earn credit
  entities: string[]; // "<file>::<qualname key>" or "<file>::<module>", sorted, unique
  hunks: GoldHunk[];
  criterion: IssueCriterion;
  line_tolerance: number; // a comment within this many lines of a hunk hits it
  patch: string; // the gold answer against the starting state: one comment at each hunk
  fix_patch: string; // the original fix (reference only; never enters the sandbox)
}

export interface IssueLocalizeOptions {
  issues: PreparedIssue[]; // all issues of the run; generate() picks those whose input matches the repository
  criterion: IssueCriterion;
  maxFiles: number; // records whose fix touches more non-test source files are dropped (default 5)
}

export const MODULE_LEVEL = "<module>";
export const DEFAULT_CRITERION: IssueCriterion = { name: "default", min_file_precision: 0.5, min_entity_precision: 0.5 };
export const DEFAULT_LINE_TOLERANCE = 3;
