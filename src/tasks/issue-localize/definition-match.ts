// Which pre-fix definition each post-fix definition is, read from the fix's own line alignment rather than from
// keys. Keys are not stable across a fix: a repeated name is numbered by order (`edit`, `edit#2`, ... for
// overloads, or a function defined once per platform branch), so a fix that inserts one more `@overload def
// edit` renumbers every later `edit`, and matching by key would credit an untouched overload with the new one's
// lines, or the module with lines of the implementation.
//
// The rule (docs/LABELS.md, issue-localize rule 6):
//   - a post-fix definition identical to a pre-fix one (same qualified name, same text) is that one;
//   - else a post-fix definition whose name line the fix leaves unchanged is the pre-fix definition with the same
//     name whose name line that is (unless an identical one took it);
//   - a post-fix definition whose name line the fix adds, in a changed region that removes the name line of a
//     pre-fix definition with the same enclosing definition that no post-fix definition kept (a rename, or a
//     header rewritten across lines), is that definition; when several compete, the one holding most of the old
//     definition's unchanged lines, then one with the same name;
//   - any other post-fix definition is new (null).
// Enclosing definitions are matched first, so "the same enclosing definition" is itself read through the match.

import type { Definition } from "../../lang/types.js";
import type { Hunk } from "../../patch/types.js";

// First lines of a hunk's sides. In a unified diff a side with no lines names the line before the change (git
// writes "-5,0 +6,2" for two lines inserted after line 5), so its first line is one further.
export function hunkStarts(h: Hunk): { oldStart: number; newStart: number } {
  return { oldStart: h.oldLines === 0 ? h.oldStart + 1 : h.oldStart, newStart: h.newLines === 0 ? h.newStart + 1 : h.newStart };
}

export interface LineAlignment {
  preLineOf(postLine: number): number | null; // the pre-fix line an unchanged post-fix line is; null for added lines
  regionOfAdded: Map<number, number>; // post-fix added line -> index of its changed region
  regionOfRemoved: Map<number, number>; // pre-fix removed line -> index of its changed region
}

// The alignment of one file's hunks (in order). A changed region is a run of removed/added lines between
// unchanged ones.
export function alignLines(hunks: readonly Hunk[]): LineAlignment {
  const regionOfAdded = new Map<number, number>();
  const regionOfRemoved = new Map<number, number>();
  // Outside hunks a post-fix line is the pre-fix line `post - delta`, where delta is the size change of every
  // hunk above it.
  const ends: { postEnd: number; delta: number }[] = [];
  let region = -1;
  for (const h of hunks) {
    let { oldStart: o, newStart: n } = hunkStarts(h);
    let inRegion = false;
    for (const l of h.lines) {
      if (l.op === " ") {
        inRegion = false;
        o++;
        n++;
        continue;
      }
      if (!inRegion) region++;
      inRegion = true;
      if (l.op === "-") regionOfRemoved.set(o++, region);
      else regionOfAdded.set(n++, region);
    }
    ends.push({ postEnd: n, delta: n - o });
  }
  const preLineOf = (post: number): number | null => {
    if (regionOfAdded.has(post)) return null;
    let delta = 0;
    for (const e of ends) {
      if (e.postEnd <= post) delta = e.delta;
    }
    // A line inside a hunk that is not added is a context line; the hunk's running delta there equals the delta
    // at the hunk's start plus the changes above it within the hunk, which the walk below computes exactly.
    for (const h of hunks) {
      const { oldStart, newStart } = hunkStarts(h);
      if (post < newStart || post >= newStart + h.newLines) continue;
      let o = oldStart;
      let n = newStart;
      for (const l of h.lines) {
        if (l.op === "-") {
          o++;
          continue;
        }
        if (l.op === " " && n === post) return o;
        if (l.op === " ") o++;
        n++;
      }
    }
    return post - delta;
  };
  return { preLineOf, regionOfAdded, regionOfRemoved };
}

function size(d: Definition): number {
  return d.span.endOffset - d.span.startOffset;
}

export interface DefinitionMatch {
  match: Map<string, Definition | null>; // post-fix key -> the pre-fix definition it is, or null when it is new
  unchanged: Set<string>; // post-fix keys of definitions the fix leaves byte for byte as they were
}

// `preText`/`postText` are the texts the definitions were indexed from.
export function matchDefinitions(
  pre: readonly Definition[],
  post: readonly Definition[],
  align: LineAlignment,
  preText: string,
  postText: string,
): DefinitionMatch {
  const match = new Map<string, Definition | null>();
  const unchanged = new Set<string>();
  const kept = new Set<string>(); // pre-fix keys some post-fix definition is
  const take = (d: Definition, old: Definition): void => {
    match.set(d.key, old);
    kept.add(old.key);
  };
  const order = [...post].sort((a, b) => a.span.startOffset - b.span.startOffset || size(b) - size(a));
  // First: a definition the fix leaves byte for byte as it was, under the same qualified name, is that one, even
  // where the diff aligned its lines with a neighbour (a new overload inserted above an old one can share its
  // `@overload` and `def` lines with it in the diff). Repeats pair up in order.
  const textOf = (text: string, d: Definition): string => `${d.qualname}\u0000${text.slice(d.span.startOffset, d.span.endOffset)}`;
  const untouched = new Map<string, Definition[]>();
  for (const d of pre) {
    const k = textOf(preText, d);
    untouched.set(k, [...(untouched.get(k) ?? []), d]);
  }
  for (const d of order) {
    const same = untouched.get(textOf(postText, d));
    const old = same?.shift();
    if (old) {
      take(d, old);
      unchanged.add(d.key);
    }
  }
  // Then name lines the fix leaves alone.
  const preByNameLine = new Map<string, Definition>();
  for (const d of pre) preByNameLine.set(`${d.nameSpan.start.line}\u0000${d.name}`, d);
  for (const d of order) {
    if (match.has(d.key)) continue;
    const preLine = align.preLineOf(d.nameSpan.start.line);
    const old = preLine === null ? undefined : preByNameLine.get(`${preLine}\u0000${d.name}`);
    if (old && !kept.has(old.key)) take(d, old);
  }
  // Second pass, outer definitions first: a name line the fix adds takes the place of one it removes.
  const postByKey = new Map(post.map((d) => [d.key, d]));
  const preParentOf = (d: Definition): string | null => {
    const parent = d.parent === null ? undefined : postByKey.get(d.parent);
    if (!parent) return null;
    return match.get(parent.key)?.key ?? `\u0000new:${parent.key}`;
  };
  // Lines of a post-fix definition the fix left alone that lie in a pre-fix definition: where a region rewrites
  // several headers (an implementation's signature replaced by overload stubs and a new signature), the old
  // definition is the one whose body came along, not the first new header.
  const shared = (d: Definition, p: Definition): number => {
    let n = 0;
    for (let l = d.span.start.line; l <= d.span.end.line; l++) {
      const at = align.preLineOf(l);
      if (at !== null && at >= p.span.start.line && at <= p.span.end.line) n++;
    }
    return n;
  };
  const pending = order.filter((d) => !match.has(d.key));
  for (const d of pending) {
    const region = align.regionOfAdded.get(d.nameSpan.start.line);
    if (region === undefined) {
      match.set(d.key, null);
      continue;
    }
    const parent = preParentOf(d);
    const gone = pre
      .filter((p) => !kept.has(p.key) && align.regionOfRemoved.get(p.nameSpan.start.line) === region && p.parent === parent)
      .map((p) => ({ p, score: shared(d, p) }))
      .sort((a, b) => b.score - a.score || Number(b.p.name === d.name) - Number(a.p.name === d.name));
    const rivals = pending.filter((o) => o !== d && !match.has(o.key) && align.regionOfAdded.get(o.nameSpan.start.line) === region);
    const old = gone.find((g) => !rivals.some((o) => shared(o, g.p) > g.score))?.p ?? null;
    if (old) take(d, old);
    else match.set(d.key, null);
  }
  return { match, unchanged };
}
