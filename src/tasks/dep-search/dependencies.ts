// Ground truth for dep-search: which repository definitions a target calls directly. Call sites come from the
// code index; what each call runs comes from the language's analyzer (a CallResolver), never from name matching.
// This file maps resolver answers back onto index definitions and applies the dependency rule of DESIGN.md §3.

import type { CallSite, Definition, FileIndex } from "../../lang/types.js";
import type { ResolveResult } from "../../resolve/types.js";

export interface RepoDefinitions {
  byFile: Map<string, Definition[]>;
  names: Set<string>; // every definition name in the repository (for the ambiguity rule)
}

export function repoDefinitions(index: FileIndex[]): RepoDefinitions {
  const byFile = new Map<string, Definition[]>();
  const names = new Set<string>();
  for (const f of index) {
    byFile.set(f.path, f.definitions);
    for (const d of f.definitions) names.add(d.name);
  }
  return { byFile, names };
}

// The definition a resolved location points at: the one whose name identifier contains it, else the one whose
// span starts there.
export function definitionAt(defs: Definition[] | undefined, line: number, column: number): Definition | null {
  if (!defs) return null;
  for (const d of defs) {
    const n = d.nameSpan;
    if (n.start.line === line && n.start.column <= column && column <= n.end.column) return d;
  }
  for (const d of defs) if (d.span.start.line === line && d.span.start.column === column) return d;
  return null;
}

// The calls that belong to the target for dep-search: those inside its body (so decorators and parameter
// defaults are out), nested definitions, lambdas and comprehensions included.
export function bodyCalls(def: Definition): CallSite[] {
  const body = def.bodySpan;
  if (!body) return [];
  return def.calls.filter((c) => c.span.startOffset >= body.startOffset && c.span.endOffset <= body.endOffset);
}

export type DependencyOutcome = { ok: true; deps: { file: string; def: Definition }[] } | { ok: false; reason: string };

// Applies the dependency rule to one target given the resolver's answer for each of its body calls (same order).
export function dependenciesOf(
  target: { file: string; def: Definition },
  calls: CallSite[],
  results: ResolveResult[],
  repo: RepoDefinitions,
): DependencyOutcome {
  const deps = new Map<string, { file: string; def: Definition }>();
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i] as CallSite;
    const res = results[i];
    const ambiguous = () => call.name !== "" && repo.names.has(call.name);
    if (!res || res.status === "unresolved") {
      // Builtins and library calls the analyzer cannot place are fine, unless the name could be ours.
      if (ambiguous()) return { ok: false, reason: "ambiguous-call" };
      continue;
    }
    const found = new Map<string, { file: string; def: Definition }>();
    let external = false;
    let unmapped = false;
    for (const loc of res.targets) {
      if (!loc.inRepo) {
        external = true;
        continue;
      }
      const def = definitionAt(repo.byFile.get(loc.file), loc.line, loc.column);
      if (!def) {
        unmapped = true;
        continue;
      }
      const callee = calleeDefinition(def, call, repo.byFile.get(loc.file) ?? []);
      found.set(`${loc.file}::${callee.key}`, { file: loc.file, def: callee });
    }
    if (found.size + (external ? 1 : 0) > 1) return { ok: false, reason: "ambiguous-call" };
    if (unmapped && found.size === 0) {
      // The analyzer stopped at something that is not a definition we know (a variable holding a function).
      if (ambiguous()) return { ok: false, reason: "ambiguous-call" };
      continue;
    }
    for (const [k, v] of found) {
      if (v.file === target.file && v.def.key === target.def.key) continue; // recursion
      if (v.file === target.file && isInside(v.def, target.def)) continue; // defined inside the target itself
      deps.set(k, v);
    }
  }
  return { ok: true, deps: [...deps.values()] };
}

// `Foo()` resolved to Foo.__init__ (or a TS constructor) means the class is the dependency.
function calleeDefinition(def: Definition, call: CallSite, fileDefs: Definition[]): Definition {
  const isInit = def.kind === "constructor" || ((def.kind === "method" || def.kind === "async_method") && def.name === "__init__");
  if (isInit && call.name !== def.name && def.parent) {
    const cls = fileDefs.find((d) => d.key === def.parent);
    if (cls && cls.kind === "class") return cls;
  }
  return def;
}

function isInside(inner: Definition, outer: Definition): boolean {
  return inner !== outer && inner.span.startOffset >= outer.span.startOffset && inner.span.endOffset <= outer.span.endOffset;
}
