import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileEditor } from "./editor.js";
import { makeWorkspace, type TestWorkspace } from "./test-support/workspace.js";

const WS = "/workspace/demo";

describe("FileEditor on a real workspace", () => {
  let ws: TestWorkspace;
  let outside: string;
  let editor: FileEditor;

  beforeAll(async () => {
    ws = await makeWorkspace({
      "pkg/util.py": "def a():\n    return 1\n\n\ndef b():\n    return 1\n",
      "pkg/sub/deep/too_deep.py": "x = 1\n",
      "README.md": "hello\n",
      ".hidden/secret.txt": "s\n",
      "long.txt": Array.from({ length: 5000 }, (_, i) => `line number ${i + 1}`).join("\n") + "\n",
    });
    outside = mkdtempSync(path.join(os.tmpdir(), "hgym-outside-"));
    writeFileSync(path.join(outside, "host.txt"), "host secret\n");
    symlinkSync(outside, path.join(ws.dir, "escape"));
    symlinkSync(path.join(outside, "host.txt"), path.join(ws.dir, "escape-file.txt"));
    editor = new FileEditor(ws.episode, { maxViewChars: 4000 });
  });

  afterAll(async () => {
    await ws.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  const read = (rel: string): string => readFileSync(path.join(ws.dir, rel), "utf8");

  it("views a file with cat -n style numbers, absolute or relative path", async () => {
    const r = await editor.run({ command: "view", path: `${WS}/pkg/util.py` });
    expect(r.error).toBe(false);
    expect(r.output).toContain("     1\tdef a():\n     2\t    return 1\n     3\t\n");
    expect(r.output).toContain("     6\t    return 1");
    const rel = await editor.run({ command: "view", path: "pkg/util.py" });
    expect(rel.output).toBe(r.output);
  });

  it("supports view_range with -1 for the end and rejects bad ranges", async () => {
    const r = await editor.run({ command: "view", path: "pkg/util.py", view_range: [5, -1] });
    expect(r.error).toBe(false);
    expect(r.output).toContain("     5\tdef b():\n     6\t    return 1");
    expect(r.output).not.toContain("def a()");
    const bad = await editor.run({ command: "view", path: "pkg/util.py", view_range: [3, 99] });
    expect(bad.error).toBe(true);
    expect(bad.output).toContain("6 lines");
    const backwards = await editor.run({ command: "view", path: "pkg/util.py", view_range: [4, 2] });
    expect(backwards.error).toBe(true);
    const one = await editor.run({ command: "view", path: "pkg/util.py", view_range: [4] });
    expect(one.error).toBe(true);
  });

  it("lists a directory two levels deep without hidden entries", async () => {
    const r = await editor.run({ command: "view", path: WS });
    expect(r.error).toBe(false);
    expect(r.output).toContain(`${WS}/pkg/\n`);
    expect(r.output).toContain(`${WS}/pkg/util.py`);
    expect(r.output).toContain(`${WS}/pkg/sub/`);
    expect(r.output).not.toContain("deep/"); // third level
    expect(r.output).not.toContain(".hidden");
    expect(r.output).not.toContain(".git");
  });

  it("cuts long files in the middle and points to view_range", async () => {
    const r = await editor.run({ command: "view", path: "long.txt" });
    expect(r.output.length).toBeLessThanOrEqual(4000);
    expect(r.output).toContain("line number 1\n");
    expect(r.output).toContain("line number 5000");
    expect(r.output).not.toContain("line number 2500\n");
    expect(r.output).toContain("view_range");
  });

  it("refuses paths outside the workspace, including through symlinks", async () => {
    for (const p of ["/etc/passwd", "../outside.txt", `${WS}/escape/host.txt`, "escape-file.txt"]) {
      const r = await editor.run({ command: "view", path: p });
      expect(r.error, p).toBe(true);
      expect(r.output, p).toContain("outside the workspace");
    }
    const w = await editor.run({ command: "create", path: "escape/new.txt", file_text: "x" });
    expect(w.output).toContain("outside the workspace");
    expect(existsSync(path.join(outside, "new.txt"))).toBe(false);
  });

  it("creates files (with parent directories) but never overwrites", async () => {
    const r = await editor.run({ command: "create", path: "new/dir/file.py", file_text: "print(1)\n" });
    expect(r.error).toBe(false);
    expect(read("new/dir/file.py")).toBe("print(1)\n");
    const again = await editor.run({ command: "create", path: "new/dir/file.py", file_text: "other\n" });
    expect(again.error).toBe(true);
    expect(again.output).toContain("already exists");
    expect(read("new/dir/file.py")).toBe("print(1)\n");
    const missing = await editor.run({ command: "create", path: "new/x.py" });
    expect(missing.error).toBe(true);
    expect(missing.output).toContain("file_text");
    // undo of a create removes the file
    const undo = await editor.run({ command: "undo_edit", path: "new/dir/file.py" });
    expect(undo.error).toBe(false);
    expect(existsSync(path.join(ws.dir, "new/dir/file.py"))).toBe(false);
  });

  it("str_replace: exactly one match, otherwise a clear error with every line number", async () => {
    const none = await editor.run({ command: "str_replace", path: "pkg/util.py", old_str: "return 2", new_str: "x" });
    expect(none.error).toBe(true);
    expect(none.output).toContain("does not occur");
    const many = await editor.run({ command: "str_replace", path: "pkg/util.py", old_str: "    return 1", new_str: "    return 3" });
    expect(many.error).toBe(true);
    expect(many.output).toContain("2 times");
    expect(many.output).toContain("lines 2, 6");
    expect(read("pkg/util.py")).toBe("def a():\n    return 1\n\n\ndef b():\n    return 1\n");

    const ok = await editor.run({ command: "str_replace", path: "pkg/util.py", old_str: "def b():\n    return 1", new_str: 'def b():\n    """Doc."""\n    return 1' });
    expect(ok.error).toBe(false);
    expect(ok.output).toContain('     6\t    """Doc."""');
    expect(read("pkg/util.py")).toBe('def a():\n    return 1\n\n\ndef b():\n    """Doc."""\n    return 1\n');
    const same = await editor.run({ command: "str_replace", path: "pkg/util.py", old_str: "def a", new_str: "def a" });
    expect(same.error).toBe(true);
    const noOld = await editor.run({ command: "str_replace", path: "pkg/util.py", new_str: "x" });
    expect(noOld.error).toBe(true);
    expect(noOld.output).toContain("old_str");
  });

  it("insert after a line (0 = top) and validates insert_line", async () => {
    const top = await editor.run({ command: "insert", path: "README.md", insert_line: 0, new_str: "# Title\n" });
    expect(top.error).toBe(false);
    expect(read("README.md")).toBe("# Title\nhello\n");
    const end = await editor.run({ command: "insert", path: "README.md", insert_line: 2, new_str: "bye" });
    expect(end.error).toBe(false);
    expect(read("README.md")).toBe("# Title\nhello\nbye\n");
    const bad = await editor.run({ command: "insert", path: "README.md", insert_line: 9, new_str: "x" });
    expect(bad.error).toBe(true);
    expect(bad.output).toContain("valid: 0-3");
    const noLine = await editor.run({ command: "insert", path: "README.md", new_str: "x" });
    expect(noLine.error).toBe(true);
  });

  it("undo_edit restores previous contents per file, step by step", async () => {
    writeFileSync(path.join(ws.dir, "u.txt"), "one\n");
    await editor.run({ command: "str_replace", path: "u.txt", old_str: "one", new_str: "two" });
    await editor.run({ command: "str_replace", path: "u.txt", old_str: "two", new_str: "three" });
    await editor.run({ command: "insert", path: "README.md", insert_line: 0, new_str: "other file" });
    expect(read("u.txt")).toBe("three\n");
    expect((await editor.run({ command: "undo_edit", path: "u.txt" })).error).toBe(false);
    expect(read("u.txt")).toBe("two\n");
    await editor.run({ command: "undo_edit", path: "u.txt" });
    expect(read("u.txt")).toBe("one\n");
    const nothing = await editor.run({ command: "undo_edit", path: "u.txt" });
    expect(nothing.error).toBe(true);
    expect(nothing.output).toContain("no edit");
    expect(read("README.md").startsWith("other file\n")).toBe(true);
  });

  it("reports missing files, directories and binaries as observations", async () => {
    const missing = await editor.run({ command: "view", path: "nope.py" });
    expect(missing).toEqual({ error: true, output: expect.stringContaining("does not exist") });
    const dir = await editor.run({ command: "str_replace", path: "pkg", old_str: "a", new_str: "b" });
    expect(dir.error).toBe(true);
    expect(dir.output).toContain("is a directory");
    writeFileSync(path.join(ws.dir, "bin.dat"), Buffer.from([0, 1, 2, 3]));
    const bin = await editor.run({ command: "view", path: "bin.dat" });
    expect(bin.error).toBe(true);
    expect(bin.output).toContain("binary");
  });
});
