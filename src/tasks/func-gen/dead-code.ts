// Dead code in a func-gen body, for `static` mode's similarity. Without this, "return None" followed by the
// original body (or the original under `if False:`) scores near 1 while doing nothing. Decision: similarity is
// computed on the live code only, for the candidate and the gold alike (a gold that holds dead code still scores
// 1 against itself, so no instance is lost); the dead ranges are reported in the reward's metrics.
// Dead = statements after a return / raise / throw / break / continue (Go: goto, panic(...); Rust: panic!/unreachable!/todo!/unimplemented!) in the same block (JS function declarations
// excepted: they are hoisted), the block under a constant-false `if`/`elif`/`while` condition, and the `elif` /
// `else` branches after a constant-true `if` condition. Constants: False/None/0/""/'' (Python), false/null/
// undefined/0/""/void 0 (JS/TS), false (Go, Rust), parenthesized or negated (`not True`, `!1`).

import { isEcmascript } from "../../lang/profile.js";
import type { Node } from "web-tree-sitter";
import type { LanguageId } from "../../lang/types.js";
import { withCachedTree } from "../../lang/parser.js";
import { adapterFor } from "../../lang/registry.js";

export interface Range {
  start: number;
  end: number;
}

const TERMINATORS = new Set(["return_statement", "raise_statement", "throw_statement", "break_statement", "continue_statement", "goto_statement", "yield_statement"]);
// Go's block holds its statements in a statement_list.
// Java: a constructor body and a switch case group hold statements as a block does.
const BLOCKS = new Set(["block", "statement_block", "statement_list", "constructor_body", "switch_block_statement_group"]);

// Go's `panic(...)` statement ends the block as a throw does (the builtin: `panic` not redeclared is assumed).
function isTerminator(node: Node, language: LanguageId): boolean {
  if (TERMINATORS.has(node.type)) return true;
  if (language === "rust") return isRustTerminator(node);
  if (language !== "go" || node.type !== "expression_statement") return false;
  const call = node.namedChild(0);
  return call?.type === "call_expression" && call.childForFieldName("function")?.text === "panic";
}

// Rust: `return`/`break`/`continue` (a statement or the block's tail), and the macros that never return
// (`panic!`, `unreachable!`, `todo!`, `unimplemented!`).
function isRustTerminator(node: Node): boolean {
  const expr = node.type === "expression_statement" ? node.namedChild(0) : node;
  if (!expr) return false;
  if (expr.type === "return_expression" || expr.type === "break_expression" || expr.type === "continue_expression") return true;
  return expr.type === "macro_invocation" && /^(?:(?:std|core)::)?(?:panic|unreachable|todo|unimplemented)$/.test(expr.childForFieldName("macro")?.text ?? "");
}

// true / false for a constant condition, null when it is not a constant we recognise.
function constantTruth(node: Node | null, language: LanguageId): boolean | null {
  if (!node) return null;
  const t = node.type;
  const text = node.text.trim();
  if (t === "parenthesized_expression") return constantTruth(node.namedChildren.find((c) => c !== null && !adapterFor(language).isComment(c)) ?? null, language);
  if (t === "not_operator" || (t === "unary_expression" && (text.startsWith("!") || text.startsWith("void")))) {
    if (text.startsWith("void")) return false;
    const arg = node.childForFieldName("argument") ?? node.namedChildren[node.namedChildren.length - 1] ?? null;
    const inner = constantTruth(arg, language);
    return inner === null ? null : !inner;
  }
  if (t === "true") return true;
  if (t === "boolean_literal") return text === "true"; // Rust
  if (t === "false" || t === "none" || t === "null" || t === "undefined") return false;
  if (t === "identifier" && text === "undefined") return false;
  if (t === "integer" || t === "number" || t === "float") {
    const n = Number(text.replace(/_/g, ""));
    return Number.isNaN(n) ? null : n !== 0;
  }
  if (t === "string" && /^(?:[rRbBuU]{0,2})?(""|'')$/.test(text)) return false;
  return null;
}

function isComment(node: Node, language: LanguageId): boolean {
  return adapterFor(language).isComment(node);
}

// Dead ranges of `text` that lie inside `region` (offsets into `text`), merged and sorted.
export function deadRanges(text: string, language: LanguageId, region: Range): Range[] {
  return withCachedTree(adapterFor(language).grammar, text, (tree) => {
    const out: Range[] = [];
    const stack: Node[] = [tree.rootNode];
    while (stack.length > 0) {
      const node = stack.pop() as Node;
      if (node.endIndex <= region.start || node.startIndex >= region.end) continue;
      if (BLOCKS.has(node.type)) {
        let terminated = false;
        for (const child of node.namedChildren) {
          if (!child || isComment(child, language)) continue;
          if (language === "go" && child.type === "labeled_statement") terminated = false; // a goto may jump to the label
          // Declarations after the end still exist: JS function declarations are hoisted, Rust items (fn, struct,
          // use, ...) are visible in the whole block.
          const declaration = (isEcmascript(language) && child.type === "function_declaration") || (language === "rust" && (child.type.endsWith("_item") || child.type === "use_declaration" || child.type === "macro_definition"));
          if (terminated && !declaration) out.push({ start: child.startIndex, end: child.endIndex });
          if (isTerminator(child, language)) terminated = true;
        }
      }
      if (node.type === "if_statement" || node.type === "elif_clause" || node.type === "while_statement" || node.type === "if_expression" || node.type === "while_expression") {
        const truth = constantTruth(node.childForFieldName("condition"), language);
        const body = node.childForFieldName("consequence") ?? node.childForFieldName("body");
        // With no branch left to run, the whole statement (condition included) is dead; else only its block.
        const branches = node.childrenForFieldName("alternative").filter((a) => a !== null);
        // A Go `if x := f(); false {` runs its initializer: then only the block is dead.
        const whole = branches.length === 0 && node.type !== "elif_clause" && !node.childForFieldName("initializer");
        if (truth === false && body) out.push(whole ? { start: node.startIndex, end: node.endIndex } : { start: body.startIndex, end: body.endIndex });
        if (truth === true && node.type !== "while_statement" && node.type !== "while_expression") {
          // Every later branch of this if (Python: elif/else clauses; JS: the else clause) is unreachable.
          for (const alt of node.childrenForFieldName("alternative")) if (alt) out.push({ start: alt.startIndex, end: alt.endIndex });
        }
      }
      for (const c of node.children) if (c) stack.push(c);
    }
    return merge(out.filter((r) => r.start >= region.start && r.end <= region.end));
  });
}

function merge(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

// `text` with the dead ranges blanked (replaced by spaces, newlines kept), so offsets stay valid.
export function withoutDeadCode(text: string, ranges: readonly Range[]): string {
  let out = "";
  let at = 0;
  for (const r of ranges) {
    out += text.slice(at, r.start) + text.slice(r.start, r.end).replace(/[^\n]/g, " ");
    at = r.end;
  }
  return out + text.slice(at);
}
