import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UserError } from "../core/errors.js";
import { SnapshotStore } from "../repo/store.js";
import { verifyContextFromEnvironment } from "./verify-context.js";
import { verifySandboxBackend } from "./verify-sandbox.js";

const root = mkdtempSync(join(tmpdir(), "hgym-verify-context-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the verify context the commands build from the user's settings", () => {
  it("takes the exec sandbox from HGYM_VERIFY_SANDBOX, auto when unset, and refuses anything else by name", () => {
    expect(verifySandboxBackend({})).toBe("auto");
    expect(verifySandboxBackend({ HGYM_VERIFY_SANDBOX: " local " })).toBe("local");
    expect(() => verifySandboxBackend({ HGYM_VERIFY_SANDBOX: "firecracker" })).toThrow(UserError);
    expect(() => verifySandboxBackend({ HGYM_VERIFY_SANDBOX: "firecracker" })).toThrow(/HGYM_VERIFY_SANDBOX="firecracker".*auto, bwrap, docker, local/);
    const store = new SnapshotStore(join(root, "store"));
    const ctx = verifyContextFromEnvironment(store, { HGYM_VERIFY_SANDBOX: "local" });
    expect(ctx.store).toBe(store);
    expect(ctx.sandbox.backend).toBe("local");
  });

  it("resolves the judge endpoint from the instance's overrides first, then the given environment only", () => {
    const store = new SnapshotStore(join(root, "store"));
    const env = { OPENAI_BASE_URL: "http://judge.invalid/v1", OPENAI_API_KEY: "sk-test", HGYM_MODEL: "env-model" };
    const ctx = verifyContextFromEnvironment(store, env);
    expect(ctx.modelEndpoint({})).toEqual({ baseURL: "http://judge.invalid/v1", apiKey: "sk-test", model: "env-model" });
    expect(ctx.modelEndpoint({ baseURL: "http://other.invalid/v1", model: "m" })).toEqual({ baseURL: "http://other.invalid/v1", apiKey: "sk-test", model: "m" });
    // Nothing configured in the environment it was given: no endpoint, whatever this process's own environment says.
    expect(verifyContextFromEnvironment(store, {}).modelEndpoint({})).toBeNull();
  });
});
