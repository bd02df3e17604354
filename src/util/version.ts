// The package version, read once from package.json (two levels above both src/util/ and dist/util/).

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

let cached: string | null = null;

export function packageVersion(): string {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8")) as {
    version: string;
  };
  cached = pkg.version;
  return cached;
}
