// A small hgym run for the leftovers tests, started as its own process: it makes what a rollout makes on the
// host (a workspace, a dep-search temp dir, a bwrap episode with its temp dir and cgroups) with the real code,
// says where on stdout, and then waits to be killed. Protocol, one line each:
//   stdin "go"   -> start; stdout {"ready": true, "prefix", "workspace", "tempDir"}
//   stdin "ping" -> run a command in the episode; stdout {"pong": <its output>}
//   SIGTERM      -> close the episode, remove what it made, exit 0
// Arguments: <store root> <snapshot id> <workspace root>. Temp dirs go to $TMPDIR.
import { rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { runPrefix } from "../../core/run-scope.js";
import { snapshotView, SnapshotStore } from "../../repo/store.js";
import { materializeWorkspace } from "../../repo/workspace.js";
import { createSandbox } from "../../sandbox/index.js";
import { materializeView } from "../../tasks/dep-search/resolution.js";

const [storeRoot, snapshotId, workspaceRoot] = process.argv.slice(2);
if (!storeRoot || !snapshotId || !workspaceRoot) {
  process.stderr.write("usage: leaving-run.ts <store root> <snapshot id> <workspace root>\n");
  process.exit(2);
}

const say = (record: object): void => void process.stdout.write(`${JSON.stringify(record)}\n`);

async function start() {
  const store = new SnapshotStore(storeRoot as string);
  const snapshot = store.get(snapshotId as string);
  const workspace = await materializeWorkspace(store, snapshot, "", { root: workspaceRoot });
  const tempDir = materializeView(snapshotView(store, snapshot));
  const episode = await createSandbox("bwrap").start({ hostWorkspace: workspace.dir, workspacePath: `/workspace/${workspace.name}` });
  return { workspace, tempDir, episode };
}

let run: Awaited<ReturnType<typeof start>> | null = null;
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  void (async () => {
    if (line === "go") {
      run = await start();
      say({ ready: true, prefix: runPrefix(), workspace: run.workspace.dir, tempDir: run.tempDir });
    } else if (line === "ping" && run) {
      say({ pong: (await run.episode.run("echo pong from $(pwd)")).output });
    }
  })().catch((err: unknown) => {
    process.stderr.write(`leaving-run: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
});
process.on("SIGTERM", () => {
  void (async () => {
    if (run) {
      await run.episode.close();
      await run.workspace.remove();
      rmSync(run.tempDir, { recursive: true, force: true });
    }
    process.exit(0);
  })();
});
