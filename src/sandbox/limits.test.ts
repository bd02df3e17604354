import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, parseLimitSetting, resolveLimits } from "./limits.js";

describe("sandbox limits", () => {
  it("parses NAME=VALUE settings with byte units", () => {
    expect(parseLimitSetting("memoryBytes=8GiB")).toEqual(["memoryBytes", 8 * 1024 ** 3]);
    expect(parseLimitSetting("tmpBytes=256M")).toEqual(["tmpBytes", 256 * 1024 ** 2]);
    expect(parseLimitSetting("workspaceBytes=1.5g")).toEqual(["workspaceBytes", 1.5 * 1024 ** 3]);
    expect(parseLimitSetting("maxProcesses=1024")).toEqual(["maxProcesses", 1024]);
    expect(parseLimitSetting("cpuSecondsPerCommand=600")).toEqual(["cpuSecondsPerCommand", 600]);
  });

  it("names the problem and the accepted names for bad settings", () => {
    expect(() => parseLimitSetting("memory=4G")).toThrow(/NAME one of commandTimeoutMs, .*cpuSecondsPerCommand/);
    expect(() => parseLimitSetting("maxProcesses=10M")).toThrow(/maxProcesses: "10M" is not a positive number/);
    expect(() => parseLimitSetting("tmpBytes=-1")).toThrow(/tmpBytes: "-1" is not a positive number of bytes/);
    expect(() => parseLimitSetting("tmpBytes=")).toThrow(/tmpBytes/);
  });

  it("merges overrides into the defaults and refuses non-positive values", () => {
    expect(resolveLimits({ tmpBytes: 1024 })).toEqual({ ...DEFAULT_LIMITS, tmpBytes: 1024 });
    expect(() => resolveLimits({ workspaceBytes: 0 })).toThrow(/workspaceBytes must be a positive number/);
  });
});
