// The Python front end on real CPython: the worker's lifecycle (lazy start, batching, restart after a crash, no
// process left after close), its verdicts on real standard-library files (a comment above every definition is
// equal, a one-token change is not, compile() agrees with `check`), and the region shortcut proven against the
// whole-file parse on many edits.

import { describe, it, expect, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { FRONTEND_WORKER_SCRIPT, PythonFrontend, afterDelta } from "./python.js";
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
  it("with several workers: the same verdicts, every start judged by one worker, no process left after close", async () => {
    const pool = make({ workers: 3 });
    const one = make();
    const starts = Array.from({ length: 12 }, (_, i) => `def f${i}(a):\n    return a + ${i}\n\n\nclass C${i}:\n    x = ${i}\n`);
    const edits = (s: string) => [`# note\n${s}`, s.replace("return a", "return (a)"), s.replace("+", "-"), s.replace("x = ", "x = (") ];
    const pairs = starts.flatMap((s) => edits(s).map((e) => [s, e] as const));
    const [fromPool, fromOne] = await Promise.all([Promise.all(pairs.map(([b, a]) => pool.compare(b, a, false))), Promise.all(pairs.map(([b, a]) => one.compare(b, a, false)))]);
    expect(fromPool).toEqual(fromOne);
    expect(fromOne.map((v) => v.kind)).toContain("different");
    expect(fromOne.map((v) => v.kind)).toContain("parse-error");
    // Each start sits in exactly one worker's cache: the pool holds as many starts as there are texts.
    expect((await pool.stats()).cachedStarts).toBe(starts.length);
    expect(pool.pids.length).toBeGreaterThan(1);
    // Starts the workers dropped are sent again when asked for (the client names known starts by digest).
    await pool.forget();
    expect(await Promise.all(pairs.map(([b, a]) => pool.compare(b, a, false)))).toEqual(fromOne);
    const pids = pool.pids;
    await pool.close();
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });
  it("sends an edit as the start's kept head and tail plus the new bytes, which rebuild the exact UTF-8 text", () => {
    // The worker rebuilds `after` as before[:keep_head] + mid + before[len - keep_tail:] in bytes (_after_bytes).
    const pieces = ["x = 1\n", "# é\r\n", "s = '😀'\n", "\ud83d", "\ude00", "\r", "pass\n", "😀😁", "€"];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const text = (k: number) => Array.from({ length: k }, () => pieces[rand(pieces.length)]).join("");
    for (let i = 0; i < 2000; i++) {
      const before = text(1 + rand(12));
      const at = rand(before.length + 1);
      const cut = rand(4);
      const after = before.slice(0, at) + text(rand(3)) + before.slice(Math.min(before.length, at + cut));
      const d = afterDelta(before, after);
      const b = Buffer.from(before, "utf8");
      const rebuilt = Buffer.concat([b.subarray(0, d.keep_head), Buffer.from(d.after_mid, "base64"), b.subarray(b.length - d.keep_tail)]);
      expect(rebuilt.equals(Buffer.from(after, "utf8")), JSON.stringify({ before, after })).toBe(true);
    }
  });
  it("finds the literals that span lines by descending only into nodes that span lines, as a walk over every node does", () => {
    // The worker's _string_spans prunes one-line subtrees; its exactness rests on a child's lines lying within its
    // parent's (decorators excepted). Checked against ast.walk on the standard library.
    const script = [
      "import ast, glob, sys, sysconfig",
      `sys.path.insert(0, ${JSON.stringify(FRONTEND_WORKER_SCRIPT.replace(/\/[^/]+$/, ""))})`,
      "import frontend_worker as fw",
      "files = sorted(f for f in glob.glob(sysconfig.get_paths()['stdlib'] + '/**/*.py', recursive=True) if 'site-packages' not in f)[::8]",
      "checked = differ = spans = 0",
      "for f in files:",
      "    try:",
      "        tree = ast.parse(open(f, 'rb').read())",
      "    except Exception:",
      "        continue",
      "    a = fw._string_spans(tree)",
      "    checked += 1",
      "    spans += len(a)",
      "    differ += set(a) != set(fw._string_spans_every_node(tree))",
      "print(checked, differ, spans)",
    ].join("\n");
    const [checked, differ, spans] = execFileSync("python3", ["-c", script], { encoding: "utf8" }).trim().split(" ").map(Number);
    expect(checked).toBeGreaterThan(150);
    expect(spans).toBeGreaterThan(1000);
    expect(differ).toBe(0);
  }, 180_000);
  it("fails requests clearly when python cannot be started", async () => {
    const f = make({ python: "/nonexistent/python3" });
    await expect(f.check("x = 1\n")).rejects.toThrow(/python3/);
  });
});

const PYTHON_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(" "),
);

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

  it("trees compare by node type and value: constants of another type or spelling, operands and list lengths", async () => {
    // Each pair inside a function (the nested-statement region), at the top (the top-level region) and with
    // regions off (the whole-file parse against the cached start tree): the three comparisons must agree.
    const pairs: [string, string, "equal" | "different"][] = [
      ["x = 1", "x = 1.0", "different"],
      ["x = 1", "x = True", "different"],
      ["x = 'a'", "x = b'a'", "different"],
      ["x = 1.0", "x = 1.00", "equal"],
      ["x = 10", "x = 0xa", "equal"],
      ["x = 1e400", "x = 2e400", "equal"], // both the float inf, as the compiler stores them
      ["x = 1j", "x = 1.0j", "equal"],
      ["x = (1)", "x = 1", "equal"],
      ["x = 0.0", "x = -0.0", "different"],
      ["f(a, b)", "f(a)", "different"],
      ["f(a, b)", "f(b, a)", "different"],
      ["del a, b", "del (a, b)", "different"],
      ["x = a if b else c", "x = (a if b else c)", "equal"],
    ];
    const whole = make({ region: false });
    for (const [a, b, want] of pairs) {
      const top = (line: string) => `import os\n\n\ndef g():\n    pass\n\n\n${line}\n\n\ndef h():\n    return 1\n`;
      const nested = (line: string) => `import os\n\n\nclass K:\n    y = 0\n\n    def m(self):\n        ${line}\n        return self\n`;
      for (const wrap of [top, nested]) {
        for (const frontend of [f, whole]) {
          expect((await frontend.compare(wrap(a), wrap(b), false)).kind, `${a} | ${b}`).toBe(want);
        }
      }
    }
  });
  it("a code change below added comments is reported on its own line, the same with regions on and off", async () => {
    // dep-search's "annotations plus code change" hack: comments above definitions, then one token changed
    // further down. The difference search skips the statements that end before the edit's first line and walks
    // the rest; the line must be the changed one, shifted by the comments above it.
    let checked = 0;
    for (const path of files.slice(0, 60)) {
      const ret = definitionLines[path]?.ret;
      if (!ret) continue;
      const text = readFileSync(path, "utf8");
      const lines = text.split(/(?<=\n)/);
      const line = lines[ret[0] - 1] as string;
      if (Buffer.byteLength(line) !== line.length) continue; // col_offset counts UTF-8 bytes
      const above = new Set((definitionLines[path]?.defs ?? []).filter((d) => d < ret[0]));
      if (above.size === 0) continue;
      lines[ret[0] - 1] = `${line.slice(0, ret[1])}not ${line.slice(ret[1])}`;
      const after = lines.map((l, i) => (above.has(i + 1) ? `${/^[ \t]*/.exec(l)?.[0] ?? ""}# note\n${l}` : l)).join("");
      const want = { kind: "different", line: ret[0] + above.size };
      expect(await f.compare(text, after, false), path).toMatchObject(want);
      expect(await full.compare(text, after, false), path).toMatchObject(want);
      // A change that moves nothing: one letter of the returned value (the statements around it keep their
      // positions, so only the edit's own line decides what may be skipped).
      const same = text.split(/(?<=\n)/);
      const name = [...line.slice(ret[1]).matchAll(/[A-Za-z_]\w*(?!\w|['"])/g)].find((m) => !PYTHON_KEYWORDS.has(m[0]));
      if (name?.index !== undefined) {
        const at = ret[1] + name.index + name[0].length - 1; // the name's last letter
        same[ret[0] - 1] = `${line.slice(0, at)}${line[at] === "Q" ? "Z" : "Q"}${line.slice(at + 1)}`;
        const moved = { kind: "different", line: ret[0] };
        expect(await f.compare(text, same.join(""), false), path).toMatchObject(moved);
        expect(await full.compare(text, same.join(""), false), path).toMatchObject(moved);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  }, 120_000);
  it("a comment above one top-level definition and the next one's header re-indented is not equal (the file no longer compiles)", async () => {
    // The validity gate's re-indented-line hack in the shape that once passed: the common suffix of the two texts
    // began inside the re-indented line, so the region shortcut parsed a region that ended before that line.
    let checked = 0;
    for (const path of files.slice(0, 40)) {
      const lines = readFileSync(path, "utf8").split(/(?<=\n)/);
      const tops = lines.flatMap((l, i) => (/^(class|def) \w/.test(l) ? [i] : []));
      for (let k = 0; k + 1 < tops.length && k < 3; k++) {
        const [first, second] = [tops[k] as number, tops[k + 1] as number];
        const edited = [...lines];
        edited[second] = `    ${edited[second] as string}`;
        edited.splice(first, 0, "# note\n");
        const verdict = await f.compare(lines.join(""), edited.join(""), false);
        expect(verdict.kind, `${path}: lines ${first + 1} and ${second + 1}`).not.toBe("equal");
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  }, 120_000);

  it("comments added in many places at once (dep-search's annotations) are judged without a parse, exactly", async () => {
    // Several hunks in one file: a comment above every third definition, a trailing comment on a code line, a
    // blank line removed. The comment-lines shortcut must decide them (no parse) and agree with the whole-file
    // parse; the same edits with one comment line put inside a multi-line string, or with one token changed,
    // must not be equal.
    const before = (await f.stats()).decidedBy["comment-lines"] ?? 0;
    let edited = 0;
    for (const path of files.slice(0, 40)) {
      const text = readFileSync(path, "utf8");
      const defs = definitionLines[path]?.defs ?? [];
      const marked = new Set(defs.filter((_, i) => i % 3 === 0));
      if (marked.size < 2) continue;
      const lines = text.split(/(?<=\n)/);
      const out = lines.map((line, i) => (marked.has(i + 1) ? `${/^[ \t]*/.exec(line)?.[0] ?? ""}# depends on this\n${line}` : line));
      const commented = out.join("");
      expect(await f.compare(text, commented, false), path).toEqual({ kind: "equal" });
      expect(await full.compare(text, commented, false), path).toEqual({ kind: "equal" });
      edited++;
    }
    expect(edited).toBeGreaterThan(20);
    expect(((await f.stats()).decidedBy["comment-lines"] ?? 0) - before).toBeGreaterThanOrEqual(edited);
    const src = 'import os\n\n\ndef a():\n    return 1\n\n\nDOC = """one\ntwo\n"""\n\n\ndef b():\n    x = 1\n    return x\n';
    const both = src.replace("def a", "# note\ndef a").replace("    x = 1\n", "    x = 1  # why\n").replace("def b", "# dep\ndef b");
    expect(await f.compare(src, both, false)).toEqual({ kind: "equal" });
    const inString = both.replace("one\n", "one\n# not a comment here\n");
    expect((await f.compare(src, inString, false)).kind).toBe("different");
    expect((await full.compare(src, inString, false)).kind).toBe("different");
    const token = both.replace("    x = 1  # why", "    x = 2  # why");
    expect((await f.compare(src, token, false)).kind).toBe("different");
    const continued = src.replace("    x = 1\n", "    x = 1 + \\\n# c\n    0\n").replace("def b", "# dep\ndef b");
    expect(await f.compare(src, continued, false)).toEqual(await full.compare(src, continued, false));
  });

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

  it("a starting text that parses but does not compile (symbol-table errors) is a start error, as compile() says", async () => {
    // The worker parses a start once and compiles that tree instead of the source; these are the errors only the
    // compile step finds, next to texts that look alike and do compile.
    const texts = [
      "return 1\n", "nonlocal x\n", "def f():\n    nonlocal y\n", "break\n", "def f(a, a):\n    pass\n",
      "def f():\n    x = 1\n    global x\n", "x: int = 1\nglobal x\n", "class A:\n    return 1\n",
      "def f():\n    from os import *\n", "continue\n", "await x\n", "from __future__ import braces\n",
      "x = 1\nfrom __future__ import annotations\n",
      "def f():\n    return 1\n", "def f():\n    nonlocal_ = 1\n", "for a in b:\n    break\n",
      "def f():\n    global x\n    x = 1\n", "from __future__ import annotations\nx = 1\n",
    ];
    const script = "import sys, json\nout = []\nfor t in json.load(sys.stdin):\n    try:\n        compile(t, '<f>', 'exec', dont_inherit=True)\n        out.append(True)\n    except SyntaxError:\n        out.append(False)\nprint(json.dumps(out))\n";
    const compiles = JSON.parse(execFileSync("python3", ["-c", script], { input: JSON.stringify(texts), encoding: "utf8" })) as boolean[];
    expect(compiles.filter((c) => !c).length).toBeGreaterThanOrEqual(12);
    for (const [i, text] of texts.entries()) {
      const verdict = await f.compare(text, text + "# a comment\n", true);
      expect(verdict.kind, JSON.stringify(text)).toBe(compiles[i] ? "equal" : "start-error");
      expect(await f.check(text) === null, JSON.stringify(text)).toBe(compiles[i]);
    }
  });

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

  // Session 5: the `#!` line is a comment for CPython but says which program runs the file.
  it("a changed or removed #! line is different; one added to a file without it, or a comment under it, is not", async () => {
    const script = "#!/usr/bin/env python3\nimport os\n\n\nprint(os.sep)\n";
    for (const after of [script.replace("python3", "python2"), script.replace("#!/usr/bin/env python3\n", "# no interpreter line\n"), script.replace("python3", "python3 -I")]) {
      expect(await f.compare(script, after, true), after).toMatchObject({ kind: "different", line: 1 });
      expect(await full.compare(script, after, true), after).toMatchObject({ kind: "different", line: 1 });
    }
    expect(await f.compare(script, script.replace("import os", "# the separator\nimport os"), true)).toEqual({ kind: "equal" });
    expect(await f.compare(script.slice(script.indexOf("\n") + 1), script, true)).toEqual({ kind: "equal" });
    expect(await f.compare(script, script.replace(/\n/g, "\r\n"), true)).toEqual({ kind: "equal" });
  });
});

