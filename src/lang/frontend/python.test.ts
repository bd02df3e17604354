// The Python front end on real CPython: the worker's lifecycle (lazy start, batching, restart after a crash, no
// process left after close), its verdicts on real standard-library files (a comment above every definition is
// equal, a one-token change is not, compile() agrees with `check`), and the region shortcut proven against the
// whole-file parse on many edits.

import { describe, it, expect, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { PythonFrontend } from "./python.js";
import { stdlibFiles } from "../test-corpus.js";

function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2]?.startsWith("Z");
}

const frontends: PythonFrontend[] = [];
function make(opts = {}): PythonFrontend {
  const f = new PythonFrontend(opts);
  frontends.push(f);
  return f;
}
afterAll(async () => {
  await Promise.all(frontends.map((f) => f.close()));
});

describe("Python front end worker", () => {
  it("starts lazily, reports its version, and answers many concurrent requests by id", async () => {
    const f = make();
    expect(f.pid).toBeNull();
    expect(await f.version()).toMatch(/^3\.\d+\.\d+$/);
    const texts = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? `x = (${i}\n` : `x = ${i}\n`));
    const results = await Promise.all(texts.map((t) => f.check(t)));
    results.forEach((r, i) => expect(r === null, `request ${i}`).toBe(i % 3 !== 0));
    expect(f.starts).toBe(1);
  });
  it("restarts after the worker dies and re-sends what was in flight", async () => {
    const f = make();
    await f.version();
    const first = f.pid as number;
    const inFlight = Promise.all(Array.from({ length: 50 }, (_, i) => f.compare(`x = ${i}\n`, `# c\nx = ${i}\n`, false)));
    process.kill(first, "SIGKILL");
    const verdicts = await inFlight;
    expect(verdicts.every((v) => v.kind === "equal")).toBe(true);
    expect(await f.check("def (\n")).toMatchObject({ line: 1 });
    expect(f.pid).not.toBe(first);
    expect(f.starts).toBeGreaterThanOrEqual(2);
  });
  it("leaves no process behind after close", async () => {
    const f = make();
    await f.check("x = 1\n");
    const pid = f.pid as number;
    expect(alive(pid)).toBe(true);
    await f.close();
    expect(alive(pid)).toBe(false);
    await expect(f.check("x = 1\n")).rejects.toThrow(/closed/);
  });
  it("fails requests clearly when python cannot be started", async () => {
    const f = make({ python: "/nonexistent/python3" });
    await expect(f.check("x = 1\n")).rejects.toThrow(/python3/);
  });
});

describe("Python front end on the standard library", () => {
  const files = stdlibFiles(150);
  const f = make();
  const full = make({ region: false });

  it("check agrees with compile() and every file compiles", async () => {
    const results = await Promise.all(files.map((p) => f.check(readFileSync(p, "utf8"))));
    expect(results.filter((r) => r !== null)).toEqual([]);
    expect(await f.check(`${readFileSync(files[0] as string, "utf8")}\n  x = 1\n`)).not.toBeNull();
  }, 120_000);

  // The first line of every definition (its first decorator) by CPython's own reading, so no "# note" lands
  // inside a string that merely contains "def".
  const definitionLines = JSON.parse(
    execFileSync(
      "python3",
      [
        "-c",
        "import ast, json, sys\nout = {}\nfor p in sys.argv[1:]:\n    t = ast.parse(open(p, 'rb').read())\n    defs = [min([n.lineno] + [d.lineno for d in n.decorator_list]) for n in ast.walk(t) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]\n    rets = [[n.value.lineno, n.value.col_offset] for n in ast.walk(t) if isinstance(n, ast.Return) and n.value is not None]\n    out[p] = {'defs': defs, 'ret': rets[0] if rets else None}\nprint(json.dumps(out))",
        ...files.slice(0, 60),
      ],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    ),
  ) as Record<string, { defs: number[]; ret: [number, number] | null }>;

  it("a comment above every def is equal; a one-token change is not", async () => {
    let edited = 0;
    let changedOne = 0;
    for (const path of files.slice(0, 60)) {
      const text = readFileSync(path, "utf8");
      const starts = new Set(definitionLines[path]?.defs ?? []);
      const commented = text
        .split(/(?<=\n)/)
        .map((line, i) => (starts.has(i + 1) ? `${/^[ \t]*/.exec(line)?.[0] ?? ""}# note\n${line}` : line))
        .join("");
      if (commented === text) continue;
      edited++;
      expect((await f.compare(text, commented, false)).kind, path).toBe("equal");
      // One token: `not` before the value of the first `return` CPython sees.
      const ret = definitionLines[path]?.ret;
      if (!ret) continue;
      const lines = text.split(/(?<=\n)/);
      const line = lines[ret[0] - 1] as string;
      if (Buffer.byteLength(line) !== line.length) continue; // col_offset counts UTF-8 bytes
      lines[ret[0] - 1] = `${line.slice(0, ret[1])}not ${line.slice(ret[1])}`;
      expect((await f.compare(text, lines.join(""), false)).kind, path).toBe("different");
      changedOne++;
    }
    expect(edited).toBeGreaterThan(40);
    expect(changedOne).toBeGreaterThan(30);
  }, 120_000);

  it("the region shortcut agrees with the whole-file parse on many edits", async () => {
    // Deterministic pseudo-random edits of several kinds at many lines: comments, indented code, tokens,
    // lone CRs, backslashes, stray quotes, deleted lines, docstrings.
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const edits: ((lines: string[], i: number) => string[])[] = [
      (l, i) => [...l.slice(0, i), "# note\n", ...l.slice(i)],
      (l, i) => [...l.slice(0, i), "    # note\n", ...l.slice(i)],
      (l, i) => [...l.slice(0, i), "    x = 1\n", ...l.slice(i)],
      (l, i) => [...l.slice(0, i), "x = 1\n", ...l.slice(i)],
      (l, i) => [...l.slice(0, i), (l[i] as string).replace("1", "2"), ...l.slice(i + 1)],
      (l, i) => [...l.slice(0, i), "# a\rx = 1\n", ...l.slice(i)],
      (l, i) => [...l.slice(0, i), ` ${l[i] as string}`, ...l.slice(i + 1)],
      (l, i) => [...l.slice(0, i), '"""doc"""\n', ...l.slice(i)],
      (l, i) => [...l.slice(0, i), `${(l[i] as string).replace(/\n$/, "")}  # c\n`, ...l.slice(i + 1)],
      (l, i) => [...l.slice(0, i), `${(l[i] as string).replace(/\n$/, "")} \\\n`, ...l.slice(i + 1)],
      (l, i) => [...l.slice(0, i), '"""\n', ...l.slice(i)],
      (l, i) => [...l.slice(0, i), ...l.slice(i + 1)],
      (l, i) => [...l.slice(0, i), (l[i] as string).replace("    ", "\t"), ...l.slice(i + 1)],
    ];
    let compared = 0;
    for (const path of files.slice(0, 30)) {
      const text = readFileSync(path, "utf8");
      const lines = text.split(/(?<=\n)/);
      if (lines.length < 6) continue;
      for (let k = 0; k < 12; k++) {
        const edit = edits[rand(edits.length)] as (typeof edits)[number];
        const after = edit(lines, 2 + rand(lines.length - 2)).join("");
        const docs = rand(2) === 0;
        const [a, b] = await Promise.all([f.compare(text, after, docs), full.compare(text, after, docs)]);
        expect(a.kind, `${path} edit ${k}`).toBe(b.kind);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(300); // 30 files x 12 edits, minus tiny files
  }, 300_000);
  it("the nested-statement region (a method of a large class) agrees with the whole-file parse", async () => {
    // Edits inside nested definitions, where the worker parses only the innermost enclosing statement wrapped in
    // `if 1:`: docstrings inserted under a method header, code and comments at the body's indentation and
    // deeper, a backslash-only line (which would give the next logical line a deeper indentation), re-indented,
    // tab-indented and deleted lines.
    let seed = 11;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const indentOf = (line: string) => /^[ \t]*/.exec(line)?.[0] ?? "";
    const pieces = ['"""doc"""', "'''doc\n    more'''", '"a" "b"', '("d")', "x = 1", "pass", "# c", "return", "\\", "    \\", "\tx = 1", "  x = 1", '"""open', "yield"];
    let compared = 0;
    for (const path of files.slice(0, 40)) {
      const text = readFileSync(path, "utf8");
      const lines = text.split(/(?<=\n)/);
      const heads = lines.flatMap((l, i) => (/^[ \t]+(async\s+)?(def|class)\s/.test(l) ? [i] : []));
      if (heads.length === 0) continue;
      for (let k = 0; k < 10; k++) {
        const at = Math.min(lines.length - 1, (heads[rand(heads.length)] as number) + 1 + rand(3));
        const line = lines[at] as string;
        const piece = pieces[rand(pieces.length)] as string;
        const out = lines.slice();
        switch (rand(4)) {
          case 0:
            out.splice(at, 0, `${indentOf(line)}${piece}\n`);
            break;
          case 1:
            out.splice(at, 0, `${indentOf(line)}    ${piece}\n`);
            break;
          case 2:
            out[at] = `${indentOf(line)}${piece}  # ${line.trimStart()}`;
            break;
          default:
            out.splice(at, 1);
        }
        const after = out.join("");
        const docs = rand(2) === 0;
        const [a, b] = await Promise.all([f.compare(text, after, docs), full.compare(text, after, docs)]);
        // A region may call a change that does not compile "different" instead of a parse error: both reject.
        const agree = a.kind === b.kind || (a.kind === "different" && b.kind === "parse-error");
        expect(agree, `${path} line ${at + 1}: ${JSON.stringify(piece)} -> ${a.kind} vs ${b.kind}`).toBe(true);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(300); // 30+ files with nested definitions x 10 edits
  }, 300_000);

  it("regressions: a deeper backslash line before a sibling statement; deleting the module docstring", async () => {
    const method = "class A:\n    def f(self):\n        a = 1\n        b = 2\n        return a + b\n";
    const deeper = method.replace("        b = 2\n", "            \\\n        b = 2\n");
    expect((await f.compare(method, deeper, true)).kind).not.toBe("equal"); // unexpected indent for CPython
    const same = method.replace("        b = 2\n", "        \\\n        b = 2\n");
    expect(await f.compare(method, same, true)).toEqual(await full.compare(method, same, true));
    const module = "# a\n# b\n\n'''Module doc.'''\n\nimport os\n";
    const undocumented = "# a\n# b\n\n\nimport os\n";
    expect(await f.compare(module, undocumented, true)).toEqual({ kind: "equal" });
    expect((await f.compare(module, undocumented, false)).kind).toBe("different");
  });
});

