// Reading the instance file for a run. A malformed line is reported by its line number and skipped, so one bad
// line never stops a batch; the file's sha256 goes into run.json so a resume can tell it is the same set.

import { readFileSync } from "node:fs";
import { UserError } from "../repo/types.js";
import type { Instance } from "../tasks/types.js";
import { sha256 } from "../util/hash.js";

export interface InstanceProblem {
  line: number; // 1-based
  message: string;
}

export interface LoadedInstances {
  path: string;
  sha256: string;
  instances: Instance[]; // in file order; the first of duplicate ids wins
  problems: InstanceProblem[];
}

function problemWith(value: unknown): string | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "not a JSON object";
  const v = value as Record<string, unknown>;
  for (const key of ["instance_id", "task", "language", "setup_patch", "instruction"]) {
    if (typeof v[key] !== "string") return `field "${key}" is missing or not a string`;
  }
  if (!v.instance_id) return `field "instance_id" is empty`;
  const repo = v.repo as Record<string, unknown> | undefined;
  if (!repo || typeof repo !== "object") return `field "repo" is missing`;
  for (const key of ["name", "commit", "snapshot"]) {
    if (typeof repo[key] !== "string") return `field "repo.${key}" is missing or not a string`;
  }
  if (!("gold" in v)) return `field "gold" is missing`;
  return null;
}

export function loadInstances(path: string): LoadedInstances {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UserError(`cannot read the instance file ${path}: ${(e as Error).message}`);
  }
  const instances: Instance[] = [];
  const problems: InstanceProblem[] = [];
  const seen = new Set<string>();
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      problems.push({ line: i + 1, message: `not valid JSON (${(e as Error).message})` });
      return;
    }
    const problem = problemWith(value);
    if (problem) {
      problems.push({ line: i + 1, message: problem });
      return;
    }
    const inst = value as Instance;
    if (seen.has(inst.instance_id)) {
      problems.push({ line: i + 1, message: `duplicate instance_id "${inst.instance_id}" (the first one is used)` });
      return;
    }
    seen.add(inst.instance_id);
    instances.push(inst);
  });
  return { path, sha256: sha256(text), instances, problems };
}
