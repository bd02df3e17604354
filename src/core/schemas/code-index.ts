// Code index records (`hgym index` output, one FileIndex per line), read back by readIndexJsonl. Not versioned: an
// index is a cache of the source it was built from; a mismatch means "rebuild it", never "migrate it".

import { z } from "zod";
import { LANGUAGE_IDS } from "./instance.js";

const pointSchema = z.object({ line: z.number(), column: z.number() });
const spanSchema = z.object({ start: pointSchema, end: pointSchema, startOffset: z.number(), endOffset: z.number() });

export const DEFINITION_KINDS = ["function", "async_function", "method", "async_method", "getter", "setter", "constructor", "class", "struct", "interface", "enum", "trait", "impl", "arrow_function", "function_expression"] as const;

const callSiteSchema = z.object({ callee: z.string(), name: z.string(), span: spanSchema, nameSpan: spanSchema, inNested: z.boolean(), isNew: z.boolean() });

const definitionSchema = z.object({
  kind: z.enum(DEFINITION_KINDS),
  name: z.string(),
  qualname: z.string(),
  key: z.string(),
  qualifiedName: z.string(),
  parent: z.string().nullable(),
  isNested: z.boolean(),
  span: spanSchema,
  signatureSpan: spanSchema,
  bodySpan: spanSchema.nullable(),
  decoratorSpan: spanSchema.nullable(),
  nameSpan: spanSchema,
  docstring: z.object({ span: spanSchema, text: z.string(), raw: z.string() }).nullable(),
  calls: z.array(callSiteSchema),
});

export const fileIndexSchema = z.object({
  path: z.string(),
  language: z.enum(LANGUAGE_IDS),
  bytes: z.number(),
  hasErrors: z.boolean(),
  errorPoints: z.array(pointSchema),
  definitions: z.array(definitionSchema),
  imports: z.array(z.object({ module: z.string(), names: z.array(z.object({ name: z.string(), alias: z.string().nullable() })), alias: z.string().nullable(), span: spanSchema })),
  comments: z.array(z.object({ span: spanSchema, text: z.string() })),
});
