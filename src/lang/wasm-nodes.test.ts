import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Node } from "web-tree-sitter";
import { initLanguages, withTree } from "./parser.js";
import { ChildStack, descendantRecords, scratchRecord, type NodeRecords } from "./wasm-nodes.js";
import type { LanguageId } from "./types.js";

const stdlib = execFileSync("python3", ["-c", 'import sysconfig;print(sysconfig.get_paths()["stdlib"])'], { encoding: "utf8" }).trim();

beforeAll(async () => {
  await initLanguages(["python", "typescript"]);
});

// A record list holds the same nodes, in order, as a Node list.
function expectSameNodes(records: NodeRecords, nodes: (Node | null)[]): void {
  expect(records.count).toBe(nodes.length);
  nodes.forEach((node, j) => {
    expect(records.node(j).id).toBe(node?.id);
    expect(records.start(j)).toBe(node?.startIndex);
    expect(records.end(j)).toBe(node?.endIndex);
    expect(records.symbol(j)).toBe(node?.typeId);
  });
}

// Every accessor of the record view against web-tree-sitter's own Node API on the same tree.
function checkAgainstNodeApi(language: LanguageId, text: string, types: string[], fields: string[]): number {
  return withTree(language, text, (tree) => {
    const nodes: Node[] = tree.rootNode.descendantsOfType(types).filter((n): n is Node => n !== null);
    const records = descendantRecords(tree, tree.rootNode, types);
    expect(records.count).toBe(nodes.length);
    const child = scratchRecord(tree);
    nodes.forEach((node, i) => {
      expect(records.start(i)).toBe(node.startIndex);
      expect(records.end(i)).toBe(node.endIndex);
      expect(records.type(i)).toBe(node.type);
      expect(records.symbol(i)).toBe(node.typeId);
      expectSameNodes(records.namedChildren(i), node.namedChildren);
      for (let j = 0; j <= Math.min(3, node.namedChildCount); j++) {
        const expected = node.namedChild(j);
        expect(records.namedChild(i, j, child)).toBe(expected !== null);
        if (expected) expect([child.start(0), child.end(0), child.node(0).id]).toEqual([expected.startIndex, expected.endIndex, expected.id]);
      }
      const made = records.node(i);
      expect(made.id).toBe(node.id);
      expect(made.text).toBe(node.text);
      expect(made.startPosition).toEqual(node.startPosition);
      expect(made.namedChildCount).toBe(node.namedChildCount);
      expect(made.parent?.id).toBe(node.parent?.id);
      for (const field of fields) {
        const id = tree.language.fieldIdForName(field);
        const expected = id === null ? null : node.childForFieldId(id);
        const found = id !== null && records.fieldChild(i, id, child);
        expect(found).toBe(expected !== null);
        if (expected && found) {
          expect(child.start(0)).toBe(expected.startIndex);
          expect(child.end(0)).toBe(expected.endIndex);
          expect(child.type(0)).toBe(expected.type);
          expect(child.node(0).id).toBe(expected.id);
        }
      }
    });
    return nodes.length;
  });
}

describe("record access to tree-sitter nodes", () => {
  it("agrees with the Node API on a real Python module", () => {
    const text = readFileSync(join(stdlib, "json", "decoder.py"), "utf8");
    const n = checkAgainstNodeApi("python", text, ["call", "comment", "function_definition", "class_definition", "lambda", "attribute"], ["function", "attribute", "name", "body", "parameters"]);
    expect(n).toBeGreaterThan(100);
  });

  it("agrees on non-ASCII text, syntax errors and an ERROR type", () => {
    const text = "# é ü 🎉\ndef f(x=g('ü🎉')):\n    return h(x).y(  # ☃\n  )\nclass (:\n  z = lambda: k()\n";
    const n = checkAgainstNodeApi("python", text, ["call", "comment", "function_definition", "lambda", "attribute"], ["function", "attribute", "body", "name"]);
    expect(n).toBeGreaterThan(5);
    expect(checkAgainstNodeApi("python", text, ["ERROR"], ["body"])).toBeGreaterThan(0);
    // With other types, ERROR nodes come in document order among them (the library's own list matches only ERROR).
    withTree("python", text, (tree) => {
      const records = descendantRecords(tree, tree.rootNode, ["call", "ERROR"]);
      const types = Array.from({ length: records.count }, (_, i) => records.type(i));
      expect(types).toContain("ERROR");
      expect(types.filter((t) => t === "call").length).toBe(tree.rootNode.descendantsOfType("call").length);
    });
  });

  it("agrees on TypeScript", () => {
    const text = "/** Doc. */\nexport class A<T> { m(x: T) { return new B(x).c?.(d()); } }\nconst f = async () => g`t${h()}`;\n";
    const n = checkAgainstNodeApi("typescript", text, ["call_expression", "new_expression", "comment", "class_declaration", "method_definition", "arrow_function"], ["function", "constructor", "name", "body"]);
    expect(n).toBeGreaterThan(5);
  });

  it("walks a whole real module through ChildStack as the Node API does", () => {
    const text = readFileSync(join(stdlib, "argparse.py"), "utf8");
    withTree("python", text, (tree) => {
      // Depth first, as Python's indentation check walks: a node's children are pushed, visited, then dropped.
      const stack = new ChildStack(tree, tree.rootNode);
      expect(stack.symbol(0)).toBe(tree.rootNode.typeId);
      let visited = 0;
      const visit = (at: number, node: Node): void => {
        visited++;
        expect(stack.start(at)).toBe(node.startIndex);
        expect(stack.symbol(at)).toBe(node.typeId);
        const first = stack.length;
        const count = stack.pushNamedChildren(at);
        const children = node.namedChildren;
        expect(count).toBe(children.length);
        children.forEach((child, j) => visit(first + j, child as Node));
        expect(stack.length).toBe(first + count);
        stack.truncate(first);
      };
      visit(0, tree.rootNode);
      expect(visited).toBeGreaterThan(10_000);
    });
  });

  it("handles a tree with none of the types", () => {
    withTree("python", "x = 1\n", (tree) => {
      expect(descendantRecords(tree, tree.rootNode, ["call"]).count).toBe(0);
    });
  });
});
