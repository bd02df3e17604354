// Where the queue lives: a `redis://[user:password@]host:port[/db]` URL turned into the connection options BullMQ
// and ioredis take, and the key prefix that keeps one run's keys apart from another's on a shared Redis.

import { Redis } from "ioredis";
import { UserError } from "../core/errors.js";

export interface RedisConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  // BullMQ's blocking commands must wait as long as it takes, never give up after N retries.
  maxRetriesPerRequest: null;
}

// The password is never printed: messages and logs show the URL through this.
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, (_m, auth: string) => (auth.includes(":") ? `//${auth.split(":")[0]}:***@` : "//***@"));
}

export function parseRedisUrl(url: string, option = "--queue"): RedisConnection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`${option} ${redactRedisUrl(url)} is not a URL; write redis://[:password@]host:port[/db], e.g. redis://:secret@10.0.0.5:6379`);
  }
  if (u.protocol !== "redis:") {
    throw new UserError(`${option} ${redactRedisUrl(url)}: only redis:// URLs are supported (got "${u.protocol}"); write redis://[:password@]host:port[/db]`);
  }
  if (u.hostname === "") throw new UserError(`${option} ${redactRedisUrl(url)} names no host; write redis://[:password@]host:port[/db]`);
  const port = u.port === "" ? 6379 : Number(u.port);
  const dbText = u.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw new UserError(`${option} ${redactRedisUrl(url)}: the database after "/" must be a number ≥ 0, got "${dbText}"`);
  const conn: RedisConnection = { host: u.hostname.replace(/^\[|\]$/g, ""), port, db, maxRetriesPerRequest: null };
  if (u.username !== "") conn.username = decodeURIComponent(u.username);
  if (u.password !== "") conn.password = decodeURIComponent(u.password);
  return conn;
}

export { DEFAULT_PREFIX } from "./defaults.js";

// BullMQ joins the prefix, the queue name and the job id with ":"; a prefix of plain words keeps keys readable
// and cannot collide with another run's prefix by accident.
export function checkPrefix(prefix: string, option = "--prefix"): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(prefix)) {
    throw new UserError(`${option} "${prefix}": use 1-100 letters, digits, ".", "_" or "-" (starting with a letter or digit), e.g. --prefix run-2026-11-29`);
  }
  return prefix;
}

// The queue names under a prefix: one for rollouts, one for dataset builds.
export const ROLLOUT_QUEUE = "rollout";
export const BUILD_QUEUE = "build";

// One connection attempt, no retries: BullMQ's own clients retry forever (right for a running worker, wrong for a
// wrong password or host at start-up, which must be one clear message and exit 1).
export async function checkRedisReachable(connection: RedisConnection, url: string, prefix: string, timeoutMs = 10_000): Promise<void> {
  const client = new Redis({ ...connection, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, enableOfflineQueue: false });
  // The cause (WRONGPASS, ECONNREFUSED) arrives as an "error" event; the rejected call only says "closed".
  let cause: Error | null = null;
  client.on("error", (err: Error) => (cause ??= err));
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    const reason = (cause ?? (err as Error)).message;
    throw new UserError(`cannot reach the queue at ${redactRedisUrl(url)} (prefix ${prefix}): ${reason}; check the host, port and password, and that redis-server runs`);
  } finally {
    client.disconnect();
  }
}
