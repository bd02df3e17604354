// The request bodies the server accepts, checked with zod before anything reaches an episode. A body that does
// not have the OpenAI shape is refused with 400 and the field named; the episode is untouched and takes the next
// step. What a well-formed call asks for (an unknown tool, arguments that are not valid JSON or miss a required
// field) is the model's mistake, answered like offline with an error observation, because that is what an RL
// policy has to learn from.

import { z } from "zod";
import type { AssistantMessage } from "../agent/policy.js";
import type { Usage } from "../agent/types.js";
import { instanceSchema } from "../core/schemas/instance.js";
import type { Instance } from "../tasks/types.js";
import { ServeError } from "./errors.js";

export const createBodySchema = z.union([
  z.object({ instance_id: z.string().min(1) }).strict(),
  z.object({ instance: z.unknown() }).strict(),
]);

const toolCallBodySchema = z
  .object({
    id: z.string().min(1).optional(),
    type: z.literal("function").optional(),
    function: z.object({
      name: z.string().min(1),
      // A JSON string (the OpenAI wire format) or the already-decoded object.
      arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
    }),
  })
  .strict();

export const stepBodySchema = z
  .object({
    tool_calls: z.array(toolCallBodySchema).max(64),
    content: z.string().nullable().optional(),
    reasoning_content: z.string().optional(),
    usage: z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() }).optional(),
  })
  .strict();

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join(".") : "body"}: ${i.message}`)
    .join("; ");
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new ServeError(400, `malformed ${what}: ${describe(r.error)}`);
  return r.data;
}

export function parsePostedInstance(value: unknown): Instance {
  const r = instanceSchema.safeParse(value);
  if (!r.success) throw new ServeError(400, `malformed instance: ${describe(r.error)} (post a line of an instance file made by hgym generate)`);
  return r.data as Instance;
}

// The step body as the assistant message the agent loop records; calls without an id get one.
export function assistantMessageOf(body: z.output<typeof stepBodySchema>, turn: number): { message: AssistantMessage; usage: Usage | null } {
  const ids = new Set<string>();
  const toolCalls = body.tool_calls.map((tc, i) => {
    const id = tc.id ?? `call_${turn}_${i}`;
    if (ids.has(id)) throw new ServeError(400, `malformed step: tool_calls.${i}.id "${id}" is used twice in this step; tool call ids must be unique`);
    ids.add(id);
    const args = typeof tc.function.arguments === "string" ? tc.function.arguments : JSON.stringify(tc.function.arguments);
    return { id, type: "function" as const, function: { name: tc.function.name, arguments: args } };
  });
  const message: AssistantMessage = { role: "assistant", content: body.content ?? null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (body.reasoning_content !== undefined) message.reasoning_content = body.reasoning_content;
  const usage = body.usage ? { ...body.usage, total_tokens: body.usage.prompt_tokens + body.usage.completion_tokens } : null;
  return { message, usage };
}
