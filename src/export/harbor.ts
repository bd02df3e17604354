// `hgym export-tasks --format harbor`: one Harbor task folder per instance (Harbor's task layout:
// https://harborframework.com/docs/tasks, task.toml fields as in its "hello" examples):
//
//   instruction.md          the instance's instruction, plus where the repository is
//   task.toml               version, metadata (family, language, instance id), verifier/agent/environment limits
//   environment/Dockerfile  the starting state only: workspace.tar (snapshot + setup patch, one git commit, none
//                           of the original history, no gold) unpacked at /workspace/<repo>, plus hgym itself
//   tests/test.sh           runs `hgym harbor-verify`, which scores the final workspace with hgym's verifier and
//                           writes /logs/verifier/reward.txt (Harbor reads the reward from there)
//   tests/instance.json     the instance WITH its gold, tests/start.json the trusted start commit, tests/store/
//                           the repository snapshot the verifier rebuilds the starting state from
//   solution/solve.sh       applies solution/gold.patch, the family's gold patch (Harbor's oracle agent runs it)
//
// Why the gold may sit in tests/: Harbor copies tests/ into the container only after the agent has finished (and
// empties /tests first), so the agent never sees it; the image the agent works in is built from environment/
// alone. The verifier diffs the workspace against the start commit recorded in tests/ (not against whatever the
// agent did to .git), exactly as `hgym rollout` collects a result.
// Every script takes its paths from environment variables with Harbor's defaults, so a test (or a user without
// Docker) can run the folder's own scripts against a local copy of the starting state.

import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, isAbsolute, join } from "node:path";
import { runPrefix } from "../core/run-scope.js";
import { instanceLine, type InstanceRecord } from "../core/schemas/instance.js";
import type { SnapshotStore } from "../repo/store.js";
import { materializeWorkspace } from "../repo/workspace.js";
import { packageVersion } from "../runner/versions.js";
import { getTaskFamily } from "../tasks/registry.js";
import { sha256 } from "../util/hash.js";
import { prepareOutputDir, prepareOutputFile, writeOutputFile } from "../util/output-file.js";

export interface HarborExportOptions {
  instances: InstanceRecord[];
  out: string;
  store: SnapshotStore;
  baseImage: string; // must provide node 20+, for hgym
  hgymPackage: string; // what `npm install -g` installs in the image
  hgymTarball?: string; // an `npm pack` tarball copied into each environment/ and installed from there
  agentTimeoutSec: number;
  verifierTimeoutSec: number;
}

export interface HarborTask {
  instance_id: string;
  task: string;
  dir: string; // folder name under out
}

export function harborTaskName(instanceId: string): string {
  const readable = instanceId.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._-]+/, "").slice(-70);
  return `${readable}__${sha256(instanceId).slice(0, 8)}`;
}

// TOML basic strings take JSON's escapes (\" \\ \n \t \uXXXX), so JSON.stringify writes a valid TOML string.
const tomlString = (s: string): string => JSON.stringify(s);

export function taskToml(instance: InstanceRecord, opts: Pick<HarborExportOptions, "agentTimeoutSec" | "verifierTimeoutSec">): string {
  return [
    'version = "1.0"',
    "",
    "[metadata]",
    `author_name = ${tomlString("hybrid-gym")}`,
    `category = ${tomlString(instance.task)}`,
    `tags = [${["hybrid-gym", instance.task, instance.language].map(tomlString).join(", ")}]`,
    `hgym_instance_id = ${tomlString(instance.instance_id)}`,
    `hgym_repo = ${tomlString(instance.repo.name)}`,
    `hgym_version = ${tomlString(packageVersion())}`,
    "",
    "[verifier]",
    `timeout_sec = ${opts.verifierTimeoutSec.toFixed(1)}`,
    "",
    "[agent]",
    `timeout_sec = ${opts.agentTimeoutSec.toFixed(1)}`,
    "",
    "[environment]",
    "build_timeout_sec = 900.0",
    "cpus = 1",
    "memory_mb = 4096",
    "storage_mb = 10240",
    "",
  ].join("\n");
}

export function dockerfile(repoName: string, opts: Pick<HarborExportOptions, "baseImage" | "hgymPackage">): string {
  return [
    "# The starting state of one hybrid-gym instance: the repository at /workspace/<repo> as a one-commit git",
    "# repository (no history, no gold), and hgym, whose verifier tests/test.sh runs after the agent finishes.",
    `FROM ${opts.baseImage}`,
    "RUN apt-get update && apt-get install -y --no-install-recommends git python3 ca-certificates && rm -rf /var/lib/apt/lists/*",
    "# This folder (workspace.tar, and hgym's npm tarball when exported with --hgym-tarball) goes to /tmp/hgym-env.",
    "COPY . /tmp/hgym-env/",
    `ARG HGYM_PACKAGE=${opts.hgymPackage}`,
    'RUN npm install -g "$HGYM_PACKAGE"',
    "RUN mkdir -p /workspace && tar -xf /tmp/hgym-env/workspace.tar -C /workspace && rm -rf /tmp/hgym-env",
    `WORKDIR /workspace/${repoName}`,
    "",
  ].join("\n");
}

export function testScript(repoName: string): string {
  return [
    "#!/bin/bash",
    "# Harbor runs this after the agent finishes, with this folder at /tests. It scores the final workspace with",
    "# hybrid-gym's verifier (the same as `hgym verify` and `hgym rollout`) and writes the score to",
    "# $LOG_DIR/reward.txt, the full verdict to $LOG_DIR/reward-details.json. Any failure scores 0.",
    "set -u",
    'TESTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
    `WORKSPACE="\${HGYM_HARBOR_WORKSPACE:-/workspace/${repoName}}"`,
    'LOG_DIR="${HGYM_HARBOR_LOGS:-/logs/verifier}"',
    'HGYM="${HGYM_BIN:-hgym}"',
    'mkdir -p "$LOG_DIR"',
    'rm -f "$LOG_DIR/reward.txt"',
    '# HGYM_BIN may be a command with arguments (e.g. "node /opt/hgym/dist/cli/main.js"), so it is not quoted.',
    '$HGYM harbor-verify --tests "$TESTS_DIR" --workspace "$WORKSPACE" --logs "$LOG_DIR"',
    "status=$?",
    'if [ ! -s "$LOG_DIR/reward.txt" ]; then echo 0 > "$LOG_DIR/reward.txt"; fi',
    'echo "hgym harbor-verify exit status $status, reward $(cat "$LOG_DIR/reward.txt")"',
    "exit 0",
    "",
  ].join("\n");
}

export function solveScript(repoName: string): string {
  return [
    "#!/bin/bash",
    "# The oracle: applies the instance's gold patch to the workspace.",
    "set -euo pipefail",
    'SOLUTION_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
    `cd "\${HGYM_HARBOR_WORKSPACE:-/workspace/${repoName}}"`,
    'if [ -s "$SOLUTION_DIR/gold.patch" ]; then git apply --whitespace=nowarn "$SOLUTION_DIR/gold.patch"; fi',
    "",
  ].join("\n");
}

export function instructionText(instance: InstanceRecord): string {
  return `${instance.instruction.trimEnd()}\n\nThe repository is at /workspace/${instance.repo.name} (the working directory).\n`;
}

function redactSource(source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...source };
  for (const k of ["input", "location"]) if (typeof out[k] === "string" && isAbsolute(out[k])) out[k] = basename(out[k]);
  return out;
}

// The snapshot the instance was made from, as a store of its own (its manifest and the blobs its files use).
function copySnapshot(store: SnapshotStore, snapshotId: string, dest: string): void {
  const snapshot = store.get(snapshotId);
  mkdirSync(join(dest, "snapshots"), { recursive: true });
  // Where the repository was ingested from is a path of this machine; the task folder keeps its base name only
  // (verification reads the snapshot, never its source).
  const manifest = JSON.parse(readFileSync(join(store.root, "snapshots", `${snapshotId}.json`), "utf8")) as { source?: Record<string, unknown> };
  if (manifest.source) manifest.source = redactSource(manifest.source);
  writeFileSync(join(dest, "snapshots", `${snapshotId}.json`), JSON.stringify(manifest));
  for (const f of snapshot.files) {
    const target = join(dest, "blobs", f.blob.slice(0, 2), f.blob);
    mkdirSync(join(dest, "blobs", f.blob.slice(0, 2)), { recursive: true });
    copyFileSync(store.blobPath(f.blob), target);
  }
}

export async function exportHarborTasks(opts: HarborExportOptions): Promise<HarborTask[]> {
  const out = prepareOutputDir(opts.out, { option: "--out" });
  const tasks: HarborTask[] = [];
  const scratch = await mkdtemp(join(tmpdir(), `${runPrefix()}-harbor-`));
  try {
    for (const instance of opts.instances) {
      const name = harborTaskName(instance.instance_id);
      const dir = join(out, name);
      const file = (rel: string) => prepareOutputFile(join(dir, rel), { option: "--out" });
      const snapshot = opts.store.get(instance.repo.snapshot);
      // A copy: this workspace is read once (tar), so a shared overlay base would only add a mount.
      const ws = await materializeWorkspace(opts.store, snapshot, instance.setup_patch, { root: scratch, mode: "copy" });
      try {
        // Fixed owner, order and times: the same instance gives the same tar.
        const tar = file("environment/workspace.tar");
        execFileSync("tar", ["--sort=name", "--mtime=@946684800", "--owner=0", "--group=0", "--numeric-owner", "-cf", tar, "-C", join(ws.dir, ".."), ws.name]);
        const pkg = opts.hgymTarball ? `/tmp/hgym-env/${basename(opts.hgymTarball)}` : opts.hgymPackage;
        if (opts.hgymTarball) copyFileSync(opts.hgymTarball, file(`environment/${basename(opts.hgymTarball)}`));
        writeOutputFile(file("environment/Dockerfile"), dockerfile(ws.name, { baseImage: opts.baseImage, hgymPackage: pkg }), { option: "--out" });
        writeOutputFile(file("tests/start.json"), JSON.stringify({ commit: ws.commit, repo: ws.name }) + "\n", { option: "--out" });
        for (const [rel, text] of [["tests/test.sh", testScript(ws.name)], ["solution/solve.sh", solveScript(ws.name)]] as const) {
          writeOutputFile(file(rel), text, { option: "--out" });
          chmodSync(join(dir, rel), 0o755);
        }
      } finally {
        await ws.remove();
      }
      writeOutputFile(file("instruction.md"), instructionText(instance), { option: "--out" });
      writeOutputFile(file("task.toml"), taskToml(instance, opts), { option: "--out" });
      const source = isAbsolute(instance.repo.source) ? basename(instance.repo.source) : instance.repo.source;
      writeOutputFile(file("tests/instance.json"), instanceLine({ ...instance, repo: { ...instance.repo, source } }) + "\n", { option: "--out" });
      writeOutputFile(file("solution/gold.patch"), getTaskFamily(instance.task).goldPatch(instance), { option: "--out" });
      copySnapshot(opts.store, instance.repo.snapshot, join(dir, "tests", "store"));
      tasks.push({ instance_id: instance.instance_id, task: instance.task, dir: name });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  writeOutputFile(join(out, "tasks.jsonl"), tasks.map((t) => JSON.stringify(t)).join("\n") + "\n", { option: "--out" });
  return tasks;
}
