// Instance ids are the join key between instances, patches, rollouts and results, so they must be stable across
// machines and runs: "<task>/<repo-slug>@<commit12>/<target-key>" (docs/DESIGN.md §2), built only from content.

import type { InstanceRepo } from "../types.js";
import type { TaskName } from "../../core/reward.js";

// A repository name reduced to characters that are safe in ids, file names and URLs.
export function repoSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "repo";
}

// `targetKey` names the target inside the repo, e.g. "pkg/mod.py::Class.method"; it may contain "/" and "::".
export function makeInstanceId(task: TaskName | string, repo: Pick<InstanceRepo, "name" | "commit">, targetKey: string): string {
  return `${task}/${repoSlug(repo.name)}@${repo.commit.slice(0, 12)}/${targetKey}`;
}

// The "<file>::<key>" target key most families use.
export function definitionTargetKey(file: string, key: string): string {
  return `${file}::${key}`;
}
