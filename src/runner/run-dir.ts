// A run directory: `rollouts.jsonl` (one RolloutRecord per finished rollout attempt, appended crash-safely) and
// `run.json` (the manifest: options, versions, instance file hash, times, counts). Resuming reads the records back
// and decides which (instance, sample) pairs still need work, so a killed run loses nothing and duplicates nothing.

import { existsSync } from "node:fs";
import { join } from "node:path";
import type { RolloutRecord } from "../agent/types.js";
import { UserError } from "../core/errors.js";
import { JsonlAppender, type JsonlLineError } from "../util/jsonl.js";
import { prepareOutputDir, reportAppendFailure, writeOutputFile } from "../util/output-file.js";
import { readJsonlSync } from "../util/jsonl.js";
import { readJsonFile } from "../util/json-file.js";
import type { z } from "zod";
import { rolloutSchema } from "../core/schemas/rollout.js";
import { runCountsSchema, runIdentitySchema, runManifestRecordSchema, runManifestSchema, RUN_SCHEMA_TAG } from "../core/schemas/run-manifest.js";
import { RecordError } from "../core/errors.js";
import { digestOf, type RecordDigest } from "./summary.js";

export const ROLLOUTS_FILE = "rollouts.jsonl";
export const MANIFEST_FILE = "run.json";

// The options that change what a rollout produces. A run directory holds rollouts of one identity only, so
// records from different settings never mix silently in one dataset. Options that only change how fast or where
// the work runs (concurrency, sandbox backend, retry limit, sample count, limit) are not part of it.
export type RunIdentity = z.output<typeof runIdentitySchema>;

// A run identity with every optional setting unset, overridden by what a caller gives.
export function runIdentity(settings: Pick<RunIdentity, "model"> & Partial<Omit<RunIdentity, "instances_sha256">>): Omit<RunIdentity, "instances_sha256"> {
  return {
    base_url: null,
    tool_format: "native",
    max_steps: 30,
    max_cost: null,
    wall_time_sec: null,
    temperature: null,
    top_p: null,
    max_tokens: null,
    seed: null,
    task_filter: null,
    ...settings,
  };
}

export type RunCounts = z.output<typeof runCountsSchema>;

// run.json; its fields are documented in src/core/schemas/run-manifest.ts.
export type RunManifest = z.output<typeof runManifestRecordSchema>;

export interface PairKey {
  instance_id: string;
  sample: number;
}

export interface PairState {
  final: RecordDigest | null; // the record that settles this pair, if any
  infraAttempts: number; // infra-failure records seen so far
}

export function pairKey(instanceId: string, sample: number): string {
  return `${instanceId}\u0000${sample}`;
}

// Writes a file so that readers see either the old or the new content, never a partial one.
export function writeFileAtomic(path: string, content: string): void {
  writeOutputFile(path, content, { option: "--out" });
}

// A pair is settled by a success or model failure, or by enough infra failures that retrying is pointless.
export function isFinalRecord(rec: Pick<RolloutRecord, "failure">): boolean {
  return rec.failure === "none" || rec.failure === "model";
}

export function identityDifferences(a: RunIdentity, b: RunIdentity): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof RunIdentity>;
  for (const k of [...keys].sort()) {
    const va = JSON.stringify(a[k] ?? null);
    const vb = JSON.stringify(b[k] ?? null);
    if (va !== vb) out.push(`${k}: run has ${va}, this command has ${vb}`);
  }
  return out;
}

export interface OpenRunDirOptions {
  identity: RunIdentity;
  options: Record<string, unknown>;
  versions: Record<string, string>;
  instances: { path: string; sha256: string; count: number };
  force?: boolean; // reuse the directory even if its identity differs (the manifest is rewritten)
}

export class RunDir {
  readonly rolloutsPath: string;
  readonly manifestPath: string;
  readonly readErrors: JsonlLineError[]; // malformed lines found when reopening (the torn tail is repaired)
  private readonly states = new Map<string, PairState>();
  private readonly digests: RecordDigest[] = [];
  private appender: JsonlAppender | null = null;
  private manifest: RunManifest;
  private recordCount = 0;
  private lastPromptHash: string | null = null;
  private sessionRan = 0;
  private plannedPairs = 0;
  private maxInfraRetries = 0;

  private constructor(
    readonly dir: string,
    opts: OpenRunDirOptions,
    previous: RunManifest | null,
  ) {
    this.rolloutsPath = join(dir, ROLLOUTS_FILE);
    this.manifestPath = join(dir, MANIFEST_FILE);
    const now = new Date().toISOString();
    // Streamed: only a digest of each record is kept, so resuming a huge run needs little memory.
    // A bad line (a torn tail after a kill, a hand edit) is skipped and reported; the rest of the run resumes.
    const readErrors: JsonlLineError[] = [];
    if (existsSync(this.rolloutsPath)) {
      for (const { value } of readJsonlSync(this.rolloutsPath, rolloutSchema, { badLines: "skip", onSkip: (e) => readErrors.push(e) })) this.observe(value);
    }
    this.readErrors = readErrors;
    // Opening the appender now cuts a torn last line left by a killed run, before anything else is written.
    this.appender = reportAppendFailure(this.rolloutsPath, () => new JsonlAppender(this.rolloutsPath), "--out");
    this.manifest = {
      schema: RUN_SCHEMA_TAG,
      identity: opts.identity,
      options: opts.options,
      versions: opts.versions,
      prompt_hash: previous?.prompt_hash ?? this.lastPromptHash,
      instances: opts.instances,
      started_at: previous?.started_at ?? now,
      updated_at: now,
      finished_at: null,
      sessions: [...(previous?.sessions ?? []), { started_at: now, finished_at: null, interrupted: false, ran: 0 }],
      counts: emptyCounts(),
    };
  }

  // Opens (creating if needed) a run directory. Refuses, with the list of differences, to add rollouts of other
  // settings to an existing run unless `force` is set.
  static open(dir: string, opts: OpenRunDirOptions): RunDir {
    prepareOutputDir(dir, { option: "--out" });
    const manifestPath = join(dir, MANIFEST_FILE);
    let previous: RunManifest | null = null;
    if (existsSync(manifestPath)) {
      try {
        previous = readJsonFile(manifestPath, runManifestSchema);
      } catch (e) {
        if (!(e instanceof RecordError)) throw e;
        // A newer hgym's run is not damaged: its message (upgrade) stands alone.
        if (/written by a newer hgym/.test(e.message)) throw e;
        throw new RecordError(`${e.message}; fix or delete it, or use another --out directory`, e.path, null);
      }
      const diffs = identityDifferences(previous.identity, opts.identity);
      if (diffs.length > 0 && !opts.force) {
        throw new UserError(
          `${dir} already holds a run with different settings:\n  ${diffs.join("\n  ")}\n` +
            `Use another --out directory, or pass --force to add these rollouts to it anyway.`,
        );
      }
    } else if (existsSync(join(dir, ROLLOUTS_FILE)) && !opts.force) {
      throw new UserError(`${dir} has ${ROLLOUTS_FILE} but no ${MANIFEST_FILE}, so its settings are unknown; pass --force to resume it anyway`);
    }
    return new RunDir(dir, opts, previous);
  }

  private observe(rec: RolloutRecord): void {
    this.recordCount++;
    if (rec.prompt_hash) this.lastPromptHash = rec.prompt_hash;
    const digest = digestOf(rec);
    this.digests.push(digest);
    const key = pairKey(rec.instance_id, rec.sample);
    const state = this.states.get(key) ?? { final: null, infraAttempts: 0 };
    if (isFinalRecord(rec)) {
      if (!state.final) state.final = digest;
    } else {
      state.infraAttempts++;
    }
    this.states.set(key, state);
  }

  state(instanceId: string, sample: number): PairState {
    return this.states.get(pairKey(instanceId, sample)) ?? { final: null, infraAttempts: 0 };
  }

  // Which pairs still need to run, in the given order, and the attempt number each starts at. A pair is skipped
  // when it has a success/model-failure record or when its infra failures already reached 1 + maxInfraRetries.
  plan(pairs: PairKey[], maxInfraRetries: number): { todo: (PairKey & { firstAttempt: number })[]; skipped: number } {
    this.plannedPairs = pairs.length;
    this.maxInfraRetries = maxInfraRetries;
    const todo: (PairKey & { firstAttempt: number })[] = [];
    let skipped = 0;
    for (const p of pairs) {
      const s = this.state(p.instance_id, p.sample);
      if (s.final || s.infraAttempts >= 1 + maxInfraRetries) {
        skipped++;
        continue;
      }
      todo.push({ ...p, firstAttempt: s.infraAttempts + 1 });
    }
    return { todo, skipped };
  }

  // Appends one record (one write + fsync). Records are only written once complete, so a kill never leaves half
  // a rollout behind; at worst the record being written is torn and repaired on the next open.
  append(rec: RolloutRecord): void {
    // Disk full or a read-only folder mid-run stops the run with the file named; records already appended stay.
    reportAppendFailure(this.rolloutsPath, () => {
      if (!this.appender) this.appender = new JsonlAppender(this.rolloutsPath);
      this.appender.append(rec);
    }, "--out");
    this.observe(rec);
    this.sessionRan++;
  }

  // Digests of every record in the file, in order (for summaries).
  records(): readonly RecordDigest[] {
    return this.digests;
  }

  counts(): RunCounts {
    const c = emptyCounts();
    c.pairs_planned = this.plannedPairs;
    c.records = this.recordCount;
    for (const s of this.states.values()) {
      if (s.final) {
        c.final++;
        if (s.final.failure === "model") c.failure_model++;
        else if (s.final.success) c.success++;
      } else if (s.infraAttempts >= 1 + this.maxInfraRetries) {
        c.final++;
        c.failure_infra++;
      } else {
        c.infra_pending++;
      }
    }
    return c;
  }

  // Rewrites run.json (atomically). `finished` marks the end of this session; `interrupted` says it was stopped.
  writeManifest(end?: { interrupted: boolean }): RunManifest {
    const now = new Date().toISOString();
    const session = this.manifest.sessions[this.manifest.sessions.length - 1];
    if (session) {
      session.ran = this.sessionRan;
      if (end) {
        session.finished_at = now;
        session.interrupted = end.interrupted;
      }
    }
    this.manifest.updated_at = now;
    this.manifest.finished_at = end && !end.interrupted ? now : null;
    this.manifest.prompt_hash = this.lastPromptHash;
    this.manifest.counts = this.counts();
    writeFileAtomic(this.manifestPath, JSON.stringify(this.manifest, null, 2) + "\n");
    return this.manifest;
  }

  close(): void {
    this.appender?.close();
    this.appender = null;
  }
}

function emptyCounts(): RunCounts {
  return { pairs_planned: 0, records: 0, final: 0, success: 0, failure_model: 0, failure_infra: 0, infra_pending: 0 };
}

export function readManifest(dir: string): RunManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) throw new UserError(`${dir} is not a run directory (no ${MANIFEST_FILE}); pass a directory made by \`hgym rollout --out\``);
  return readJsonFile(path, runManifestSchema);
}
