import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildExampleRepo } from "../../repo/example-repo.js";
import { SnapshotStore } from "../../repo/store.js";
import { materializeWorkspace, isolatedGitEnv } from "../../repo/workspace.js";
import { startScriptedServer, textStep } from "../../agent/test-support/scripted-server.js";
import { generateInstances, instancesToJsonl, type GenerationResult } from "../common/pipeline.js";
import { instanceStart, scorePatch, editPatch } from "../common/test-support.js";
import { patchFromTexts, resultFromPatch } from "../common/workspace.js";
import { applyLineEdits } from "../common/line-edits.js";
import type { Instance } from "../types.js";
import { issueLocalize } from "./index.js";
import { StartStates, verifyPatch } from "../common/verify-batch.js";
import { createVerifyContext } from "../verify-context.js";
import { mergeSkippedInputs, type PreparedInputs } from "../common/inputs.js";
import { prepareIssueLocalizeInputs } from "./inputs.js";
import { cleanCommitMessage } from "./commit-message.js";
import { buildTextkitRepo, type TextkitRepo } from "./test-fixtures.js";
import type { IssueLocalizeGold, IssueLocalizeOptions } from "./types.js";
import { generateUngated, runFamilyConformance, type ConformanceInstances } from "../common/conformance.js";

const ISSUES = join(dirname(fileURLToPath(import.meta.url)), "testdata", "shelf-issues.jsonl");

async function run(store: SnapshotStore, values: Record<string, unknown>, seed = 0): Promise<{ prepared: PreparedInputs<IssueLocalizeOptions>; result: GenerationResult<IssueLocalizeGold> }> {
  const prepared = await prepareIssueLocalizeInputs({ seed, ...values });
  const result = await generateInstances({
    family: issueLocalize,
    repos: prepared.repos,
    store,
    seed,
    includeTests: false,
    language: null,
    taskOptions: prepared.options,
    log: () => {},
  });
  mergeSkippedInputs(result.report, prepared);
  return { prepared, result };
}

function byIssue(result: GenerationResult<IssueLocalizeGold>, id: string): Instance<IssueLocalizeGold> {
  const inst = result.instances.find((i) => i.instance_id.endsWith(`/${id}`));
  if (!inst) throw new Error(`no instance ${id}; have ${result.instances.map((i) => i.instance_id).join(", ")}`);
  return inst;
}

describe("issue-localize from SWE-bench-format records", () => {
  let root: string;
  let store: SnapshotStore;
  let result: GenerationResult<IssueLocalizeGold>;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "hgym-issue-localize-"));
    buildExampleRepo(join(root, "repos", "shelf"));
    store = new SnapshotStore(join(root, "store"));
    ({ result } = await run(store, { issues: ISSUES, reposDir: join(root, "repos") }));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("builds an instance per usable record and skips the others with a reason", () => {
    expect(result.instances.map((i) => i.instance_id.split("/").pop()).sort()).toEqual([
      "hybrid-gym__shelf-1",
      "hybrid-gym__shelf-2",
      "hybrid-gym__shelf-3",
      "hybrid-gym__shelf-4",
    ]);
    const failed = result.report.repos.filter((r) => r.status === "failed");
    expect(failed.map((f) => f.input).sort()).toEqual(["acme__warehouse-7", "hybrid-gym__shelf-5"]);
    expect(failed.find((f) => f.input === "hybrid-gym__shelf-5")?.error).toMatch(/commit 0123456789ab.* is not in the clone/);
    expect(failed.find((f) => f.input === "acme__warehouse-7")?.error).toMatch(/acme\/warehouse not found/);
  });

  it("computes gold files, enclosing definitions and hunks against the pre-patch tree", () => {
    const one = byIssue(result, "hybrid-gym__shelf-1");
    expect(one.gold.files).toEqual(["shelf/pricing.py"]); // tests/ is not gold
    expect(one.gold.entities).toEqual(["shelf/pricing.py::apply_discount"]);
    expect(one.gold.hunks).toEqual([
      { file: "shelf/pricing.py", start: 14, end: 14 },
      { file: "shelf/pricing.py", start: 18, end: 17 }, // a pure insertion before pre-patch line 18
    ]);
    expect(one.meta.origin).toEqual({ kind: "swe-bench", instance_id: "hybrid-gym__shelf-1" });
    expect(one.instruction).toContain("apply_discount gives a negative price");
    expect(one.instruction).toContain("`#`");
    const four = byIssue(result, "hybrid-gym__shelf-4");
    expect(four.gold.files).toEqual(["shelf/models.py"]); // code files only
    expect(four.gold.other_files).toEqual(["README.md"]); // the README the fix touched is recorded apart
    expect(four.gold.entities).toEqual(["shelf/models.py::Inventory.remove"]);
    const three = byIssue(result, "hybrid-gym__shelf-3");
    expect(three.language).toBe("typescript");
    expect(three.gold.entities).toEqual(["web/src/cart.ts::Cart.add"]);
    expect(three.instruction).toContain("`//`");
  });

  it("every instance passed the validity gate, with every hack rejected", () => {
    for (const i of result.instances) {
      expect(i.meta.validity.gold, i.instance_id).toBe(true);
      expect(i.meta.validity.null, i.instance_id).toBe(true);
      expect(Object.keys(i.meta.validity.hacks).length, i.instance_id).toBeGreaterThanOrEqual(4);
      expect(Object.keys(result.report.totals.dropped).filter((k) => k.startsWith("validity:")), "the gate had to drop proposed instances").toEqual([]);
    }
    expect(Object.keys(byIssue(result, "hybrid-gym__shelf-1").meta.validity.hacks).sort()).toEqual([
      "comment-above-every-definition",
      "comment-every-source-file",
      "comment-top-of-gold-files",
      "comments-in-new-file",
      "comments-in-non-gold-files",
      "comments-plus-deleted-line",
      "comments-plus-reindented-line",
    ]);
  });

  it("each hack fails with a reason", async () => {
    const inst = byIssue(result, "hybrid-gym__shelf-1");
    const start = instanceStart(store, inst);
    const expected: Record<string, string> = {
      "comment-every-source-file": "low-file-precision",
      "comments-in-non-gold-files": "no-gold-file-commented",
      "comments-plus-reindented-line": "parse-error|code-changed",
      "comments-plus-deleted-line": "code-changed|parse-error",
      "comments-in-new-file": "file-created",
      "comment-top-of-gold-files": "no-comment-at-gold-location",
      "comment-above-every-definition": "low-entity-precision",
    };
    for (const hack of issueLocalize.hacks(inst, start)) {
      const reward = await scorePatch(issueLocalize, inst, start, hack.patch);
      expect(reward.success, hack.name).toBe(false);
      expect(reward.violations.map((v) => v.code).join(" "), hack.name).toMatch(new RegExp(expected[hack.name] ?? "^$"));
    }
  });

  it("scores a partly right answer with precision/recall and the line hit rate", async () => {
    const inst = byIssue(result, "hybrid-gym__shelf-2");
    const start = instanceStart(store, inst);
    // A comment on the average line of stock_report, written by hand as an agent would.
    const right = editPatch(start, "shelf/report.py", (t) => t.replace("    average =", "    # divides by len(inventory), which is 0 for an empty inventory\n    average ="));
    const good = await scorePatch(issueLocalize, inst, start, patchFromTexts([right]));
    expect(good.success).toBe(true);
    expect(good.metrics).toMatchObject({ file_precision: 1, file_recall: 1, entity_precision: 1, entity_recall: 1, line_hit_rate: 1 });
    // Far from the hunk (top of the file): the file is right, the location is not, so it is no success.
    const far = editPatch(start, "shelf/report.py", (t) => "# report module\n" + t);
    const farReward = await scorePatch(issueLocalize, inst, start, patchFromTexts([far]));
    expect(farReward.success).toBe(false);
    expect(farReward.violations.map((v) => v.code)).toContain("no-comment-at-gold-location");
    expect(farReward.metrics.file_precision).toBe(1);
    expect(farReward.metrics.line_hit_rate).toBe(0);
    expect(farReward.metrics.entity_recall).toBe(0);
    // The right comment plus two wrong files: precision 1/3 fails the default rule but passes the paper's.
    const wrong = ["shelf/models.py", "shelf/pricing.py"].map((p) => editPatch(start, p, (t) => "# maybe here\n" + t));
    const noisy = patchFromTexts([right, ...wrong]);
    const strict = await scorePatch(issueLocalize, inst, start, noisy);
    expect(strict.success).toBe(false);
    expect(strict.metrics.file_precision).toBeCloseTo(1 / 3);
    const paper: Instance<IssueLocalizeGold> = { ...inst, gold: { ...inst.gold, criterion: { name: "paper", min_file_precision: 0.5 } } };
    expect((await scorePatch(issueLocalize, paper, start, noisy)).success).toBe(true);
  });

  it("a non-code file may change only when the fix touches it", async () => {
    const four = byIssue(result, "hybrid-gym__shelf-4");
    const start4 = instanceStart(store, four);
    const models = editPatch(start4, "shelf/models.py", (t) => t.replace("        item = self._items[sku]", "        # KeyError for unknown SKUs\n        item = self._items[sku]"));
    const readme = editPatch(start4, "README.md", (t) => t + "\nNote: remove() fails for unknown SKUs.\n");
    expect((await scorePatch(issueLocalize, four, start4, patchFromTexts([models, readme]))).success).toBe(true);
    const two = byIssue(result, "hybrid-gym__shelf-2");
    const start2 = instanceStart(store, two);
    const report = editPatch(start2, "shelf/report.py", (t) => t.replace("    average =", "    # empty inventory\n    average ="));
    const readme2 = editPatch(start2, "README.md", (t) => t + "\nnote\n");
    const bad = await scorePatch(issueLocalize, two, start2, patchFromTexts([report, readme2]));
    expect(bad.success).toBe(false);
    expect(bad.violations.map((v) => v.code)).toContain("non-code-file-changed");
  });

  it("the workspace is the base commit with no history: the fix is unreachable", async () => {
    const inst = byIssue(result, "hybrid-gym__shelf-1");
    const snapshot = store.get(inst.repo.snapshot);
    const ws = await materializeWorkspace(store, snapshot, inst.setup_patch, { root: join(root, "ws") });
    try {
      const g = (...args: string[]) => execFileSync("git", args, { cwd: ws.dir, env: isolatedGitEnv(), encoding: "utf8" });
      expect(g("rev-list", "--all").trim().split("\n")).toHaveLength(1);
      expect(readFileSync(join(ws.dir, "shelf/pricing.py"), "utf8")).not.toContain("min(max(percent");
      expect(g("log", "--all", "--format=%s")).not.toMatch(/negative/i);
    } finally {
      await ws.remove();
    }
  });

  it("is scored through the shared `hgym verify` path", async () => {
    const inst = byIssue(result, "hybrid-gym__shelf-3");
    const states = new StartStates(store);
    expect((await verifyPatch(inst as Instance, inst.gold.patch, states, createVerifyContext({ store }))).success).toBe(true);
    expect((await verifyPatch(inst as Instance, inst.gold.fix_patch, states, createVerifyContext({ store }))).violations.map((v) => v.code)).toContain("code-changed");
  });

  it("output is deterministic", async () => {
    const again = await run(store, { issues: ISSUES, reposDir: join(root, "repos") });
    expect(instancesToJsonl(again.result.instances)).toBe(instancesToJsonl(result.instances));
  });

  it("--clone clones by URL, and a repository that cannot be cloned is skipped with a reason", async () => {
    const remote = join(root, "remote");
    execFileSync("git", ["clone", "-q", "--bare", join(root, "repos", "shelf"), join(remote, "hybrid-gym", "shelf.git")]);
    const cloneStore = new SnapshotStore(join(root, "clone-store"));
    const { result: cloned } = await run(cloneStore, { issues: ISSUES, reposDir: join(root, "empty"), clone: true, cloneBase: `file://${remote}/` });
    expect(cloned.instances.map((i) => i.instance_id.split("/").pop()).sort()).toEqual([
      "hybrid-gym__shelf-1",
      "hybrid-gym__shelf-2",
      "hybrid-gym__shelf-3",
      "hybrid-gym__shelf-4",
    ]);
    const failed = cloned.report.repos.filter((r) => r.status === "failed");
    expect(failed.map((f) => f.error).join("\n")).toMatch(/warehouse/);
    expect(failed.map((f) => f.error).join("\n")).toMatch(/0123456789abcdef/);
  });
});

describe("issue-localize mined from history", () => {
  let root: string;
  let store: SnapshotStore;
  let shelf: GenerationResult<IssueLocalizeGold>;
  let textkit: TextkitRepo;
  let mined: GenerationResult<IssueLocalizeGold>;
  let minedPrepared: PreparedInputs<IssueLocalizeOptions>;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "hgym-issue-history-"));
    const shelfDir = buildExampleRepo(join(root, "shelf"));
    textkit = buildTextkitRepo(join(root, "textkit"));
    store = new SnapshotStore(join(root, "store"));
    ({ result: shelf } = await run(store, { repo: [shelfDir], fromHistory: true }));
    ({ result: mined, prepared: minedPrepared } = await run(store, { repo: [textkit.dir], fromHistory: true }));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("finds the example's two fix commits, with the fix description removed from the issue text", () => {
    expect(shelf.instances).toHaveLength(2);
    const subjects = shelf.instances.map((i) => (i.meta.origin as { subject: string }).subject).sort();
    expect(subjects).toEqual(["Fix ZeroDivisionError in stock_report for an empty inventory", "Fix negative prices when a discount is above 100 percent"]);
    for (const i of shelf.instances) {
      const origin = i.meta.origin as { kind: string; commit: string };
      expect(origin.kind).toBe("history");
      expect(i.instruction).not.toMatch(/Clamp the percentage|Report an average of 0\.00/);
      expect(i.instruction).not.toMatch(/<issue>\nFix /);
      expect(i.meta.validity.gold && i.meta.validity.null).toBe(true);
    }
    const discount = shelf.instances.find((i) => i.gold.files[0] === "shelf/pricing.py") as Instance<IssueLocalizeGold>;
    expect(discount.instruction).toContain("Negative prices when a discount is above 100 percent");
    expect(discount.instruction).toContain("apply_discount(50, 150) returned -25.0");
  });

  it("the workspace snapshot is the fix commit's parent", () => {
    for (const i of shelf.instances) {
      const origin = i.meta.origin as { commit: string };
      const parent = execFileSync("git", ["rev-parse", `${origin.commit}^`], { cwd: join(root, "shelf"), encoding: "utf8" }).trim();
      expect(i.repo.commit).toBe(parent);
      expect(store.get(i.repo.snapshot).commit).toBe(parent);
    }
  });

  it("on a public-style history: keeps real fixes, skips merges, non-fixes and short messages, strips references", () => {
    const commits = mined.instances.map((i) => (i.meta.origin as { commit: string }).commit).sort();
    expect(commits).toEqual([textkit.commits.countFix, textkit.commits.renameFix, textkit.commits.wrapFix].sort());
    const dropped = minedPrepared.dropped;
    expect(dropped, JSON.stringify(dropped)).toBeDefined();
    expect(dropped["history:merge commit"]).toBe(1);
    expect(dropped["history:root commit"]).toBe(1);
    expect(dropped["history:message does not describe a fix"]).toBe(1);
    expect(dropped["history:message too short to describe the problem once the fix description is removed"]).toBe(1);
    const wrap = mined.instances.find((i) => (i.meta.origin as { commit: string }).commit === textkit.commits.wrapFix) as Instance<IssueLocalizeGold>;
    expect(wrap.instruction).toContain("Wrap_text dropping the last word");
    for (const leak of ["#12", "Signed-off-by", "Co-authored-by", "https://", "Flush the pending line"]) expect(wrap.instruction).not.toContain(leak);
    const count = mined.instances.find((i) => (i.meta.origin as { commit: string }).commit === textkit.commits.countFix) as Instance<IssueLocalizeGold>;
    expect(count.instruction).toContain("Count_words is wrong for double spaces");
    expect(count.instruction).not.toContain("This commit");
    const rename = mined.instances.find((i) => (i.meta.origin as { commit: string }).commit === textkit.commits.renameFix) as Instance<IssueLocalizeGold>;
    expect(rename.gold.files).toEqual(["textkit/__init__.py", "textkit/tokens.py"]); // renamed file by its old path
    expect(rename.gold.entities).toContain("textkit/tokens.py::count_words");
    expect(rename.instruction).not.toContain("Rename the module");
  });

  it("--rewrite turns mined statements into issue reports with an LLM", async () => {
    const server = await startScriptedServer(() => textStep("When I wrap a paragraph, its final word is missing from the output. Expected every word to be kept."));
    try {
      const prepared = await prepareIssueLocalizeInputs({ repo: [textkit.dir], fromHistory: true, rewrite: true, baseUrl: server.baseURL, model: "m" });
      expect(prepared.options.issues).toHaveLength(3);
      for (const i of prepared.options.issues) expect(i.record.problem_statement).toMatch(/^When I wrap a paragraph/);
      const sent = JSON.stringify(server.requests.map((r) => r.body));
      expect(sent).not.toContain("Flush the pending line");
      expect(sent).toContain("lost the final");
    } finally {
      await server.close();
    }
  });

  it("cleans commit messages", () => {
    const c = cleanCommitMessage("Fix crash on empty input (#44)\n\nParsing an empty file crashed with IndexError.\nSee #40 and org/repo#41.\n\nChange the loop to stop early.\n\nCloses #44\nReviewed-by: X <x@y.z>\n");
    expect(c.statement).toBe("Crash on empty input\n\nParsing an empty file crashed with IndexError.");
  });
});

describe("gold patch against moved lines", () => {
  it("a comment written inside the right function counts wherever lines moved", () => {
    const text = "def a():\n    return 1\n";
    expect(applyLineEdits(text, [{ line: 2, deleteCount: 0, insert: ["    # why"] }])).toBe("def a():\n    # why\n    return 1\n");
    expect(resultFromPatch({ paths: () => ["x.py"], read: () => text }, "").changes).toEqual([]);
  });
});

describe("issue-localize: shared family conformance (ungated instances)", () => {
  const root = mkdtempSync(join(tmpdir(), "hgym-issue-conformance-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let built = 0;
  // The example's SWE-bench-format records; inputs that cannot be ingested (a missing commit) are skipped.
  const makeInstances = async (): Promise<ConformanceInstances<IssueLocalizeGold>> => {
    const base = join(root, String(built++));
    buildExampleRepo(join(base, "repos", "shelf"));
    const store = new SnapshotStore(join(base, "store"));
    const prepared = await prepareIssueLocalizeInputs({ issues: ISSUES, reposDir: join(base, "repos") });
    const pools: ConformanceInstances<IssueLocalizeGold>[] = [];
    for (const input of prepared.repos) {
      try {
        pools.push(await generateUngated(issueLocalize, store, input, prepared.options));
      } catch {
        continue;
      }
    }
    const owner = new Map(pools.flatMap((p) => p.instances.map((i) => [i.instance_id, p] as const)));
    return { instances: pools.flatMap((p) => p.instances), start: (i) => (owner.get(i.instance_id) as ConformanceInstances<IssueLocalizeGold>).start(i) };
  };
  runFamilyConformance({ family: issueLocalize, makeInstances });
});
