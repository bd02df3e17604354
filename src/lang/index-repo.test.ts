import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { RepoView } from "../core/repo-view.js";
import { indexRepo, readIndexJsonl, writeIndexJsonl, type SourceFile } from "./index.js";
import { sharedIndexPool } from "./index-pool.js";

const stdlib = execFileSync("python3", ["-c", 'import sysconfig;print(sysconfig.get_paths()["stdlib"])'], { encoding: "utf8" }).trim();

// A real package (the stdlib's json and email packages) plus TS/JS fixtures and files we do not index.
function corpus(): SourceFile[] {
  const files: SourceFile[] = [];
  for (const pkg of ["json", "email"]) {
    for (const name of readdirSync(join(stdlib, pkg)).sort()) {
      if (name.endsWith(".py")) files.push({ path: `${pkg}/${name}`, text: readFileSync(join(stdlib, pkg, name), "utf8") });
    }
  }
  for (let i = 0; i < 20; i++) {
    files.push({ path: `web/mod${i}.ts`, text: `/** Doc ${i}. */\nexport function f${i}(x: number) { return g${i}(x) + new C${i}(); }\n` });
    files.push({ path: `web/app${i}.js`, text: `const m = require("./m${i}");\nclass A${i} { m() { return m.run(); } }\n` });
  }
  files.push({ path: "web/broken.ts", text: "function broken( {\n" });
  files.push({ path: "README.md", text: "# not code\n" });
  return files;
}

const tmp = mkdtempSync(join(tmpdir(), "hgym-lang-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("indexRepo", () => {
  it("the worker pool gives exactly the single-threaded result", async () => {
    const files = corpus();
    const single = await indexRepo(files, { workers: 0 });
    const pooled = await indexRepo(files, { workers: 2 });
    expect(pooled.files.length).toBe(files.length - 1);
    expect(JSON.stringify(pooled.files)).toBe(JSON.stringify(single.files));
    expect(pooled.stats).toEqual(single.stats);
    expect(single.stats.skipped).toBe(1);
    const ts = single.stats.byLanguage.typescript;
    expect(ts?.files).toBe(21);
    expect(ts?.definitions).toEqual({ function: 20 });
    expect(ts?.documented).toBe(20);
    expect(ts?.callSites).toBe(40);
    expect(ts?.filesWithErrors).toBe(1);
    expect(single.stats.byLanguage.javascript?.definitions).toEqual({ class: 20, method: 20 });
    expect(single.stats.byLanguage.python?.definitionsTotal).toBeGreaterThan(100);
    // Streaming JSON lines without keeping the objects gives the same bytes, from the same (warm) workers.
    const started = sharedIndexPool().workersStarted;
    const lines: string[] = [];
    const streamed = await indexRepo(files, { workers: 2, keepFiles: false, onFileJson: (json) => lines.push(json) });
    expect(sharedIndexPool().workersStarted).toBe(started);
    expect(streamed.files).toEqual([]);
    expect(lines).toEqual(single.files.map((f) => JSON.stringify(f)));
    expect(streamed.stats).toEqual(single.stats);
    // A failing consumer fails the run instead of crashing the process.
    const failing = indexRepo(files, { workers: 2, onFile: () => { throw new Error("consumer failed"); } });
    await expect(failing).rejects.toThrow("consumer failed");
    // The failed run stopped its workers; the next run starts fresh ones and gets the same result.
    const again = await indexRepo(files, { workers: 2 });
    expect(JSON.stringify(again.files)).toBe(JSON.stringify(single.files));
    expect(sharedIndexPool().workersStarted).toBe(started + 2);
  });

  it("indexes a RepoView, filters by language, and round-trips through JSONL", async () => {
    const files = new Map(corpus().map((f) => [f.path, f.text]));
    const view: RepoView = { paths: () => [...files.keys()].sort(), read: (p) => files.get(p) ?? null };
    const seen: string[] = [];
    const index = await indexRepo(view, { language: "python", onFile: (f) => seen.push(f.path) });
    expect(index.files.every((f) => f.language === "python")).toBe(true);
    expect(seen).toEqual(index.files.map((f) => f.path));
    expect(index.stats.skipped).toBe(42);
    const out = join(tmp, "index.jsonl");
    await writeIndexJsonl(index, out);
    expect(readFileSync(out, "utf8").split("\n").length).toBe(index.files.length + 1);
    const back = readIndexJsonl(out);
    expect(back.files).toEqual(index.files);
    expect(back.stats.byLanguage).toEqual(index.stats.byLanguage);
  });

  it("finds the expected qualified names in the real json/decoder.py", async () => {
    const index = await indexRepo([{ path: "json/decoder.py", text: readFileSync(join(stdlib, "json", "decoder.py"), "utf8") }]);
    const file = index.files[0];
    const names = file?.definitions.map((d) => d.qualifiedName) ?? [];
    expect(names).toContain("json/decoder.py::JSONDecoder");
    expect(names).toContain("json/decoder.py::JSONDecoder.__init__");
    expect(names).toContain("json/decoder.py::JSONDecoder.decode");
    expect(names).toContain("json/decoder.py::JSONDecoder.raw_decode");
    expect(names).toContain("json/decoder.py::JSONDecodeError.__init__");
    expect(names).toContain("json/decoder.py::py_scanstring");
    const rawDecode = file?.definitions.find((d) => d.key === "JSONDecoder.raw_decode");
    expect(rawDecode?.kind).toBe("method");
    expect(rawDecode?.docstring?.text).toMatch(/^Decode a JSON document from ``s``/);
    expect(rawDecode?.calls.map((c) => c.name)).toContain("scan_once");
    const decode = file?.definitions.find((d) => d.key === "JSONDecoder.decode");
    expect(decode?.calls.map((c) => c.callee)).toContain("self.raw_decode");
    expect(file?.imports.map((i) => i.module)).toContain("json");
    expect(file?.hasErrors).toBe(false);
  });
});
