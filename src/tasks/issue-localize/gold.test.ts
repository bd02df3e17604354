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
