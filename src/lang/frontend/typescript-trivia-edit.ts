// The TypeScript front end's shortcut for the commonest verification: an answer that only adds or edits comments
// and white space between tokens (a `// …` line above a definition, a JSDoc block, a trailing comment). Such a
// file need not be parsed again: the compiler's own tree of the starting text, already parsed and cached, says
// where its tokens are, and the compiler's own scanner reads the edited gaps.
//
// Why the answer is then exactly the full parse's: the parser sees a file as its tokens (kinds and text) plus, for
// each token, whether a line break precedes it (automatic semicolon insertion, restricted productions, `async`
// and arrow-function rules). Everything else in the gaps — comments, spaces — never reaches it (JSDoc comments
// are not parsed by the verifiers at all; comment directives such as `@ts-ignore` only matter to the type
// checker). So when every edit lies inside one gap of the start, the edited gaps still scan as nothing but
// complete comments and white space, each ends where it did (a `//` comment ends at a line break inside the gap,
// never in the token after it) and each keeps its line-break-or-not, the token stream and its line-break flags
// are the start's, and so are the tree and its diagnostics. Cases where the gap is not context-free are left to
// the full parse: a leading gap of the file that holds or gains a directive (`/// <reference>`, `@jsx` pragmas)
// or a shebang, anything inside or beside JSX (its text is a token, not trivia), an edit that could change where
// the token before it ends (`/` then `/*…` becomes `//…`) or how the token after it starts (a `>>>>>>>` that
// comes to start a line is a merge-conflict marker), and text holding characters the compiler skips as white
// space but engines reject (judged by the full path).

import type TS from "typescript";
import { editRanges } from "../edit-ranges.js";

type TsModule = typeof TS;

// An edit in character coordinates: base[start, oldEnd) became text[start + shift, newEnd + shift), where shift is
// the length change of the edits before it.
interface CharEdit {
  start: number;
  oldEnd: number;
  inserted: string;
}

// The line-level edits narrowed to the characters that differ (a comment appended to a code line is an insertion
// after the code, not a replacement of the line).
function charEdits(base: string, text: string): CharEdit[] {
  const out: CharEdit[] = [];
  let shift = 0;
  for (const e of editRanges(base, text)) {
    let start = e.startIndex;
    let oldEnd = e.oldEndIndex;
    let newStart = e.startIndex + shift;
    let newEnd = e.newEndIndex + shift;
    shift += e.newEndIndex - e.oldEndIndex;
    while (start < oldEnd && newStart < newEnd && base.charCodeAt(start) === text.charCodeAt(newStart)) {
      start++;
      newStart++;
    }
    while (oldEnd > start && newEnd > newStart && base.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
      oldEnd--;
      newEnd--;
    }
    out.push({ start, oldEnd, inserted: text.slice(newStart, newEnd) });
  }
  return out;
}

// The gap of white space and comments of the start that holds `pos`: [end of the token before, start of the
// token after], both ends included (the file's leading gap starts at 0). null when `pos` is inside a token or
// in JSX.
function gapAt(ts: TsModule, sf: TS.SourceFile, pos: number): [number, number] | null {
  let node: TS.Node = sf;
  for (;;) {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return null;
    if (isJsxKind(ts, node.kind)) return null;
    const kids = node.getChildren(sf);
    if (kids.length === 0) {
      const start = node.getStart(sf);
      if (pos > start) return null; // inside the token
      return [node.pos, start];
    }
    const next = kids.find((c) => c.pos <= pos && (pos < c.end || c.kind === ts.SyntaxKind.EndOfFileToken) && c.end > c.pos);
    if (!next) return null;
    node = next;
  }
}

function isJsxKind(ts: TsModule, kind: TS.SyntaxKind): boolean {
  const K = ts.SyntaxKind;
  switch (kind) {
    case K.JsxElement:
    case K.JsxSelfClosingElement:
    case K.JsxOpeningElement:
    case K.JsxClosingElement:
    case K.JsxFragment:
    case K.JsxOpeningFragment:
    case K.JsxClosingFragment:
    case K.JsxText:
    case K.JsxTextAllWhiteSpaces:
    case K.JsxAttribute:
    case K.JsxAttributes:
    case K.JsxSpreadAttribute:
    case K.JsxExpression:
    case K.JsxNamespacedName:
      return true;
    default:
      return false;
  }
}

// ECMAScript's line terminators.
export const LINE_BREAK = /[\n\r\u2028\u2029]/;
const DIRECTIVE = /@|\/\/\//;
const SPACE_START = /^[ \t\n\r\u2028\u2029\v\f]/;
const CONFLICT_MARKER_START = "<=>|";

// Does `gap` (text between two tokens, in a context where the scanner skips trivia) scan as complete comments and
// white space only, every `//` comment ended by a line break inside it?
function scansAsTrivia(ts: TsModule, gap: string): boolean {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, gap);
  for (;;) {
    const kind = scanner.scan();
    if (kind === ts.SyntaxKind.EndOfFileToken) return true;
    switch (kind) {
      case ts.SyntaxKind.WhitespaceTrivia:
      case ts.SyntaxKind.NewLineTrivia:
        break;
      case ts.SyntaxKind.SingleLineCommentTrivia:
        if (scanner.getTokenEnd() >= gap.length) return false; // would run on into the next token
        break;
      case ts.SyntaxKind.MultiLineCommentTrivia:
        if (scanner.isUnterminated()) return false;
        break;
      default:
        return false;
    }
  }
}

// True when `after` provably parses to the same tree as `before` (whose tree is `sf`, parsed without errors)
// because only comments and white space between tokens changed; false when the full parse must decide.
export function onlyTriviaChanged(ts: TsModule, sf: TS.SourceFile, before: string, after: string): boolean {
  if (/[\u0085\u200b\ufeff]/.test(after)) return false; // white space the engines treat differently: full path
  const edits = charEdits(before, after);
  if (edits.length === 0) return false;
  // Group the edits by the gap that holds them; an edit spanning two gaps (or a token) is not trivia-only.
  const gaps: { from: number; to: number; shiftFrom: number; shiftTo: number }[] = [];
  let shift = 0;
  for (const e of edits) {
    const gap = gapAt(ts, sf, e.start);
    if (!gap || e.oldEnd > gap[1]) return false;
    const last = gaps[gaps.length - 1];
    if (last && last.from === gap[0]) last.shiftTo = shift + e.inserted.length - (e.oldEnd - e.start);
    else gaps.push({ from: gap[0], to: gap[1], shiftFrom: shift, shiftTo: shift + e.inserted.length - (e.oldEnd - e.start) });
    shift += e.inserted.length - (e.oldEnd - e.start);
  }
  for (const g of gaps) {
    const oldGap = before.slice(g.from, g.to);
    const newGap = after.slice(g.from + g.shiftFrom, g.to + g.shiftTo);
    // Two tokens that become adjacent may merge (`a /**/ b` -> `ab`).
    if (newGap.length === 0) return false;
    if (sf.languageVariant === ts.LanguageVariant.JSX && (oldGap.includes("@jsx") || newGap.includes("@jsx"))) return false; // Babel reads @jsx pragmas anywhere
    if (g.from === 0) {
      // The file's leading comments may hold directives the compiler reads (`/// <reference …>`, `@jsx` pragmas,
      // `@ts-nocheck`); a leading gap with none before and after is plain comments.
      if (DIRECTIVE.test(oldGap) || DIRECTIVE.test(newGap)) return false;
      if (oldGap.startsWith("#!") || newGap.startsWith("#!")) return false; // the #! line is judged on the full path
    } else if (newGap[0] !== oldGap[0] && !SPACE_START.test(newGap) && !(newGap[0] === "/" && !"/<".includes(before[g.from - 1] as string))) {
      // The token before the gap must end where it did. Its end can depend on the character after it: `/`
      // followed by `/*…` becomes a `//` comment, `<` followed by `/` is `</` in JSX. The same character, white
      // space, or a comment's `/` after any other token leaves it as it was.
      return false;
    }
    if (LINE_BREAK.test(oldGap) !== LINE_BREAK.test(newGap)) return false;
    // The token after the gap must start as it did. A merge-conflict marker (seven `<`, `=`, `>` or `|`) is
    // trivia to the scanner only at the start of a line, so `>>>>>>> ` after a gap that now ends a line (closing
    // seven nested generics) would be scanned as a marker hiding the rest of the line: the full parse decides.
    if (CONFLICT_MARKER_START.includes(before[g.to] ?? "") && LINE_BREAK.test(oldGap.slice(-1)) !== LINE_BREAK.test(newGap.slice(-1))) return false;
    if (!scansAsTrivia(ts, newGap)) return false;
  }
  return true;
}
