// The agent gets the interpreters and their standard libraries, never what is installed on the host: a package put
// into the host's real site-packages (and global node_modules) for this test is neither importable nor readable.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BwrapSandbox } from "./bwrap.js";
import { makeTempDir, uniqueToken } from "./test-support.js";
import { extraToolPrefixes, hostPackageDirs, PYTHON_TEST_TOOLS } from "./toolchain.js";
import type { Episode } from "./types.js";

const sandbox = new BwrapSandbox();
const availability = await sandbox.available();
if (!availability.ok) console.warn(`skipping bwrap package-hiding tests: ${availability.reason}`);

function hostPython(code: string): { status: number | null; out: string } {
  const r = spawnSync("python3", ["-c", code], { encoding: "utf8" });
  return { status: r.status, out: r.stdout.trim() };
}

describe.skipIf(!availability.ok)("bwrap sandbox hides host packages", () => {
  const token = uniqueToken();
  const pyPkg = `hgym_probe_pkg_${token}`;
  const nodePkg = `hgym-probe-pkg-${token}`;
  const secret = `hgym-probe-secret-${token}`;
  const made: string[] = [];
  let sitePackages = "";
  let nodeGlobal: string | undefined;
  let tmp: ReturnType<typeof makeTempDir>;
  let ep: Episode;

  beforeAll(async () => {
    sitePackages = hostPython("import site; print(site.getsitepackages()[0])").out;
    mkdirSync(path.join(sitePackages, pyPkg));
    made.push(path.join(sitePackages, pyPkg));
    writeFileSync(path.join(sitePackages, pyPkg, "__init__.py"), `SECRET = "${secret}"\nprint(SECRET)\n`);
    nodeGlobal = hostPackageDirs().find((d) => d.keep.some((k) => path.basename(k) === "npm"))?.dir;
    if (nodeGlobal) {
      mkdirSync(path.join(nodeGlobal, nodePkg));
      made.push(path.join(nodeGlobal, nodePkg));
      writeFileSync(path.join(nodeGlobal, nodePkg, "index.js"), `module.exports = "${secret}";\n`);
    }
    tmp = makeTempDir("hgym-bwrap-pkg-test-");
    ep = await sandbox.start({ hostWorkspace: tmp.dir, workspacePath: "/workspace/p", limits: { commandTimeoutMs: 120_000 } });
  });
  afterAll(async () => {
    await ep?.close();
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
    tmp?.cleanup();
  });

  it("the probe package is importable and readable on the host (so the checks below can fail)", () => {
    expect(hostPython(`import ${pyPkg}`).out).toBe(secret);
    const grep = spawnSync("grep", ["-rlF", secret, path.join(sitePackages, pyPkg)], { encoding: "utf8" });
    expect(grep.stdout).toContain(pyPkg);
  });

  it("cannot import or find the host's packages inside", async () => {
    const imp = await ep.run(`python3 -c 'import ${pyPkg}'`);
    expect(imp.exitCode).not.toBe(0);
    expect(imp.output).toContain("ModuleNotFoundError");
    expect(imp.output).not.toContain(secret);
    if (hostPython("import click").status === 0) {
      const click = await ep.run("python3 -c 'import click'");
      expect(click.exitCode).not.toBe(0);
      expect(click.output).toContain("No module named 'click'");
    }
    // Every package directory python knows of holds at most pytest and what it needs.
    const dirs = await ep.run(`python3 -c 'import site; print("\\n".join(site.getsitepackages()))' | while read d; do ls -A "$d" 2>/dev/null; done; echo END`);
    const allowed = new RegExp(`^(${PYTHON_TEST_TOOLS.join("|")})([-_].*\\.(dist|egg)-info|\\.py)?$`, "i");
    const entries = dirs.output.trim().split("\n").slice(0, -1);
    expect(entries.filter((e) => !allowed.test(e))).toEqual([]);
    const byName = await ep.run(`find / -path /proc -prune -o -name '*hgym_probe*' -print -o -name '*hgym-probe*' -print 2>/dev/null; echo END`);
    expect(byName.output).toBe("END\n");
  });

  it("finds the secret nowhere in the interpreter prefixes, the python and node library dirs or /etc", async () => {
    const roots = [...new Set([...extraToolPrefixes().map((t) => t.prefix), "/usr/lib/python3", "/usr/local/lib", "/usr/lib/node_modules", "/etc"])]
      .filter((d) => existsSync(d))
      .join(" ");
    const r = await ep.run(`grep -rlF ${secret} ${roots} /usr/lib/python3.* 2>/dev/null; echo END`);
    expect(r.output).toBe("END\n");
    if (nodeGlobal) {
      const req = await ep.run(`node -e 'require("${path.join(nodeGlobal, nodePkg)}")'`);
      expect(req.exitCode).not.toBe(0);
      expect(req.output).toContain("Cannot find module");
    }
  });

  it("keeps the standard library, pytest, npm, and only the one interpreter version", async () => {
    const std = await ep.run(`python3 -c 'import json, sqlite3, ssl, venv, ctypes; print("stdlib ok")'`);
    expect(std.output).toBe("stdlib ok\n");
    if (hostPython("import pytest").status === 0) {
      await ep.run("mkdir -p t && printf 'def test_one():\\n    assert 1 + 1 == 2\\n' > t/test_x.py");
      const pytest = await ep.run("python3 -m pytest -q -p no:cacheprovider t", { timeoutMs: 60_000 });
      expect(pytest.output).toContain("1 passed");
      expect(pytest.exitCode).toBe(0);
    }
    if (existsSync("/usr/bin/npm")) expect((await ep.run("npm --version")).exitCode).toBe(0);
    // pyenv's other versions live beside the mounted one on the host, not inside.
    const py = extraToolPrefixes().find((t) => t.tool === "python3");
    if (py) {
      const siblings = await ep.run(`ls ${path.dirname(py.prefix)}`);
      expect(siblings.output).toBe(`${path.basename(py.prefix)}\n`);
    }
  });

  it("runs `python3 -m venv` with its bundled pip, and a pip install without network fails without harming the shell", async () => {
    const venv = await ep.run("python3 -m venv /tmp/venv && /tmp/venv/bin/python -m pip --version", { timeoutMs: 120_000 });
    expect(venv.exitCode, venv.output).toBe(0);
    expect(venv.output).toMatch(/^pip \d+/m);
    const install = await ep.run("/tmp/venv/bin/python -m pip install --no-input --retries 0 --timeout 2 click", { timeoutMs: 120_000 });
    expect(install.exitCode).not.toBe(0);
    expect((await ep.run("python3 -m pip --version")).exitCode).not.toBe(0); // the host's pip is a host package too
    expect((await ep.run("echo still here")).output).toBe("still here\n");
  });
});
