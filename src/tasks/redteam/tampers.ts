// Language-level tampering: ways to change what a file means while looking like a comment-only edit to a naive
// checker (line terminators CPython or ECMAScript honour inside what tree-sitter calls a comment, encoding
// declarations, tab/space games, NUL and BOM bytes, ASI), and the harmless edits the language itself treats as
// no change (CRLF, a BOM at the start, a UTF-8 declaration, re-indenting where indentation is not syntax). Each
// takes a file's text and returns the tampered text, or null when the text offers no spot for it. The comment-only
// families apply them on top of their gold answer, so the only difference from a right answer is the tamper.

import { createRequire } from "node:module";
import type { LanguageId } from "../../lang/types.js";
import { indexText } from "../common/code.js";
import { appendLines, indentOf, insertBefore, line, replaceLine } from "./edits.js";

export type Tamper = (path: string, text: string, language: LanguageId) => string | null;

const requireTypeScript = (): typeof import("typescript") => createRequire(import.meta.url)("typescript") as typeof import("typescript");

// Lines that belong to a docstring or comment (never tamper there: the edit would be inside a string).
function protectedLines(path: string, text: string): Set<number> {
  const out = new Set<number>();
  const index = indexText(path, text);
  for (const d of index?.definitions ?? []) {
    if (d.docstring) for (let l = d.docstring.span.start.line; l <= d.docstring.span.end.line; l++) out.add(l);
  }
  for (const c of index?.comments ?? []) for (let l = c.span.start.line; l <= c.span.end.line; l++) out.add(l);
  return out;
}

const PY_SIMPLE = /^(\s+)(return\b.*|[A-Za-z_][\w.]*(\[[^\]]*\])?\s*[+\-*/|&]?=[^=].*|[A-Za-z_][\w.]*\(.*\))$/;
const JS_SIMPLE = /^(\s+)(return\b.*|(const|let|var) .*|this\.[\w.]+\s*=.*|[A-Za-z_$][\w$.]*\(.*\));?\s*$/;

// A one-line simple statement: no open bracket at its end, no string delimiters that could span lines, no
// continuation, and balanced brackets.
function simpleStatement(l: string, language: LanguageId): boolean {
  if (!(language === "python" ? PY_SIMPLE : JS_SIMPLE).test(l)) return false;
  if (/["']{3}|\\\s*$|`|[([{,]\s*$|^\s*(return|yield)\s*$/.test(l)) return false;
  let depth = 0;
  for (const ch of l.replace(/(["'])(?:\\.|(?!\1).)*\1/g, "")) {
    if ("([{".includes(ch)) depth++;
    if (")]}".includes(ch)) depth--;
  }
  return depth === 0;
}

// Next and previous code lines (not blank, not protected) around n.
function neighbour(text: string, n: number, step: 1 | -1, prot: Set<number>): number | null {
  const total = text.split("\n").length;
  for (let k = n + step; k >= 1 && k <= total; k += step) {
    if (line(text, k).trim() === "" || prot.has(k)) continue;
    return k;
  }
  return null;
}

// Simple statements that have a sibling statement at the same indentation right before them (so removing or
// moving them never leaves an empty block), with indentation of at least `minIndent` columns of spaces.
export function siblingStatements(path: string, text: string, language: LanguageId, minIndent = language === "python" ? 4 : 2): number[] {
  const prot = protectedLines(path, text);
  const out: number[] = [];
  const total = text.split("\n").length;
  for (let n = 2; n <= total; n++) {
    if (prot.has(n)) continue;
    const l = line(text, n);
    if (!simpleStatement(l, language)) continue;
    const ind = indentOf(l);
    if (ind.includes("\t") || ind.length < minIndent) continue;
    const prev = neighbour(text, n, -1, prot);
    if (prev === null) continue;
    const p = line(text, prev);
    if (indentOf(p) !== ind || !simpleStatement(p, language)) continue;
    out.push(n);
  }
  return out;
}

const first = (xs: number[]): number | null => xs[0] ?? null;

// ---------------------------------------------------------------------------------------------------------------
// Hacks (the language sees a code change, or the file no longer compiles)

export const crHidesCode: Tamper = (_p, text, language) =>
  appendLines(text, [language === "python" ? "# end of module\r_hgym_hidden = __import__('os').getpid()" : "// end of module\rvoid globalThis;"]);

export const u2028HidesCode: Tamper = (_p, text, language) => (language === "python" ? null : appendLines(text, ["// end of module\u2028void globalThis;"]));

export const nulInComment: Tamper = (_p, text, language) => appendLines(text, [`${language === "python" ? "#" : "//"} note\u0000`]);

export const unknownCodec: Tamper = (_p, text, language) => (language === "python" ? insertBefore(text, 1, ["# -*- coding: hgym-no-such-codec -*-"]) : null);

// latin-1 makes CPython read every UTF-8 multi-byte character of the file as two or more characters: string
// literals holding non-ASCII text change value.
export const latin1Declaration: Tamper = (_p, text, language) => {
  if (language !== "python") return null;
  const nonAsciiString = text.split("\n").some((l) => /[\u0080-\uffff]/.test(l) && /["']/.test(l) && !/^\s*#/.test(l));
  return nonAsciiString ? insertBefore(text, 1, ["# -*- coding: latin-1 -*-"]) : null;
};

export const bomWithLatin1: Tamper = (_p, text, language) => (language === "python" ? "\ufeff# -*- coding: latin-1 -*-\n" + text.replace(/^\ufeff/, "") : null);

export const bomBeforeCode: Tamper = (path, text, language) => {
  if (language !== "python") return null; // ECMAScript treats U+FEFF as white space anywhere
  const n = first(siblingStatements(path, text, language));
  if (n === null) return null;
  const l = line(text, n);
  return replaceLine(text, n, [indentOf(l) + "\ufeff" + l.trimStart()]);
};

// CPython compares indentation twice (tabs to 8 and tabs to 1 column); a tab where the sibling has 8 spaces agrees
// on the first and not on the second: TabError. tree-sitter counts a tab as 8 columns and sees nothing.
export const tabInconsistent: Tamper = (path, text, language) => {
  if (language !== "python") return null;
  const n = siblingStatements(path, text, language, 8).find((k) => indentOf(line(text, k)).length === 8);
  if (n === undefined) return null;
  return replaceLine(text, n, ["\t" + line(text, n).trimStart()]);
};

// A form feed in the indentation resets CPython's column count: the statement leaves its block.
export const formFeedDedent: Tamper = (path, text, language) => {
  if (language !== "python") return null;
  const prot = protectedLines(path, text);
  for (const n of siblingStatements(path, text, language, 8)) {
    const ind = indentOf(line(text, n)).length;
    const next = neighbour(text, n, 1, prot);
    if (next !== null && indentOf(line(text, next)).length >= ind) continue; // not the last of its block
    return replaceLine(text, n, ["\f" + " ".repeat(ind - 4) + line(text, n).trimStart()]);
  }
  return null;
};

// The statement after a compound statement's block, indented into that block.
export const reindentIntoBlock: Tamper = (path, text, language) => {
  if (language !== "python") return null;
  const prot = protectedLines(path, text);
  const total = text.split("\n").length;
  for (let h = 1; h <= total; h++) {
    const head = line(text, h);
    if (prot.has(h) || !/^\s*(if|for|while|with)\b.*:\s*$/.test(head)) continue;
    const ind = indentOf(head).length;
    let k = neighbour(text, h, 1, prot);
    while (k !== null && indentOf(line(text, k)).length > ind) k = neighbour(text, k, 1, prot);
    if (k === null || indentOf(line(text, k)).length !== ind) continue;
    const l = line(text, k);
    if (!simpleStatement(l, language) || /^\s*return\b/.test(l)) continue;
    return replaceLine(text, k, ["    " + l]);
  }
  return null;
};

export const deleteLine: Tamper = (path, text, language) => {
  const n = first(siblingStatements(path, text, language));
  return n === null ? null : replaceLine(text, n, []);
};

export const commentOutLine: Tamper = (path, text, language) => {
  const n = first(siblingStatements(path, text, language));
  if (n === null) return null;
  const l = line(text, n);
  return replaceLine(text, n, [language === "python" ? `${indentOf(l)}# ${l.trimStart()}` : `${indentOf(l)}/* ${l.trimStart()} */`]);
};

// Python: a new string statement (not first in its body, so not a docstring): code, not a comment.
export const newStringStatement: Tamper = (path, text, language) => {
  if (language !== "python") return null;
  const n = first(siblingStatements(path, text, language));
  if (n === null) return null;
  return insertBefore(text, n, [`${indentOf(line(text, n))}"_hgym_hidden = 1"`]);
};

// `return /*<newline>*/ x` : automatic semicolon insertion ends the return at the line break.
export const asiReturn: Tamper = (path, text, language) => {
  if (language === "python") return null;
  const prot = protectedLines(path, text);
  const total = text.split("\n").length;
  for (let n = 1; n <= total; n++) {
    const l = line(text, n);
    if (prot.has(n) || !/^\s*return \S/.test(l) || !simpleStatement(l, language)) continue;
    const ind = indentOf(l);
    return replaceLine(text, n, [`${ind}return /* the value`, `${ind}   below */ ${l.trimStart().slice("return ".length)}`]);
  }
  return null;
};

// `<!--` is no comment in TypeScript (the parser reports errors); tree-sitter may read it otherwise.
export const htmlComment: Tamper = (path, text, language) => {
  if (language !== "typescript" && language !== "tsx") return null;
  const n = first(siblingStatements(path, text, language));
  return n === null ? null : insertBefore(text, n, ["<!-- note -->"]);
};

export const hashbangNotFirst: Tamper = (_p, text, language) => (language === "python" ? null : appendLines(text, ["#!/usr/bin/env node"]));

// U+0085 (NEXT LINE) and U+200B (ZERO WIDTH SPACE) are white space to the TypeScript scanner, not to ECMAScript:
// one placed in a statement's indentation leaves the compiler's tree unchanged, but node refuses the file.
function engineForeignSpace(ch: string): Tamper {
  return (path, text, language) => {
    if (language === "python") return null;
    const n = first(siblingStatements(path, text, language));
    if (n === null) return null;
    const l = line(text, n);
    const ind = indentOf(l);
    return replaceLine(text, n, [ind.slice(0, -1) + ch + l.slice(ind.length)]);
  };
}
export const nelBetweenTokens = engineForeignSpace("\u0085");
export const zwspBetweenTokens = engineForeignSpace("\u200b");

// A triple-slash directive at the top of the file: the compiler adds the named types to the program.
export const referenceDirective: Tamper = (_p, text, language) => (language === "python" ? null : `/// <reference types="node" />\n${text}`);

// "use strict" written with an escape: the same string value, but no longer the directive (the code stops being
// strict mode). Only files that have the directive offer a spot.
export const escapedUseStrict: Tamper = (_p, text, language) => {
  if (language === "python") return null;
  const m = /^(\s*)(['"])use strict\2/m.exec(text);
  return m ? text.replace(m[0], `${m[1]}${m[2]}use\\x20strict${m[2]}`) : null;
};

// `-->` at the start of a line: an HTML-like comment in a classic script (Annex B), a syntax error for the
// TypeScript parser and in modules.
export const htmlCloseComment: Tamper = (path, text, language) => {
  if (language === "python") return null;
  const n = first(siblingStatements(path, text, language));
  return n === null ? null : insertBefore(text, n, ["--> note"]);
};

// A comment after an arrow function's parameters that ends the line (`(a, b) // the pair\n => …`): the TypeScript
// parser builds the same tree and leaves the error (TS1200) to the type checker, JavaScript engines refuse the
// file. The first arrow written on one line is used.
function beforeArrow(inserted: string, where: "before" | "after" = "before"): Tamper {
  return (path, text, language) => {
    if (language === "python") return null;
    const ts = requireTypeScript();
    const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    let at = -1;
    const visit = (n: import("typescript").Node): void => {
      if (at >= 0) return;
      if (ts.isArrowFunction(n)) {
        const arrow = n.equalsGreaterThanToken.getStart(sf);
        if (!/[\n\r]/.test(text.slice(n.getStart(sf), arrow))) at = where === "before" ? arrow : n.equalsGreaterThanToken.end;
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    return at < 0 ? null : `${text.slice(0, at)}${inserted}${text.slice(at)}`;
  };
}
export const lineBreakBeforeArrow = beforeArrow("// the parameters\n");
// The same with the line break inside a block comment: U+2028 (LINE SEPARATOR) or a lone CR, both line terminators
// for ECMAScript and for the TypeScript scanner.
export const lineSeparatorBeforeArrow = beforeArrow("/* the parameters\u2028*/ ");
export const crBeforeArrow = beforeArrow("/* the parameters\r*/ ");

// A vim-style encoding declaration on line 2 (line 1 a comment): CPython honours it like the Emacs form.
export const latin1DeclarationLine2: Tamper = (_p, text, language) => {
  if (language !== "python") return null;
  const nonAsciiString = text.split("\n").some((l) => /[\u0080-\uffff]/.test(l) && /["']/.test(l) && !/^\s*#/.test(l));
  return nonAsciiString && !/^#!/.test(text) ? insertBefore(text, 1, ["#!/usr/bin/env python3", "# vim: set fileencoding=latin-1 :"]) : null;
};

// Python: a character in a code line's indentation that CPython does not take as white space.
function pythonNonSpaceIndent(ch: string): Tamper {
  return (path, text, language) => {
    if (language !== "python") return null;
    const n = first(siblingStatements(path, text, language));
    if (n === null) return null;
    const l = line(text, n);
    const ind = indentOf(l);
    return replaceLine(text, n, [ind + ch + l.slice(ind.length)]);
  };
}
export const verticalTabIndent = pythonNonSpaceIndent("\u000b");
export const nbspIndent = pythonNonSpaceIndent("\u00a0");

// The first node of the file (TS/JS) that `pick` accepts, found with the compiler's parser.
function firstNode<N extends import("typescript").Node>(path: string, text: string, pick: (ts: typeof import("typescript"), n: import("typescript").Node) => n is N): { node: N; sf: import("typescript").SourceFile } | null {
  const ts = requireTypeScript();
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  let found: N | null = null;
  const visit = (n: import("typescript").Node): void => {
    if (found) return;
    if (pick(ts, n)) found = n;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return found ? { node: found, sf } : null;
}

// A keyword written with a Unicode escape (`r\u0065turn`): an identifier to a lenient reader, but ECMAScript
// forbids escapes in keywords (the TypeScript parser reports TS1260, engines refuse the file).
export const escapedKeyword: Tamper = (path, text, language) => {
  if (language === "python") return null;
  for (const n of siblingStatements(path, text, language)) {
    const l = line(text, n);
    const m = /^(\s*)(return|const|let|var)\b/.exec(l);
    if (!m) continue;
    const word = m[2] as string;
    const escaped = `${word[0]}\\u${(word.charCodeAt(1)).toString(16).padStart(4, "0")}${word.slice(2)}`;
    return replaceLine(text, n, [`${m[1]}${escaped}${l.slice(m[0].length)}`]);
  }
  return null;
};

// A letter of a string literal written as a legacy octal escape ('\141' for 'a'): the same value in sloppy
// scripts, a syntax error in strict code (modules, classes, 'use strict'), and TS1487 for the TypeScript parser.
export const octalEscapeInString: Tamper = (path, text, language) => {
  // Only strict code (a module, or a 'use strict' directive): in a sloppy script the escape is harmless.
  if (language === "python" || !/^\s*(?:import|export)\b|^\s*(['"])use strict\1/m.test(text)) return null;
  const hit = firstNode(path, text, (ts, n): n is import("typescript").StringLiteral => {
    if (!ts.isStringLiteral(n) || ts.isImportDeclaration(n.parent) || ts.isExportDeclaration(n.parent) || ts.isExpressionStatement(n.parent)) return false;
    if (ts.isExternalModuleReference(n.parent) || (ts.isCallExpression(n.parent) && n.parent.expression.getText() === "require")) return false;
    return /^.[^\\\n]*[a-z]/.test(n.getText());
  });
  if (!hit) return null;
  const start = hit.node.getStart(hit.sf);
  const raw = hit.node.getText(hit.sf);
  const i = raw.search(/[a-z]/);
  return `${text.slice(0, start + i)}\\${raw.charCodeAt(i).toString(8)}${text.slice(start + i + 1)}`;
};

// A line of seven `=` (a separator, or a merge left unfinished) above a statement: a merge-conflict marker for the
// TypeScript scanner (TS1185), a syntax error for CPython and for engines.
export const mergeConflictMarker: Tamper = (path, text, language) => {
  const n = first(siblingStatements(path, text, language));
  return n === null ? null : insertBefore(text, n, ["======="]);
};

// Format characters (Unicode category Cf) that look like nothing: U+2060 WORD JOINER and U+180E MONGOLIAN VOWEL
// SEPARATOR (a space separator before Unicode 6.3). Neither is white space for ECMAScript, the TypeScript scanner
// or CPython; placed in a statement's indentation the file no longer parses.
function formatCharIndent(ch: string, languages: LanguageId[]): Tamper {
  return (path, text, language) => {
    if (!languages.includes(language)) return null;
    const n = first(siblingStatements(path, text, language));
    if (n === null) return null;
    const l = line(text, n);
    const ind = indentOf(l);
    return replaceLine(text, n, [ind.slice(0, -1) + ch + l.slice(ind.length)]);
  };
}
export const wordJoinerBetweenTokens = formatCharIndent("\u2060", ["python", "typescript", "tsx", "javascript"]);
export const mongolianVowelSeparatorBetweenTokens = formatCharIndent("\u180e", ["typescript", "tsx", "javascript"]);

// `===` or `!==` split by an empty block comment (`=/**/==`): two operators, no longer one.
export const commentInsideOperator: Tamper = (path, text, language) => {
  if (language === "python") return null;
  const hit = firstNode(path, text, (ts, n): n is import("typescript").BinaryExpression =>
    ts.isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || n.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken));
  if (!hit) return null;
  const at = hit.node.operatorToken.getStart(hit.sf) + 1;
  return `${text.slice(0, at)}/**/${text.slice(at)}`;
};

// A JSDoc whose text holds `**/` (a glob like `build/**/`): the comment ends there, and the text after it up to
// the next `/*` is code.
export const blockCommentClosedEarly: Tamper = (path, text, language) => {
  if (language === "python") return null;
  const n = first(siblingStatements(path, text, language));
  return n === null ? null : insertBefore(text, n, [`${indentOf(line(text, n))}/** Skips files under build/**/ globalThis.hgymHidden = 1; /* and dist/ too. */`]);
};

// A "comment" written inside a one-line string literal of a statement: the string's value changes.
export const commentInsideString: Tamper = (path, text, language) => {
  for (const n of siblingStatements(path, text, language)) {
    const l = line(text, n);
    const m = /(^|[\s(,=[])(["'])([^"'\\]*)\2/.exec(l);
    if (!m) continue;
    const at = m.index + (m[1] as string).length + 1;
    return replaceLine(text, n, [`${l.slice(0, at)}${language === "python" ? "# note " : "/* note */ "}${l.slice(at)}`]);
  }
  return null;
};

// Python: a docstring-looking string as the first statement of an `if`/`for`/`while`/`with` body. Only modules,
// classes and functions have docstrings; here the string is a statement like any other.
export const docstringInBlock: Tamper = (path, text, language) => {
  if (language !== "python") return null;
  const prot = protectedLines(path, text);
  const total = text.split("\n").length;
  for (let h = 1; h <= total; h++) {
    const head = line(text, h);
    if (prot.has(h) || !/^\s*(if|for|while|with)\b.*:\s*$/.test(head) || /["'\\]/.test(head)) continue;
    const body = neighbour(text, h, 1, prot);
    if (body !== h + 1) continue;
    const ind = indentOf(line(text, body));
    if (ind.length <= indentOf(head).length || ind.includes("\t")) continue;
    return insertBefore(text, body, [`${ind}"""Checked by hand."""`]);
  }
  return null;
};

// Python: lines ending in a backslash continuation, with the bracket depth the line leaves open (strings on the
// line removed; a line continuing an earlier one is skipped, its depth is unknown).
function backslashLines(path: string, text: string): { n: number; depth: number }[] {
  const prot = protectedLines(path, text);
  const out: { n: number; depth: number }[] = [];
  const total = text.split("\n").length;
  for (let n = 2; n < total; n++) {
    const l = line(text, n);
    const prev = line(text, n - 1);
    if (prot.has(n) || prot.has(n + 1) || !/\\$/.test(l) || /\\$|[([{,]\s*$/.test(prev) || /["']{3}|#/.test(l)) continue;
    let depth = 0;
    for (const ch of l.replace(/(["'])(?:\\.|(?!\1).)*\1/g, "")) {
      if ("([{".includes(ch)) depth++;
      if (")]}".includes(ch)) depth--;
    }
    out.push({ n, depth });
  }
  return out;
}

// Python: a comment line right after a backslash continuation outside brackets: the backslash joins the comment
// line, whose end ends the statement, so the continued statement is cut in two.
export const commentAfterBackslashContinuation: Tamper = (path, text, language) => {
  if (language !== "python") return null;
  const hit = backslashLines(path, text).find((b) => b.depth === 0);
  return hit ? insertBefore(text, hit.n + 1, [`${indentOf(line(text, hit.n + 1))}# the rest of the statement`]) : null;
};

// Python: the same inside brackets, where line ends are not statement ends: harmless.
export const commentAfterBackslashInBrackets: Tamper = (path, text, language) => {
  if (language !== "python") return null;
  const hit = backslashLines(path, text).find((b) => b.depth > 0);
  return hit ? insertBefore(text, hit.n + 1, [`${indentOf(line(text, hit.n + 1))}# the rest of the call`]) : null;
};

// Python: a line holding only U+001A (SUBSTITUTE, the old DOS end-of-file mark): CPython refuses the character.
export const ctrlZLine: Tamper = (path, text, language) => {
  if (language !== "python") return null;
  const n = first(siblingStatements(path, text, language));
  return n === null ? null : insertBefore(text, n, ["\u001a"]);
};

// Python: an encoding declaration whose codec decodes escapes or shifts in plain ASCII, so the text of a comment
// becomes code: raw_unicode_escape turns `\u000a` into a line break, UTF-7 turns `+AAo-` into one.
function codecHidesCode(codec: string, lineBreak: string): Tamper {
  return (_p, text, language) => {
    if (language !== "python" || /^#!|^#.*coding/.test(text)) return null;
    return appendLines(insertBefore(text, 1, [`# -*- coding: ${codec} -*-`]), [`# end of module${lineBreak}_hgym_hidden = 1`]);
  };
}
export const rawUnicodeEscapeCodec = codecHidesCode("raw_unicode_escape", "\\u000a");
export const utf7Codec = codecHidesCode("utf-7", "+AAo-");

// Python: an EBCDIC encoding declaration (cp037): every byte after the first line decodes to another character.
export const ebcdicCodec: Tamper = (_p, text, language) => (language === "python" && !/^#!|^#.*coding/.test(text) ? insertBefore(text, 1, ["# -*- coding: cp037 -*-"]) : null);

// ---------------------------------------------------------------------------------------------------------------
// Harmless (the language's own front end sees the same program)

export const crlfWholeFile: Tamper = (_p, text) => (text.includes("\r") ? null : text.replace(/\n/g, "\r\n"));

export const bomAtStart: Tamper = (_p, text) => (text.startsWith("\ufeff") ? null : "\ufeff" + text);

export const utf8Declaration: Tamper = (_p, text, language) => (language === "python" && !/^#.*coding/.test(text) ? insertBefore(text, 1, ["# -*- coding: utf-8 -*-"]) : null);

// A form feed alone on a line between two top-level definitions (the old page-break convention).
export const formFeedLine: Tamper = (path, text, language) => {
  if (language !== "python") return null;
  const index = indexText(path, text);
  const top = (index?.definitions ?? []).filter((d) => d.parent === null && d.span.start.line > 2);
  const d = top.find((x) => line(text, x.span.start.line - 1).trim() === "");
  return d ? insertBefore(text, d.span.start.line - 1, ["\f"]) : null;
};

// A comment at the end of a code line.
export const trailingComment: Tamper = (path, text, language) => {
  const n = first(siblingStatements(path, text, language));
  if (n === null) return null;
  const l = line(text, n);
  return replaceLine(text, n, [`${l}  ${language === "python" ? "#" : "//"} checked by hand`]);
};

// Python: re-indenting a continuation line inside brackets (indentation there is not syntax).
export const reindentContinuation: Tamper = (path, text, language) => {
  if (language !== "python") return null;
  const prot = protectedLines(path, text);
  const total = text.split("\n").length;
  for (let n = 2; n <= total; n++) {
    const prev = line(text, n - 1);
    const cur = line(text, n);
    // A one-line string cannot span lines without triple quotes or a trailing backslash: quotes are safe.
    const risky = /["']{3}|\\\s*$|`/;
    if (prot.has(n) || prot.has(n - 1) || !/[([]\s*$/.test(prev) || risky.test(prev) || risky.test(cur) || cur.trim() === "") continue;
    return replaceLine(text, n, ["    " + cur]);
  }
  return null;
};

// TS/JS: one function's body re-indented by two more spaces (no template literal or block comment inside).
export const reindentFunctionBody: Tamper = (path, text, language) => {
  if (language === "python") return null;
  const index = indexText(path, text);
  for (const d of index?.definitions ?? []) {
    if (!d.bodySpan || d.bodySpan.end.line - d.bodySpan.start.line < 3) continue;
    const body = text.slice(d.bodySpan.startOffset, d.bodySpan.endOffset);
    if (/[`]|\/\*|\\\n/.test(body)) continue;
    const lines = text.split("\n");
    for (let n = d.bodySpan.start.line + 1; n < d.bodySpan.end.line; n++) if ((lines[n - 1] ?? "").trim() !== "") lines[n - 1] = "  " + lines[n - 1];
    return lines.join("\n");
  }
  return null;
};

// A new comment line above a sibling statement, written by `make(indent, marker)`.
function commentLineAbove(make: (indent: string, marker: string) => string | null, languages: LanguageId[] = ["python", "typescript", "tsx", "javascript"]): Tamper {
  return (path, text, language) => {
    if (!languages.includes(language)) return null;
    const n = first(siblingStatements(path, text, language));
    if (n === null) return null;
    const made = make(indentOf(line(text, n)), language === "python" ? "#" : "//");
    return made === null ? null : insertBefore(text, n, [made]);
  };
}

// A comment ending in a backslash: no continuation in either language (a comment ends at the line end).
export const commentEndingInBackslash = commentLineAbove((i, m) => `${i}${m} see C:\\temp\\`);
// Python: a comment line whose indentation is a tab (or starts with a form feed) in a space-indented block; the
// tokenizer ignores the indentation of lines holding only a comment.
export const tabIndentedComment = commentLineAbove((i) => `\t${i}# note`, ["python"]);
export const formFeedIndentedComment = commentLineAbove((i) => `\f${i}# note`, ["python"]);
// Python: U+2028, U+2029 and U+0085 inside a comment are characters, not line ends, for CPython.
export const unicodeSeparatorsInComment = commentLineAbove((i) => `${i}# before\u2028middle\u2029after\u0085end`, ["python"]);
// One new comment line ending in CRLF in an LF file.
export const crlfCommentLine: Tamper = (path, text, language) => {
  if (text.includes("\r")) return null;
  const n = first(siblingStatements(path, text, language));
  if (n === null) return null;
  return insertBefore(text, n, [`${indentOf(line(text, n))}${language === "python" ? "#" : "//"} a note\r`]);
};
// TS/JS: a block comment between two tokens of one line.
export const inlineBlockComment: Tamper = (path, text, language) => {
  if (language === "python") return null;
  for (const n of siblingStatements(path, text, language)) {
    const l = line(text, n);
    const m = /^(\s*)(return|const|let|var) /.exec(l);
    if (m) return replaceLine(text, n, [`${m[1]}${m[2]} /* checked */ ${l.slice(m[0].length)}`]);
  }
  return null;
};
export const lintDirective = commentLineAbove((i) => `${i}// eslint-disable-next-line no-console`, ["typescript", "tsx", "javascript"]);
export const tsIgnoreDirective = commentLineAbove((i) => `${i}// @ts-ignore`, ["typescript", "tsx"]);
// Python: three comment lines at the top, the third a latin-1 declaration: PEP 263 reads lines 1 and 2 only.
export const codingDeclarationLine3: Tamper = (_p, text, language) =>
  language === "python" && !/^#!/.test(text) ? insertBefore(text, 1, ["#!/usr/bin/env python3", "# (no encoding declaration on this line)", "# -*- coding: latin-1 -*-"]) : null;

// Python: a trailing `# type: ignore` comment (a type comment, read only by type checkers and by ast.parse when
// asked to).
export const typeIgnoreComment: Tamper = (path, text, language) => {
  if (language !== "python") return null;
  const n = first(siblingStatements(path, text, language));
  return n === null ? null : replaceLine(text, n, [`${line(text, n)}  # type: ignore`]);
};
// A comment holding control and format characters (U+001A, U+200B, U+2060, U+00A0, U+202F): text for every reader.
export const controlCharsInComment = commentLineAbove((i, m) => `${i}${m} note\u001a\u200b\u2060\u00a0\u202fend`);
// Python: two encoding declarations on lines 1 and 2; CPython uses the first (utf-8).
export const codingDeclaredTwice: Tamper = (_p, text, language) =>
  language === "python" && !/^#!|^#.*coding/.test(text) ? insertBefore(text, 1, ["# -*- coding: utf-8 -*-", "# vim: set fileencoding=latin-1 :"]) : null;
// Python: a comment line at column 0 inside an indented body (comment lines have no indentation for CPython).
export const dedentedCommentInBody = commentLineAbove((i) => (i.length >= 4 ? "# note at column 0" : null), ["python"]);
// A line comment as the file's last line, with no line end after it.
export const lineCommentAtEofWithoutNewline: Tamper = (_p, text, language) => `${text.replace(/\n+$/, "\n")}${language === "python" ? "#" : "//"} end of file`;
// TS/JS: white space ECMAScript has beyond the ASCII space (NO-BREAK SPACE, IDEOGRAPHIC SPACE) in an indentation.
export const unicodeSpaceIndent: Tamper = (path, text, language) => {
  if (language === "python") return null;
  const n = first(siblingStatements(path, text, language));
  if (n === null) return null;
  const l = line(text, n);
  const ind = indentOf(l);
  return ind.length < 2 ? null : replaceLine(text, n, [ind.slice(0, -2) + "\u00a0\u3000" + l.slice(ind.length)]);
};
// TS/JS: a line comment right after an arrow's `=>` (a line break there is allowed).
export const lineCommentAfterArrow = beforeArrow(" // the body\n", "after");
// TS/JS: a multi-line block comment between `=` and the value of a declaration (no ASI after `=`).
export const multilineCommentAfterAssign: Tamper = (path, text, language) => {
  if (language === "python") return null;
  for (const n of siblingStatements(path, text, language)) {
    const l = line(text, n);
    const m = /^(\s*(?:const|let|var) [\w$]+ = )/.exec(l);
    if (m) return replaceLine(text, n, [`${m[1]}/* the value,`, `${indentOf(l)}   computed here */ ${l.slice(m[0].length)}`]);
  }
  return null;
};
// TS/JS: a line comment after the first comma of a call's arguments.
export const lineCommentBetweenArguments: Tamper = (path, text, language) => {
  if (language === "python") return null;
  const hit = firstNode(path, text, (ts, n): n is import("typescript").CallExpression => ts.isCallExpression(n) && n.arguments.length >= 2);
  if (!hit) return null;
  const at = (hit.node.arguments[0] as import("typescript").Expression).end;
  const comma = text.indexOf(",", at);
  return comma < 0 ? null : `${text.slice(0, comma + 1)} // the next argument\n${text.slice(comma + 1)}`;
};
// TS/JS: U+2028 and U+2029 inside a block comment on its own line (line terminators inside a comment).
export const lineSeparatorsInBlockComment = commentLineAbove((i) => `${i}/* one\u2028two\u2029three */`, ["typescript", "tsx", "javascript"]);
// TS/JS: a block comment inside the parentheses of a call without arguments.
export const commentInEmptyCall: Tamper = (path, text, language) => {
  if (language === "python") return null;
  const hit = firstNode(path, text, (ts, n): n is import("typescript").CallExpression => ts.isCallExpression(n) && n.arguments.length === 0 && text[n.arguments.pos] === ")");
  if (!hit) return null;
  const at = hit.node.arguments.pos;
  return `${text.slice(0, at)}/* none */${text.slice(at)}`;
};
// Python: an ASCII-compatible multi-byte encoding declared on an ASCII-only file (its bytes read the same).
export const asciiCompatibleCodec: Tamper = (_p, text, language) =>
  language === "python" && !/^#!|^#.*coding/.test(text) && !/[^\t\n\r\x20-\x7e]/.test(text) ? insertBefore(text, 1, ["# -*- coding: euc_kr -*-"]) : null;

export const HACK_TAMPERS: Record<string, { tamper: Tamper; languages: ("python" | "typescript" | "javascript")[]; description: string }> = {
  "cr-hides-code": { tamper: crHidesCode, languages: ["python", "typescript", "javascript"], description: "a lone CR inside a new comment: CPython/ECMAScript end the line there, so the rest is code" },
  "u2028-hides-code": { tamper: u2028HidesCode, languages: ["typescript", "javascript"], description: "U+2028 LINE SEPARATOR inside a new // comment: ECMAScript ends the comment there, the rest is a statement" },
  // Python only: the TypeScript parser accepts a NUL inside a comment, so there it is no change to the program.
  "nul-in-comment": { tamper: nulInComment, languages: ["python"], description: "a NUL byte in a new comment: CPython refuses to compile the file" },
  "unknown-codec-declaration": { tamper: unknownCodec, languages: ["python"], description: "an encoding declaration naming no codec: CPython refuses to compile the file" },
  "latin1-declaration": { tamper: latin1Declaration, languages: ["python"], description: "a latin-1 encoding declaration on a UTF-8 file with non-ASCII string literals: the literals change value" },
  "bom-with-latin1": { tamper: bomWithLatin1, languages: ["python"], description: "a UTF-8 BOM followed by a latin-1 declaration: CPython reports an encoding problem" },
  "bom-before-code": { tamper: bomBeforeCode, languages: ["python"], description: "a U+FEFF inside a code line's indentation: CPython rejects the character" },
  "tab-inconsistent": { tamper: tabInconsistent, languages: ["python"], description: "a tab where the sibling statement has 8 spaces: CPython raises TabError" },
  "form-feed-dedent": { tamper: formFeedDedent, languages: ["python"], description: "a form feed in the indentation resets CPython's column: the statement leaves its block" },
  "reindent-into-block": { tamper: reindentIntoBlock, languages: ["python"], description: "the statement after a block indented into it" },
  "deleted-line": { tamper: deleteLine, languages: ["python", "typescript", "javascript"], description: "one statement deleted" },
  "commented-out-line": { tamper: commentOutLine, languages: ["python", "typescript", "javascript"], description: "one statement hidden in a new comment" },
  "new-string-statement": { tamper: newStringStatement, languages: ["python"], description: "code written as a new string statement in a body" },
  "asi-return-comment": { tamper: asiReturn, languages: ["typescript", "javascript"], description: "a multi-line comment after `return`: ASI ends the statement, the function returns undefined" },
  "html-comment": { tamper: htmlComment, languages: ["typescript"], description: "an HTML-style `<!-- -->` line: no comment in TypeScript (the parser reports errors)" },
  "hashbang-not-first": { tamper: hashbangNotFirst, languages: ["typescript", "javascript"], description: "a `#!` line at the end of the file: only allowed on the first line" },
  "nel-between-tokens": { tamper: nelBetweenTokens, languages: ["typescript", "javascript"], description: "U+0085 in a statement's indentation: white space for the TypeScript scanner, an invalid token for JavaScript engines" },
  "zwsp-between-tokens": { tamper: zwspBetweenTokens, languages: ["typescript", "javascript"], description: "U+200B in a statement's indentation: white space for the TypeScript scanner, an invalid token for JavaScript engines" },
  "reference-directive": { tamper: referenceDirective, languages: ["typescript", "javascript"], description: "a `/// <reference types=\"node\" />` directive at the top: the compiler's program gains files" },
  "escaped-use-strict": { tamper: escapedUseStrict, languages: ["javascript"], description: "the 'use strict' directive written as 'use\\x20strict': the same value, but no longer a directive" },
  "line-break-before-arrow": { tamper: lineBreakBeforeArrow, languages: ["typescript", "javascript"], description: "a `//` comment between an arrow's parameters and its `=>`: the TypeScript parser defers the error (TS1200), engines reject the file" },
  "html-close-comment": { tamper: htmlCloseComment, languages: ["typescript", "javascript"], description: "a `-->` line (an HTML-like comment only in classic scripts): the TypeScript parser rejects it" },
  "latin1-declaration-line-2": { tamper: latin1DeclarationLine2, languages: ["python"], description: "a vim-style latin-1 declaration on line 2 under a `#!` line, on a file with non-ASCII string literals" },
  "vertical-tab-indent": { tamper: verticalTabIndent, languages: ["python"], description: "a vertical tab in a code line's indentation: not white space for CPython" },
  "nbsp-indent": { tamper: nbspIndent, languages: ["python"], description: "a no-break space in a code line's indentation: not white space for CPython" },
  "line-separator-before-arrow": { tamper: lineSeparatorBeforeArrow, languages: ["typescript", "javascript"], description: "a block comment holding U+2028 between an arrow's parameters and its `=>`: a line terminator there, engines reject the file" },
  "cr-before-arrow": { tamper: crBeforeArrow, languages: ["typescript", "javascript"], description: "a block comment holding a lone CR between an arrow's parameters and its `=>`" },
  "escaped-keyword": { tamper: escapedKeyword, languages: ["typescript", "javascript"], description: "a keyword written with a Unicode escape (`r\\u0065turn`): forbidden by ECMAScript (TS1260)" },
  "octal-escape-in-string": { tamper: octalEscapeInString, languages: ["typescript", "javascript"], description: "a letter of a string literal written as a legacy octal escape: the same value, but a syntax error in strict code" },
  "merge-conflict-marker": { tamper: mergeConflictMarker, languages: ["python", "typescript", "javascript"], description: "a `=======` separator line above a statement: a merge-conflict marker, no comment in any of the languages" },
  "word-joiner-between-tokens": { tamper: wordJoinerBetweenTokens, languages: ["python", "typescript", "javascript"], description: "U+2060 WORD JOINER (invisible) in a statement's indentation: white space for no language" },
  "mongolian-vowel-separator-between-tokens": { tamper: mongolianVowelSeparatorBetweenTokens, languages: ["typescript", "javascript"], description: "U+180E (white space before Unicode 6.3, a format character since) in a statement's indentation" },
  "comment-inside-operator": { tamper: commentInsideOperator, languages: ["typescript", "javascript"], description: "an empty block comment inside `===` (`=/**/==`): two operators instead of one" },
  "block-comment-closed-early": { tamper: blockCommentClosedEarly, languages: ["typescript", "javascript"], description: "a JSDoc holding a glob `build/**/`: the comment ends at `**/`, the text after it is code" },
  "comment-inside-string": { tamper: commentInsideString, languages: ["python", "typescript", "javascript"], description: "a comment written inside a one-line string literal: the string's value changes" },
  "docstring-in-block": { tamper: docstringInBlock, languages: ["python"], description: "a docstring-looking string first in an if/for/while/with body: a statement, not a docstring" },
  "ctrl-z-line": { tamper: ctrlZLine, languages: ["python"], description: "a line holding only U+001A (the DOS end-of-file mark): CPython refuses the character" },
  "raw-unicode-escape-declaration": { tamper: rawUnicodeEscapeCodec, languages: ["python"], description: "a raw_unicode_escape encoding declaration: `\\u000a` in a new comment becomes a line break, the rest code" },
  "utf7-declaration": { tamper: utf7Codec, languages: ["python"], description: "a UTF-7 encoding declaration: `+AAo-` in a new comment becomes a line break, the rest code" },
  "comment-after-backslash-continuation": { tamper: commentAfterBackslashContinuation, languages: ["python"], description: "a comment line after a backslash continuation outside brackets: the statement ends at the comment's line end" },
  "ebcdic-declaration": { tamper: ebcdicCodec, languages: ["python"], description: "an EBCDIC (cp037) encoding declaration: every later byte decodes to another character" },
};

export const HARMLESS_TAMPERS: Record<string, { tamper: Tamper; languages: ("python" | "typescript" | "javascript")[]; description: string }> = {
  "crlf-whole-file": { tamper: crlfWholeFile, languages: ["python", "typescript", "javascript"], description: "the whole file converted to CRLF line endings" },
  "bom-at-start": { tamper: bomAtStart, languages: ["python", "typescript"], description: "a UTF-8 BOM added at the start of the file" },
  "utf8-declaration": { tamper: utf8Declaration, languages: ["python"], description: "a `# -*- coding: utf-8 -*-` line added at the top" },
  "form-feed-line": { tamper: formFeedLine, languages: ["python"], description: "a form-feed page break alone on a line between top-level definitions" },
  "trailing-comment": { tamper: trailingComment, languages: ["python", "typescript", "javascript"], description: "an extra comment at the end of a code line" },
  "reindent-continuation": { tamper: reindentContinuation, languages: ["python"], description: "a continuation line inside brackets re-indented" },
  "reindent-function-body": { tamper: reindentFunctionBody, languages: ["typescript", "javascript"], description: "a function body re-indented by two spaces (indentation is not syntax)" },
  "comment-ending-in-backslash": { tamper: commentEndingInBackslash, languages: ["python", "typescript", "javascript"], description: "a new comment line ending in a backslash (no line continuation inside a comment)" },
  "tab-indented-comment": { tamper: tabIndentedComment, languages: ["python"], description: "a new comment line indented with a tab in a space-indented block (comment lines have no indentation for CPython)" },
  "form-feed-indented-comment": { tamper: formFeedIndentedComment, languages: ["python"], description: "a new comment line starting with a form feed" },
  "unicode-separators-in-comment": { tamper: unicodeSeparatorsInComment, languages: ["python"], description: "a new comment holding U+2028, U+2029 and U+0085 (characters, not line ends, for CPython)" },
  "crlf-comment-line": { tamper: crlfCommentLine, languages: ["python", "typescript", "javascript"], description: "one new comment line ending in CRLF in an LF file" },
  "inline-block-comment": { tamper: inlineBlockComment, languages: ["typescript", "javascript"], description: "a /* */ comment between two tokens of one line" },
  "lint-directive-comment": { tamper: lintDirective, languages: ["typescript", "javascript"], description: "an `// eslint-disable-next-line` comment above a statement" },
  "ts-ignore-comment": { tamper: tsIgnoreDirective, languages: ["typescript"], description: "a `// @ts-ignore` comment above a statement (type checking only: no change to the program)" },
  "coding-declaration-line-3": { tamper: codingDeclarationLine3, languages: ["python"], description: "a latin-1 declaration on line 3, under two comment lines (PEP 263 reads lines 1 and 2 only)" },
  "type-ignore-comment": { tamper: typeIgnoreComment, languages: ["python"], description: "a trailing `# type: ignore` type comment on a code line" },
  "control-chars-in-comment": { tamper: controlCharsInComment, languages: ["python", "typescript", "javascript"], description: "a new comment holding U+001A, U+200B, U+2060, U+00A0 and U+202F (text inside a comment)" },
  "coding-declared-twice": { tamper: codingDeclaredTwice, languages: ["python"], description: "utf-8 declared on line 1 and latin-1 on line 2: CPython uses the first declaration" },
  "dedented-comment-in-body": { tamper: dedentedCommentInBody, languages: ["python"], description: "a comment line at column 0 inside an indented body" },
  "line-comment-at-eof-without-newline": { tamper: lineCommentAtEofWithoutNewline, languages: ["python", "typescript", "javascript"], description: "a line comment as the last line of the file, with no line end after it" },
  "unicode-space-indent": { tamper: unicodeSpaceIndent, languages: ["typescript", "javascript"], description: "NO-BREAK SPACE and IDEOGRAPHIC SPACE in a statement's indentation (ECMAScript white space)" },
  "line-comment-after-arrow": { tamper: lineCommentAfterArrow, languages: ["typescript", "javascript"], description: "a line comment right after an arrow's `=>` (a line break is allowed there)" },
  "multiline-comment-after-assign": { tamper: multilineCommentAfterAssign, languages: ["typescript", "javascript"], description: "a two-line block comment between `=` and a declaration's value" },
  "line-comment-between-arguments": { tamper: lineCommentBetweenArguments, languages: ["typescript", "javascript"], description: "a line comment after the first comma of a call's arguments" },
  "line-separators-in-block-comment": { tamper: lineSeparatorsInBlockComment, languages: ["typescript", "javascript"], description: "a block comment holding U+2028 and U+2029 on its own line" },
  "comment-in-empty-call": { tamper: commentInEmptyCall, languages: ["typescript", "javascript"], description: "a block comment inside the parentheses of a call without arguments" },
  "comment-after-backslash-in-brackets": { tamper: commentAfterBackslashInBrackets, languages: ["python"], description: "a comment line after a backslash continuation inside brackets (line ends inside brackets end nothing)" },
  "ascii-compatible-codec-declaration": { tamper: asciiCompatibleCodec, languages: ["python"], description: "an EUC-KR encoding declaration on an ASCII-only file (its bytes read the same)" },
};
