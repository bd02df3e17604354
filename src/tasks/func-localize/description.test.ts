// Offline func-localize descriptions have no holes and no name leaks, on hundreds of real docstrings extracted
// at test time from the machine's python3 standard library. The removal the generator used before (cut every
// leaking word out: `redactNames`) is measured on the same docstrings to show the check finds holes there.

import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync } from "node:child_process";
import { findLeaks, redactNames } from "../common/name-words.js";
import { describeFromDocstring, firstParagraph } from "./description.js";
import { descriptionHoles, withoutName } from "./name-free.js";

interface Pair {
  name: string;
  doc: string;
}

// Every documented function and class of these stdlib modules whose docstring's first paragraph uses the
// target's name (or a word of it): the cases where a word has to come out.
const MODULES = ["argparse", "base64", "bz2", "calendar", "codecs", "configparser", "csv", "datetime", "difflib", "email.message", "fractions", "ftplib", "gettext", "glob", "gzip", "http.client", "http.cookiejar", "imaplib", "inspect", "ipaddress", "logging", "lzma", "mailbox", "pathlib", "pickle", "shutil", "smtplib", "string", "tarfile", "textwrap", "threading", "urllib.parse", "urllib.request", "zipfile", "_pydecimal", "_pyio"];

function stdlibPairs(): Pair[] {
  const script = `
import ast, importlib.util, json, sys
out = []
for name in sys.argv[1:]:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        continue
    with open(spec.origin, encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            doc = ast.get_docstring(node)
            if doc:
                out.append({"name": node.name, "doc": doc})
print(json.dumps(out))
`;
  return JSON.parse(execFileSync("python3", ["-c", script, ...MODULES], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })) as Pair[];
}

// An independent check for the marks of a cut-out word, written apart from `descriptionHoles`.
function obviousHoles(text: string): string[] {
  const checks: [string, RegExp][] = [
    ["article before a function word", /\b(a|an|the)\s+(to|of|in|for|with|on|by|from|and|or|is|was|are|the|a|an)\b/i],
    ["article before punctuation", /\b(a|an|the)\s*[.,;:)]/i],
    ["preposition before punctuation", /\b(of|to|for|with|by|from)\s*[,;:)]/i],
    ["doubled preposition", /\b(of|to|for|with|by|from)\s+(the\s+)?(of|to|for|with|by|from)\b/i],
    ["double space", / {2}/],
    ["space before punctuation", / [.,;:]/],
    ["empty quotes or parentheses", /``|\(\s*\)|\s''\s/],
  ];
  return checks.filter(([, re]) => re.test(text)).map(([label]) => label);
}

describe("offline descriptions over the standard library", () => {
  let pairs: Pair[];
  let nameInDoc: Pair[];
  beforeAll(() => {
    pairs = stdlibPairs();
    nameInDoc = pairs.filter((p) => findLeaks(firstParagraph(p.doc), [p.name]).length > 0);
  });

  it("extracts enough real docstrings that use the target's name", () => {
    expect(pairs.length).toBeGreaterThan(1500);
    expect(nameInDoc.length).toBeGreaterThan(400);
  });

  it("cutting the name's words out (the old way) leaves holes in many of them", () => {
    const holes = nameInDoc.filter((p) => {
      const text = redactNames(firstParagraph(p.doc), [p.name]);
      return descriptionHoles(text).length > 0 || obviousHoles(text).length > 0;
    });
    expect(holes.length / nameInDoc.length).toBeGreaterThan(0.2);
  });

  it("every description written has no hole and no leak; most docstrings still give one", () => {
    let written = 0;
    const reasons: Record<string, number> = {};
    for (const p of pairs) {
      const out = describeFromDocstring(p.doc, p.name);
      if (!out.ok) {
        reasons[out.reason] = (reasons[out.reason] ?? 0) + 1;
        continue;
      }
      written++;
      expect(findLeaks(out.text, [p.name]), `${p.name}: ${out.text}`).toEqual([]);
      expect(descriptionHoles(out.text), `${p.name}: ${out.text}`).toEqual([]);
      expect(obviousHoles(out.text), `${p.name}: ${out.text}`).toEqual([]);
      expect(out.text).toMatch(/^[A-Z0-9`"'(]/);
      expect(out.text).toMatch(/[.!?]$/);
    }
    expect(written / pairs.length).toBeGreaterThan(0.65);
    // Drops are counted by reason; only the known reasons occur.
    expect(Object.keys(reasons).every((r) => ["description-too-short", "description-name-not-removable"].includes(r))).toBe(true);
    // Where the name is in the docstring, most are rephrased rather than dropped.
    const rephrased = nameInDoc.filter((p) => describeFromDocstring(p.doc, p.name).ok).length;
    expect(rephrased / nameInDoc.length).toBeGreaterThan(0.5);
  });
});

describe("before and after, on real stdlib docstrings", () => {
  // [name, docstring (stdlib), what cutting produced before, what is written now]
  const cases: [string, string, string, string][] = [
    ["InvalidOperation", "An invalid operation was performed.", "An was performed.", "An item was performed."],
    ["_shallow_copy", "Returns a shallow copy from self.", "Returns a from self.", "Returns an item from self."],
    ["BufferedIOBase", "Base class for buffered IO objects.", "Class for IO objects.", "Class for IO objects."],
    ["get_dict", "Return the dict for the current thread. Raises KeyError if none defined.", "Return the for the current thread.", "Returns the item for the current thread. Raises KeyError if none defined."],
    ["compress", "Compress a block of data.", "A block of data.", "Handles a block of data."],
    ["ABC", "Helper class that provides a standard way to create an ABC using inheritance.", "Helper class that provides a standard way to create an using inheritance.", "Helper class that provides a standard way to create an item using inheritance."],
    ["multiply", "multiply multiplies two operands.", "Multiplies two operands.", "It multiplies two operands."],
    ["_supports_universal_builds", "Returns True if universal builds are supported on this system", "Returns True if are on this system.", "Returns True if the given values are supported on this system."],
  ];
  for (const [name, doc, before, after] of cases) {
    it(`${name}: "${doc}"`, () => {
      const cut = redactNames(doc, [name]);
      expect(before.startsWith(cut.slice(0, 8)) || cut.toLowerCase().startsWith(before.slice(0, 8).toLowerCase())).toBe(true);
      const out = describeFromDocstring(doc, name);
      expect(out).toEqual({ ok: true, text: after, source: "docstring" });
    });
  }

  it("a sentence opened by a question word, preposition or adjective is no command", () => {
    // The bundled example's Article.total_value: "What" followed by a determiner once became "Whats all units".
    expect(describeFromDocstring("What all units of this article are worth together.", "total_value")).toEqual({
      ok: true,
      text: "What all units of this article are worth together.",
      source: "docstring",
    });
    expect(describeFromDocstring("Which one of the two readers is in use.", "active_source")).toMatchObject({ ok: true, text: "Which one of the two readers is in use." });
    expect(describeFromDocstring("Between the two bounds, inclusive.", "clamp")).toMatchObject({ ok: true, text: "Between the two bounds, inclusive." });
    expect(describeFromDocstring("Copy the file to the target folder.", "move_file")).toMatchObject({ ok: true, text: "Copies the item to the target folder." });
  });

  it("a sentence whose name cannot come out cleanly is dropped, the others kept", () => {
    // configparser's read_string: the first sentence names a sibling in code (``read_file()`` holds "read"), so
    // it goes; the second is rephrased ("string" is a word of the name).
    const out = describeFromDocstring("Like ``read_file()`` but for strings. Parse configuration data from a string.", "read_string");
    expect(out).toEqual({ ok: true, text: "Parses configuration data from an item.", source: "docstring" });
    expect(describeFromDocstring("Return True if the operand is finite; otherwise return False.", "is_finite")).toEqual({ ok: false, reason: "description-name-not-removable" });
    expect(withoutName("Return True if the operand is finite.", "is_finite")).toBeNull();
  });
});
