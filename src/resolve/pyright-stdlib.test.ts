// The pyright resolver on real, class-heavy code every machine has: python3's own logging, contextlib and selectors,
// copied into a scratch repository with the config the dep-search generator writes (all platforms, strict
// container inference). Each case is a shape the hand labels (docs/LABELS.md) found answered wrongly before: a
// tuple-unpacking alias, a variable bound to None in one place and to a function in another, a method called on a
// value taken out of a dict literal of classes, a call through a property, and a class built by namedtuple().

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPyrightResolver } from "./pyright.js";
import { writeAllPlatformsConfig } from "./pyright-config.js";
import type { CallResolver, ResolveRequest, ResolveResult } from "./types.js";

const LOGGING = "lib/logging/__init__.py";
const stdlib = execFileSync("python3", ["-c", 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: "utf8" }).trim();
const text = readFileSync(path.join(stdlib, "logging", "__init__.py"), "utf8");
const lines = text.split("\n");
const OTHERS: Record<string, string> = {
  "lib/contextlib.py": readFileSync(path.join(stdlib, "contextlib.py"), "utf8"),
  "lib/selectors.py": readFileSync(path.join(stdlib, "selectors.py"), "utf8"),
};

// The request for `name(` on the first line of `file` holding `needle`.
function callIn(file: string, needle: string, name: string): ResolveRequest {
  const fileLines = OTHERS[file]!.split("\n");
  const i = fileLines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} is not in ${file}`);
  return { file, line: i + 1, column: fileLines[i]!.indexOf(`${name}(`) };
}

// The request for `name(` on the first line holding `needle` after the lines holding each of `after` in turn
// (a class header, then a def header).
function callAt(after: string[], needle: string, name: string): ResolveRequest {
  let start = -1;
  for (const a of after) {
    start = lines.findIndex((l, j) => j > start && l.includes(a));
    if (start < 0) throw new Error(`${a} is not in ${LOGGING}`);
  }
  const i = lines.findIndex((l, j) => j > start && l.includes(needle));
  if (i < 0) throw new Error(`${needle} after ${after.join(", ")} is not in ${LOGGING}`);
  return { file: LOGGING, line: i + 1, column: lines[i]!.indexOf(`${name}(`) };
}

// `file:line` of the def/class header holding `header`, the n-th one from the top.
function defLine(header: string, nth = 1): string {
  let seen = 0;
  const i = lines.findIndex((l) => l.includes(header) && ++seen === nth);
  if (i < 0) throw new Error(`${header} is not in ${LOGGING}`);
  return `${LOGGING}:${i + 1}`;
}

function inRepo(r: ResolveResult | undefined): string[] {
  if (!r) return ["missing"];
  if (r.status !== "resolved") return [`${r.status}: ${r.reason}`];
  return r.targets.filter((t) => t.inRepo).map((t) => `${t.file}:${t.line}`);
}

describe("pyright resolver on python3's logging package", () => {
  let root: string;
  let resolver: CallResolver;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "hgym-pyright-stdlib-"));
    mkdirSync(path.join(root, "lib", "logging"), { recursive: true });
    writeFileSync(path.join(root, LOGGING), text);
    for (const [rel, t] of Object.entries(OTHERS)) writeFileSync(path.join(root, rel), t);
    writeAllPlatformsConfig(root);
    resolver = await createPyrightResolver(root);
  }, 60_000);

  afterAll(async () => {
    await resolver?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("follows a tuple-unpacking alias to the function it names", async () => {
    // _removeHandlerRef: `acquire, release, handlers = _acquireLock, _releaseLock, _handlerList`, then `acquire()`.
    const [acquire, release] = await resolver.resolve([
      callAt(["def _removeHandlerRef"], "acquire()", "acquire"),
      callAt(["def _removeHandlerRef"], "release()", "release"),
    ]);
    expect(inRepo(acquire)).toEqual([defLine("def _acquireLock")]);
    expect(inRepo(release)).toEqual([defLine("def _releaseLock")]);
  }, 60_000);

  it("passes over None bindings: a variable set to None or to warnings.showwarning calls the latter", async () => {
    const [call] = await resolver.resolve([callAt(["def _showwarning"], "_warnings_showwarning(message", "_warnings_showwarning")]);
    expect(call?.status).toBe("resolved");
    if (call?.status === "resolved") {
      expect(call.targets.length).toBeGreaterThan(0);
      expect(call.targets.every((t) => !t.inRepo)).toBe(true);
    }
  }, 60_000);

  it("types a value taken from a dict literal of classes as their union (strict inference)", async () => {
    // Formatter.__init__: `self._style = _STYLES[style][0](fmt, defaults=defaults)`; the three style classes share
    // PercentStyle.format, and StringTemplateStyle overrides usesTime.
    const [format, usesTime] = await resolver.resolve([
      callAt(["class Formatter(", "def formatMessage"], "self._style.format(record)", "format"),
      callAt(["class Formatter(", "def usesTime"], "self._style.usesTime()", "usesTime"),
    ]);
    const methodIn = (cls: string, method: string): string => {
      const c = lines.findIndex((l) => l.startsWith(`class ${cls}`));
      return `${LOGGING}:${lines.findIndex((l, j) => j > c && l.startsWith(`    def ${method}(`)) + 1}`;
    };
    expect(inRepo(format)).toEqual([methodIn("PercentStyle", "format")]);
    expect(inRepo(usesTime).sort()).toEqual([methodIn("PercentStyle", "usesTime"), methodIn("StringTemplateStyle", "usesTime")].sort());
  }, 60_000);

  it("decides a call through a property by the value it returns: self.__class__(...) is type[Self], so ambiguous", async () => {
    // contextlib's _GeneratorContextManagerBase._recreate_cm: object.__class__ is a property of builtins.pyi; its
    // getter is not what runs, and the class it returns may be any subclass of a repository class.
    const [call] = await resolver.resolve([callIn("lib/contextlib.py", "return self.__class__(self.func", "__class__")]);
    expect(call).toMatchObject({ status: "ambiguous", kind: "type-object-variable" });
  }, 60_000);

  it("calls a class built by namedtuple() as the standard library's code, not as 'any subclass'", async () => {
    // selectors: `SelectorKey = namedtuple('SelectorKey', [...])`, then `SelectorKey(fileobj, ...)`.
    const [call] = await resolver.resolve([callIn("lib/selectors.py", "key = SelectorKey(fileobj", "SelectorKey")]);
    expect(call?.status).toBe("resolved");
    if (call?.status === "resolved") {
      expect(call.targets.length).toBeGreaterThan(0);
      expect(call.targets.every((t) => !t.inRepo)).toBe(true);
    }
  }, 60_000);
});
