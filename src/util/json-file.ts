// Reading one JSON document (run.json, an export manifest) checked against its schema. Such files are small and
// written atomically, so they are read whole; errors name the file and the field.

import { readFileSync } from "node:fs";
import { RecordError } from "../core/errors.js";
import { checkRecord, type RecordSchema } from "../core/schemas/check.js";

export function readJsonFile<T>(path: string, schema: RecordSchema<T>): T {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new RecordError(`cannot read ${path}: ${(e as Error).message}`, path, null);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RecordError(`${path}: not valid JSON (${(e as Error).message})`, path, null);
  }
  const checked = checkRecord(schema, value);
  if (!checked.ok) throw new RecordError(`${path}: ${checked.message}`, path, null);
  return checked.value;
}
