// Reading Python source a line at a time where no syntax tree is at hand (the rules that re-read a scope or a
// function body for bindings): the code of a line without its string literals' contents and its comment, and the
// bracket depth it leaves, so a `name=` inside a call's arguments (a keyword) is told from `name = ...` (a binding).

// The line with every one-line string literal emptied (`"a, b"` -> `""`) and the comment removed.
export function pythonCodeOf(line: string): string {
  return line.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""').replace(/#.*$/, "");
}

// The bracket depth after `code` when it starts at `depth` (never below 0).
export function bracketDepthAfter(code: string, depth: number): number {
  for (const ch of code) {
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if ((ch === ")" || ch === "]" || ch === "}") && depth > 0) depth--;
  }
  return depth;
}
