// The str_replace_editor tool. It works on the host side of the workspace through Episode.hostPath (fast, no
// shell round trip); hostPath refuses any path that resolves outside the workspace, symlinks included. Every
// failure is returned as an observation for the model, never thrown: a bad edit is part of what the agent does.

import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { Episode } from "../sandbox/types.js";
import type { EditorArgs } from "./tools.js";
import { truncateMiddle } from "./truncate.js";

export interface EditorResult {
  output: string;
  error: boolean;
}

export interface FileEditorOptions {
  maxViewChars?: number; // longer file views are cut in the middle with a hint to use view_range (default 16000)
  snippetContext?: number; // lines shown around an edit (default 4)
}

const NUMBER_WIDTH = 6;

function numbered(lines: string[], firstLine: number): string {
  return lines.map((l, i) => `${String(firstLine + i).padStart(NUMBER_WIDTH)}\t${l}`).join("\n");
}

// Split file content into lines, remembering whether it ended with a newline so edits can preserve that.
function splitLines(content: string): { lines: string[]; trailingNewline: boolean } {
  if (content === "") return { lines: [], trailingNewline: false };
  const trailingNewline = content.endsWith("\n");
  const lines = (trailingNewline ? content.slice(0, -1) : content).split("\n");
  return { lines, trailingNewline };
}

function lineOfOffset(content: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (content.charCodeAt(i) === 10) line++;
  return line;
}

function ok(output: string): EditorResult {
  return { output, error: false };
}

function fail(output: string): EditorResult {
  return { output, error: true };
}

export class FileEditor {
  // Previous contents per host path, most recent last; null = the file did not exist (undo of create deletes it).
  private readonly history = new Map<string, (string | null)[]>();
  private readonly maxViewChars: number;
  private readonly snippetContext: number;

  constructor(
    private readonly episode: Pick<Episode, "hostPath" | "workspacePath">,
    opts: FileEditorOptions = {},
  ) {
    this.maxViewChars = opts.maxViewChars ?? 16_000;
    this.snippetContext = opts.snippetContext ?? 4;
  }

  async run(args: EditorArgs): Promise<EditorResult> {
    try {
      const host = this.episode.hostPath(args.path);
      if (host === null) {
        return fail(`The path ${args.path} is outside the workspace. Only files under ${this.episode.workspacePath} can be viewed or edited.`);
      }
      switch (args.command) {
        case "view":
          return await this.view(args, host);
        case "create":
          return await this.create(args, host);
        case "str_replace":
          return await this.strReplace(args, host);
        case "insert":
          return await this.insert(args, host);
        case "undo_edit":
          return await this.undo(args, host);
      }
    } catch (e) {
      // Unexpected file-system errors (permissions, a directory where a file was expected...) are still the
      // agent's observation, not a crash of the episode.
      return fail(`The ${args.command} command on ${args.path} failed: ${(e as Error).message}`);
    }
  }

  // The agent-visible absolute form of a path it gave (relative paths are relative to the workspace).
  private agentPath(p: string): string {
    return path.posix.resolve(this.episode.workspacePath, p);
  }

  private async stat(host: string): Promise<"file" | "dir" | "missing" | "other"> {
    try {
      const st = await fs.stat(host);
      return st.isFile() ? "file" : st.isDirectory() ? "dir" : "other";
    } catch {
      return "missing";
    }
  }

  private async readText(host: string, shown: string): Promise<{ ok: true; text: string } | { ok: false; result: EditorResult }> {
    const kind = await this.stat(host);
    if (kind === "missing") return { ok: false, result: fail(`The file ${shown} does not exist.`) };
    if (kind === "dir") return { ok: false, result: fail(`${shown} is a directory, not a file.`) };
    if (kind === "other") return { ok: false, result: fail(`${shown} is not a regular file.`) };
    const buf = await fs.readFile(host);
    if (buf.includes(0)) return { ok: false, result: fail(`${shown} looks like a binary file; the editor only handles text files.`) };
    return { ok: true, text: buf.toString("utf8") };
  }

  private remember(host: string, previous: string | null): void {
    const list = this.history.get(host) ?? [];
    list.push(previous);
    this.history.set(host, list);
  }

  private snippet(content: string, firstChangedLine: number, lastChangedLine: number, shown: string): string {
    const { lines } = splitLines(content);
    const from = Math.max(1, firstChangedLine - this.snippetContext);
    const to = Math.min(lines.length, lastChangedLine + this.snippetContext);
    const body = numbered(lines.slice(from - 1, to), from);
    return `The file ${shown} has been edited. Here are lines ${from}-${to} after the change:\n${body}\nCheck that the change is what you intended; use undo_edit to revert it.`;
  }

  private async view(args: EditorArgs, host: string): Promise<EditorResult> {
    const shown = this.agentPath(args.path);
    const kind = await this.stat(host);
    if (kind === "missing") return fail(`The path ${shown} does not exist.`);
    if (kind === "dir") {
      if (args.view_range) return fail("view_range only applies to files, not directories.");
      return ok(await this.listDirectory(host, shown));
    }
    const read = await this.readText(host, shown);
    if (!read.ok) return read.result;
    const { lines } = splitLines(read.text);
    let first = 1;
    let last = lines.length;
    if (args.view_range) {
      const [a, b] = args.view_range;
      if (args.view_range.length !== 2 || a === undefined || b === undefined) {
        return fail("view_range must be two integers [first_line, last_line], e.g. [1, 40]; use -1 as last_line for the end of the file.");
      }
      if (a < 1 || a > Math.max(1, lines.length)) {
        return fail(`view_range first line ${a} is outside the file, which has ${lines.length} lines (valid: 1-${Math.max(1, lines.length)}).`);
      }
      const end = b === -1 ? lines.length : b;
      if (end < a) return fail(`view_range last line ${b} is before the first line ${a}.`);
      if (end > lines.length) {
        return fail(`view_range last line ${b} is past the end of the file, which has ${lines.length} lines; use -1 to view to the end.`);
      }
      first = a;
      last = end;
    }
    const body = numbered(lines.slice(first - 1, last), first);
    const text = `Here is ${shown}${args.view_range ? ` (lines ${first}-${last})` : ""} with line numbers:\n${body}`;
    return ok(
      truncateMiddle(text, this.maxViewChars, "The file is too long to show at once; use view_range to see the omitted lines."),
    );
  }

  private async listDirectory(host: string, shown: string): Promise<string> {
    const entries: string[] = [];
    const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
      const items = (await fs.readdir(dir, { withFileTypes: true }))
        .filter((d) => !d.name.startsWith("."))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const d of items) {
        const relPath = rel ? `${rel}/${d.name}` : d.name;
        // Symlinked directories are listed but not followed: they could point outside the workspace.
        const isDir = d.isDirectory();
        entries.push(path.posix.join(shown, relPath) + (isDir ? "/" : ""));
        if (isDir && depth < 2) await walk(path.join(dir, d.name), relPath, depth + 1);
      }
    };
    await walk(host, "", 1);
    const listing = entries.length > 0 ? entries.join("\n") : "(empty directory)";
    return truncateMiddle(
      `Files and directories in ${shown}, two levels deep, hidden entries excluded:\n${listing}`,
      this.maxViewChars,
      "The listing is too long; view a subdirectory to see the omitted entries.",
    );
  }

  private async create(args: EditorArgs, host: string): Promise<EditorResult> {
    const shown = this.agentPath(args.path);
    if (args.file_text === undefined) return fail("The create command needs the parameter file_text (the content of the new file).");
    const kind = await this.stat(host);
    if (kind !== "missing") {
      return fail(`${shown} already exists; create does not overwrite files. Use str_replace or insert to change it.`);
    }
    await fs.mkdir(path.dirname(host), { recursive: true });
    await fs.writeFile(host, args.file_text, "utf8");
    this.remember(host, null);
    return ok(`Created ${shown}.`);
  }

  private async strReplace(args: EditorArgs, host: string): Promise<EditorResult> {
    const shown = this.agentPath(args.path);
    if (args.old_str === undefined || args.old_str === "") {
      return fail("The str_replace command needs a non-empty old_str: the exact text to replace.");
    }
    const oldStr = args.old_str;
    const newStr = args.new_str ?? "";
    if (oldStr === newStr) return fail("old_str and new_str are identical, so nothing would change.");
    const read = await this.readText(host, shown);
    if (!read.ok) return read.result;
    const content = read.text;
    const offsets: number[] = [];
    for (let i = content.indexOf(oldStr); i !== -1; i = content.indexOf(oldStr, i + 1)) offsets.push(i);
    if (offsets.length === 0) {
      return fail(`No replacement was made: old_str does not occur verbatim in ${shown}. Check whitespace and indentation, and view the file to copy the exact text.`);
    }
    if (offsets.length > 1) {
      const lines = offsets.map((o) => lineOfOffset(content, o));
      return fail(
        `No replacement was made: old_str occurs ${offsets.length} times in ${shown}, starting at lines ${lines.join(", ")}. Include more surrounding lines so that it matches exactly once.`,
      );
    }
    const at = offsets[0] as number;
    const updated = content.slice(0, at) + newStr + content.slice(at + oldStr.length);
    await fs.writeFile(host, updated, "utf8");
    this.remember(host, content);
    const firstLine = lineOfOffset(updated, at);
    const lastLine = firstLine + Math.max(0, newStr.split("\n").length - 1);
    return ok(this.snippet(updated, firstLine, lastLine, shown));
  }

  private async insert(args: EditorArgs, host: string): Promise<EditorResult> {
    const shown = this.agentPath(args.path);
    if (args.insert_line === undefined) return fail("The insert command needs insert_line: the line after which to insert (0 = top).");
    if (args.new_str === undefined) return fail("The insert command needs new_str: the text to insert.");
    const read = await this.readText(host, shown);
    if (!read.ok) return read.result;
    const content = read.text;
    const { lines, trailingNewline } = splitLines(content);
    if (args.insert_line < 0 || args.insert_line > lines.length) {
      return fail(`insert_line ${args.insert_line} is outside the file, which has ${lines.length} lines (valid: 0-${lines.length}).`);
    }
    // A trailing newline in new_str ends its last line; it does not add an empty line.
    const added = splitLines(args.new_str).lines;
    if (args.new_str === "") added.push("");
    const merged = [...lines.slice(0, args.insert_line), ...added, ...lines.slice(args.insert_line)];
    // Keep the file's own convention for the final newline; an empty file gets one.
    const updated = merged.join("\n") + (trailingNewline || lines.length === 0 ? "\n" : "");
    await fs.writeFile(host, updated, "utf8");
    this.remember(host, content);
    return ok(this.snippet(updated, args.insert_line + 1, args.insert_line + added.length, shown));
  }

  private async undo(args: EditorArgs, host: string): Promise<EditorResult> {
    const shown = this.agentPath(args.path);
    const list = this.history.get(host);
    const previous = list?.pop();
    if (!list || previous === undefined) return fail(`There is no edit of ${shown} to undo.`);
    if (previous === null) {
      await fs.rm(host, { force: true });
      return ok(`Undid the creation of ${shown}; the file has been removed.`);
    }
    await fs.writeFile(host, previous, "utf8");
    const { lines } = splitLines(previous);
    return ok(
      truncateMiddle(
        `Restored ${shown} to its content before the last edit:\n${numbered(lines, 1)}`,
        this.maxViewChars,
        "The file is too long to show at once; use view with view_range to see the omitted lines.",
      ),
    );
  }
}
