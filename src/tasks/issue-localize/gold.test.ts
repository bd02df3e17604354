// The gold's entity rule and the verifier's comment rule on small real Python and TypeScript files: inserted lines
// belong to the definition holding them after the patch (mapped back), removed lines to the one holding them
// before, comments to the definition they document; non-code files are recorded apart; the hacks are real.

import { describe, it, expect, beforeAll } from "vitest";
import { ensureLanguages, compareTrees, hasSyntaxErrors } from "../common/code.js";
import { makeFilePatch } from "../../patch/make.js";
import { resultFromPatch } from "../common/workspace.js";
import type { Instance } from "../types.js";
import type { RepoView } from "../../core/repo-view.js";
import { computeGold, type ComputedGold } from "./gold.js";
import { newComments } from "./comment-locations.js";
import { planIssueLocalizeHacks } from "./hacks.js";
import { verifyIssueLocalize } from "./verify.js";
import { DEFAULT_CRITERION, DEFAULT_LINE_TOLERANCE, type IssueLocalizeGold } from "./types.js";

function view(files: Record<string, string>): RepoView {
  return { paths: () => Object.keys(files).sort(), read: (p) => files[p] ?? null };
}

function goldOf(files: Record<string, string>, after: Record<string, string>): ComputedGold {
  const patch = Object.entries(after)
    .map(([p, t]) => makeFilePatch(p, files[p] ?? null, t))
    .join("");
  const g = computeGold(patch, view(files));
  if ("reason" in g) throw new Error(g.reason);
  return g;
}

const SHAPES = `class Shape:
    def area(self):
        return 0


class Square(Shape):
    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side * self.side


def total(shapes):
    return sum(s.area() for s in shapes)
`;

beforeAll(async () => {
  await ensureLanguages();
});

describe("gold entities", () => {
  it("a method appended to a class credits the class, not <module> or the method above", async () => {
    const after = SHAPES.replace("        return self.side * self.side\n", "        return self.side * self.side\n\n    def perimeter(self):\n        return 4 * self.side\n");
    const gold = goldOf({ "s.py": SHAPES }, { "s.py": after });
    expect(gold.entities).toEqual(["s.py::Square"]);
    // The gold patch is graded by the same rule: its comment sits where it credits the class.
    const files = { "s.py": SHAPES, "other.py": "x = 1\n" };
    const reward = await verifyIssueLocalize(instance(files, gold), resultFromPatch(view(files), gold.patch));
    expect(reward.violations).toEqual([]);
    expect(reward.metrics.entity_precision).toBe(1);
  });

  it("a new top-level function credits <module>; a class inserted above another does not credit the other", () => {
    const fn = SHAPES.replace("def total(shapes):", "def largest(shapes):\n    return max(shapes, key=lambda s: s.area())\n\n\ndef total(shapes):");
    expect(goldOf({ "s.py": SHAPES }, { "s.py": fn }).entities).toEqual(["s.py::<module>"]);
    const cls = SHAPES.replace("class Square(Shape):", "class Circle(Shape):\n    def __init__(self, r):\n        self.r = r\n\n\nclass Square(Shape):");
    expect(goldOf({ "s.py": SHAPES }, { "s.py": cls }).entities).toEqual(["s.py::<module>"]);
  });

  it("removed and modified lines credit the definition holding them before the fix; a renamed function maps to its old name", () => {
    const mod = SHAPES.replace("        return self.side * self.side", "        return self.side ** 2");
    expect(goldOf({ "s.py": SHAPES }, { "s.py": mod }).entities).toEqual(["s.py::Square.area"]);
    const renamed = SHAPES.replace("def total(shapes):", "def total_area(shapes):");
    expect(goldOf({ "s.py": SHAPES }, { "s.py": renamed }).entities).toEqual(["s.py::total"]);
    const deleted = SHAPES.replace("    def area(self):\n        return 0\n", "    pass\n");
    expect(goldOf({ "s.py": SHAPES }, { "s.py": deleted }).entities).toEqual(["s.py::Shape", "s.py::Shape.area"]);
  });

  it("TypeScript: a method added to a class credits the class; a new exported function credits <module>", () => {
    const ts = "export class Cart {\n  items: number[] = [];\n\n  add(n: number): void {\n    this.items.push(n);\n  }\n}\n";
    const method = ts.replace("    this.items.push(n);\n  }\n", "    this.items.push(n);\n  }\n\n  clear(): void {\n    this.items = [];\n  }\n");
    expect(goldOf({ "cart.ts": ts }, { "cart.ts": method }).entities).toEqual(["cart.ts::Cart"]);
    const fn = ts + "\nexport function empty(): Cart {\n  return new Cart();\n}\n";
    expect(goldOf({ "cart.ts": ts }, { "cart.ts": fn }).entities).toEqual(["cart.ts::<module>"]);
  });

  // click 4ffa1ef3 ("Correct click.edit typing"): a new `@t.overload def edit` inserted among the existing
  // overloads renumbers every later `edit` key (edit#2 -> edit#3 ...). Matching post-fix definitions to pre-fix
  // ones by key credited the untouched second overload; the fix's line alignment names the right ones.
  it("a new overload inserted among others credits <module>, not the untouched overload whose key it takes", () => {
    const before = [
      "import typing as t",
      "",
      "",
      "@t.overload",
      "def edit(",
      "    text: t.AnyStr,",
      "    editor: str | None = None,",
      ") -> t.AnyStr: ...",
      "",
      "",
      "@t.overload",
      "def edit(",
      "    text: None = None,",
      "    editor: str | None = None,",
      ") -> None: ...",
      "",
      "",
      "def edit(",
      "    text: t.AnyStr | None = None,",
      "    editor: str | None = None,",
      ") -> t.AnyStr | None:",
      "    return text",
      "",
    ].join("\n");
    const after = before
      .replace("    text: t.AnyStr,\n    editor: str | None = None,\n) -> t.AnyStr: ...", "    text: bytes,\n    editor: str | None = None,\n) -> bytes | None: ...\n\n\n@t.overload\ndef edit(\n    text: str,\n    editor: str | None = None,\n) -> str | None: ...")
      .replace("    text: t.AnyStr | None = None,", "    text: str | bytes | None = None,");
    expect(goldOf({ "termui.py": before }, { "termui.py": after }).entities).toEqual(["termui.py::<module>", "termui.py::edit", "termui.py::edit#3"]);
  });

  it("a method's signature rewritten into overload stubs plus a new signature is still that method", () => {
    const before = "class Editor:\n    def name(self):\n        return 1\n\n    def edit(self, text):\n        if not text:\n            return None\n        return text\n";
    const after = before.replace(
      "    def edit(self, text):\n        if not text:",
      "    @t.overload\n    def edit(self, text: bytes) -> bytes: ...\n\n    @t.overload\n    def edit(self, text: str) -> str: ...\n\n    def edit(self, text):\n        if text is None:",
    );
    expect(goldOf({ "e.py": before }, { "e.py": after }).entities).toEqual(["e.py::Editor", "e.py::Editor.edit"]);
  });

  // zod's schemas are overloaded functions (`export function string(params?: string): ZodString;` above the
  // implementation) and methods (`refine(...): ZodEffects<...>;` above `refine(...) {...}`). The index has no
  // entity for a signature alone, so a fix to an overload, or a JSDoc above the first one, fell to `<module>` or
  // the class, where a reader names the function.
  it("TypeScript overload signatures belong to the function or method they overload, for the gold and for comments", () => {
    const ts = [
      "/** A string schema. */",
      "export function string(params?: string): ZodString;",
      "export function string<T extends string>(params?: string): ZodType<T>;",
      "export function string(params?: any): any {",
      "  return new ZodString(params);",
      "}",
      "",
      "export class ZodType {",
      "  refine(check: (v: string) => boolean, message?: string): ZodType;",
      "  refine(check: (v: any) => unknown, message?: any): ZodType {",
      "    return this;",
      "  }",
      "}",
      "",
    ].join("\n");
    const sig = ts.replace("(params?: string): ZodString;", "(params?: string | StringParams): ZodString;");
    expect(goldOf({ "s.ts": ts }, { "s.ts": sig }).entities).toEqual(["s.ts::string"]);
    const method = ts.replace("message?: string): ZodType;", "message?: string | { message: string }): ZodType;");
    expect(goldOf({ "s.ts": ts }, { "s.ts": method }).entities).toEqual(["s.ts::ZodType.refine"]);
    const added = ts.replace("  refine(check: (v: any)", "  refine(check: (v: number) => boolean): ZodType;\n  refine(check: (v: any)");
    expect(goldOf({ "s.ts": ts }, { "s.ts": added }).entities).toEqual(["s.ts::ZodType.refine"]);
    expect(newComments("s.ts", ts, ts.replace("/** A string schema. */", "/** A string schema. */\n// the bug is here")).map((c) => c.entity)).toEqual(["s.ts::string"]);
    expect(newComments("s.ts", ts, ts.replace("  refine(check: (v: string)", "  // here\n  refine(check: (v: string)")).map((c) => c.entity)).toEqual(["s.ts::ZodType.refine"]);
  });

  it("zero-context hunks (git diff -U0) place their regions on the right lines", () => {
    const before = "def a():\n    return 1\n\n\ndef b():\n    return 2\n";
    // Two lines inserted after line 2 (the end of `a`); with no context git writes "@@ -2,0 +3,2 @@".
    const patch = "diff --git a/z.py b/z.py\n--- a/z.py\n+++ b/z.py\n@@ -2,0 +3,2 @@ def a():\n+    # unreachable\n+    return 3\n";
    const g = computeGold(patch, view({ "z.py": before }));
    if ("reason" in g) throw new Error(g.reason);
    expect(g.entities).toEqual(["z.py::a"]);
    expect(g.hunks).toEqual([{ file: "z.py", start: 3, end: 2 }]);
  });

  it("changelogs and docs are other_files, never gold files; tests are neither", () => {
    const mod = SHAPES.replace("        return 0", "        raise NotImplementedError");
    const g = goldOf(
      { "s.py": SHAPES, "CHANGES.md": "# Changes\n", "AUTHORS": "a\n", "tests/test_s.py": "x = 1\n" },
      { "s.py": mod, "CHANGES.md": "# Changes\n\n- fix area\n", "AUTHORS": "a\nb\n", "tests/test_s.py": "x = 2\n" },
    );
    expect(g.files).toEqual(["s.py"]);
    expect(g.other_files).toEqual(["AUTHORS", "CHANGES.md"]);
    expect(g.hunks.every((h) => h.file === "s.py")).toBe(true);
  });

  // click 3a3e0350 (default_map values split for multi-value parameters) also set an option in docs/conf.py
  // for its new docs page; hydra's fixes that add a page edit website/sidebars.js. That code is documentation.
  it("code in documentation folders (docs/conf.py, website/sidebars.js) is an other file, not gold", () => {
    const mod = SHAPES.replace("        return 0", "        raise NotImplementedError");
    const conf = 'project = "shapes"\nextensions = []\n';
    const sidebars = "module.exports = { docs: ['intro'] };\n";
    const g = goldOf(
      { "s.py": SHAPES, "docs/conf.py": conf, "website/sidebars.js": sidebars },
      { "s.py": mod, "docs/conf.py": conf + "myst_heading_anchors = 3\n", "website/sidebars.js": "module.exports = { docs: ['intro', 'shapes'] };\n" },
    );
    expect(g.files).toEqual(["s.py"]);
    expect(g.other_files).toEqual(["docs/conf.py", "website/sidebars.js"]);
    expect(g.entities).toEqual(["s.py::Shape.area"]);
  });
});

describe("one rule for gold and comments", () => {
  it("a comment above a definition documents it; a comment inside a body belongs to the innermost definition", () => {
    const above = SHAPES.replace("    def area(self):\n        return self.side", "    # wrong for squares\n    def area(self):\n        return self.side");
    expect(newComments("s.py", SHAPES, above).map((c) => c.entity)).toEqual(["s.py::Square.area"]);
    const inside = SHAPES.replace("        self.side = side", "        # not validated\n        self.side = side");
    expect(newComments("s.py", SHAPES, inside).map((c) => c.entity)).toEqual(["s.py::Square.__init__"]);
    const trailing = SHAPES.replace("        self.side = side", "        self.side = side  # not validated");
    expect(newComments("s.py", SHAPES, trailing).map((c) => c.entity)).toEqual(["s.py::Square.__init__"]);
    const top = "# about shapes\n" + SHAPES;
    expect(newComments("s.py", SHAPES, top).map((c) => c.entity)).toEqual(["s.py::Shape"]); // the file starts with a class
  });

  it("a fix that edits the comment above a definition credits that definition, as a comment there would", () => {
    const before = "# Sum of areas.\ndef total(shapes):\n    return 0\n";
    const after = "# Sum of the areas of all shapes.\ndef total(shapes):\n    return 0\n";
    expect(goldOf({ "t.py": before }, { "t.py": after }).entities).toEqual(["t.py::total"]);
  });
});

function instance(files: Record<string, string>, gold: ComputedGold): Instance<IssueLocalizeGold> {
  return {
    instance_id: "issue-localize/t",
    task: "issue-localize",
    language: "python",
    repo: { name: "t", commit: "0", source: "t", snapshot: "t" },
    setup_patch: "",
    instruction: "",
    gold: { ...gold, criterion: DEFAULT_CRITERION, line_tolerance: DEFAULT_LINE_TOLERANCE, fix_patch: "" },
    meta: { generator_version: "t", seed: 0, difficulty: {}, validity: { gold: false, null: false, hacks: {} } },
  };
}

describe("hacks are real before they are used", () => {
  it("the re-indented line skips lines whose re-indentation leaves the syntax tree unchanged", async () => {
    // The fix's first changed line is a continuation line inside brackets: re-indenting it is not a change.
    const text = "def pick(items):\n    chosen = sorted(\n        items,\n        key=len,\n    )\n    return chosen[0]\n\n\ndef other():\n    return 1\n\n\ndef third():\n    return 2\n";
    const after = text.replace("        key=len,", "        key=lambda s: (len(s), s),");
    const files = { "p.py": text, "q.py": "x = 1\n" };
    const gold = goldOf(files, { "p.py": after });
    const inst = instance(files, gold);
    const plan = planIssueLocalizeHacks(inst, view(files));
    const hack = plan.hacks.find((h) => h.name === "comments-plus-reindented-line");
    expect(hack, JSON.stringify(plan.skipped)).toBeDefined();
    const goldText = resultFromPatch(view(files), gold.patch).changes[0]?.after as string;
    const hacked = resultFromPatch(view(files), hack?.patch ?? "").changes.find((c) => c.path === "p.py")?.after as string;
    expect(hasSyntaxErrors("python", hacked) || !compareTrees("python", goldText, hacked).equal).toBe(true);
    const reward = await verifyIssueLocalize(inst, resultFromPatch(view(files), hack?.patch ?? ""));
    expect(reward.success).toBe(false);
    // The gold patch itself succeeds.
    expect((await verifyIssueLocalize(inst, resultFromPatch(view(files), gold.patch))).success).toBe(true);
  });

  // click e37cad2a (StreamMixer.__del__) and requests 3ff3ff21 (JSONDecodeError.__reduce__): a method appended to
  // a class that another top-level class follows. The gold comment goes above the class; the re-indented line is
  // the next class's header, which no longer compiles. The Python front end's region shortcut read the two
  // edits as one region ending in the re-indentation's spaces, parsed it alone, and called the file unchanged:
  // the hack scored success and the gate dropped a valid instance (the same hole accepted such edits from any
  // agent).
  it("a method appended above another class: the re-indented next class header fails, the instance is kept", async () => {
    const text = [
      "import io",
      "",
      "",
      "class Mixer:",
      "    def __init__(self):",
      "        self.output = io.BytesIO()",
      "        self.stdout = io.BytesIO()",
      "",
      "",
      "class Wrapper(io.TextIOWrapper):",
      "    def __init__(self, buffer):",
      "        super().__init__(buffer)",
      "",
    ].join("\n");
    const after = text.replace("        self.stdout = io.BytesIO()\n", "        self.stdout = io.BytesIO()\n\n    def __del__(self):\n        self.stdout.close()\n        self.output.close()\n");
    const files = { "m.py": text, "n.py": "x = 1\n" };
    const gold = goldOf(files, { "m.py": after });
    expect(gold.entities).toEqual(["m.py::Mixer"]);
    const inst = instance(files, gold);
    expect((await verifyIssueLocalize(inst, resultFromPatch(view(files), gold.patch))).success).toBe(true);
    const plan = planIssueLocalizeHacks(inst, view(files));
    const reindented = plan.hacks.find((h) => h.name === "comments-plus-reindented-line");
    expect(reindented?.patch).toContain("+    class Wrapper(io.TextIOWrapper):");
    for (const hack of plan.hacks) {
      const reward = await verifyIssueLocalize(inst, resultFromPatch(view(files), hack.patch));
      expect(reward.success, hack.name).toBe(false);
    }
    const broken = await verifyIssueLocalize(inst, resultFromPatch(view(files), reindented?.patch ?? ""));
    expect(broken.violations.map((v) => v.code)).toContain("parse-error");
  });

  it("top-of-file and blanket hacks are skipped, with a reason, when they would be correct answers", () => {
    const text = "def only(x):\n    return x\n";
    const files = { "o.py": text, "z.py": "y = 2\n" };
    const gold = goldOf(files, { "o.py": "def only(x):\n    return -x\n" });
    const plan = planIssueLocalizeHacks(instance(files, gold), view(files));
    expect(plan.skipped["comment-top-of-gold-files"]).toMatch(/gold location/);
    expect(plan.skipped["comment-above-every-definition"]).toMatch(/1 of the gold files' 1 definitions/);
    expect(plan.skipped["changelog-only"]).toMatch(/no non-code file/);
  });
});
