// The Go adapter's doc comments agree with go/ast's on real code: for every top-level function, method and type of
// a few hundred standard-library files, the docstring the index finds (or its absence) is the comment group
// go/parser attaches, with the same text as CommentGroup.Text. Asked of the Go front end (native/go-frontend).

import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GoFrontend } from "./frontend/go.js";
import { indexFileSync, initLanguages } from "./index.js";

const STD = "/usr/lib/go-1.19/src";
const PACKAGES = ["strings", "bytes", "bufio", "sort", "fmt", "io", "os", "net/http", "go/ast", "go/parser", "encoding/json", "text/template", "sync", "time", "runtime"];
const frontend = new GoFrontend();

beforeAll(async () => {
  await initLanguages(["go"]);
  await frontend.version();
}, 300_000);

afterAll(() => frontend.close());

describe("Go doc comments agree with go/ast", () => {
  it("on the standard library", async () => {
    const mismatches: string[] = [];
    let compared = 0;
    let documented = 0;
    for (const pkg of PACKAGES) {
      for (const name of readdirSync(join(STD, pkg)).filter((n) => n.endsWith(".go")).sort()) {
        const path = `${pkg}/${name}`;
        const text = readFileSync(join(STD, path), "utf8");
        const index = indexFileSync(path, text);
        if (index.hasErrors) continue;
        const ours = new Map<string, string | null>();
        for (const d of index.definitions) {
          if (d.isNested || !["function", "method", "struct", "interface", "class"].includes(d.kind)) continue;
          ours.set(`${d.qualname}@${d.nameSpan.start.line}`, d.docstring ? d.docstring.text : null);
        }
        for (const g of await frontend.docs(path, text)) {
          const key = `${g.name}@${g.line}`;
          compared++;
          if (g.doc !== null) documented++;
          if (!ours.has(key)) mismatches.push(`${path}: ${key} not indexed`);
          else if (ours.get(key) !== g.doc) mismatches.push(`${path}: ${key}: ours ${JSON.stringify(ours.get(key))} vs go/ast ${JSON.stringify(g.doc)}`);
        }
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(compared).toBeGreaterThan(3000);
    expect(documented).toBeGreaterThan(1500);
  }, 300_000);
});
