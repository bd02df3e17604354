import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveHostPath } from "./host-path.js";
import { makeTempDir } from "./test-support.js";

describe("resolveHostPath", () => {
  const tmp = makeTempDir("hgym-hostpath-");
  afterAll(() => tmp.cleanup());
  const ws = path.join(tmp.dir, "ws");
  const outside = path.join(tmp.dir, "outside");
  mkdirSync(path.join(ws, "src"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(outside, "secret.txt"), "secret");
  writeFileSync(path.join(ws, "src", "a.py"), "x = 1\n");
  symlinkSync(path.join(outside, "secret.txt"), path.join(ws, "leak.txt"));
  symlinkSync(outside, path.join(ws, "leakdir"));
  symlinkSync(path.join(outside, "missing.txt"), path.join(ws, "dangling.txt"));
  symlinkSync("src/a.py", path.join(ws, "inside-link.py"));
  const real = realpathSync(ws);
  const map = (p: string) => resolveHostPath(real, "/workspace/demo", p);

  it("maps absolute sandbox paths, relative paths and not-yet-existing files into the workspace", () => {
    expect(map("/workspace/demo/src/a.py")).toBe(path.join(real, "src", "a.py"));
    expect(map("src/a.py")).toBe(path.join(real, "src", "a.py"));
    expect(map("/workspace/demo")).toBe(real);
    expect(map("new/dir/file.txt")).toBe(path.join(real, "new", "dir", "file.txt"));
    expect(map("inside-link.py")).toBe(path.join(real, "src", "a.py"));
  });

  it("rejects paths outside the workspace, by .. or by symlink", () => {
    expect(map("/etc/passwd")).toBeNull();
    expect(map("/workspace/demo/../other/x")).toBeNull();
    expect(map("../outside/secret.txt")).toBeNull();
    expect(map("/workspace/demoX/a")).toBeNull();
    expect(map("leak.txt")).toBeNull();
    expect(map("leakdir/secret.txt")).toBeNull();
    expect(map("leakdir/new-file.txt")).toBeNull();
    expect(map("dangling.txt")).toBeNull();
  });
});
