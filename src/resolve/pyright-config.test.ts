import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allPlatformsConfigText, writeAllPlatformsConfig } from "./pyright-config.js";

const STRICT = { strictListInference: true, strictDictionaryInference: true, strictSetInference: true };

describe("pyright all-platforms config", () => {
  it("creates a config when the repository has none", () => {
    expect(JSON.parse(allPlatformsConfigText(null))).toEqual({ pythonPlatform: "All", ...STRICT });
  });

  it("keeps the repository's settings, overrides its platform, and drops platform pins of execution environments", () => {
    const existing = `{
      // a JSONC comment with "quotes"
      "include": ["src"], /* block */ "pythonPlatform": "Linux",
      "executionEnvironments": [{ "root": "src", "pythonPlatform": "Windows", "pythonVersion": "3.9" }]
    }`;
    expect(JSON.parse(allPlatformsConfigText(existing))).toEqual({
      include: ["src"],
      pythonPlatform: "All",
      ...STRICT,
      executionEnvironments: [{ root: "src", pythonVersion: "3.9" }],
    });
  });

  it("replaces a config that is not a JSON object", () => {
    expect(JSON.parse(allPlatformsConfigText("[1, 2"))).toEqual({ pythonPlatform: "All", ...STRICT });
  });

  it("writes pyrightconfig.json into a scratch directory", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hgym-pyconf-"));
    try {
      writeFileSync(path.join(dir, "pyrightconfig.json"), '{ "extraPaths": ["lib"] }');
      writeAllPlatformsConfig(dir);
      expect(JSON.parse(readFileSync(path.join(dir, "pyrightconfig.json"), "utf8"))).toEqual({ extraPaths: ["lib"], pythonPlatform: "All", ...STRICT });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
