// Unified diffs as coloured HTML: file headers, hunk headers, added and removed lines each get a class. Every line
// is escaped by the template; nothing of the diff is interpreted beyond its first character.

import { html, type Html } from "./html.js";

export function diffHtml(diff: string, emptyText = "(no changes)"): Html {
  if (!diff.trim()) return html`<p class="muted">${emptyText}</p>`;
  const lines = diff.replace(/\n$/, "").split("\n");
  return html`<pre class="diff">${lines.map((l) => html`<span class="${lineClass(l)}">${l || " "}</span>${lineClass(l) === "" ? "\n" : ""}`)}</pre>`;
}

function lineClass(line: string): string {
  if (line.startsWith("diff --git") || line.startsWith("+++ ") || line.startsWith("--- ") || line.startsWith("index ") || /^(new|deleted) file mode|^(old|new) mode|^rename (from|to)|^similarity index|^Binary files/.test(line)) {
    return "meta";
  }
  if (line.startsWith("@@")) return "hunk";
  if (line.startsWith("+")) return "add";
  if (line.startsWith("-")) return "del";
  return "";
}

// Files a diff touches, from its `diff --git` headers (for the trajectory page's summary).
export function diffFiles(diff: string): string[] {
  const out: string[] = [];
  for (const m of diff.matchAll(/^diff --git a\/(\S+) b\//gm)) out.push(m[1] as string);
  return out;
}
