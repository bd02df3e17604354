// The server's OpenAPI 3.1 document, written by hand next to the routes (app.ts) and served at /openapi.json. A
// test checks that every route the app answers is in it and that the documented status codes are the ones sent.

const error = { description: "refused: {\"error\": message}", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
const json = (ref: string, description: string) => ({ description, content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } });
const episodeId = { name: "id", in: "path", required: true, schema: { type: "string" } };

export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "hgym serve",
      version,
      description:
        "hybrid-gym tasks as an RL environment. Create an episode, send the model's tool calls (OpenAI shape) as steps, " +
        "read the observations; the episode ends when the model calls `finish`, a limit is reached, or the client calls " +
        "/finish, and the answer carries the reward of the same verifier as offline rollouts. Every /v1 route needs " +
        "`Authorization: Bearer <token>` when the server was started with a token.",
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        Error: { type: "object", required: ["error"], properties: { error: { type: "string" } } },
        ToolCall: {
          type: "object",
          required: ["function"],
          properties: {
            id: { type: "string", description: "answered by the tool message with this tool_call_id; made up when absent" },
            type: { const: "function" },
            function: {
              type: "object",
              required: ["name", "arguments"],
              properties: { name: { type: "string" }, arguments: { oneOf: [{ type: "string", description: "JSON text" }, { type: "object" }] } },
            },
          },
        },
        Message: { type: "object", description: "an OpenAI chat message (system, user, assistant with tool_calls, tool)", required: ["role"] },
        Reward: {
          type: "object",
          required: ["success", "score", "metrics", "violations"],
          properties: { success: { type: "boolean" }, score: { type: "number" }, metrics: { type: "object" }, violations: { type: "array" }, mode: { type: "string" } },
        },
        Observation: {
          type: "object",
          properties: {
            messages: { type: "array", items: { $ref: "#/components/schemas/Message" }, description: "system prompt and instruction" },
            tools: { type: "array", description: "the tool schemas in OpenAI function format" },
            instruction: { type: "string" },
            workspace_path: { type: "string" },
          },
        },
        Ending: {
          type: "object",
          properties: {
            done: { type: "boolean" },
            terminated: { type: "boolean", description: "ended by finish or a model failure (stuck, no tool calls)" },
            truncated: { type: "boolean", description: "ended by a limit (max steps, wall time)" },
            exit_reason: { type: ["string", "null"] },
            reward: { oneOf: [{ $ref: "#/components/schemas/Reward" }, { type: "null" }] },
            error: { type: ["string", "null"] },
          },
        },
        Created: {
          type: "object",
          properties: { episode_id: { type: "string" }, instance_id: { type: "string" }, task: { type: "string" }, sample: { type: "integer" }, observation: { $ref: "#/components/schemas/Observation" } },
        },
        StepResult: {
          allOf: [
            { $ref: "#/components/schemas/Ending" },
            {
              type: "object",
              properties: {
                messages: { type: "array", items: { $ref: "#/components/schemas/Message" }, description: "tool results (one per call) and reminders, in order" },
                steps: { type: "array", description: "the actions run, each with tool, error, duration_ms" },
                tool_ms: { type: "number", description: "time spent running the tools" },
                server_ms: { type: "number", description: "time the server spent on the request" },
              },
            },
          ],
        },
        EpisodeState: {
          allOf: [
            { $ref: "#/components/schemas/Ending" },
            {
              type: "object",
              properties: {
                episode_id: { type: "string" },
                instance_id: { type: "string" },
                status: { enum: ["starting", "ready", "busy", "finished", "failed", "closed", "expired"] },
                steps: { type: "integer" },
                created_at: { type: "string" },
                idle_s: { type: "number" },
                messages: { type: "array", description: "with ?messages=true" },
              },
            },
          ],
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      "/health": { get: { security: [], summary: "liveness", responses: { "200": { description: "ok" } } } },
      "/openapi.json": { get: { security: [], summary: "this document", responses: { "200": { description: "OpenAPI 3.1" } } } },
      "/v1/status": { get: { summary: "slots, queue, episodes by status, episodes lost in a restart", responses: { "200": { description: "status" }, "401": error } } },
      "/v1/instances": { get: { summary: "the loaded instances (id, task, language, repo)", responses: { "200": { description: "list" }, "401": error } } },
      "/v1/episodes": {
        get: { summary: "list episodes", responses: { "200": { description: "list" }, "401": error } },
        post: {
          summary: "create an episode (waits for a free slot when all are in use)",
          requestBody: {
            required: true,
            content: { "application/json": { schema: { oneOf: [{ type: "object", required: ["instance_id"], properties: { instance_id: { type: "string" } } }, { type: "object", required: ["instance"], properties: { instance: { type: "object", description: "an instance line as hgym generate writes it" } } }] } } },
          },
          responses: { "201": json("Created", "created; the initial observation"), "400": error, "401": error, "404": error, "413": error, "429": error, "503": error },
        },
      },
      "/v1/episodes/{id}": {
        parameters: [episodeId],
        get: { summary: "episode state", parameters: [{ name: "messages", in: "query", schema: { type: "boolean" } }], responses: { "200": json("EpisodeState", "state"), "401": error, "404": error, "410": error } },
        delete: { summary: "close: stop an open episode (nothing recorded) or forget an ended one", responses: { "200": json("EpisodeState", "closed"), "401": error, "404": error, "410": error } },
      },
      "/v1/episodes/{id}/step": {
        parameters: [episodeId],
        post: {
          summary: "run one assistant turn's tool calls",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["tool_calls"],
                  properties: {
                    tool_calls: { type: "array", items: { $ref: "#/components/schemas/ToolCall" } },
                    content: { type: ["string", "null"] },
                    reasoning_content: { type: "string" },
                    usage: { type: "object", properties: { prompt_tokens: { type: "integer" }, completion_tokens: { type: "integer" } } },
                  },
                },
              },
            },
          },
          responses: { "200": json("StepResult", "observations; reward when the turn ended the episode"), "400": error, "401": error, "404": error, "409": error, "410": error, "413": error },
        },
      },
      "/v1/episodes/{id}/finish": {
        parameters: [episodeId],
        post: { summary: "end the episode now and score the workspace", responses: { "200": json("Ending", "the reward"), "401": error, "404": error, "409": error, "410": error } },
      },
    },
  };
}
