// The child process a local build runs its jobs in (`hgym build --jobs N` starts N of them; src/build/pool.ts).
// Each child has its own snapshot-store handle, its own Python front-end worker and at most one pyright language
// server (the one of the repository it works on), so N children bound the memory to N repositories' worth, and
// a child that crashes or runs out of memory takes only its current repository with it. It takes one job at a
// time over IPC, writes that job's shards itself (atomically) and answers with a summary for the progress line.
// It exits when the parent goes away (IPC disconnect), so a killed build leaves no worker behind.

import { resolveEndpoint } from "../agent/model-client.js";
import { SnapshotStore } from "../repo/store.js";
import { createSandbox } from "../sandbox/index.js";
import type { SandboxBackend } from "../sandbox/types.js";
import { createVerifyContext } from "../tasks/verify-context.js";
import { runBuildJob, type BuildJob } from "./job.js";
import { writeShard } from "./shard.js";
import { summarizeShard, type ShardSummary } from "./summary.js";

// What the parent resolved at the command's edge (the children never read settings from the environment
// themselves, so a test or a bench says exactly what they use).
export interface JobProcessSettings {
  storeRoot: string;
  shardDir: string;
  sandbox: SandboxBackend | "auto";
  workspaceRoot: string;
  endpointEnv: Record<string, string>; // OPENAI_BASE_URL / OPENAI_API_KEY / HGYM_MODEL, for judge verification
  verbose: boolean; // forward the pipeline's per-repository log lines
}

export type ParentMessage = { type: "init"; settings: JobProcessSettings } | { type: "job"; id: number; job: BuildJob; done: string[] };

export type ChildMessage =
  | { type: "ready" }
  | { type: "log"; message: string }
  | { type: "result"; id: number; shards: ShardSummary[]; elapsedMs: number }
  | { type: "error"; id: number; message: string };

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function main(): Promise<void> {
  let settings: JobProcessSettings | null = null;
  let store: SnapshotStore | null = null;
  let queue = Promise.resolve();
  process.on("disconnect", () => process.exit(0));
  process.on("message", (message: ParentMessage) => {
    if (message.type === "init") {
      settings = message.settings;
      store = new SnapshotStore(settings.storeRoot);
      void send({ type: "ready" });
      return;
    }
    // One job at a time: the parent sends the next only after the answer, but a queue keeps it true regardless.
    queue = queue.then(async () => {
      if (!settings || !store) throw new Error("job before init");
      const s = settings;
      const verify = createVerifyContext({
        store,
        sandbox: createSandbox(s.sandbox),
        workspaceRoot: s.workspaceRoot,
        modelEndpoint: (overrides) => resolveEndpoint(overrides, s.endpointEnv),
      });
      try {
        const result = await runBuildJob(message.job, {
          store,
          verify,
          done: new Set(message.done),
          log: (m) => {
            if (s.verbose) void send({ type: "log", message: m });
          },
        });
        const summaries = result.shards.map((shard) => {
          writeShard(s.shardDir, shard);
          return summarizeShard(shard);
        });
        await send({ type: "result", id: message.id, shards: summaries, elapsedMs: result.elapsed_ms });
      } catch (e) {
        await send({ type: "error", id: message.id, message: (e as Error).message });
      }
    });
  });
}

void main();
