// The dep-search user message (our own wording): the target's place and name, the exact dependency rule, and the
// annotation to write. The rule is the one dependencies.ts applies (docs/DESIGN.md §3): nested definitions the target
// calls are dependencies, recursion is not, overload signatures stand for their implementation. Targets with a
// call whose callee cannot be named statically are never generated, so the rule need not say how to treat them.

import type { LanguageId } from "../../lang/types.js";
import { annotationText } from "./annotations.js";

export function depSearchInstruction(target: { file: string; line: number; name: string; key: string }, language: LanguageId): string {
  const n = "`" + target.name + "`";
  const qualified = target.key.replace(/#\d+$/, "");
  const where = qualified !== target.name ? ` (\`${qualified}\`)` : "";
  return [
    `Look at the function ${n}${where} defined at line ${target.line} of \`${target.file}\`.`,
    "",
    `Find every function, method or class defined in this repository that ${n} calls directly. The rules:`,
    `- A call counts when it is written inside the body of ${n}, including inside functions, lambdas and comprehensions nested in it.`,
    `- Calls in the decorators of ${n} and in the default values of its parameters do not count.`,
    "- Creating an instance of a class (`Foo(...)` or `new Foo(...)`) counts as calling the class.",
    "- `self.m()`, `this.m()` and `super().m()` count as calling the method `m` that actually runs.",
    `- A function or class defined inside ${n} counts when ${n} (or something nested in it) calls it. A recursive call to ${n} itself does not count.`,
    "- An overload signature (`@overload` in Python, a bodiless signature in TypeScript) is never the callee: the implementation is, and that is the definition to mark.",
    "- Only definitions in this repository count: the standard library, built-ins and installed packages do not.",
    "",
    "Mark each dependency by adding this comment on its own line directly above its definition (above its decorators, if it has any):",
    "",
    annotationText(language, target.name),
    "",
    "Mark each dependency exactly once and mark nothing else. Do not change any code and do not create, delete or rename files.",
  ].join("\n");
}
