import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { generateInstances } from "../common/pipeline.js";
import { makeTempRepo, type TempRepo } from "../common/test-support.js";
import { findLeaks } from "../common/name-words.js";
import { funcLocalize } from "./index.js";
import { describeWithLlm } from "./description.js";

// A real OpenAI-compatible HTTP endpoint, scripted per test: each request pops the next reply.
let server: Server;
let baseURL: string;
let replies: (string | number)[] = [];
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      requests++;
      const next = replies.shift() ?? "Checks the value and gives back a cleaned version of it.";
      if (typeof next === "number") {
        res.writeHead(next, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "scripted failure" } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "x",
          object: "chat.completion",
          created: 0,
          model: "test-model",
          choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: next } }],
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const endpoint = () => ({ baseURL, apiKey: "test", model: "test-model" });
const input = { name: "normalize_path", kind: "function", language: "python", code: "def normalize_path(p):\n    return p\n", seed: 1 };

describe("LLM descriptions", () => {
  it("regenerates a description that leaks the name, then accepts a clean one", async () => {
    replies = ["It calls normalize_path on the input.", "Turns a location into an absolute, tidy form."];
    requests = 0;
    const out = await describeWithLlm(endpoint(), input);
    expect(out).toEqual({ ok: true, text: "Turns a location into an absolute, tidy form.", source: "llm:test-model" });
    expect(requests).toBe(2);
  });

  it("drops the instance after three leaking answers", async () => {
    replies = ["Normalizes a path.", "The path gets normalized.", "Returns a normalize result for the path."];
    requests = 0;
    const out = await describeWithLlm(endpoint(), input);
    expect(out).toEqual({ ok: false, reason: "name-leak" });
    expect(requests).toBe(3);
  });

  it("never falls back to the docstring when the endpoint fails", async () => {
    replies = [400];
    const out = await describeWithLlm(endpoint(), input);
    expect(out.ok).toBe(false);
    expect(!out.ok && out.reason).toMatch(/^llm-error/);
  });

  describe("through the generator", () => {
    let repo: TempRepo;
    beforeAll(() => {
      repo = makeTempRepo({
        "lib.py": 'def tidy_value(v):\n    """Strip spaces and lower-case a value."""\n    v = v.strip()\n    return v.lower()\n',
      });
    });
    afterAll(() => repo.cleanup());

    it("records the model as the description source", async () => {
      replies = ["Removes surrounding blanks from a string and lower-cases it."];
      const result = await generateInstances({
        family: funcLocalize,
        repos: [repo.dir],
        store: repo.store,
        seed: 1,
        includeTests: false,
        language: null,
        taskOptions: { distractors: 3, description: "llm", baseURL, model: "test-model", apiKey: "k" },
        log: () => {},
      });
      expect(result.report.totals.dropped).toEqual({});
      expect(result.instances).toHaveLength(1);
      const inst = result.instances[0];
      expect(inst?.meta.description_source).toBe("llm:test-model");
      expect(inst?.instruction).toContain("Removes surrounding blanks from a string and lower-cases it.");
      expect(findLeaks(inst?.meta.description as string, ["tidy_value"])).toEqual([]);
    });
  });
});
