// Reading git-style unified diffs (parsePatch), including what `git diff` writes: renames, copies, mode changes,
// binary markers, quoted paths. Malformed input is a PatchError naming what is wrong.

import { PatchError } from "../core/errors.js";
import type { Hunk, ParsedFilePatch } from "./types.js";


function unquotePath(raw: string): string {
  if (!raw.startsWith('"')) return raw;
  const bytes: number[] = [];
  const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };
  for (let i = 1; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '"') break;
    if (c === "\\") {
      const next = raw[i + 1] ?? "";
      if (/[0-7]/.test(next)) {
        bytes.push(parseInt(raw.slice(i + 1, i + 4), 8));
        i += 3;
      } else {
        bytes.push(escapes[next] ?? next.charCodeAt(0));
        i += 1;
      }
      continue;
    }
    for (const b of Buffer.from(c, "utf8")) bytes.push(b);
  }
  return Buffer.from(bytes).toString("utf8");
}

// Reads one path token (quoted or not) from the start of `s`; returns it and the rest.
function takeQuoted(s: string): { token: string; rest: string } {
  let i = 1;
  while (i < s.length && s[i] !== '"') i += s[i] === "\\" ? 2 : 1;
  return { token: s.slice(0, i + 1), rest: s.slice(i + 1).replace(/^ /, "") };
}

function stripPrefix(path: string, prefix: string): string {
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

// Path from a "---"/"+++" line: /dev/null -> null; the a/ or b/ prefix removed; a trailing tab (and timestamp) cut.
function headerPath(raw: string, prefix: string): string | null {
  let value = raw;
  if (value.startsWith('"')) value = unquotePath(takeQuoted(value).token);
  else if (value.includes("\t")) value = value.slice(0, value.indexOf("\t"));
  if (value === "/dev/null") return null;
  return stripPrefix(value, prefix);
}

// Names from "diff --git a/X b/Y" (used when no ---/+++ lines follow: binary, mode-only, empty files).
function gitHeaderNames(rest: string): { a: string; b: string } | null {
  if (rest.startsWith('"')) {
    const first = takeQuoted(rest);
    const second = rest.slice(first.token.length + 1);
    const b = second.startsWith('"') ? unquotePath(takeQuoted(second).token) : second;
    return { a: stripPrefix(unquotePath(first.token), "a/"), b: stripPrefix(b, "b/") };
  }
  // Unquoted: when both names are the same the split point is in the middle.
  if ((rest.length - 1) % 2 === 0) {
    const half = (rest.length - 1) / 2;
    const a = rest.slice(0, half);
    const b = rest.slice(half + 1);
    if (a.startsWith("a/") && b.startsWith("b/") && a.slice(2) === b.slice(2)) return { a: a.slice(2), b: b.slice(2) };
  }
  const split = rest.indexOf(" b/");
  if (split === -1) return null;
  const b = rest.slice(split + 1);
  return { a: stripPrefix(rest.slice(0, split), "a/"), b: b.startsWith('"') ? unquotePath(b).slice(2) : b.slice(2) };
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

interface Draft {
  fp: ParsedFilePatch;
  headerA: string | null;
  headerB: string | null;
  sawMinus: boolean;
  sawPlus: boolean;
}

export function parsePatch(text: string): ParsedFilePatch[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const out: ParsedFilePatch[] = [];
  let draft: Draft | null = null;

  const finish = (): void => {
    if (!draft) return;
    const { fp } = draft;
    if (!draft.sawMinus && fp.oldPath === null && fp.status !== "added") fp.oldPath = draft.headerA;
    if (!draft.sawPlus && fp.newPath === null && fp.status !== "deleted") fp.newPath = draft.headerB;
    if (fp.status === "added") fp.oldPath = null;
    if (fp.status === "deleted") fp.newPath = null;
    if (fp.status === "modified" && fp.oldPath === null && fp.newPath !== null) fp.status = "added";
    if (fp.status === "modified" && fp.newPath === null && fp.oldPath !== null) fp.status = "deleted";
    if (fp.oldPath === null && fp.newPath === null) throw new PatchError(`patch has a file section without file names: ${JSON.stringify(text.slice(0, 200))}`);
    out.push(fp);
    draft = null;
  };
  const start = (headerA: string | null, headerB: string | null): Draft => ({
    fp: { oldPath: null, newPath: null, status: "modified", oldMode: null, newMode: null, binary: false, similarity: null, hunks: [] },
    headerA,
    headerB,
    sawMinus: false,
    sawPlus: false,
  });

  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.startsWith("diff --git ")) {
      finish();
      const names = gitHeaderNames(line.slice("diff --git ".length));
      draft = start(names?.a ?? null, names?.b ?? null);
      i++;
      continue;
    }
    if (line.startsWith("--- ") && (lines[i + 1] ?? "").startsWith("+++ ")) {
      // A plain unified diff has no "diff --git" line: "---" starts the file. In a git diff it follows the header.
      if (!draft || draft.sawMinus) {
        finish();
        draft = start(null, null);
      }
      const d: Draft = draft;
      d.sawMinus = true;
      d.sawPlus = true;
      d.fp.oldPath = headerPath(line.slice(4), "a/");
      d.fp.newPath = headerPath((lines[i + 1] as string).slice(4), "b/");
      if (d.fp.oldPath === null) d.fp.status = "added";
      else if (d.fp.newPath === null) d.fp.status = "deleted";
      i += 2;
      continue;
    }
    const hunkMatch = HUNK_HEADER.exec(line);
    if (hunkMatch && draft) {
      const hunk: Hunk = {
        oldStart: Number(hunkMatch[1]),
        oldLines: hunkMatch[2] === undefined ? 1 : Number(hunkMatch[2]),
        newStart: Number(hunkMatch[3]),
        newLines: hunkMatch[4] === undefined ? 1 : Number(hunkMatch[4]),
        section: hunkMatch[5] ?? "",
        lines: [],
      };
      i++;
      let oldLeft = hunk.oldLines;
      let newLeft = hunk.newLines;
      // Counts decide where the hunk ends, so a content line such as "--- x" is never taken for a header.
      while (oldLeft > 0 || newLeft > 0) {
        if (i >= lines.length) throw new PatchError(`patch is truncated: a hunk (${line}) of ${draft.fp.newPath ?? draft.fp.oldPath} ends early`);
        const l = lines[i] as string;
        if (l.startsWith("\\")) {
          const prev = hunk.lines[hunk.lines.length - 1];
          if (prev) prev.noEol = true;
          i++;
          continue;
        }
        const op = l === "" ? " " : l[0];
        if (op !== " " && op !== "-" && op !== "+") {
          throw new PatchError(`patch is malformed: unexpected line ${JSON.stringify(l)} inside hunk ${line} of ${draft.fp.newPath ?? draft.fp.oldPath}`);
        }
        hunk.lines.push({ op, text: l.slice(1), noEol: false });
        if (op !== "+") oldLeft--;
        if (op !== "-") newLeft--;
        i++;
      }
      if ((lines[i] ?? "").startsWith("\\")) {
        const prev = hunk.lines[hunk.lines.length - 1];
        if (prev) prev.noEol = true;
        i++;
      }
      draft.fp.hunks.push(hunk);
      continue;
    }
    if (draft) {
      const fp = draft.fp;
      if (line.startsWith("new file mode ")) {
        fp.status = "added";
        fp.newMode = line.slice(14).trim();
      } else if (line.startsWith("deleted file mode ")) {
        fp.status = "deleted";
        fp.oldMode = line.slice(18).trim();
      } else if (line.startsWith("old mode ")) fp.oldMode = line.slice(9).trim();
      else if (line.startsWith("new mode ")) fp.newMode = line.slice(9).trim();
      else if (line.startsWith("rename from ")) {
        fp.status = "renamed";
        fp.oldPath = unquotePath(line.slice(12));
      } else if (line.startsWith("rename to ")) {
        fp.status = "renamed";
        fp.newPath = unquotePath(line.slice(10));
      } else if (line.startsWith("copy from ")) {
        fp.status = "copied";
        fp.oldPath = unquotePath(line.slice(10));
      } else if (line.startsWith("copy to ")) {
        fp.status = "copied";
        fp.newPath = unquotePath(line.slice(8));
      } else if (line.startsWith("similarity index ")) fp.similarity = parseInt(line.slice(17), 10);
      else if (line.startsWith("Binary files ") || line === "GIT binary patch") fp.binary = true;
      // Anything else (index lines, base85 data of a binary patch, text between files) is skipped.
    }
    i++;
  }
  finish();
  return out;
}
