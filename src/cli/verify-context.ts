// The verification context the commands build once, at the edge, from the user's settings: the snapshot store
// they use, the sandbox that runs func-gen exec tests (HGYM_VERIFY_SANDBOX: bwrap, docker, local or auto, the
// default), and the judge model's endpoint (the instance's overrides, then OPENAI_BASE_URL / OPENAI_API_KEY /
// HGYM_MODEL). Everything below the commands receives it; nothing below reads these variables.

import { resolveEndpoint } from "../agent/model-client.js";
import type { SnapshotStore } from "../repo/store.js";
import { defaultWorkspaceRoot } from "../repo/workspace.js";
import { createSandbox } from "../sandbox/index.js";
import { createVerifyContext, type VerifyContext } from "../tasks/verify-context.js";
import { verifySandboxBackend } from "./verify-sandbox.js";

export function verifyContextFromEnvironment(store: SnapshotStore, env: NodeJS.ProcessEnv): VerifyContext {
  return createVerifyContext({
    store,
    sandbox: createSandbox(verifySandboxBackend(env)),
    workspaceRoot: defaultWorkspaceRoot(env),
    modelEndpoint: (overrides) => resolveEndpoint(overrides, env),
  });
}
