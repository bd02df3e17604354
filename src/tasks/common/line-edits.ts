// Line-based text edits, used to build setup patches, gold patches and hacks. Edits address lines of the ORIGINAL
// text and are applied bottom-up, so several edits to one file never disturb each other's line numbers.

export interface LineEdit {
  line: number; // 1-based line of the original text where the edit starts (lines + 1 = append at the end)
  deleteCount: number; // how many original lines to remove from `line`
  insert: string[]; // lines to put in their place (without newlines)
}

export function applyLineEdits(text: string, edits: LineEdit[]): string {
  const endsWithNewline = text.endsWith("\n");
  const lines = text.split("\n");
  if (endsWithNewline) lines.pop();
  const ordered = edits.slice().sort((a, b) => b.line - a.line || b.deleteCount - a.deleteCount);
  for (const edit of ordered) {
    if (edit.line < 1 || edit.line - 1 + edit.deleteCount > lines.length) {
      throw new Error(`line edit out of range: line ${edit.line} (+${edit.deleteCount}) in a ${lines.length}-line text`);
    }
    lines.splice(edit.line - 1, edit.deleteCount, ...edit.insert);
  }
  return lines.join("\n") + (endsWithNewline || lines.length === 0 ? "\n" : "");
}

// Leading whitespace of a line (1-based) of `text`.
export function indentOfLine(text: string, line: number): string {
  const l = lineAt(text, line);
  return /^[ \t]*/.exec(l)?.[0] ?? "";
}

export function lineAt(text: string, line: number): string {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) return "";
    start = nl + 1;
  }
  const end = text.indexOf("\n", start);
  return text.slice(start, end < 0 ? text.length : end);
}
