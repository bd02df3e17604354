// `hgym gc [--dry-run]`: remove what dead hgym runs left on this machine (workspaces, temp dirs, episode cgroups),
// and the quiet start-up sweep that the commands which create such things run first. Where to look is decided
// here, at the edge, from the user's environment ($HGYM_WORKSPACES, $TMPDIR, our own cgroups).
import { tmpdir } from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { ownCgroupDirs } from "../gc/cgroup-dirs.js";
import { sweepLeftovers, type LeftoverRoots, type SweepResult } from "../gc/leftovers.js";
import { defaultStoreRoot } from "../repo/store.js";
import { defaultWorkspaceRoot } from "../repo/workspace.js";
import { evictBases } from "../repo/overlay-bases.js";
import { formatTable } from "../util/table.js";

export function leftoverRoots(env: NodeJS.ProcessEnv): LeftoverRoots {
  // The store root may come from --cache, which main.ts puts into HGYM_CACHE before any command runs.
  return {
    workspaceRoot: defaultWorkspaceRoot(env),
    tmpDir: tmpdir(),
    storeTmpDir: path.join(env.HGYM_CACHE?.trim() ? env.HGYM_CACHE : defaultStoreRoot(), "tmp"),
    cgroupRoots: ownCgroupDirs(),
  };
}

export function formatMegabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

// Run before a command that creates workspaces, temp dirs or cgroups: one line on stderr when it removed
// something, nothing otherwise. A failure never stops the command (`hgym gc` shows it).
export async function sweepAtStartup(roots: LeftoverRoots, write: (line: string) => void = (l) => process.stderr.write(l)): Promise<SweepResult | null> {
  let result: SweepResult;
  try {
    result = await sweepLeftovers(roots);
  } catch {
    return null;
  }
  if (result.removed.length > 0) write(`hgym: removed ${result.removed.length} leftovers of dead runs (${formatMegabytes(result.bytes)})\n`);
  return result;
}

export function formatSweep(result: SweepResult, dryRun: boolean): string {
  const lines: string[] = [];
  if (result.removed.length > 0) {
    const rows: (string | number)[][] = [["kind", "path", "dead pid", "size"]];
    for (const l of result.removed) {
      rows.push([l.kind, l.path, l.run.pid, l.kind === "cgroup" ? (l.killed > 0 ? `${l.killed} processes ${dryRun ? "running" : "killed"}` : "-") : formatMegabytes(l.bytes)]);
    }
    lines.push(...formatTable(rows, { rule: true }));
  }
  const verb = dryRun ? "would remove" : "removed";
  lines.push(`${verb} ${result.removed.length} leftovers of dead runs (${formatMegabytes(result.bytes)})`);
  return `${lines.join("\n")}\n`;
}

export function register(program: Command): void {
  program
    .command("gc")
    .description("Remove what dead hgym runs left on this machine: workspaces, temp dirs, episode cgroups (never a running hgym's).")
    .option("--dry-run", "only list what would be removed", false)
    .action(async (opts: { dryRun: boolean }) => {
      const roots = leftoverRoots(process.env);
      const result = await sweepLeftovers({ ...roots, dryRun: opts.dryRun });
      process.stdout.write(formatSweep(result, opts.dryRun));
      // Overlay workspace bases (repo/overlay-bases.ts) that no mounted workspace uses and no run used lately.
      if (roots.workspaceRoot) {
        const bases = await evictBases(roots.workspaceRoot, { maxBytes: 0, dryRun: opts.dryRun });
        const bytes = bases.removed.reduce((s, b) => s + b.bytes, 0);
        if (bases.removed.length > 0) process.stdout.write(`${opts.dryRun ? "would remove" : "removed"} ${bases.removed.length} unused workspace bases (${formatMegabytes(bytes)})\n`);
        result.failed.push(...bases.failed);
      }
      for (const f of result.failed) {
        process.stderr.write(`hgym gc: could not remove ${f.path}: ${f.reason} (remove it as its owner, or run hgym gc as root)\n`);
      }
      if (result.failed.length > 0) process.exitCode = 1;
    });
}
