// The viewer's index of an export: its manifest (checked) and, for JSONL datasets, where each row is. Rows carry
// no instance id (they are what a trainer reads), so the viewer shows them by position.

import { readFileSync, statSync } from "node:fs";
import { checkRecord } from "../core/schemas/check.js";
import { exportManifestSchema } from "../core/schemas/export-manifest.js";
import type { ExportManifest } from "../export/export.js";
import { readLineAt, scanLines } from "./line-scan.js";

export interface RowEntry {
  line: number;
  offset: number;
  length: number;
}

export class ExportIndex {
  manifest: ExportManifest | null = null;
  manifestError: string | null = null;
  readonly rows: RowEntry[] = [];
  private indexedBytes = -1;

  constructor(
    readonly manifestPath: string,
    readonly path: string | null, // null when the dataset file is missing (only the manifest was given)
  ) {}

  refresh(): boolean {
    try {
      const checked = checkRecord(exportManifestSchema, JSON.parse(readFileSync(this.manifestPath, "utf8")));
      this.manifest = checked.ok ? (checked.value as ExportManifest) : null;
      this.manifestError = checked.ok ? null : `${this.manifestPath}: ${checked.message}`;
    } catch (e) {
      this.manifest = null;
      this.manifestError = `${this.manifestPath}: ${(e as Error).message}`;
    }
    if (!this.path || !this.path.endsWith(".jsonl")) return false; // Parquet rows are not browsed; the manifest is shown
    let size: number;
    try {
      size = statSync(this.path).size;
    } catch {
      return false; // removed while viewed: keep showing what was indexed
    }
    if (size === this.indexedBytes) return false;
    this.rows.length = 0;
    scanLines(this.path, 0, 1, (bytes, where) => {
      if (bytes.length > 0) this.rows.push(where);
    });
    this.indexedBytes = size;
    return true;
  }

  // One row as JSON; a row that is not JSON is shown as the text it is.
  read(row: RowEntry): unknown {
    if (!this.path) return null;
    const text = readLineAt(this.path, row).toString("utf8");
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
}
