// Version strings recorded in run and export manifests, so a dataset says which code produced it.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { packageVersion } from "../util/version.js";

export { packageVersion };

let deps: Record<string, string> | null = null;

// package.json sits two levels above both src/runner/ and dist/runner/.
function dependencies(): Record<string, string> {
  if (deps) return deps;
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  deps = pkg.dependencies ?? {};
  return deps;
}

// hgym's version, Node's, and the pinned versions of the dependencies that shape a rollout or an export.
export function toolVersions(): Record<string, string> {
  const out: Record<string, string> = { "hybrid-gym": packageVersion(), node: process.versions.node };
  for (const name of ["openai", "hyparquet-writer", "web-tree-sitter", "typescript", "pyright"]) {
    const v = dependencies()[name];
    if (v) out[name] = v;
  }
  return out;
}
