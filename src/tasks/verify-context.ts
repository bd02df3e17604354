// What a verifier may use besides the instance and the agent's result. It is built once where hgym meets the
// outside world (the CLI, the rollout runner, a bench, a test) and passed down to `TaskFamily.verify` and
// `TaskFamily.prepare`: no verifier reads settings from environment variables, so one process can score
// against two stores, or with two sandboxes, and a test says exactly what the verifier sees.

import type { SnapshotStore } from "../repo/store.js";
import { defaultWorkspaceRoot } from "../repo/workspace.js";
import { createSandbox } from "../sandbox/index.js";
import type { Sandbox } from "../sandbox/types.js";

// An OpenAI-compatible endpoint (the same shape as agent/model-client's Endpoint).
export interface ModelEndpoint {
  baseURL: string;
  apiKey: string;
  model: string;
}

// What an instance may record about the model a verifier asks (func-gen judge: `gold.verify.judge`).
export interface ModelOverrides {
  baseURL?: string;
  model?: string;
}

export interface VerifyContext {
  // The snapshot store the instances' repositories are in. Modes that run code (func-gen exec) rebuild the
  // starting state from it, re-ingesting the recorded source when the snapshot is missing.
  readonly store: SnapshotStore;
  // Where code under verification runs (func-gen exec): each test run is a fresh episode of this sandbox, with
  // the timeout the instance records.
  readonly sandbox: Sandbox;
  // Where the workspaces those tests run in are written (the same root the rollouts use, so `hgym gc` finds
  // what a killed verification left).
  readonly workspaceRoot: string;
  // The endpoint of the model a verifier asks (func-gen judge), given the instance's recorded overrides; null
  // when none is configured (the verifier then scores a failure with the reason, never a silent pass).
  modelEndpoint(overrides: ModelOverrides): ModelEndpoint | null;
  // Set when the caller reads only `success` (the validity gate): a comment-only verifier may then return its
  // failure as soon as the comments-only check has found a violation, without the metrics that need every edited
  // file indexed. The success it returns is the same either way.
  readonly outcomeOnly?: boolean;
}

// `ctx` for a caller that reads only `success` (see VerifyContext.outcomeOnly).
export function outcomeOnlyContext(ctx: VerifyContext): VerifyContext {
  const derived = Object.create(ctx) as { outcomeOnly: boolean };
  derived.outcomeOnly = true;
  return derived as unknown as VerifyContext;
}

export interface VerifyContextOptions {
  store: SnapshotStore;
  sandbox?: Sandbox; // default: the best isolating backend available ("auto": bwrap on Linux, else docker)
  workspaceRoot?: string; // default: defaultWorkspaceRoot with no environment (/dev/shm when usable)
  // default: only the instance's overrides count (a base URL alone is not enough: no model name, no endpoint)
  modelEndpoint?: (overrides: ModelOverrides) => ModelEndpoint | null;
}

export function createVerifyContext(opts: VerifyContextOptions): VerifyContext {
  return {
    store: opts.store,
    sandbox: opts.sandbox ?? createSandbox("auto"),
    workspaceRoot: opts.workspaceRoot ?? defaultWorkspaceRoot({}),
    modelEndpoint: opts.modelEndpoint ?? overridesOnly,
  };
}

function overridesOnly(o: ModelOverrides): ModelEndpoint | null {
  return o.baseURL && o.model ? { baseURL: o.baseURL, apiKey: "EMPTY", model: o.model } : null;
}
