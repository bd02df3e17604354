// The HTTP side of `hgym serve`: a hono app over an EpisodeManager. JSON in, JSON out; every refusal is
// {"error": message} with a 4xx status (503 when an episode's sandbox or workspace could not be set up). /health
// and /openapi.json are public; every /v1 route needs the bearer token when there is one. Bodies are capped in
// size before they are read.

import { serve, type ServerType } from "@hono/node-server";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createHash, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { ExitReason, RolloutRecord } from "../agent/types.js";
import type { ServedEpisode } from "./episode.js";
import type { EpisodeManager } from "./episodes.js";
import { ServeError } from "./errors.js";
import { openApiDocument } from "./openapi.js";
import { assistantMessageOf, createBodySchema, parseBody, parsePostedInstance, stepBodySchema } from "./requests.js";

export interface AppOptions {
  token: string | null;
  maxBodyBytes: number;
  version: string;
}

const TRUNCATING: readonly ExitReason[] = ["max_steps", "max_cost", "wall_time", "infra_error"];

// How an ended episode reads to a gym-style client: terminated (the episode's own end: finish, or the model's
// failure) or truncated (a limit, or the infrastructure).
export function ending(ep: ServedEpisode): Record<string, unknown> {
  const rec: RolloutRecord | null = ep.record;
  const done = !ep.open;
  const reason = rec?.exit_reason ?? null;
  const truncated = done && (reason === null || TRUNCATING.includes(reason));
  return {
    done,
    terminated: done && !truncated,
    truncated,
    exit_reason: reason,
    reward: rec?.reward ?? null,
    error: rec?.error ?? ep.error,
  };
}

function state(ep: ServedEpisode, withMessages: boolean): Record<string, unknown> {
  return {
    episode_id: ep.id,
    instance_id: ep.instance.instance_id,
    task: ep.instance.task,
    sample: ep.sample,
    status: ep.status,
    steps: ep.stepCount,
    created_at: ep.createdAt.toISOString(),
    idle_s: Math.round((Date.now() - ep.lastActive) / 100) / 10,
    ...ending(ep),
    ...(withMessages ? { messages: ep.messages } : {}),
  };
}

function sameToken(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

async function jsonBody(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new ServeError(400, `send the body as JSON with content-type: application/json (got "${type || "none"}")`);
  try {
    return await c.req.json();
  } catch {
    throw new ServeError(400, "the body is not valid JSON");
  }
}

export function createServeApp(manager: EpisodeManager, opts: AppOptions): Hono {
  const app = new Hono();
  const doc = openApiDocument(opts.version);

  app.onError((err, c) => {
    if (err instanceof ServeError) return c.json({ error: err.message }, err.status);
    return c.json({ error: `internal error: ${err.message}` }, 500);
  });
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path} (see /openapi.json)` }, 404));

  app.get("/health", (c) => c.json({ ok: true, version: opts.version }));
  app.get("/openapi.json", (c) => c.json(doc));

  app.use("/v1/*", async (c, next) => {
    if (opts.token !== null) {
      const header = c.req.header("authorization") ?? "";
      const m = /^Bearer (.+)$/.exec(header);
      if (!m?.[1] || !sameToken(m[1], opts.token)) {
        c.header("WWW-Authenticate", 'Bearer realm="hgym"');
        return c.json({ error: "missing or wrong bearer token: send Authorization: Bearer <the token the server was started with>" }, 401);
      }
    }
    await next();
  });
  app.use(
    "/v1/*",
    bodyLimit({ maxSize: opts.maxBodyBytes, onError: (c) => c.json({ error: `request body over ${opts.maxBodyBytes} bytes (--max-body)` }, 413) }),
  );

  app.get("/v1/status", (c) => c.json(manager.status()));
  app.get("/v1/instances", (c) =>
    c.json({ instances: manager.listInstances().map((i) => ({ instance_id: i.instance_id, task: i.task, language: i.language, repo: i.repo.name })) }),
  );

  app.get("/v1/episodes", (c) => c.json({ episodes: manager.list().map((ep) => state(ep, false)) }));

  app.post("/v1/episodes", async (c) => {
    const body = parseBody(createBodySchema, await jsonBody(c), "episode request (send {\"instance_id\": ...} or {\"instance\": {...}})");
    const instance = "instance_id" in body ? manager.instance(body.instance_id) : parsePostedInstance(body.instance);
    const ep = await manager.create(instance, c.req.raw.signal);
    return c.json({ episode_id: ep.id, instance_id: instance.instance_id, task: instance.task, sample: ep.sample, observation: ep.observation }, 201);
  });

  app.get("/v1/episodes/:id", (c) => c.json(state(manager.get(c.req.param("id")), /^(1|true)$/.test(c.req.query("messages") ?? ""))));

  app.delete("/v1/episodes/:id", async (c) => c.json(state(await manager.close(c.req.param("id")), false)));

  app.post("/v1/episodes/:id/step", async (c) => {
    const started = performance.now();
    const ep = manager.get(c.req.param("id"));
    const body = parseBody(stepBodySchema, await jsonBody(c), "step (send {\"tool_calls\": [{\"id\", \"type\": \"function\", \"function\": {\"name\", \"arguments\"}}]})");
    const { message, usage } = assistantMessageOf(body, ep.stepCount);
    const out = await ep.step(message, usage, body);
    return c.json({ messages: out.messages, steps: out.steps, tool_ms: out.tool_ms, ...ending(ep), server_ms: Math.round((performance.now() - started) * 10) / 10 });
  });

  app.post("/v1/episodes/:id/finish", async (c) => {
    const ep = manager.get(c.req.param("id"));
    await ep.finish();
    return c.json(ending(ep));
  });

  return app;
}

export interface RunningServer {
  url: string;
  server: ServerType;
  close(): Promise<void>;
}

export async function listen(app: Hono, host: string, port: number): Promise<RunningServer> {
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s));
    s.once("error", reject);
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shown}:${addr.port}`,
    server,
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
}
