// Writing RL prompt rows (rl-rows.ts) as JSONL or Parquet. In Parquet, `prompt` is a list of {role, content}
// structs and reward_model / reward_spec / extra_info are structs, as verl's and SkyRL's dataset loaders read
// them with `datasets`; `extra_info.tools` is JSON text.

import { parquetWriteBuffer } from "hyparquet-writer";
import { UserError } from "../core/errors.js";
import type { InstanceRecord } from "../core/schemas/instance.js";
import { openOutputStream, prepareOutputFile, writeOutputFile } from "../util/output-file.js";
import { rlRows, type RlFormat } from "./rl-rows.js";

interface SchemaElement {
  name: string;
  type?: "BYTE_ARRAY" | "INT32";
  converted_type?: "UTF8" | "LIST";
  repetition_type?: "REQUIRED" | "OPTIONAL" | "REPEATED";
  num_children?: number;
}

const text = (name: string): SchemaElement[] => [{ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" }];
const struct = (name: string, fields: SchemaElement[][]): SchemaElement[] => [{ name, repetition_type: "OPTIONAL", num_children: fields.length }, ...fields.flat()];

const EXTRA_INFO = struct("extra_info", [
  text("split"),
  [{ name: "index", type: "INT32", repetition_type: "OPTIONAL" }],
  text("instance_id"),
  text("task"),
  text("repo"),
  text("language"),
  text("server_url"),
  text("instances_file"),
  text("instances_sha256"),
  text("tools"),
]);

const PROMPT: SchemaElement[] = [
  { name: "prompt", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  ...struct("element", [text("role"), text("content")]),
];

function columnsFor(format: RlFormat): { name: string; schema: SchemaElement[] }[] {
  const common = [
    { name: "data_source", schema: text("data_source") },
    { name: "prompt", schema: PROMPT },
  ];
  if (format === "verl") {
    return [
      ...common,
      { name: "ability", schema: text("ability") },
      { name: "reward_model", schema: struct("reward_model", [text("style"), text("ground_truth")]) },
      { name: "agent_name", schema: text("agent_name") },
      { name: "extra_info", schema: EXTRA_INFO },
    ];
  }
  return [
    ...common,
    { name: "env_class", schema: text("env_class") },
    { name: "reward_spec", schema: struct("reward_spec", [text("method"), text("ground_truth")]) },
    { name: "extra_info", schema: EXTRA_INFO },
  ];
}

export function writeRlRows(opts: { instances: InstanceRecord[]; instancesFile: string; out: string; parquet: boolean; format: RlFormat; serverUrl: string; envClass: string; split: string }): number {
  if (opts.parquet && /\.jsonl?$/i.test(opts.out)) throw new UserError(`--parquet writes Parquet, but --out ${opts.out} ends in .jsonl; name it .parquet, or drop --parquet`);
  if (!opts.parquet && /\.parquet$/i.test(opts.out)) throw new UserError(`--out ${opts.out} ends in .parquet but the rows are JSONL; add --parquet, or name it .jsonl`);
  const out = prepareOutputFile(opts.out, { option: "--out" });
  const rows = rlRows(opts.instances, { format: opts.format, serverUrl: opts.serverUrl, instancesFile: opts.instancesFile, split: opts.split, envClass: opts.envClass });
  if (opts.parquet) {
    const cols = columnsFor(opts.format);
    const schema = [{ name: "root", num_children: cols.length }, ...cols.flatMap((c) => c.schema)];
    const buffer = parquetWriteBuffer({
      schema: schema as Parameters<typeof parquetWriteBuffer>[0]["schema"],
      columnData: cols.map((c) => ({ name: c.name, data: rows.map((r) => r[c.name]) })),
      createdBy: "hybrid-gym",
    });
    writeOutputFile(out, new Uint8Array(buffer), { option: "--out" });
  } else {
    const stream = openOutputStream(out, { option: "--out" });
    for (const r of rows) stream.write(JSON.stringify(r) + "\n");
    stream.commit();
  }
  return rows.length;
}
