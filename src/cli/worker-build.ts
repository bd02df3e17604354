// The build queue's job function for `hgym worker`: src/build's per-repository job with this machine's snapshot
// store and a verify context built here (sandbox per job, model endpoint from this machine's environment).

import { resolveEndpoint } from "../agent/model-client.js";
import { runQueuedBuildJob } from "../queue/build-worker.js";
import type { SnapshotStore } from "../repo/store.js";
import { createSandbox } from "../sandbox/index.js";
import { createVerifyContext } from "../tasks/verify-context.js";

export function buildJobProcessor(store: SnapshotStore, log: (m: string) => void, workspaceRoot?: string) {
  return (data: unknown, _signal: AbortSignal): Promise<unknown> =>
    runQueuedBuildJob(data, (sandbox) => ({
      store,
      verify: createVerifyContext({
        store,
        sandbox: createSandbox(sandbox),
        ...(workspaceRoot ? { workspaceRoot } : {}),
        modelEndpoint: (overrides) => resolveEndpoint(overrides, process.env),
      }),
      log: (m) => log(`build: ${m}`),
    }));
}
