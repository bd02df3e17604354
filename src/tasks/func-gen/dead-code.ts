// Dead code in a func-gen body, for `static` mode's similarity. Without this, "return None" followed by the
// original body (or the original under `if False:`) scores near 1 while doing nothing. Decision: similarity is
// computed on the live code only, for the candidate and the gold alike (a gold that holds dead code still scores
// 1 against itself, so no instance is lost); the dead ranges are reported in the reward's metrics.
// Dead = statements after a return / raise / throw / break / continue (Go: goto, panic(...); Rust: panic!/unreachable!/todo!/unimplemented!)
// or after a statement that never falls through (an `if` whose taken branch or every branch ends so, `while True`
// without a break, Python's `assert False`) in the same block (JS function declarations
// excepted: they are hoisted), the block under a constant-false `if`/`elif`/`while` condition, and the `elif` /
// `else` branches after a constant-true `if` condition. Constants: False/None/0/""/'' (Python), false/null/
// undefined/0/""/void 0 (JS/TS), false (Go, Rust), Python's empty displays, comparisons of two number literals,
// parenthesized or negated (`not True`, `!1`). Also dead: the body of a loop over an empty literal, and a function
// defined in the body whose name is never used outside its own definition.

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
  if (isExitCall(node, language)) return true;
  if (language !== "go" || node.type !== "expression_statement") return false;
  const call = node.namedChild(0);
  return call?.type === "call_expression" && call.childForFieldName("function")?.text === "panic";
}

// A statement that only calls a function ending the process (`sys.exit(..)`, `os._exit(..)`, `exit()`,
// `process.exit(..)`): nothing after it in the block runs.
const EXIT_CALLS: Partial<Record<LanguageId, ReadonlySet<string>>> = {
  python: new Set(["sys.exit", "os._exit", "os.abort", "exit", "quit", "_exit"]),
  javascript: new Set(["process.exit", "process.abort", "process.reallyExit"]),
  typescript: new Set(["process.exit", "process.abort", "process.reallyExit"]),
  tsx: new Set(["process.exit", "process.abort", "process.reallyExit"]),
};
function isExitCall(node: Node, language: LanguageId): boolean {
  const names = EXIT_CALLS[language];
  if (!names || node.type !== "expression_statement") return false;
  const call = node.namedChild(0);
  if (!call || (call.type !== "call" && call.type !== "call_expression")) return false;
  return names.has((call.childForFieldName("function")?.text ?? "").replace(/\s+/g, ""));
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
  // `-0`, `+0`, `-1`: a signed number literal is as true as the number.
  if ((t === "unary_operator" || t === "unary_expression") && /^[-+]/.test(text)) {
    const n = numberLiteral(node.childForFieldName("argument") ?? node.childForFieldName("operand") ?? node.namedChildren[node.namedChildren.length - 1] ?? null, language);
    return n === null ? null : n !== 0;
  }
  // `__debug__` is True unless python runs with -O (tests do not); `NaN` and an empty template literal are falsy.
  if (language === "python" && t === "identifier" && text === "__debug__") return true;
  if (isEcmascript(language) && t === "identifier" && text === "NaN") return false;
  if (isEcmascript(language) && t === "template_string" && text === "``") return false;
  if (t === "boolean_literal") return text === "true"; // Rust
  if (t === "false" || t === "none" || t === "null" || t === "undefined") return false;
  if (t === "identifier" && text === "undefined") return false;
  if (t === "integer" || t === "number" || t === "float") {
    const n = numberLiteral(node, language);
    return n === null ? null : n !== 0;
  }
  if (t === "string" && /^(?:[rRbBuUfF]{0,2})?(""|'')$/.test(text)) return false;
  // typing.TYPE_CHECKING is False when the code runs (only type checkers take the branch).
  if (language === "python" && ((t === "identifier" && text === "TYPE_CHECKING") || (t === "attribute" && /^(?:typing|t)\.TYPE_CHECKING$/.test(text)))) return false;
  const logical = constantLogical(node, language);
  if (logical !== null) return logical;
  // Python's empty displays are false ([] and {} are objects, hence true, in JavaScript).
  if (language === "python" && (t === "list" || t === "tuple" || t === "dictionary") && node.namedChildCount === 0) return false;
  return constantComparison(node, language);
}

// `False and x`, `x and False` (Python `and`/`or`, JS `&&`/`||`): known when one side decides it.
function constantLogical(node: Node, language: LanguageId): boolean | null {
  let op = "";
  if (language === "python" && node.type === "boolean_operator") op = node.childForFieldName("operator")?.type ?? node.child(1)?.type ?? "";
  else if (isEcmascript(language) && node.type === "binary_expression") op = node.childForFieldName("operator")?.type ?? "";
  const and = op === "and" || op === "&&";
  const or = op === "or" || op === "||";
  if (!and && !or) return null;
  const a = constantTruth(node.childForFieldName("left"), language);
  const b = constantTruth(node.childForFieldName("right"), language);
  if (and) return a === false || b === false ? false : a === true && b === true ? true : null;
  return a === true || b === true ? true : a === false && b === false ? false : null;
}

// `1 == 0`, `0 > 1`, `2 !== 2`: a comparison of two number literals.
function constantComparison(node: Node, language: LanguageId): boolean | null {
  let left: Node | null = null;
  let right: Node | null = null;
  let op = "";
  if (language === "python" && node.type === "comparison_operator" && node.namedChildCount === 2) {
    left = node.namedChild(0);
    right = node.namedChild(1);
    // `is not` / `not in` are two tokens: the operator is the text between the operands.
    op = left && right ? node.text.slice(left.endIndex - node.startIndex, right.startIndex - node.startIndex).trim().replace(/\s+/g, " ") : "";
  } else if (isEcmascript(language) && node.type === "binary_expression") {
    left = node.childForFieldName("left");
    right = node.childForFieldName("right");
    op = node.childForFieldName("operator")?.type ?? "";
  } else {
    return null;
  }
  const la = literalValue(left, language);
  const lb = literalValue(right, language);
  if (la === null || lb === null) return null;
  // Equality of two literals of one kind (no coercion to reason about: `0 == false`, `1 == True` stay unknown).
  if (la.kind !== "number" || lb.kind !== "number") {
    if (la.kind !== lb.kind) return null;
    const same = la.value === lb.value;
    if (isEcmascript(language) && (op === "==" || op === "!=") && la.kind === "singleton" && !same) return null; // null == undefined
    if (op === "===" || op === "!==" || op === "==" || op === "!=" || ((op === "is" || op === "is not") && la.kind === "singleton")) return op.startsWith("!") || op === "is not" ? !same : same;
    return null;
  }
  const a = la.value;
  const b = lb.value;
  switch (op) {
    case "==":
    case "===":
      return a === b;
    case "!=":
    case "!==":
      return a !== b;
    case "<":
      return a < b;
    case ">":
      return a > b;
    case "<=":
      return a <= b;
    case ">=":
      return a >= b;
    default:
      return null;
  }
}

// Python's imaginary literals (`0j`) count by their magnitude: `0j` is false.
function numberLiteral(node: Node | null, language: LanguageId): number | null {
  if (!node || !(node.type === "integer" || node.type === "number" || node.type === "float")) return null;
  let text = node.text.replace(/_/g, "");
  if (language === "python") text = text.replace(/[jJ]$/, "").replace(/[lL]$/, "");
  else text = text.replace(/n$/, ""); // BigInt
  if (language !== "python" && /^0\d/.test(text)) return null; // a legacy octal literal
  const n = Number(text);
  return Number.isNaN(n) ? null : n;
}

// A literal whose value a comparison can know: a number, a plain string (no escapes, no interpolation, no
// prefix), or a singleton (None/True/False, null/undefined/true/false).
type Literal = { kind: "number"; value: number } | { kind: "string"; value: string } | { kind: "singleton"; value: string };
function literalValue(node: Node | null, language: LanguageId): Literal | null {
  if (!node) return null;
  if (node.type === "parenthesized_expression" && node.namedChildCount === 1) return literalValue(node.namedChild(0), language);
  const n = numberLiteral(node, language);
  if (n !== null) return { kind: "number", value: n };
  const t = node.type;
  if (t === "none" || t === "true" || t === "false" || t === "null" || t === "undefined" || (t === "identifier" && node.text === "undefined")) return { kind: "singleton", value: node.text };
  if (t === "string") {
    const m = language === "python" ? /^(["'])([^"'\\\n{}]*)\1$/.exec(node.text) : isEcmascript(language) ? /^(["'])([^"'\\\n]*)\1$/.exec(node.text) : null;
    return m ? { kind: "string", value: m[2] as string } : null;
  }
  return null;
}

// Does running `node` never reach the statement after it? A terminator, a block holding one, an `if` whose taken
// branch (constant condition) or every branch (a final else included) does not return, `while True` without a
// `break` inside, a `do` whose body does not return, Python's `assert False`.
function neverFallsThrough(node: Node, language: LanguageId): boolean {
  if (isTerminator(node, language)) return true;
  const t = node.type;
  if (BLOCKS.has(t)) return node.namedChildren.some((c) => c !== null && !isComment(c, language) && neverFallsThrough(c, language));
  if (t === "expression_statement" && language !== "python") return false;
  if (t === "assert_statement") return constantTruth(node.namedChild(0), language) === false;
  if (t === "else_clause") {
    const body = node.childForFieldName("body") ?? node.namedChildren.find((c) => c !== null && !isComment(c, language)) ?? null;
    return body !== null && neverFallsThrough(body, language);
  }
  if (t === "if_statement" || t === "elif_clause") {
    const consequence = node.childForFieldName("consequence");
    const truth = constantTruth(node.childForFieldName("condition"), language);
    if (truth === true) return consequence !== null && neverFallsThrough(consequence, language);
    if (t === "elif_clause") return consequence !== null && neverFallsThrough(consequence, language);
    const branches = node.childrenForFieldName("alternative").filter((a): a is Node => a !== null);
    const hasElse = branches.some((b) => b.type === "else_clause");
    if (truth === false) return hasElse && branches.every((b) => neverFallsThrough(b, language));
    return consequence !== null && hasElse && neverFallsThrough(consequence, language) && branches.every((b) => neverFallsThrough(b, language));
  }
  if (t === "while_statement") {
    return constantTruth(node.childForFieldName("condition"), language) === true && node.descendantsOfType("break_statement").length === 0;
  }
  if (t === "try_statement") {
    // The body never completes and neither does any handler (then `else` never runs), or the finally block ends it.
    const body = node.childForFieldName("body");
    const handlers = node.namedChildren.filter((c): c is Node => c !== null && (c.type === "except_clause" || c.type === "except_group_clause" || c.type === "catch_clause"));
    const handled = node.childForFieldName("handler");
    if (handled && !handlers.includes(handled)) handlers.push(handled);
    const blockOf = (c: Node): Node | null => c.childForFieldName("body") ?? c.namedChildren.filter((x): x is Node => x !== null && BLOCKS.has(x.type)).pop() ?? null;
    const fin = node.childForFieldName("finalizer") ?? node.namedChildren.find((c) => c?.type === "finally_clause") ?? null;
    const finBlock = fin ? (fin.type === "finally_clause" ? blockOf(fin) : fin) : null;
    if (finBlock && neverFallsThrough(finBlock, language)) return true;
    // A body that cannot raise (`return None`, `return;`) leaves no handler a way to run.
    if (body !== null && neverFallsThrough(body, language) && cannotRaise(body, language)) return true;
    return body !== null && neverFallsThrough(body, language) && handlers.every((h) => {
      const b = blockOf(h);
      return b !== null && neverFallsThrough(b, language);
    });
  }
  // A `with` whose body returns without being able to raise: the context manager gets nothing to suppress.
  if (t === "with_statement") {
    const body = node.childForFieldName("body");
    return body !== null && neverFallsThrough(body, language) && cannotRaise(body, language);
  }
  // `match` with an arm that always matches (`case _:`, a bare capture, no guard), every arm ending.
  if (t === "match_statement") {
    const arms = (node.childForFieldName("body")?.namedChildren ?? []).filter((c): c is Node => c !== null && c.type === "case_clause");
    const catchAll = arms.some((a) => a.childForFieldName("guard") === null && a.namedChildren.some((p) => p?.type === "case_pattern" && /^(?:_|[A-Za-z_]\w*)?$/.test(p.text.trim()) && p.text.trim() !== ""));
    return catchAll && arms.every((a) => {
      const b = a.childForFieldName("consequence");
      return b !== null && neverFallsThrough(b, language);
    });
  }
  // `switch` with a `default`, no `break` anywhere in it, and a last arm that ends (earlier arms fall into it).
  if (t === "switch_statement") {
    const arms = (node.childForFieldName("body")?.namedChildren ?? []).filter((c): c is Node => c !== null && (c.type === "switch_case" || c.type === "switch_default"));
    const last = arms[arms.length - 1];
    if (!last || !arms.some((a) => a.type === "switch_default") || node.descendantsOfType("break_statement").length > 0) return false;
    return last.childrenForFieldName("body").some((s) => s !== null && !isComment(s, language) && neverFallsThrough(s, language));
  }
  // `for (;;)` (or a constant-true condition) without a `break`.
  if (t === "for_statement" && isEcmascript(language)) {
    const cond = node.childForFieldName("condition");
    const forever = !cond || cond.type === "empty_statement" || constantTruth(cond.type === "expression_statement" ? cond.namedChild(0) : cond, language) === true;
    return forever && node.descendantsOfType("break_statement").length === 0;
  }
  // A labeled statement ends when its body does and nothing breaks out of it.
  if (t === "labeled_statement") {
    const body = node.childForFieldName("body");
    return body !== null && neverFallsThrough(body, language) && node.descendantsOfType("break_statement").length === 0;
  }
  if (t === "do_statement") {
    const body = node.childForFieldName("body");
    return body !== null && neverFallsThrough(body, language);
  }
  return false;
}

// A block whose statements cannot raise: `pass`, empty statements, and returns of nothing or of a literal.
function cannotRaise(block: Node, language: LanguageId): boolean {
  return block.namedChildren.every((s) => {
    if (s === null || isComment(s, language) || s.type === "pass_statement" || s.type === "empty_statement") return true;
    if (s.type !== "return_statement") return false;
    const value = s.namedChildren.find((c) => c !== null && !isComment(c, language)) ?? null;
    return value === null || literalValue(value, language) !== null;
  });
}

// A loop over an empty literal never runs its body: Python `for _ in ():` / `[]` / `""`, JS `for (x of [])`.
function emptyLoop(node: Node, language: LanguageId): boolean {
  const t = node.type;
  if (!((language === "python" && t === "for_statement") || (isEcmascript(language) && t === "for_in_statement"))) return false;
  const over = node.childForFieldName("right");
  if (!over) return false;
  if (over.type === "array" || over.type === "list" || over.type === "tuple") return over.namedChildCount === 0;
  return language === "python" && over.type === "string" && /^(?:[rRbBuU]{0,2})?(""|'')$/.test(over.text);
}

const FUNCTION_SCOPES = new Set(["function_definition", "function_declaration", "function_expression", "function", "arrow_function", "method_definition", "generator_function_declaration", "generator_function"]);

// A function (or class: its methods) defined inside the body whose name is never used outside its own
// definition: it never runs.
function unusedNestedFunction(node: Node, text: string, region: Range): boolean {
  if (!(node.type === "function_definition" || node.type === "function_declaration" || node.type === "class_definition" || node.type === "class_declaration")) return false;
  if (node.parent?.type === "decorated_definition") return false; // decorators run, and may register it
  if (node.startIndex < region.start || node.endIndex > region.end) return false;
  // Only a function local to a function: a method (a class's `__reduce__`) or a module-level function is called
  // by protocols and importers that never write its name here.
  let up = node.parent;
  while (up && !FUNCTION_SCOPES.has(up.type)) {
    if (up.type.includes("class") || up.type === "module" || up.type === "program") return false;
    up = up.parent;
  }
  if (!up) return false;
  const name = node.childForFieldName("name")?.text;
  if (!name) return false;
  const word = new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`);
  return !word.test(text.slice(region.start, node.startIndex)) && !word.test(text.slice(node.endIndex, region.end));
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
          if (neverFallsThrough(child, language)) terminated = true;
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
      if (emptyLoop(node, language)) {
        const body = node.childForFieldName("body");
        const whole = language !== "python" || node.childForFieldName("alternative") === null;
        if (body) out.push(whole ? { start: node.startIndex, end: node.endIndex } : { start: body.startIndex, end: body.endIndex });
      }
      if (unusedNestedFunction(node, text, region)) out.push({ start: node.startIndex, end: node.endIndex });
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

// Dead code is not inert everywhere: in Python a `yield` anywhere in the body makes the function a generator (its
// body never runs when called), `global`/`nonlocal` apply to the whole function, and a name bound anywhere in it
// is local everywhere in it (`return os.sep` then a dead `os = None` raises UnboundLocalError); in JS/TS a dead
// `var`, `let`, `const` or class declaration shadows the outer name for the whole function or block. A
// description of the first such effect of the dead ranges on the live code of `region`, or null.
export function deadCodeScopeEffect(text: string, language: LanguageId, region: Range, dead: readonly Range[]): string | null {
  if (dead.length === 0 || !(language === "python" || isEcmascript(language))) return null;
  const live = withoutDeadCode(text, dead).slice(region.start, region.end);
  const inDead = (n: Node) => dead.some((r) => n.startIndex >= r.start && n.endIndex <= r.end);
  return withCachedTree(adapterFor(language).grammar, text, (tree) => {
    // Names already local without the dead code (bound by live code, or parameters) do not change scope.
    const local = new Set<string>();
    const deadBound: string[] = [];
    const stack: Node[] = [tree.rootNode];
    while (stack.length > 0) {
      const node = stack.pop() as Node;
      const ancestor = node.startIndex <= region.start && node.endIndex > region.start;
      if (ancestor) {
        const params = node.childForFieldName("parameters");
        if (params && params.endIndex <= region.start) for (const p of params.descendantsOfType("identifier")) if (p) local.add(p.text);
      }
      if (node.endIndex <= region.start || node.startIndex >= region.end) {
        if (ancestor) for (const c of node.children) if (c) stack.push(c);
        continue;
      }
      if (!insideNestedScope(node, region, language)) {
        const dead = inDead(node);
        if (dead && language === "python" && (node.type === "yield" || node.type === "global_statement" || node.type === "nonlocal_statement")) {
          return `unreachable code holds \`${node.text.split("\n")[0]}\`, which changes the whole function`;
        }
        if (node.type === "identifier" && isBinding(node, language)) {
          if (dead) deadBound.push(node.text);
          else local.add(node.text);
        }
      }
      for (const c of node.children) if (c) stack.push(c);
    }
    for (const name of deadBound) {
      if (local.has(name)) continue;
      const word = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, "\\$")}(?![\\w$])`);
      if (word.test(live)) return `unreachable code binds \`${name}\`, which makes the name used by the live code local to the function`;
    }
    return null;
  });
}

// Inside a function, lambda or class nested in the body (its names and yields are its own).
function insideNestedScope(node: Node, region: Range, language: LanguageId): boolean {
  const scopes = language === "python" ? PY_SCOPES : ES_SCOPES;
  for (let up = node.parent; up && up.startIndex >= region.start; up = up.parent) if (scopes.has(up.type)) return true;
  return false;
}
const PY_SCOPES = new Set(["function_definition", "lambda", "class_definition", "list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"]);
const ES_SCOPES = new Set(["function_declaration", "function_expression", "function", "arrow_function", "method_definition", "generator_function", "generator_function_declaration", "class_declaration", "class"]);

const PY_PATTERNS = new Set(["pattern_list", "tuple_pattern", "list_pattern", "list_splat_pattern", "parenthesized_expression", "expression_list", "tuple", "list"]);
const ES_PATTERNS = new Set(["array_pattern", "object_pattern", "shorthand_property_identifier_pattern", "pair_pattern", "assignment_pattern", "rest_pattern"]);

// Is this identifier a name the statement binds in the function's scope?
function isBinding(id: Node, language: LanguageId): boolean {
  let child: Node = id;
  let up = id.parent;
  const patterns = language === "python" ? PY_PATTERNS : ES_PATTERNS;
  while (up && patterns.has(up.type)) {
    child = up;
    up = up.parent;
  }
  if (!up) return false;
  const field = (name: string) => up?.childForFieldName(name)?.id === child.id;
  if (language === "python") {
    switch (up.type) {
      case "assignment":
      case "augmented_assignment":
      case "for_statement":
        return field("left");
      case "named_expression":
      case "function_definition":
      case "class_definition":
        return field("name");
      case "aliased_import":
        return field("alias");
      case "dotted_name":
        // `import os.path` binds `os`; `from x import y` binds `y` (a dotted_name of one identifier).
        return up.parent !== null && (up.parent.type === "import_statement" || (up.parent.type === "import_from_statement" && up.parent.childForFieldName("module_name")?.id !== up.id)) && up.namedChild(0)?.id === child.id;
      case "delete_statement":
      case "as_pattern_target":
        return true;
      default:
        return false;
    }
  }
  if (up.type === "variable_declarator") return field("name");
  if (up.type === "class_declaration") return field("name");
  return false;
}
