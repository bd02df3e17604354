// Helpers shared by this folder's tests (not part of the module's API).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export function makeTempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// Host pids of live processes whose command line contains `needle`.
export function processesWithArg(needle: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, "utf8").replace(/\0/g, " ");
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (cmd.includes(needle) && state !== "Z") out.push(Number(name));
    } catch {
      // exited during the scan
    }
  }
  return out;
}

export function uniqueToken(): string {
  return `${process.pid}${Math.floor(Math.random() * 1e9)}`;
}

// Background commands may still be starting when the shell reports back; poll briefly until `count` show up.
export async function waitForProcesses(needle: string, count: number, timeoutMs = 3000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let found = processesWithArg(needle);
  while (found.length < count && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    found = processesWithArg(needle);
  }
  return found;
}
