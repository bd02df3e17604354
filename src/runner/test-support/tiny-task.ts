// A tiny, real task for runner tests: a two-file repository ingested into a real snapshot store, a setup patch
// that removes a line, and a task family whose verifier checks that the line is back (and nothing else changed).
// Small enough that a rollout takes milliseconds, real enough that every part of the rollout path runs.

import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ToolSchema } from "../../agent/types.js";
import { makeFilePatch } from "../../patch/make.js";
import { SnapshotStore } from "../../repo/store.js";
import type { Instance, TaskFamily } from "../../tasks/types.js";
import type { FuncLocalizeGold } from "../../tasks/func-localize/types.js";
import type { Reward } from "../../core/reward.js";
import type { WorkspaceResult } from "../../core/repo-view.js";

export const GREET_BEFORE = 'def greet(name):\n    """Say hello."""\n    return "hello " + name\n';
export const GREET_START = "def greet(name):\n    return \"hello \" + name\n";

// A real func-localize gold (instance files are checked against it when read) plus the text greet.py must get back.
export interface TinyGold extends FuncLocalizeGold {
  expected: string;
}

// Success when greet.py is exactly restored and no other file changed.
export const tinyFamily: TaskFamily<TinyGold> = {
  name: "func-localize",
  async generate() {
    return { instances: [], candidates: 0, dropped: {} };
  },
  verify(instance: Instance<TinyGold>, result: WorkspaceResult): Reward {
    const target = result.changes.find((c) => c.path === instance.gold.file);
    const others = result.changes.filter((c) => c.path !== instance.gold.file);
    const restored = target?.after === instance.gold.expected;
    return {
      success: restored && others.length === 0,
      score: restored ? 1 : 0,
      metrics: { changed_files: result.changes.length },
      violations: others.map((c) => ({ code: "other-file", message: `changed ${c.path}`, file: c.path })),
    };
  },
  goldPatch(instance: Instance<TinyGold>): string {
    return makeFilePatch(instance.gold.file, GREET_START, instance.gold.expected);
  },
  hacks() {
    return [];
  },
};

export interface TinySetup {
  store: SnapshotStore;
  instances: Instance<TinyGold>[];
  instancesPath: string;
}

// Builds the repository, ingests it into a store under `root`, and writes `count` instances (ids tiny/0..) to
// instances.jsonl; `extraLines` are appended verbatim (for malformed-line tests).
export async function setupTinyTask(root: string, count: number, extraLines: string[] = []): Promise<TinySetup> {
  const repo = join(root, "demo");
  mkdirSync(repo, { recursive: true });
  writeFileSync(join(repo, "greet.py"), GREET_BEFORE);
  writeFileSync(join(repo, "util.py"), "X = 1\n");
  const store = new SnapshotStore(join(root, "store"));
  const snapshot = await store.ingest(repo);
  const instances: Instance<TinyGold>[] = Array.from({ length: count }, (_, i) => ({
    instance_id: `tiny/${i}`,
    task: "func-localize",
    language: "python",
    repo: { name: snapshot.name, commit: snapshot.id, source: repo, snapshot: snapshot.id },
    setup_patch: makeFilePatch("greet.py", GREET_BEFORE, GREET_START),
    instruction: "Put the docstring of greet back.",
    gold: {
      file: "greet.py",
      key: "greet",
      qualifiedName: "greet.py::greet",
      name: "greet",
      kind: "function",
      docstring: "Say hello.",
      docstring_raw: '"""Say hello."""',
      distractors: [],
      patch: makeFilePatch("greet.py", GREET_START, GREET_BEFORE),
      expected: GREET_BEFORE,
    },
    meta: { generator_version: "test", seed: i, difficulty: {}, validity: { gold: true, null: true, hacks: {} } },
  }));
  const instancesPath = join(root, "instances.jsonl");
  writeFileSync(instancesPath, instances.map((i) => JSON.stringify(i) + "\n").join(""));
  for (const l of extraLines) appendFileSync(instancesPath, l + "\n");
  return { store, instances, instancesPath };
}

// What a correct model does on this task, as the scripted server's reply to a request: edit, then finish.
// Stateless (decided from the conversation length) so concurrent episodes can share one server.
export function solvingReply(body: unknown): { name: string; args: Record<string, unknown> } {
  const messages = (body as { messages: { role: string }[] }).messages;
  const system = messages[0] as { content?: string } | undefined;
  const ws = /at (\/workspace\/[^;\s]+)/.exec(system?.content ?? "")?.[1] ?? "/workspace/demo";
  if (messages.length <= 2) {
    return {
      name: "str_replace_editor",
      args: { command: "str_replace", path: `${ws}/greet.py`, old_str: "def greet(name):\n", new_str: 'def greet(name):\n    """Say hello."""\n' },
    };
  }
  return { name: "finish", args: { message: "done" } };
}

export function toolNames(tools: ToolSchema[]): string[] {
  return tools.map((t) => t.function.name);
}
