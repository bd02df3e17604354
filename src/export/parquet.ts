// Parquet output: the same columns as the JSONL rows. The conversation is a nested column (a LIST of STRUCTs, the
// standard three-level list layout pyarrow, datasets, DuckDB and polars read as a list of dicts), so
// `datasets.load_dataset("parquet", ...)` gives the same `messages` as the JSONL export, with no json.loads step.
// Tool-call arguments stay JSON text inside it (a Parquet struct has fixed fields; every tool's arguments differ),
// and so does the `tools` column (JSON Schemas of any shape). That is why `--tool-arguments object` is JSONL only.

import { parquetWriteBuffer } from "hyparquet-writer";
import { writeOutputFile } from "../util/output-file.js";
import type { ExportFormat, ExportRowWithMetadata } from "./formats.js";

interface SchemaElement {
  name: string;
  type?: "BYTE_ARRAY" | "INT32" | "DOUBLE" | "BOOLEAN";
  converted_type?: "UTF8" | "LIST";
  repetition_type?: "REQUIRED" | "OPTIONAL" | "REPEATED";
  num_children?: number;
}

const text = (name: string, required = false): SchemaElement[] => [{ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: required ? "REQUIRED" : "OPTIONAL" }];

function struct(name: string, fields: SchemaElement[][]): SchemaElement[] {
  return [{ name, repetition_type: "OPTIONAL", num_children: fields.length }, ...fields.flat()];
}

// A list column of structs: <name> (LIST) / list (REPEATED) / element (struct).
function listOf(name: string, fields: SchemaElement[][]): SchemaElement[] {
  return [{ name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 }, { name: "list", repetition_type: "REPEATED", num_children: 1 }, ...struct("element", fields)];
}

const METADATA_SCHEMA: SchemaElement[][] = [
  text("instance_id", true),
  [{ name: "sample", type: "INT32", repetition_type: "REQUIRED" }],
  text("task", true),
  text("repo", true),
  text("language", true),
  text("teacher", true),
  [{ name: "reward", type: "DOUBLE", repetition_type: "OPTIONAL" }],
  [{ name: "success", type: "BOOLEAN", repetition_type: "OPTIONAL" }],
  text("exit_reason", true),
];

const OPENAI_MESSAGE = [
  text("role"),
  text("content"),
  text("reasoning_content"),
  listOf("tool_calls", [text("id"), text("type"), struct("function", [text("name"), text("arguments")])]),
  text("tool_call_id"),
  text("name"),
];

export function conversationSchema(format: ExportFormat): { columns: SchemaElement[][]; names: string[] } {
  switch (format) {
    case "openai":
      return { columns: [listOf("messages", OPENAI_MESSAGE), text("tools", true)], names: ["messages", "tools"] };
    case "openhands":
      return { columns: [listOf("messages", [text("role"), text("content")])], names: ["messages"] };
    case "sharegpt":
      return { columns: [listOf("conversations", [text("from"), text("value")]), text("tools", true)], names: ["conversations", "tools"] };
  }
}

// Values exactly as the JSONL row has them, except `tools`, a JSON string column.
function cell(row: Record<string, unknown>, name: string): unknown {
  const v = row[name];
  if (name === "tools") return typeof v === "string" ? v : JSON.stringify(v ?? []);
  return v;
}

// Built in memory (Parquet is written column by column) and then written through the shared output helper.
export function writeParquet(path: string, format: ExportFormat, rows: ExportRowWithMetadata[], metadata: Record<string, string>): void {
  const conv = conversationSchema(format);
  const columns = [...METADATA_SCHEMA, ...conv.columns];
  const names = ["instance_id", "sample", "task", "repo", "language", "teacher", "reward", "success", "exit_reason", ...conv.names];
  const schema: SchemaElement[] = [{ name: "root", num_children: columns.length }, ...columns.flat()];
  const buffer = parquetWriteBuffer({
    // The schema's element types are what parquetWriteBuffer accepts; its own type is not exported by the package.
    schema: schema as Parameters<typeof parquetWriteBuffer>[0]["schema"],
    columnData: names.map((name) => ({ name, data: rows.map((r) => cell(r as unknown as Record<string, unknown>, name)) })),
    kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    createdBy: "hybrid-gym",
  });
  writeOutputFile(path, new Uint8Array(buffer), { option: "--out" });
}
