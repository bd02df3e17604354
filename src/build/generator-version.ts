// The generator version of each family (the `meta.generator_version` its instances carry): part of every shard
// key, so a build after a generator change redoes that family's shards and keeps the others.

import type { TaskName } from "../core/reward.js";
import { DEP_SEARCH_VERSION } from "../tasks/dep-search/generate.js";
import { FUNC_GEN_VERSION } from "../tasks/func-gen/generate.js";
import { FUNC_LOCALIZE_VERSION } from "../tasks/func-localize/generate.js";
import { ISSUE_LOCALIZE_VERSION } from "../tasks/issue-localize/generate.js";

const VERSIONS: Record<TaskName, string> = {
  "func-localize": FUNC_LOCALIZE_VERSION,
  "dep-search": DEP_SEARCH_VERSION,
  "func-gen": FUNC_GEN_VERSION,
  "issue-localize": ISSUE_LOCALIZE_VERSION,
};

export function generatorVersion(family: TaskName): string {
  return VERSIONS[family];
}
