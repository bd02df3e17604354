// Issue statements worth training on: commit messages cleaned of templates and bullet lists, non-fix commits
// dropped, statements that give the fix away rejected (offline and after an LLM rewrite, which is retried once),
// drop counts per reason, the leak check recorded in meta, and --per-repo capping per repository.

import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startScriptedServer, textStep } from "../../agent/test-support/scripted-server.js";
import { SnapshotStore } from "../../repo/store.js";
import { makeFilePatch } from "../../patch/make.js";
import { generateInstances } from "../common/pipeline.js";
import { ensureLanguages } from "../common/code.js";
import { cleanCommitMessage, notAFixReason } from "./commit-message.js";
import { checkStatement } from "./statement-check.js";
import { prepareIssueLocalizeInputs } from "./inputs.js";
import { issueLocalize } from "./index.js";
import { buildTextkitRepo, type TextkitRepo } from "./test-fixtures.js";

describe("commit messages", () => {
  it("strips review templates and keeps the summary", () => {
    const msg = [
      "Fix crash when the config file is empty",
      "",
      "Summary:",
      "Loading an empty config file crashed with KeyError: 'sections' at startup, so",
      "the service could not start after a fresh install.",
      "",
      "Test Plan:",
      "ran the unit tests and started the service by hand",
      "",
      "Reviewers: bob, alice",
      "Subscribers: carol",
      "Tags: #config",
      "Differential Revision: https://phabricator.example.com/D1234",
      "Signed-off-by: Dana <d@example.com>",
      "Co-authored-by: Sam <s@example.com>",
    ].join("\n");
    expect(cleanCommitMessage(msg).statement).toBe(
      "Crash when the config file is empty\n\nLoading an empty config file crashed with KeyError: 'sections' at startup, so the service could not start after a fresh install.",
    );
  });

  it("squashes bullet lists and drops the bullets that describe the change", () => {
    const msg = "Fix table output\n\n- the header is printed twice for empty tables\n- Use normalize() instead of strip() for cells\n- column widths ignore wide\n  unicode characters\n";
    expect(cleanCommitMessage(msg).statement).toBe("Table output\n\nthe header is printed twice for empty tables; column widths ignore wide unicode characters.");
  });

  it("drops commits that are not fixes, with the reason", () => {
    for (const s of ["Cleanup", "Refactor the parser to fix a bug later", "Bump version to 1.2.3", "v1.2.3", "docs: fix typo in README", "chore(deps): fix lockfile", "Release 2.0 with bug fixes"]) {
      expect(notAFixReason(`${s}\n\nfixes an error`), s).toMatch(/not a fix/);
    }
    expect(notAFixReason("Merge pull request #3 from x/fix-crash")).toBe("merge commit");
    expect(notAFixReason("Add a dark mode")).toBe("message does not describe a fix");
    expect(notAFixReason("Fix crash on empty input")).toBeNull();
  });

  it("reads subjects as symptoms: fix prefixes, references and leftovers removed", () => {
    expect(cleanCommitMessage("Bugfix for Exit handling").statement).toBe("Exit handling");
    expect(cleanCommitMessage("Fixed a bug that caused locale detection to error out.  This fixes #494").statement).toBe("A bug that caused locale detection to error out");
    expect(cleanCommitMessage("Fix #3084: flags with optional values ignore the default").statement).toBe("Flags with optional values ignore the default");
    expect(cleanCommitMessage("BUG/TST: race in StreamMixer finalization").statement).toBe("Race in StreamMixer finalization");
  });
});

describe("leak check", () => {
  beforeAll(async () => {
    await ensureLanguages();
  });
  const before = "def choose(value, choices):\n    return value.lower() in choices\n\n\ndef _clamp(x):\n    return x\n";
  const after = "def normalize_choice(value):\n    return value.strip().lower()\n\n\ndef choose(value, choices):\n    return normalize_choice(value) in choices\n\n\ndef _clamp(x):\n    return max(0, x)\n";
  const patch = makeFilePatch("pick.py", before, after);
  const start = { paths: () => ["pick.py"], read: (p: string) => (p === "pick.py" ? before : null) };

  it("rejects statements naming identifiers the patch adds, or saying what the change does", () => {
    const leaky = checkStatement("choose() rejects ' Red'. Use normalize_choice() instead of lower().", patch, start);
    expect(leaky.leaked_identifiers).toEqual(["normalize_choice"]);
    expect(leaky.describes_fix).toBe(true);
    expect(checkStatement("choose fails for padded values; fixed by stripping the value first", patch, start).describes_fix).toBe(true);
    expect(checkStatement("_clamp lets negative sizes through", patch, start).leaked_identifiers).toEqual(["_clamp"]);
    expect(checkStatement("choose() misbehaves in pick.py for padded values", patch, start).leaked_identifiers).toEqual(["pick.py"]);
    for (const text of [
      "Skip padded values in choose",
      "Padded values are rejected. The value should be stripped; with this change choose accepts them",
      "Padded values are rejected, so we can compare stripped values instead",
      "Padded values are rejected. Tests were added accordingly.",
      "Padded values are rejected. The value is now stripped first.",
    ]) {
      expect(checkStatement(text, patch, start).describes_fix, text).toBe(true);
    }
  });

  it("accepts a symptom that names the public function the user calls", () => {
    const ok = checkStatement("choose(' Red', ['red']) returns False, although the value only has a leading space. Expected True.", patch, start);
    expect(ok).toEqual({ leaked_identifiers: [], describes_fix: false, phrases: [] });
  });
});

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "a", GIT_AUTHOR_EMAIL: "a@x", GIT_COMMITTER_NAME: "a", GIT_COMMITTER_EMAIL: "a@x", GIT_AUTHOR_DATE: "2024-01-01T00:00:00Z", GIT_COMMITTER_DATE: "2024-01-01T00:00:00Z" },
  });
}

describe("mining with statement checks and --per-repo", () => {
  let root: string;
  let textkit: TextkitRepo;
  let pick: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "hgym-il-statements-"));
    textkit = buildTextkitRepo(join(root, "textkit"));
    pick = join(root, "pick");
    mkdirSync(pick);
    git(pick, "init", "-q", "-b", "main");
    const commit = (files: Record<string, string>, message: string) => {
      for (const [p, t] of Object.entries(files)) {
        mkdirSync(dirname(join(pick, p)), { recursive: true });
        writeFileSync(join(pick, p), t);
      }
      git(pick, "add", "-A");
      git(pick, "commit", "-q", "-m", message);
    };
    commit({ "pick.py": "def choose(value, choices):\n    return value.lower() in choices\n", "CHANGES.md": "# Changes\n" }, "Initial import");
    commit(
      { "pick.py": "def normalize_choice(value):\n    return value.strip().lower()\n\n\ndef choose(value, choices):\n    return normalize_choice(value) in choices\n" },
      "Fix choose rejecting padded values\n\nchoose(' Red', ['red']) returned False because the value was compared with its surrounding spaces; use normalize_choice() instead of lower() to compare.",
    );
    commit({ "pick.py": "def normalize_choice(value):\n    return value.strip().lower()\n\n\ndef choose(value, choices):\n    return normalize_choice(value) in choices\n\n" }, "Cleanup\n\nRemove an error-prone blank line at the end of the file.");
    commit(
      {
        "pick.py": "def normalize_choice(value):\n    return value.strip().lower()\n\n\ndef choose(value, choices):\n    if not choices:\n        raise ValueError('no choices given')\n    return normalize_choice(value) in choices\n\n",
        "CHANGES.md": "# Changes\n\n- choose with no choices\n",
      },
      "Fix choose with an empty list of choices\n\nSummary:\nchoose('red', []) silently returned False, so a misconfigured form accepted no value at all and showed no error; users saw every answer rejected.\n\nTest Plan: ran pytest\n\nReviewers: bob\n\nDifferential Revision: https://example.com/D9",
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("drops non-fixes and leaking statements with their reasons and records the leak check in meta", async () => {
    const prepared = await prepareIssueLocalizeInputs({ repo: [pick], fromHistory: true });
    expect(prepared.dropped).toMatchObject({
      "history:statement names identifiers the fix adds or changes": 1,
      "history:not a fix": 1,
      "history:root commit": 1,
    });
    expect(prepared.options.issues).toHaveLength(1);
    const store = new SnapshotStore(join(root, "store"));
    const result = await generateInstances({ family: issueLocalize, repos: prepared.repos, store, seed: 0, includeTests: false, language: null, taskOptions: prepared.options, log: () => {} });
    expect(result.instances).toHaveLength(1);
    const inst = result.instances[0]!;
    expect(inst.instruction).toContain("choose('red', []) silently returned False");
    for (const t of ["Summary:", "Test Plan", "Reviewers", "Differential"]) expect(inst.instruction).not.toContain(t);
    expect(inst.meta.statement_check).toEqual({ leaked_identifiers: [], describes_fix: false, phrases: [] });
    expect(inst.gold.files).toEqual(["pick.py"]);
    expect(inst.gold.other_files).toEqual(["CHANGES.md"]);
  });

  it("--per-repo caps instances per repository, not per mined commit", async () => {
    const prepared = await prepareIssueLocalizeInputs({ repo: [textkit.dir], fromHistory: true });
    expect(prepared.repos.length).toBe(3); // three fix commits: three repository states of one repository
    const store = new SnapshotStore(join(root, "store2"));
    const run = (perRepo: number | null) =>
      generateInstances({ family: issueLocalize, repos: prepared.repos, store, seed: 0, perRepo, includeTests: false, language: null, taskOptions: { ...prepared.options }, log: () => {} });
    expect((await run(null)).instances).toHaveLength(3);
    const capped = await run(1);
    expect(capped.instances).toHaveLength(1);
    expect(capped.report.totals.dropped["per-repo-quota-reached"]).toBe(2);
    // Each report row is one mined commit's base state: the JSON report names that commit.
    const bases = prepared.options.issues.map((i) => i.record.base_commit).sort();
    expect(capped.report.repos.map((r) => r.commit).sort()).toEqual(bases);
  });
});

describe("--rewrite runs the leak check on the model's report", () => {
  let root: string;
  let textkit: TextkitRepo;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "hgym-il-rewrite-"));
    textkit = buildTextkitRepo(join(root, "textkit"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("retries a leaking rewrite once, keeps a clean second answer, and drops a commit whose rewrites both leak", async () => {
    const leaky = "The last word of a paragraph goes missing. The fix is to flush the pending line after the loop; the function should call lines.append(current) instead.";
    const clean = "When I wrap a paragraph, its final word is missing from the output. Steps: wrap 'a b c' with width 3. Expected every word to be kept.";
    // Per mined commit: first answer leaks, the retry is clean — except for the third commit, which leaks twice.
    const server = await startScriptedServer((i) => textStep(i % 2 === 0 || i >= 4 ? leaky : clean));
    try {
      const prepared = await prepareIssueLocalizeInputs({ repo: [textkit.dir], fromHistory: true, rewrite: true, baseUrl: server.baseURL, model: "m" });
      expect(prepared.options.issues).toHaveLength(2);
      for (const i of prepared.options.issues) {
        expect(i.record.problem_statement).toBe(clean);
        expect(i.statementCheck).toEqual({ leaked_identifiers: [], describes_fix: false, phrases: [] });
      }
      expect(prepared.dropped["history:rewrite-leaks-fix"]).toBe(1);
      expect(server.requests).toHaveLength(6);
      const retry = JSON.stringify(server.requests[1]?.body);
      expect(retry).toContain("gives the fix away");
      const first = JSON.stringify(server.requests[0]?.body);
      expect(first).toContain("do not describe, suggest or hint at a fix");
      expect(first).not.toContain("Flush the pending line");
    } finally {
      await server.close();
    }
  });
});
