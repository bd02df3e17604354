// The --queue URL and --prefix as users write them, and the one-line errors for the ones that cannot work; the
// reachability check against a real redis-server (right and wrong password, nothing listening).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../core/errors.js";
import { checkPrefix, checkRedisReachable, parseRedisUrl, redactRedisUrl } from "./connection.js";
import { startTestRedis, type TestRedis } from "./test-support/redis-server.js";

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe("parseRedisUrl", () => {
  it("reads host, port, password, user and database", () => {
    expect(parseRedisUrl("redis://:s%40cret@10.0.0.5:6380/2")).toEqual({ host: "10.0.0.5", port: 6380, db: 2, password: "s@cret", maxRetriesPerRequest: null });
    expect(parseRedisUrl("redis://bob:pw@redis-host")).toEqual({ host: "redis-host", port: 6379, db: 0, username: "bob", password: "pw", maxRetriesPerRequest: null });
    expect(parseRedisUrl("redis://[::1]:7000")).toMatchObject({ host: "::1", port: 7000 });
  });

  it("refuses what is not a redis:// URL, naming the option and never the password", () => {
    expect(() => parseRedisUrl("localhost:6379")).toThrow(UserError);
    expect(() => parseRedisUrl("rediss://:pw@h:1")).toThrow(/only redis:\/\/ URLs are supported \(got "rediss:"\)/);
    expect(() => parseRedisUrl("redis://:topsecret@h:1/x")).toThrow(/database after "\/" must be a number/);
    try {
      parseRedisUrl("redis://:topsecret@h:1/x");
    } catch (e) {
      expect((e as Error).message).not.toContain("topsecret");
    }
    expect(redactRedisUrl("redis://bob:pw@h:1")).toBe("redis://bob:***@h:1");
    expect(redactRedisUrl("redis://h:1")).toBe("redis://h:1");
  });

  it("takes plain prefixes only", () => {
    expect(checkPrefix("run-2026.11_a")).toBe("run-2026.11_a");
    for (const bad of ["", "a:b", "-x", "a b", "x".repeat(101)]) expect(() => checkPrefix(bad)).toThrow(/--prefix/);
  });
});

describe("checkRedisReachable", () => {
  it("passes with the password and fails at once, in one line, without it or with nothing listening", async () => {
    await checkRedisReachable(parseRedisUrl(redis.url), redis.url, "p");
    const wrong = `redis://:nope@127.0.0.1:${redis.port}`;
    await expect(checkRedisReachable(parseRedisUrl(wrong), wrong, "p")).rejects.toThrow(/cannot reach the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(prefix p\): .*(WRONGPASS|invalid)/);
    const none = `redis://:x@127.0.0.1:1`;
    await expect(checkRedisReachable(parseRedisUrl(none), none, "p")).rejects.toThrow(/ECONNREFUSED/);
  });
});
