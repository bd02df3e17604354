// The viewer's HTTP behaviour over real runs (see test-support/runs.ts): pages and their escaping, filters and
// search in the URL, read-only and loopback-only answers, and a run that grows while it is being viewed.

import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Catalog } from "./catalog.js";
import { startViewer, type RunningViewer } from "./server.js";
import { findSources } from "./sources.js";
import { makeViewerFixture, type ViewerFixture } from "./test-support/runs.js";

let tmp: string;
let fixture: ViewerFixture;
let viewer: RunningViewer;
const savedCache = process.env.HGYM_CACHE;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "hgym-view-server-"));
  process.env.HGYM_CACHE = join(tmp, "cache");
  fixture = await makeViewerFixture(tmp);
  viewer = await startViewer(new Catalog(findSources([tmp])), { host: "127.0.0.1", port: 0 });
}, 120_000);

afterAll(async () => {
  await viewer?.close();
  if (savedCache === undefined) delete process.env.HGYM_CACHE;
  else process.env.HGYM_CACHE = savedCache;
  rmSync(tmp, { recursive: true, force: true });
});

async function get(path: string): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(new URL(path, viewer.url));
  return { status: res.status, body: await res.text(), headers: res.headers };
}

// node:http, because fetch does not let a caller set the Host header.
function rawRequest(method: string, path: string, host: string): Promise<number> {
  const url = new URL(viewer.url);
  return new Promise((resolveStatus, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers: { host } }, (res) => {
      res.resume();
      resolveStatus(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

function rowsOf(body: string): string[] {
  const tbody = /<table class="rollouts">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? "";
  return [...tbody.matchAll(/<a href="(\/run\/[^"]+)">/g)].map((m) => m[1] as string);
}

describe("hgym view over HTTP", () => {
  it("finds the runs, the instance file and the export in a folder and shows them on the overview", async () => {
    const { status, body } = await get("/");
    expect(status).toBe(200);
    expect(body).toMatch(/href="\/rollouts\?run=breaker">breaker<\/a>/);
    expect(body).toMatch(/href="\/rollouts\?run=solver">solver<\/a>/);
    expect(body).toContain('href="/export/openai"');
    expect(body).toContain('href="/instances?file=instances"');
    expect(body).toMatch(/<b>8<\/b>rollouts/);
    expect(body).toMatch(/<b>75\.0%<\/b>success \(6\)/);
  });

  it("serves the analysis charts once the background analysis is done, and filters by failure cause", async () => {
    await viewer.analysis.settled();
    expect(viewer.analysis.status).toBe("ready");
    const chart = await get("/analysis/components-by-teacher.svg");
    expect(chart.status).toBe(200);
    expect(chart.headers.get("content-type")).toContain("image/svg+xml");
    expect(chart.body).toContain("breaker-model");
    expect((await get("/analysis/nope.svg")).status).toBe(404);
    // The breaker's failures made no exploration before editing the wrong file.
    expect(rowsOf((await get("/rollouts?cause=insufficient_exploration")).body)).toEqual(["/run/breaker/1", "/run/breaker/3"]);
    expect((await get("/")).body).toContain('src="/analysis/overview.svg"');
  });

  it("escapes record text everywhere and sends a policy that forbids inline scripts", async () => {
    const { body, headers } = await get("/run/breaker/1");
    expect(body).not.toMatch(/<script>window/);
    expect(body).not.toMatch(/<img src=x/);
    expect(body).toContain("&lt;script&gt;window.__xss = 1;");
    expect(headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(body.match(/<script[^>]*>/g)).toEqual(['<script src="/assets/app.js" defer>']);
    // The violation, its record's message and what the rule means.
    expect(body).toContain("<b>other-file</b>");
    expect(body).toContain("changed util.py");
    expect(body).toContain("Only the target file may change in this task.");
  });

  it("filters, searches and pages through the URL", async () => {
    expect(rowsOf((await get("/rollouts")).body)).toHaveLength(8);
    expect(rowsOf((await get("/rollouts?success=no")).body)).toEqual(["/run/breaker/1", "/run/breaker/3"]);
    expect(rowsOf((await get("/rollouts?run=solver&success=no")).body)).toEqual([]);
    expect(rowsOf((await get("/rollouts?violation=other-file&run=breaker")).body)).toHaveLength(2);
    expect(rowsOf((await get("/rollouts?violation=none")).body)).toHaveLength(6);
    expect(rowsOf((await get("/rollouts?q=tiny%2F3")).body)).toEqual(["/run/breaker/4", "/run/solver/4"]);
    // Full text: the tool output only the breaker's failed rollouts printed; quotes match their JSON-escaped form.
    expect(rowsOf((await get(`/rollouts?text=${encodeURIComponent("document.title = 'pwned'")}`)).body)).toEqual(["/run/breaker/1", "/run/breaker/3"]);
    expect(rowsOf((await get(`/rollouts?text=${encodeURIComponent('onerror="window')}`)).body)).toEqual(["/run/breaker/1", "/run/breaker/3"]);
    expect(rowsOf((await get("/rollouts?sort=-steps")).body)[0]).toMatch(/^\/run\/solver\//);
    const filtered = (await get("/rollouts?success=no&page=7")).body; // past the end: the last page
    expect(filtered).toContain("page 1 of 1");
    expect(filtered).toMatch(/<option value="no" selected>/);
    // Unknown values are ignored, not errors: a link from another version still opens.
    expect((await get("/rollouts?sort=sideways&success=maybe&page=-3")).status).toBe(200);
  });

  it("compares the two runs on their shared instances", async () => {
    const { body } = await get("/compare?a=solver&b=breaker&outcome=only-a");
    expect(body).toContain("4 shared instances");
    expect(body).toContain("only A: 2");
    expect(body).toContain("both solved: 2");
    const rows = /<table class="compare">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? "";
    expect([...rows.matchAll(/<tr><td>(tiny\/\d)<\/td>/g)].map((m) => m[1])).toEqual(["tiny/0", "tiny/2"]);
  });

  it("shows instances, the export and its rows", async () => {
    const inst = await get("/instance/instances/2");
    expect(inst.body).toContain("<h1>tiny/1</h1>");
    expect(inst.body).toContain("Put the docstring of greet back.");
    expect(inst.body).toContain('href="/run/solver/2"');
    const exp = await get("/export/openai");
    expect(exp.body).toContain("4 of 4 records");
    expect((await get("/export/openai/1")).body).toContain("#0 system");
  });

  it("is read-only, answers only loopback names, and says what is missing", async () => {
    expect(await rawRequest("POST", "/", "127.0.0.1")).toBe(405);
    expect(await rawRequest("DELETE", "/run/solver/1", "localhost")).toBe(405);
    expect(await rawRequest("GET", "/", "evil.example")).toBe(403);
    expect(await rawRequest("GET", "/", "evil.example:80")).toBe(403);
    expect(await rawRequest("GET", "/", `localhost:${new URL(viewer.url).port}`)).toBe(200);
    const missing = await get("/run/solver/99");
    expect(missing.status).toBe(404);
    expect(missing.body).toContain("No rollout solver/99");
    expect((await get("/run/nope/1")).status).toBe(404);
    expect((await get("/no/such/page")).status).toBe(404);
  });

  it("follows a run that grows while it is viewed, and reports malformed lines", async () => {
    const dir = join(tmp, "growing");
    cpSync(fixture.breakerRun, dir, { recursive: true });
    const catalog = new Catalog(findSources([dir]), 0);
    const run = catalog.runs[0];
    expect(run?.index.entries).toHaveLength(4);
    const lines = readFileSync(join(dir, "rollouts.jsonl"), "utf8").trim().split("\n");
    const extra = JSON.stringify({ ...JSON.parse(lines[0] as string), instance_id: "tiny/9" });
    // A writer's half-written line is not indexed until its newline arrives.
    appendFileSync(join(dir, "rollouts.jsonl"), "not json\n" + extra.slice(0, 100));
    expect(catalog.refresh()).toBe(true);
    expect(run?.index.entries).toHaveLength(4);
    expect(run?.index.badLines).toEqual([{ line: 5, message: expect.stringContaining("not valid JSON") }]);
    appendFileSync(join(dir, "rollouts.jsonl"), extra.slice(100) + "\n");
    expect(catalog.refresh()).toBe(true);
    expect(run?.index.entries.map((e) => e.instance_id)).toEqual(["tiny/0", "tiny/1", "tiny/2", "tiny/3", "tiny/9"]);
    expect(run?.index.get(6)?.instance_id).toBe("tiny/9");
    expect(run?.index.read(run.index.get(6)!).instance_id).toBe("tiny/9");
    expect(catalog.refresh()).toBe(false);
    // An infrastructure failure retried later: the retry settles the pair, the failed attempt stays reachable.
    const base = JSON.parse(lines[1] as string) as Record<string, unknown>;
    appendFileSync(
      join(dir, "rollouts.jsonl"),
      JSON.stringify({ ...base, instance_id: "tiny/8", failure: "infra", exit_reason: "infra_error", reward: null, error: "sandbox died" }) +
        "\n" +
        JSON.stringify({ ...base, instance_id: "tiny/8", attempt: 2 }) +
        "\n",
    );
    expect(catalog.refresh()).toBe(true);
    const tiny8 = run?.index.entries.filter((e) => e.instance_id === "tiny/8").map((e) => [e.attempt, e.failure, e.current]);
    expect(tiny8).toEqual([
      [1, "infra", false],
      [2, "none", true],
    ]);
  });
});
