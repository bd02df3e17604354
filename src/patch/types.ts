// The parsed form of a git-style unified diff, shared by the reader (parse.ts), the writer (make.ts) and the
// applier (apply.ts).

export interface HunkLine {
  op: " " | "-" | "+";
  text: string; // the line without its "\n" (a "\r" of a CRLF line stays)
  noEol: boolean; // the line is the last of its side and has no newline
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  section: string; // text after the second "@@" (git puts the enclosing function there)
  lines: HunkLine[];
}

export type PatchStatus = "modified" | "added" | "deleted" | "renamed" | "copied";

export interface ParsedFilePatch {
  oldPath: string | null; // null for an added file
  newPath: string | null; // null for a deleted file
  status: PatchStatus;
  oldMode: string | null;
  newMode: string | null;
  binary: boolean;
  similarity: number | null; // percent, for renames and copies
  hunks: Hunk[];
}
