// A process that makes one workspace and then waits, for the overlay tests' crash cases. Prints
// {"dir": <workspace dir>, "mode": <overlay|copy>} on stdout, then: "wait" holds it until killed (SIGKILL leaves the
// mount to the leftover sweep), "exit" calls process.exit(0) with the workspace still open (the exit hook unmounts
// and removes it).
// Arguments: <store root> <snapshot id> <workspace root> <wait|exit>
import { SnapshotStore } from "../store.js";
import { materializeWorkspace } from "../workspace.js";

const [storeRoot, snapshotId, workspaceRoot, then] = process.argv.slice(2);
if (!storeRoot || !snapshotId || !workspaceRoot || (then !== "wait" && then !== "exit")) {
  process.stderr.write("usage: overlay-holder.ts <store root> <snapshot id> <workspace root> <wait|exit>\n");
  process.exit(2);
}
const store = new SnapshotStore(storeRoot);
const ws = await materializeWorkspace(store, store.get(snapshotId), "", { root: workspaceRoot, mode: "overlay" });
process.stdout.write(`${JSON.stringify({ dir: ws.dir, mode: ws.mode })}\n`);
if (then === "exit") process.exit(0);
setInterval(() => undefined, 60_000);
