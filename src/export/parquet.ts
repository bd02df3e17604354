// Parquet output: the same rows as the JSONL export, with the conversation and tools as JSON text columns (every
// Parquet reader handles strings; nested chat structs are not read the same way by pandas, polars and datasets)
// plus scalar columns to filter on without parsing the conversation.

import { parquetWriteBuffer } from "hyparquet-writer";
import { writeOutputFile } from "../util/output-file.js";
import type { ExportRow } from "./formats.js";
import type { ExportDigest } from "./select.js";

export interface ParquetInput {
  record: ExportDigest;
  row: ExportRow;
}

export const PARQUET_COLUMNS = [
  "instance_id",
  "sample",
  "task",
  "repo",
  "language",
  "model",
  "reward",
  "success",
  "exit_reason",
  "tools",
] as const; // plus the conversation column, named as in the JSONL rows: "messages" or "conversations"

// Built in memory (Parquet is written column by column) and then written through the shared output helper.
export function writeParquet(path: string, rows: ParquetInput[], metadata: Record<string, string>): void {
  // All rows share one format, so the conversation column takes the JSONL key's name.
  const first = rows[0]?.row;
  const conversationColumn = first && "conversations" in first ? "conversations" : "messages";
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "instance_id", data: rows.map((r) => r.record.instance_id), type: "STRING", nullable: false },
      { name: "sample", data: rows.map((r) => r.record.sample), type: "INT32", nullable: false },
      { name: "task", data: rows.map((r) => r.record.task), type: "STRING", nullable: false },
      { name: "repo", data: rows.map((r) => r.record.repo), type: "STRING", nullable: false },
      { name: "language", data: rows.map((r) => r.record.language), type: "STRING", nullable: false },
      { name: "model", data: rows.map((r) => r.record.model), type: "STRING", nullable: false },
      { name: "reward", data: rows.map((r) => r.record.score), type: "DOUBLE", nullable: false },
      { name: "success", data: rows.map((r) => r.record.success), type: "BOOLEAN", nullable: false },
      { name: "exit_reason", data: rows.map((r) => r.record.exit_reason), type: "STRING", nullable: false },
      {
        name: conversationColumn,
        data: rows.map((r) => JSON.stringify("conversations" in r.row ? r.row.conversations : r.row.messages)),
        type: "STRING",
        nullable: false,
      },
      {
        name: "tools",
        data: rows.map((r) => ("tools" in r.row ? (typeof r.row.tools === "string" ? r.row.tools : JSON.stringify(r.row.tools)) : "[]")),
        type: "STRING",
        nullable: false,
      },
    ],
    kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    createdBy: "hybrid-gym",
  });
  writeOutputFile(path, new Uint8Array(buffer), { option: "--out" });
}
